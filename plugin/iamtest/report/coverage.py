"""Coverage of policies by access tests, like ``opa test --coverage``.

A report over results, not instrumentation: every decided case carries the
evaluator's reasons (``decision.layers[*].allows/denies``: the statements
that matched its request; ``decision.deciding``: those that made the
outcome), and the plugin lists the statements of every policy the cases put
on a request path. For each statement:

- **decided**: it is among the deciding statements of at least one case (the
  matching Allow of an allowed request, or the Deny of an explicitly denied one);
- **exercised**: it matched the request of at least one case (decided or not:
  an Allow that matched a request another layer then denied is exercised);
- **not exercised**: no case's request matched it. No test shows what it does.

The percentage is exercised statements over all statements, per file and in
total. Only cases count (properties are proofs over all requests, and Python
tests using the ``iam`` fixture do not report their decisions); the
``allow-all`` keyword is not a file and is left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from .records import RunRecords, StatementInfo

DECIDED, EXERCISED, NOT_EXERCISED = "decided", "exercised", "not exercised"


def status(info: StatementInfo) -> str:
    if info.decided:
        return DECIDED
    if info.matched:
        return EXERCISED
    return NOT_EXERCISED


def percent(part: int, whole: int) -> Optional[float]:
    return None if whole == 0 else round(100.0 * part / whole, 1)


def _cases(count: int) -> str:
    return f"{count} case" if count == 1 else f"{count} cases"


def _pct_text(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


@dataclass
class FileCoverage:
    file: str
    statements: List[StatementInfo]

    @property
    def total(self) -> int:
        return len(self.statements)

    @property
    def exercised(self) -> int:
        return sum(1 for s in self.statements if s.matched or s.decided)

    @property
    def decided(self) -> int:
        return sum(1 for s in self.statements if s.decided)

    @property
    def percent(self) -> Optional[float]:
        return percent(self.exercised, self.total)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "file": self.file, "statements": self.total, "exercised": self.exercised,
            "decided": self.decided, "percent": self.percent,
            "details": [{
                "index": s.index, "sid": s.sid, "line": s.line, "effect": s.effect,
                "layers": sorted(layer for layer in s.layers if layer), "status": status(s),
                "decided_cases": sorted(s.decided), "matched_cases": sorted(s.matched | s.decided),
            } for s in self.statements],
        }


@dataclass
class Coverage:
    files: List[FileCoverage]

    @property
    def total(self) -> int:
        return sum(f.total for f in self.files)

    @property
    def exercised(self) -> int:
        return sum(f.exercised for f in self.files)

    @property
    def decided(self) -> int:
        return sum(f.decided for f in self.files)

    @property
    def percent(self) -> Optional[float]:
        return percent(self.exercised, self.total)

    def not_exercised(self) -> List[StatementInfo]:
        return [s for f in self.files for s in f.statements if status(s) == NOT_EXERCISED]

    def to_dict(self) -> Dict[str, Any]:
        return {
            "version": 1,
            "measure": "statements whose conditions and elements matched at least one case's "
                       "request (exercised), and those among the deciding statements of at "
                       "least one case (decided)",
            "total": {"statements": self.total, "exercised": self.exercised,
                      "decided": self.decided, "percent": self.percent},
            "files": [f.to_dict() for f in self.files],
        }

    def text_lines(self) -> List[str]:
        """The terminal report: each file, each statement's status, the totals."""
        if not self.files:
            return ["no policy statement was on the request path of any case"]
        lines = []
        width = max([len(f.file) for f in self.files] + [5])
        for f in self.files:
            lines.append(f"{f.file:<{width}}  {f.exercised:>3}/{f.total:<3} exercised "
                         f"{_pct_text(f.percent):>6}  ({f.decided} decided)")
            for s in f.statements:
                where = f":{s.line}" if s.line else ""
                state = status(s)
                counts = (f"decided {_cases(len(s.decided))}, matched "
                          f"{_cases(len(s.matched | s.decided))}" if state == DECIDED else
                          f"matched {_cases(len(s.matched))}, decided none" if state == EXERCISED
                          else "NOT EXERCISED by any case")
                lines.append(f"  {where:<6} {s.label} ({s.effect}): {counts}")
        lines.append(f"{'TOTAL':<{width}}  {self.exercised:>3}/{self.total:<3} exercised "
                     f"{_pct_text(self.percent):>6}  ({self.decided} decided)")
        return lines

    def markdown_lines(self) -> List[str]:
        lines = ["### Policy coverage", "",
                 f"{self.exercised} of {self.total} policy statements exercised by at least "
                 f"one case ({_pct_text(self.percent)}); {self.decided} decided at least one.", "",
                 "| policy file | exercised | decided | % |", "|---|---:|---:|---:|"]
        lines += [f"| `{f.file}` | {f.exercised}/{f.total} | {f.decided} | {_pct_text(f.percent)} |"
                  for f in self.files]
        missing = self.not_exercised()
        if missing:
            lines += ["", "Not exercised by any case:", ""]
            lines += [f"- `{s.where}` {s.label} ({s.effect})" for s in missing[:200]]
            if len(missing) > 200:
                lines.append(f"- and {len(missing) - 200} more")
        lines.append("")
        return lines

    def fail_under_message(self, threshold: float) -> Optional[str]:
        """None when coverage reaches ``threshold`` percent, else why the run fails."""
        if self.total == 0:
            return (f"iamtest coverage: no policy statement was on the request path of any case, "
                    f"so coverage cannot reach the required {threshold:g}%")
        exact = 100.0 * self.exercised / self.total
        if exact >= threshold:
            return None
        missing = self.not_exercised()
        lines = [f"iamtest coverage {_pct_text(self.percent)} is below the required "
                 f"{threshold:g}%: {len(missing)} of {self.total} policy statements were not "
                 f"exercised by any case:"]
        lines += [f"  {s.where} {s.label} ({s.effect})" for s in missing]
        return "\n".join(lines)


def compute_coverage(records: RunRecords) -> Coverage:
    """Group the run's statements by policy file, in file and line order."""
    by_file: Dict[str, List[StatementInfo]] = {}
    for info in records.statements.values():
        by_file.setdefault(info.source, []).append(info)
    files = [FileCoverage(name, sorted(stmts, key=lambda s: (s.line or 0, s.index)))
             for name, stmts in sorted(by_file.items())]
    return Coverage(files)
