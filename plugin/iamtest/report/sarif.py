"""SARIF 2.1.0 for GitHub code scanning: failing access tests and unexercised statements.

One run, tool ``iamtest``, three rules:

- ``iamtest/expectation-not-met`` (error): a case whose decision differs from
  its ``expect`` / ``denied_by``, or a property with a counterexample, located
  on its line in the access-test file; the statements that decided it (the
  counterexample's, for a property) are related locations;
- ``iamtest/test-could-not-run`` (error): a case stopped by a policy AWS would
  reject or a request that cannot be built, a property the prover could not
  decide, or an access-test file that breaks the format;
- ``iamtest/statement-not-exercised`` (note): a policy statement no case's
  request matched, located on the statement's line.

Paths are relative to the repository (``GITHUB_WORKSPACE`` or pytest's
rootdir), as GitHub requires; each result carries a ``partialFingerprints``
entry built from the file, the test or statement and the rule, so an alert
keeps its identity when lines move.
"""
from __future__ import annotations

import hashlib
from typing import Any, Dict, List, Optional

from . import messages
from .coverage import Coverage
from .paths import Paths
from .records import ALLOW_ALL_SOURCE, RunRecords

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"

RULES = [
    {"id": "iamtest/expectation-not-met", "name": "ExpectationNotMet",
     "shortDescription": {"text": "An access test's expected decision differs from AWS's"},
     "fullDescription": {"text": "The evaluator decided the case's request differently from "
                                 "the case's expect (or a different layer refused it than "
                                 "denied_by names), or a property has a counterexample. Either "
                                 "a policy change altered who can do what, or the expectation "
                                 "is out of date."},
     "help": {"text": "Read the explanation: which statements decided the request, in which "
                      "layer. Fix the policy, or update the case if the new access is intended."},
     "defaultConfiguration": {"level": "error"}},
    {"id": "iamtest/test-could-not-run", "name": "TestCouldNotRun",
     "shortDescription": {"text": "An access test could not be decided"},
     "fullDescription": {"text": "A policy on the request path is one AWS would reject, the "
                                 "request cannot be built, a property has no proof, or the "
                                 "access-test file breaks the format."},
     "help": {"text": "The message names the file and line of the problem."},
     "defaultConfiguration": {"level": "error"}},
    {"id": "iamtest/statement-not-exercised", "name": "StatementNotExercised",
     "shortDescription": {"text": "No access test exercises this policy statement"},
     "fullDescription": {"text": "No case's request matched this statement, so no test shows "
                                 "what it allows or denies; a change to it would go unnoticed."},
     "help": {"text": "Add a case whose request the statement matches (see iamtest explain)."},
     "defaultConfiguration": {"level": "note"}},
]
_RULE_INDEX = {rule["id"]: index for index, rule in enumerate(RULES)}


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def _location(uri: str, line: Optional[int], message: Optional[str] = None,
              ident: Optional[int] = None) -> Dict[str, Any]:
    physical: Dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if line:
        physical["region"] = {"startLine": int(line)}
    out: Dict[str, Any] = {"physicalLocation": physical}
    if ident is not None:
        out["id"] = ident
    if message:
        out["message"] = {"text": message}
    return out


def _result(rule: str, text: str, uri: str, line: Optional[int], key: str) -> Dict[str, Any]:
    return {
        "ruleId": rule, "ruleIndex": _RULE_INDEX[rule],
        "level": RULES[_RULE_INDEX[rule]]["defaultConfiguration"]["level"],
        "message": {"text": text},
        "locations": [_location(uri, line)],
        "partialFingerprints": {"iamtestResult/v1": _fingerprint(rule, uri, key)},
    }


def _test_results(records: RunRecords, paths: Paths) -> List[Dict[str, Any]]:
    out = []
    for problem in sorted(records.file_problems.values(), key=lambda p: p.nodeid):
        for item in problem.problems:
            uri = paths.relative(item["file"])
            out.append(_result("iamtest/test-could-not-run",
                               f"invalid access-test file: {item.get('message', '')}",
                               uri, item.get("line"), item.get("message", "")))
    for test in records.failures:
        uri = paths.relative(test.file)
        decided = bool(test.result) and (not test.result.get("passed", True) if test.kind == "case"
                                         else bool(test.result.get("counterexample")))
        rule = "iamtest/expectation-not-met" if decided else "iamtest/test-could-not-run"
        result = _result(rule, f"{test.kind} '{test.name}': {messages.failure_paragraph(test)}",
                         uri, test.line, test.name)
        related = []
        for ref in test.deciding:
            if ref.get("source") == ALLOW_ALL_SOURCE:
                continue
            label = records.statement_for(ref).label
            related.append(_location(paths.relative(ref["source"]), ref.get("line"),
                                     f"{label} ({ref.get('effect')}, {ref.get('layer')} layer) "
                                     f"decided this request", len(related)))
        if test.error and test.error.get("file"):
            related.append(_location(paths.relative(test.error["file"]), test.error.get("line"),
                                     test.error.get("message", ""), len(related)))
        if related:
            result["relatedLocations"] = related
        out.append(result)
    return out


def _coverage_results(coverage: Coverage, paths: Paths) -> List[Dict[str, Any]]:
    out = []
    for info in coverage.not_exercised():
        uri = paths.relative(info.source)
        layers = ", ".join(sorted(layer for layer in info.layers if layer))
        out.append(_result("iamtest/statement-not-exercised",
                           f"{info.label} ({info.effect}{', ' + layers + ' layer' if layers else ''}) "
                           f"is not exercised: no access-test case's request matches it",
                           uri, info.line, f"{info.sid}#{info.index}"))
    return out


def build(records: RunRecords, coverage: Coverage, paths: Paths, version: str) -> Dict[str, Any]:
    """The SARIF log as a JSON-able dict."""
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "iamtest", "version": version, "semanticVersion": version,
                                "rules": RULES}},
            "columnKind": "unicodeCodePoints",
            "results": _test_results(records, paths) + _coverage_results(coverage, paths),
        }],
    }
