"""``iamtest diff BASE [PATH...]``: the access the working tree adds over BASE.

Exit 0 when no access was added, 1 when some was, 2 on error. ``--json``
prints the report as JSON; under GitHub Actions (``GITHUB_ACTIONS=true``)
every finding is also written as a workflow annotation on the policy line
that grants it.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import List

from .diffrepo import Entry, Report


def add_subcommand(subparsers) -> None:
    parser = subparsers.add_parser(
        "diff", help="the access a change adds: working tree against a git revision",
        description="Compare the policy files and access-test files under PATH (default: the "
                    "repository) in the working tree with git revision BASE, and list the requests "
                    "the new versions allow that the old ones did not. Exit 0 when no access was "
                    "added, 1 when some was, 2 on error.")
    parser.add_argument("base", metavar="BASE", help="git revision to compare with (a branch, tag or commit)")
    parser.add_argument("paths", metavar="PATH", nargs="*", help="files or folders to compare (default: all)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--max-findings", type=int, default=5, metavar="N",
                        help="findings listed per comparison (default 5)")
    parser.add_argument("--timeout-ms", type=int, default=None, metavar="MS",
                        help="time limit of each solver query (default 10000)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from .errors import ProveError, ProverUnavailable
    from .gitfiles import GitError, in_github_actions
    from .diffrepo import RepoDiff
    try:
        report = RepoDiff(args.base, args.paths, timeout_ms=args.timeout_ms,
                          max_findings=args.max_findings).run()
    except (GitError, ProverUnavailable) as exc:
        print(f"iamtest diff: error: {exc}", file=sys.stderr)
        return 2
    except ProveError as exc:
        print(f"iamtest diff: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(render(report))
    if in_github_actions():
        for line in annotations(report):
            print(line)
    return report.exit_code


# -- text -----------------------------------------------------------------------------------

def _example(c) -> str:
    text = f"{c.principal} -> {c.action} on {c.resource}"
    if c.resource_account:
        text += f" (resource account {c.resource_account})"
    if c.context:
        text += "; context " + ", ".join(f"{k}={v}" for k, v in c.context.items())
    return text


def render_entry(entry: Entry) -> List[str]:
    head = f"{entry.path}: {entry.label}"
    if entry.note:
        head += f" ({entry.note})"
    lines = [head]
    if entry.status == "error":
        lines.append(f"  error: {entry.error}")
        return lines
    c = entry.comparison
    if c is None:
        lines.append("  no new access")
        return lines
    if not c.added:
        if entry.note.startswith("new file"):
            lines.append("  no new access: it grants nothing on its own")
        elif c.removed is None:
            lines.append("  no new access: the new version allows exactly what the old one allowed "
                         "(a refactor, as far as access goes)")
        else:
            lines.append("  no new access; access was removed, for example: " + _example(c.removed))
        return lines
    lines.append(f"  adds access ({len(c.findings)}{'+' if c.more else ''} finding"
                 f"{'s' if len(c.findings) != 1 or c.more else ''}):")
    for i, f in enumerate(c.findings, 1):
        lines.append(f"  {i}. {f.headline()}")
        lines.append(f"     example: {_example(f.example)}")
        if f.statements:
            granted = "; ".join(f"{lab} ({src}:{ln})" if ln else f"{lab} ({src})" for src, ln, lab in f.statements)
            lines.append(f"     granted by: {granted}")
    if c.more:
        lines.append("  ... and more (raise --max-findings to list them)")
    if c.removed is not None:
        lines.append("  it also removes access, for example: " + _example(c.removed))
    return lines


def render(report: Report) -> str:
    lines = [f"iamtest diff against {report.base} ({report.commit[:12]})"]
    if not report.entries:
        lines.append("no policy or access-test file changed: no new access")
    for entry in report.entries:
        lines += render_entry(entry)
    added = sum(1 for e in report.entries if e.status == "added")
    if report.errors:
        lines.append(f"result: {report.errors} comparison(s) could not be made (exit 2)")
    elif added:
        lines.append(f"result: access added in {added} of {len(report.entries)} comparison(s) (exit 1)")
    else:
        lines.append(f"result: no new access in {len(report.entries)} comparison(s) (exit 0)")
    return "\n".join(lines)


# -- GitHub annotations -------------------------------------------------------------------------

def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _workspace_path(source: str, root: Path) -> str:
    path = Path(source)
    full = path if path.is_absolute() else (Path.cwd() / path)
    workspace = Path(os.environ.get("GITHUB_WORKSPACE") or root)
    try:
        return str(full.resolve().relative_to(workspace.resolve()))
    except ValueError:
        return source


def annotations(report: Report) -> List[str]:
    out, seen = [], set()
    for entry in report.entries:
        if entry.status == "error":
            out.append(f"::error file={_escape_prop(entry.path)},title=iamtest diff::"
                       f"{_escape_data(entry.error or 'error')}")
            continue
        if entry.comparison is None:
            continue
        for f in entry.comparison.findings:
            targets = [(s, ln) for s, ln, _ in f.statements if ln] or [(entry.path, None)]
            for source, line in targets:
                path = _workspace_path(source, report.root) if source != entry.path else entry.path
                key = (path, line, f.headline())
                if key in seen:
                    continue
                seen.add(key)
                where = f"file={_escape_prop(path)}" + (f",line={line}" if line else "")
                out.append(f"::warning {where},title={_escape_prop('iamtest diff: new access')}::"
                           f"{_escape_data(f.headline() + ' (example: ' + _example(f.example) + ')')}")
    return out
