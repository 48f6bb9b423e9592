"""The run as plain records: one per access test, one per broken access-test file,
and the inventory of every policy statement the cases put on a request path.

Built in the controlling process from pytest reports (under pytest-xdist the
reports come from the workers), so everything read here is a plain JSON value:

- ``report.iamtest_result``: ``CaseResult.to_dict()`` (set by the core plugin);
- ``report.iamtest_item``: which access test the report is about (file, line,
  case name, id, kind), set by :mod:`iamtest.report.plugin` on every phase;
- ``report.iamtest_policies``: the statements of the policies on the case's
  request path (each policy sent once per process), see :func:`policy_inventory`;
- ``report.iamtest_error``: the policy or request problem that stopped a case;
- ``report.iamtest_problems`` (collection reports): the problems of a file
  that breaks the access-test format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

#: How an access test ended, in the order a summary lists them.
OUTCOMES = ("failed", "error", "passed", "skipped", "xfailed", "xpassed")
#: The source name the engine gives the ``allow-all`` keyword's policy (not a file).
ALLOW_ALL_SOURCE = "allow-all"

#: A statement's identity across cases and processes: (policy source, line, index).
#: The line tells apart two inline documents of one access-test file.
StatementKey = Tuple[str, Optional[int], int]


def statement_key(ref: Dict[str, Any]) -> StatementKey:
    """The key of a statement reference (``StatementRef.to_dict()`` or an inventory entry)."""
    return (ref["source"], ref.get("line"), int(ref["index"]))


def policy_inventory(policy_set, already_sent: Optional[Set] = None) -> List[Dict[str, Any]]:
    """The statements of every policy on a request path, as plain values.

    ``policy_set`` is the engine's :class:`~iamtest.PolicySet`. A policy whose
    (source, line) is in ``already_sent`` is left out, and every policy listed
    is added to it: each process sends each policy once.
    """
    out = []
    for layer, _level, policy in policy_set.policies():
        if policy.source == ALLOW_ALL_SOURCE:
            continue
        ident = (policy.source, policy.location.line)
        if already_sent is not None:
            if ident in already_sent:
                continue
            already_sent.add(ident)
        out.append({
            "source": policy.source, "line": policy.location.line, "layer": layer,
            "statements": [{"index": s.index, "sid": s.sid, "line": s.location.line,
                            "effect": s.effect} for s in policy.statements],
        })
    return out


@dataclass
class StatementInfo:
    """One statement of one policy file, and the tests it took part in."""

    source: str
    index: int
    sid: Optional[str]
    line: Optional[int]
    effect: str
    layers: Set[str] = field(default_factory=set)
    decided: Set[str] = field(default_factory=set)   # node ids whose decision it made
    matched: Set[str] = field(default_factory=set)   # node ids whose request it matched

    @property
    def key(self) -> StatementKey:
        return (self.source, self.line, self.index)

    @property
    def label(self) -> str:
        return f"statement {self.sid!r}" if self.sid else f"statement #{self.index + 1}"

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass
class TestRecord:
    """One access test (a case request or a property) and how it ended."""

    nodeid: str
    kind: str = "case"           # "case" | "property"
    file: str = ""               # the access-test file, as displayed
    line: int = 1
    name: str = ""               # the test's id: the case name and its suffix
    case: str = ""               # the case name as written
    expect: Optional[Dict[str, Any]] = None   # {"expect", "denied_by"} of a case
    phases: Dict[str, str] = field(default_factory=dict)   # when -> outcome of that phase
    text: str = ""               # pytest's failure text (the full explanation)
    crash: str = ""              # the exception's message, for a failure that is not ours
    result: Optional[Dict[str, Any]] = None
    error: Optional[Dict[str, Any]] = None

    @property
    def outcome(self) -> str:
        """As pytest counts it: the call's outcome, an error when setup or
        teardown failed (unless the call itself failed), else the setup's skip."""
        call = self.phases.get("call")
        if call == "failed":
            return call
        if "error" in (self.phases.get("setup"), self.phases.get("teardown")):
            return "error"
        return call or self.phases.get("setup") or "passed"

    @property
    def failed(self) -> bool:
        return self.outcome in ("failed", "error")

    @property
    def deciding(self) -> List[Dict[str, Any]]:
        return list((self.result or {}).get("decision", {}).get("deciding", []))

    @property
    def matched(self) -> List[Dict[str, Any]]:
        layers = (self.result or {}).get("decision", {}).get("layers", [])
        return [ref for layer in layers for ref in layer.get("denies", []) + layer.get("allows", [])]


@dataclass
class FileProblem:
    """An access-test file that failed collection, with the line of each problem."""

    nodeid: str
    file: str
    problems: List[Dict[str, Any]]   # {"file", "line", "message"}
    text: str


def failure_text(report) -> str:
    """pytest's failure text, without the line pytest-xdist puts first (``[gw0] linux -- ...``)."""
    text = getattr(report, "longreprtext", "") or str(report.longrepr or "")
    first, _, rest = text.partition("\n")
    return rest if re.match(r"\[gw\d+\] ", first) else text


