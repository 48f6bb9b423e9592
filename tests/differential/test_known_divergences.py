"""Where the reference departs from the AWS documentation, iamtest follows the documentation.

For every class in pinned.py: iamtest gives the documented answer (no Node.js
needed); the reference still answers differently (when it is installed: once
it stops departing, its class can leave the filter); a class filtered at run
time is recognised by divergences.py; and the generator never produces the
classes it is meant to avoid.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from .adapter import OracleRejected, iamtest_decision, oracle_effect, to_simulation
from .case import derived_context
from .divergences import known_divergence
from .pinned import PINNED
from .strategies import cases

IDS = [p.name for p in PINNED]


@pytest.mark.parametrize("pinned", PINNED, ids=IDS)
def test_iamtest_answers_what_aws_documents(pinned):
    decision, _ = iamtest_decision(pinned.case)
    assert decision.effect == pinned.aws


def _raw_simulation(pinned):
    """The reference's input without the adapter's stand-ins for what it lacks."""
    sim = to_simulation(pinned.case)
    if pinned.handling == "adapted":
        if pinned.case.principal_kind() == "root":
            sim["identityPolicies"] = []
        else:
            for key in derived_context(pinned.case):
                sim["request"]["contextVariables"].pop(key, None)
    return sim


@pytest.mark.parametrize("pinned", PINNED, ids=IDS)
def test_the_reference_still_departs_from_the_documentation(oracle, pinned):
    try:
        theirs = oracle_effect(oracle.ask(_raw_simulation(pinned)))
    except OracleRejected:
        theirs = "refused"
    assert theirs == pinned.reference, (
        f"the reference now answers {theirs} for {pinned.name!r}: review its class in divergences.py "
        f"and docs/differential.md")
    assert theirs != pinned.aws


@pytest.mark.parametrize("pinned", [p for p in PINNED if p.handling == "filtered"],
                         ids=[p.name for p in PINNED if p.handling == "filtered"])
def test_filtered_classes_are_recognised(pinned):
    assert known_divergence(pinned.case) == pinned.filter_name


def test_cases_outside_every_class_are_not_filtered():
    plain = PINNED[0].case.__class__(
        "arn:aws:iam::111111111111:user/alice", "s3:GetObject", "arn:aws:s3:::data-bucket/k", "111111111111")
    assert known_divergence(plain) is None


_EPOCH = re.compile(r"^\d+$")


def _docs(case):
    return [doc for _, doc in case.policies()]


def _walk_conditions(doc):
    stmts = doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]
    for stmt in stmts:
        for operator, entries in (stmt.get("Condition") or {}).items():
            for key, values in entries.items():
                for value in values if isinstance(values, list) else [values]:
                    yield stmt, operator, key, str(value)


@settings(max_examples=300, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=cases())
def test_the_generator_avoids_the_classes_it_does_not_filter(case):
    for doc in _docs(case):
        text = repr(doc)
        if doc.get("Version") != "2012-10-17":
            assert "${" not in text, "a policy variable outside Version 2012-10-17"
        for _, operator, _, value in _walk_conditions(doc):
            if operator.startswith("Date") or "Date" in operator:
                assert not _EPOCH.match(value), "an epoch-second date in a policy"
    for key in ("aws:CurrentTime",):
        assert not _EPOCH.match(str(case.request_context()[key]))
    if case.endpoint is not None:
        stmts = case.endpoint["Statement"]
        for stmt in stmts if isinstance(stmts, list) else [stmts]:
            assert stmt.get("Principal") == "*", "an endpoint policy naming a principal"
