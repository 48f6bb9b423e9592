"""Cases where the differential test caught iamtest out, kept after the fix.

Each states the AWS rule, checks iamtest follows it, and, when the reference is
installed, that both evaluators now agree.
"""
from __future__ import annotations

import pytest

from .adapter import iamtest_decision, oracle_decision
from .case import Case

A = "111111111111"
ALICE = f"arn:aws:iam::{A}:user/alice"

REGRESSIONS = [
    pytest.param(
        # "NotPrincipal": "*" names every principal as an exception, so the Deny applies to
        # no one ("the actions specified in the policy statement are explicitly denied to all
        # principals except for the ones specified", Policy elements: NotPrincipal).
        # iamtest used to apply the Deny to every caller.
        Case(ALICE, "s3:GetObject", "arn:aws:s3:::data-bucket/reports/2024/q1.csv", A,
             resource_policy={"Version": "2008-10-17", "Statement": [
                 {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                 {"Effect": "Deny", "NotPrincipal": "*", "Action": "*", "Resource": "*"}]}),
        "Allow", id="not-principal-star-denies-no-one"),
]


@pytest.mark.parametrize("case, aws", REGRESSIONS)
def test_iamtest_follows_the_documentation(case, aws):
    assert iamtest_decision(case)[0].effect == aws


@pytest.mark.parametrize("case, aws", REGRESSIONS)
def test_both_evaluators_now_agree(oracle, case, aws):
    assert oracle_decision(oracle, case)[0] == aws
