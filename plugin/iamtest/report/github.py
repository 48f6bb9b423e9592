"""GitHub Actions workflow commands: an annotation on each failing access test.

What GitHub documents ("Workflow commands for GitHub Actions"):

- ``::error file={name},line={line},title={title}::{message}`` creates an
  error annotation on that line of that file (``::notice`` a notice); file
  paths are relative to the repository.
- The message is escaped ``%`` -> ``%25``, ``\\r`` -> ``%0D``, ``\\n`` -> ``%0A``;
  property values (file, title) also ``:`` -> ``%3A`` and ``,`` -> ``%2C``
  (the escaping of GitHub's own toolkit, ``@actions/core``).

What GitHub's command page does not say, but GitHub staff and the runner's
behaviour do (community discussions, reviewdog's notes): a step shows at
most 10 error, 10 warning and 10 notice annotations, and a job 50 in all.
We therefore print at most :data:`PER_KIND_LIMIT` of each kind; when there
are more, the last slot becomes one annotation saying how many were left
out, and a log line says the same. The job summary lists every failure.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from . import messages
from .paths import Paths
from .records import ALLOW_ALL_SOURCE, RunRecords, StatementInfo, statement_key

#: Annotations of one kind (error, warning, notice) GitHub shows per step.
PER_KIND_LIMIT = 10


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (file, title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, file: Optional[str] = None, line: Optional[int] = None,
            title: Optional[str] = None) -> str:
    """One workflow command line, e.g. ``::error file=a.yaml,line=3,title=x::message``."""
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
        if line:
            props.append(f"line={int(line)}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{kind} {','.join(props)}" if props else f"::{kind}"
    return f"{head}::{escape_data(message)}"


def _capped(kind: str, lines: List[str], what: str) -> Tuple[List[str], int]:
    """At most PER_KIND_LIMIT commands; the last one says how many were left out."""
    if len(lines) <= PER_KIND_LIMIT:
        return lines, 0
    kept = lines[: PER_KIND_LIMIT - 1]
    left_out = len(lines) - len(kept)
    kept.append(command(kind, f"{left_out} more {what} are not annotated: GitHub shows "
                              f"{PER_KIND_LIMIT} {kind} annotations per step. Every one is "
                              f"in the job summary and the log.",
                        title=f"iamtest: {left_out} more {what}"))
    return kept, left_out


def _deciders(records: RunRecords) -> Dict[tuple, Tuple[StatementInfo, List]]:
    """Statement key -> (the statement, the failing tests it decided)."""
    out: Dict[tuple, Tuple[StatementInfo, List]] = {}
    for test in records.failures:
        for ref in test.deciding:
            if ref.get("source") == ALLOW_ALL_SOURCE:
                continue
            key = statement_key(ref)
            if key not in out:
                out[key] = (records.statement_for(ref), [])
            out[key][1].append(test)
    return out


def _notice_for(info: StatementInfo, tests: List, paths: Paths) -> str:
    names = ", ".join(f"'{t.name}'" for t in tests[:5])
    if len(tests) > 5:
        names += f" and {len(tests) - 5} more"
    layers = ", ".join(sorted(layer for layer in info.layers if layer)) or "a"
    count = "access test" if len(tests) == 1 else f"{len(tests)} access tests"
    message = (f"{info.label} ({info.effect}, {layers} layer) decided the failing {count}: "
               f"{names}.")
    return command("notice", message, file=paths.relative(info.source), line=info.line,
                   title=f"{info.label} decided a failing access test")


def annotations(records: RunRecords, paths: Paths) -> Tuple[List[str], List[str]]:
    """(workflow command lines, plain log lines saying what was left out)."""
    errors = []
    for problem in sorted(records.file_problems.values(), key=lambda p: p.nodeid):
        for item in problem.problems:
            errors.append(command("error", item.get("message", ""), file=paths.relative(item["file"]),
                                  line=item.get("line"), title="invalid access-test file"))
    for test in records.failures:
        errors.append(command("error", messages.failure_paragraph(test),
                              file=paths.relative(test.file), line=test.line, title=test.name))
    notices = []
    deciders = _deciders(records)
    for key in sorted(deciders, key=lambda k: (k[0], k[1] or 0, k[2])):
        info, tests = deciders[key]
        notices.append(_notice_for(info, tests, paths))
    seen_errors = set()
    for test in records.failures:   # a policy a case could not use: point at its line
        error = test.error
        if not error or not error.get("file"):
            continue
        ident = (error["file"], error.get("line"), error.get("message"))
        if ident not in seen_errors:
            seen_errors.add(ident)
            notices.append(command("notice", f"this stopped '{test.name}': {error.get('message', '')}",
                                   file=paths.relative(error["file"]), line=error.get("line"),
                                   title="policy or request that cannot be used"))
    errors, errors_left = _capped("error", errors, "failing access tests")
    notices, notices_left = _capped("notice", notices, "deciding statements")
    log = []
    if errors_left:
        log.append(f"iamtest: {errors_left} failing access tests were not annotated "
                   f"(GitHub shows {PER_KIND_LIMIT} error annotations per step); "
                   f"see the job summary")
    if notices_left:
        log.append(f"iamtest: {notices_left} statements that decided failures were not annotated "
                   f"(GitHub shows {PER_KIND_LIMIT} notice annotations per step)")
    return errors + notices, log
