"""Refactors of generated policies add and remove nothing, and the prover says so.

Reordering statements, renaming or dropping Sids, changing the case of action
names, writing an account id instead of its ``:root`` ARN (and back), and
splitting a statement's Action list into one statement per action change no
decision AWS makes. For generated request paths (every layer), comparing the
original with its refactoring must find no added and no removed access.
"""
from __future__ import annotations

import copy
import os
import re
import sys
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from differential.adapter import to_iamtest  # noqa: E402
from differential.strategies import cases  # noqa: E402

from iamtest.prove.errors import UnsupportedConstruct  # noqa: E402
from iamtest.prove.findings import Differ  # noqa: E402

_ROOT = re.compile(r"^arn:aws:iam::(\d{12}):root$")


def _principal(value):
    if isinstance(value, dict) and "AWS" in value:
        values = value["AWS"] if isinstance(value["AWS"], list) else [value["AWS"]]
        swapped = []
        for v in values:
            m = _ROOT.match(v)
            swapped.append(m.group(1) if m else (f"arn:aws:iam::{v}:root" if v.isdigit() else v))
        return dict(value, AWS=swapped)
    return value


def refactor(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    statements = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
    out = []
    for i, stmt in enumerate(statements):
        stmt = dict(stmt)
        stmt.pop("Sid", None)
        if i % 2:
            stmt["Sid"] = f"Renamed{i}"
        for key in ("Principal", "NotPrincipal"):
            if key in stmt:
                stmt[key] = _principal(stmt[key])
        if "Action" in stmt:
            actions = stmt["Action"] if isinstance(stmt["Action"], list) else [stmt["Action"]]
            actions = [a.upper() if j % 2 else a.lower() for j, a in enumerate(actions)]
            for action in actions:
                out.append(dict(stmt, Action=action))
            continue
        out.append(stmt)
    for k, stmt in enumerate(out):   # split statements keep Sids unique, as IAM requires
        if "Sid" in stmt:
            stmt["Sid"] = f"Renamed{k}"
    doc["Statement"] = list(reversed(out))
    return doc


@settings(max_examples=int(os.environ.get("IAMTEST_EQUIV_EXAMPLES", "60")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(cases())
def test_a_refactor_adds_and_removes_nothing(case):
    from dataclasses import replace
    changed = replace(case, identity=tuple(refactor(d) for d in case.identity),
                      resource_policy=refactor(case.resource_policy) if case.resource_policy else None,
                      endpoint=refactor(case.endpoint) if case.endpoint else None,
                      boundary=refactor(case.boundary) if case.boundary else None,
                      session=refactor(case.session) if case.session else None,
                      scp=tuple(tuple(refactor(d) for d in lvl) for lvl in case.scp) if case.scp else case.scp,
                      rcp=tuple(tuple(refactor(d) for d in lvl) for lvl in case.rcp) if case.rcp else case.rcp)
    old, _ = to_iamtest(case)
    new, _ = to_iamtest(changed)
    try:
        comparison = Differ(old, new, timeout_ms=60_000).compare(max_findings=1)
    except UnsupportedConstruct:
        return
    assert not comparison.added, [f.headline() for f in comparison.findings]
    assert comparison.removed is None, comparison.removed