def _phase_outcome(report) -> Optional[str]:
    """What one phase's report says about the test (None: nothing new)."""
    xfail = hasattr(report, "wasxfail")
    if report.when == "call":
        if report.passed:
            return "xpassed" if xfail else "passed"
        if report.skipped:
            return "xfailed" if xfail else "skipped"
        return "failed"
    if report.failed:
        return "error"
    if report.skipped:
        return "xfailed" if xfail else "skipped"
    return None


class RunRecords:
    """Everything the reporters need, gathered report by report."""

    def __init__(self) -> None:
        self.tests: Dict[str, TestRecord] = {}
        self.file_problems: Dict[str, FileProblem] = {}
        self.statements: Dict[StatementKey, StatementInfo] = {}

    # -- gathering --------------------------------------------------------------

    def add_test_report(self, report) -> None:
        item = getattr(report, "iamtest_item", None)
        if not item:
            return   # not an access test
        record = self.tests.get(report.nodeid)
        if record is None:
            record = self.tests[report.nodeid] = TestRecord(
                report.nodeid, kind=item.get("kind", "case"), file=item.get("file", ""),
                line=int(item.get("line") or 1), name=item.get("id") or item.get("case", ""),
                case=item.get("case", ""),
                expect={"expect": item["expect"], "denied_by": item.get("denied_by")}
                if item.get("expect") else None)
        outcome = _phase_outcome(report)
        if outcome is not None:
            record.phases[report.when] = outcome
        if report.failed and not record.text:
            record.text = failure_text(report)
            crash = getattr(getattr(report.longrepr, "reprcrash", None), "message", None)
            record.crash = crash or ""
        result = getattr(report, "iamtest_result", None)
        if result:
            record.result = result
        error = getattr(report, "iamtest_error", None)
        if error:
            record.error = error
        for policy in getattr(report, "iamtest_policies", None) or ():
            self.add_policy(policy)
        if result and record.kind == "case":
            self._count(record)   # a property's counterexample is not a case: no coverage

    def add_policy(self, policy: Dict[str, Any]) -> None:
        for stmt in policy.get("statements", ()):
            info = StatementInfo(policy["source"], int(stmt["index"]), stmt.get("sid"),
                                 stmt.get("line"), stmt.get("effect", ""))
            found = self.statements.setdefault(info.key, info)
            found.layers.add(policy.get("layer", ""))

    def _count(self, record: TestRecord) -> None:
        for ref in record.matched:
            if ref.get("source") != ALLOW_ALL_SOURCE:
                self._statement(ref).matched.add(record.nodeid)
        for ref in record.deciding:
            if ref.get("source") != ALLOW_ALL_SOURCE:
                self._statement(ref).decided.add(record.nodeid)

    def _statement(self, ref: Dict[str, Any]) -> StatementInfo:
        key = statement_key(ref)
        info = self.statements.get(key)
        if info is None:   # a reference seen before its policy's inventory
            info = self.statements[key] = StatementInfo(
                ref["source"], int(ref["index"]), ref.get("sid"), ref.get("line"),
                ref.get("effect", ""))
        info.layers.add(ref.get("layer", ""))
        return info

    def statement_for(self, ref: Dict[str, Any]) -> StatementInfo:
        """The statement a reference points at (known or not: a property's counterexample
        may name statements that no case put on a path)."""
        found = self.statements.get(statement_key(ref))
        if found is not None:
            return found
        info = StatementInfo(ref["source"], int(ref["index"]), ref.get("sid"), ref.get("line"),
                             ref.get("effect", ""))
        info.layers.add(ref.get("layer", ""))
        return info

    def add_collect_report(self, report) -> None:
        if not report.failed:
            return
        problems = getattr(report, "iamtest_problems", None)
        if not problems:
            return   # not an access-test file
        first = problems[0]
        text = failure_text(report)
        self.file_problems[report.nodeid] = FileProblem(report.nodeid, first["file"],
                                                        list(problems), text)

    # -- reading ----------------------------------------------------------------

    def ordered(self, tests: Optional[Iterable[TestRecord]] = None) -> List[TestRecord]:
        """Tests by file, line and id: the same order however xdist ran them."""
        tests = self.tests.values() if tests is None else tests
        return sorted(tests, key=lambda t: (t.file, t.line, t.nodeid))

    @property
    def failures(self) -> List[TestRecord]:
        return self.ordered(t for t in self.tests.values() if t.failed)

    def totals(self) -> Dict[str, int]:
        counts = {name: 0 for name in OUTCOMES}
        for test in self.tests.values():
            counts[test.outcome] += 1
        counts["files with errors"] = len(self.file_problems)
        return counts

    def by_file(self) -> Dict[str, List[TestRecord]]:
        out: Dict[str, List[TestRecord]] = {}
        for test in self.ordered():
            out.setdefault(test.file, []).append(test)
        return out
