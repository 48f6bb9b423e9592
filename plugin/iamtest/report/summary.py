"""The Markdown job summary (appended to ``$GITHUB_STEP_SUMMARY``).

Totals, a table per access-test file, and every failure with its full
explanation. GitHub refuses a step summary over 1 MiB (the runner says
"supports content up to a size of 1024k"), so a long summary first drops
the passing rows, then cuts the explanations, and says what it left out.
"""
from __future__ import annotations

import re
from typing import List, Optional

from . import messages
from .records import OUTCOMES, RunRecords, TestRecord

#: Bytes we allow ourselves, below GitHub's 1 MiB per step (other steps' text
#: and our own headings need room too).
BUDGET = 900 * 1024

_MARK = {"passed": "passed", "failed": "**failed**", "error": "**error**", "skipped": "skipped",
         "xfailed": "xfailed", "xpassed": "**xpassed**"}


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell (no pipes, no line breaks, no HTML)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|"))


def fenced(text: str) -> str:
    """A code block whose fence is longer than any run of backticks in ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _totals(records: RunRecords) -> str:
    counts = records.totals()
    total = sum(counts[name] for name in OUTCOMES)
    parts = [f"{counts[name]} {name}" for name in OUTCOMES if counts[name]]
    if counts["files with errors"]:
        parts.append(f"{counts['files with errors']} access-test files that cannot be read")
    verdict = "Failed" if records.failures or records.file_problems else "Passed"
    return f"**{verdict}.** {total} access tests: " + (", ".join(parts) or "none ran")


def _row(test: TestRecord) -> str:
    result = test.result or {}
    if test.kind == "property":
        expect = result.get("kind") or (test.expect or {}).get("expect", "")
        actual = result.get("status", "")
    else:
        expect = messages.expected_text(result or test.expect or {})
        actual = messages.actual_text(result) if result else ""
    return (f"| {cell(test.name)} | {test.line} | {cell(expect)} | {cell(actual)} | "
            f"{_MARK.get(test.outcome, test.outcome)} |")


def _file_tables(records: RunRecords, passing_rows: bool) -> List[str]:
    out = []
    for file, tests in records.by_file().items():
        failed = sum(1 for t in tests if t.failed)
        out.append(f"#### `{file}`: {len(tests) - failed} of {len(tests)} without failure")
        rows = [t for t in tests if passing_rows or t.outcome not in ("passed", "xfailed", "skipped")]
        if rows:
            out += ["", "| case | line | expected | actual | result |", "|---|---:|---|---|---|"]
            out += [_row(t) for t in rows]
        if len(rows) < len(tests):
            out += ["", f"{len(tests) - len(rows)} passing, skipped or expected-to-fail rows "
                        f"left out to keep the summary under GitHub's size limit."]
        out.append("")
    return out


def _failures(records: RunRecords, budget: Optional[int]) -> List[str]:
    out: List[str] = []
    if records.file_problems:
        out += ["### Access-test files that cannot be read", ""]
        for problem in sorted(records.file_problems.values(), key=lambda p: p.nodeid):
            out += [f"`{problem.file}`", "", fenced(problem.text), ""]
    failures = records.failures
    if not failures:
        return out
    out += ["### Failures", ""]
    used = _size(out)
    for shown, test in enumerate(failures):
        block = [f"#### {cell(test.name)} (`{test.file}:{test.line}`)", "",
                 cell(messages.failure_paragraph(test)), ""]
        if test.text:
            block += ["<details><summary>full explanation</summary>", "", fenced(test.text), "",
                      "</details>", ""]
        size = _size(block)
        if budget is not None and used + size > budget:
            out.append(f"{len(failures) - shown} more failures are not shown here (the summary "
                       f"would pass GitHub's size limit); the log has every one.")
            break
        out += block
        used += size
    return out


def render(records: RunRecords, coverage_lines: Optional[List[str]] = None,
           budget: int = BUDGET) -> str:
    """The summary's Markdown, under ``budget`` bytes whenever that can be done."""
    head = ["## iamtest: access tests", "", _totals(records), ""]
    tail = list(coverage_lines or [])
    tables = _file_tables(records, passing_rows=True)
    if budget - _size(head + tables + tail) <= budget // 4:
        tables = _file_tables(records, passing_rows=False)
    room = max(budget - _size(head + tables + tail), 0)
    body = head + tables + _failures(records, room) + tail
    return "\n".join(body).rstrip() + "\n"


def _size(lines: List[str]) -> int:
    return sum(len(line.encode()) + 1 for line in lines)
