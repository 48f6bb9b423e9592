"""The rules judge what a policy allows, not how it is written.

Each rule asks the evaluator about requests a safe policy refuses. Policies
that allow the same requests must get the same verdict whether they say so
with "*", a service wildcard, NotAction, NotResource, a condition or a Deny;
and an endpoint with no policy is judged by the default policy AWS attaches
("allows full access", AWS PrivateLink guide, "Default endpoint policy").
"""
from __future__ import annotations

import pytest

from iamtest.iac.checkov_subjects import Subject
from iamtest.iac.checkov_support import endpoint_finding
from iamtest.iac.probes import FAILED, PASSED, UNKNOWN, service_of
from iamtest.iac.rules_logic import (bucket_requires_endpoint, endpoint_any_account,
                                     endpoint_exfiltration, endpoint_full_access)

S3 = "com.amazonaws.us-east-1.s3"
OWN = ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*"]


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(**fields):
    return {"Effect": "Allow", "Principal": "*", **fields}


def deny(**fields):
    return {"Effect": "Deny", "Principal": "*", **fields}


FULL_ACCESS_EQUIVALENTS = [
    None,  # no policy: AWS's default
    doc(allow(Action="*", Resource="*")),
    doc(allow(Action="s3:*", Resource="arn:aws:s3:::*")),
    doc(allow(NotAction="s3:DeleteBucket", Resource="*")),
    doc(allow(Action="s3:*", NotResource="arn:aws:s3:::unused/*")),
    doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"}),
    doc(allow(Action="*", Resource="*"), deny(Action="s3:DeleteBucket", Resource="*")),
]

OWN_BUCKETS_EQUIVALENTS = [
    doc(allow(Action="s3:*", Resource=OWN)),
    doc(allow(Action="*", Resource="*"), deny(Action="*", NotResource=OWN)),
    doc(allow(Action="s3:*", Resource=["arn:aws:s3:::my-company-*", "arn:aws:s3:::my-company-*/*"])),
    doc(allow(NotAction="s3:DeleteBucket", Resource=OWN)),
]


@pytest.mark.parametrize("policy", FULL_ACCESS_EQUIVALENTS)
def test_full_access_in_any_wording_fails_all_endpoint_rules(policy):
    for rule in (endpoint_full_access, endpoint_exfiltration, endpoint_any_account):
        assert rule(policy, gateway=True, service_name=S3).result == FAILED, rule.__name__


@pytest.mark.parametrize("policy", OWN_BUCKETS_EQUIVALENTS)
def test_own_buckets_in_any_wording(policy):
    assert endpoint_full_access(policy, gateway=True, service_name=S3).result == PASSED
    assert endpoint_exfiltration(policy, gateway=True, service_name=S3).result == PASSED
    # Principal "*": anyone's credentials reach our buckets through the endpoint.
    assert endpoint_any_account(policy, gateway=True, service_name=S3).result == FAILED


def test_organization_condition_closes_the_any_account_rule():
    policy = doc(allow(Action="s3:*", Resource=OWN,
                       Condition={"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}))
    assert endpoint_any_account(policy, gateway=True, service_name=S3).result == PASSED
    same_by_deny = doc(allow(Action="s3:*", Resource=OWN),
                       deny(Action="*", Resource="*",
                            Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}))
    assert endpoint_any_account(same_by_deny, gateway=True, service_name=S3).result == PASSED


def test_the_default_policy_reason_says_so():
    finding = endpoint_full_access(None, gateway=True, service_name=S3)
    assert finding.reason.startswith("the endpoint has no policy, and the default policy AWS "
                                     "attaches lets any principal reach any resource")


def test_gateway_endpoint_policy_naming_a_role_is_invalid():
    policy = doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/App"},
                  "Action": "s3:*", "Resource": OWN})
    assert endpoint_any_account(policy, gateway=False, service_name=S3).result == PASSED
    finding = endpoint_any_account(policy, gateway=True, service_name=S3)
    assert finding.result == FAILED
    assert finding.reason.startswith("the endpoint policy is not valid for a gateway endpoint")


def test_unknown_endpoint_type_is_unknown_when_the_verdict_depends_on_it():
    policy = doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/App"},
                  "Action": "s3:*", "Resource": OWN})
    finding = endpoint_finding(Subject(policy, None, "p", None, S3), endpoint_any_account)
    assert finding.result == UNKNOWN
    assert "depends on whether the endpoint is a gateway or an interface endpoint" in finding.reason
    agreed = endpoint_finding(Subject(doc(allow(Action="*", Resource="*")), None, "p", None, S3),
                              endpoint_full_access)
    assert agreed.result == FAILED


def test_unreadable_subject_is_unknown_with_the_reason():
    finding = endpoint_finding(Subject(error="main.tf:3: cannot resolve var.x statically (...)"),
                               endpoint_full_access)
    assert finding == type(finding)(UNKNOWN, "the policy cannot be read statically: main.tf:3: "
                                    "cannot resolve var.x statically (...)")


LOCK = deny(Action="s3:*", Resource=OWN, Condition={"StringNotEquals": {"aws:SourceVpce": "vpce-0abc1234def56789"}})


@pytest.mark.parametrize("policy, result", [
    (doc(LOCK), PASSED),
    (doc(deny(Action="s3:*", Resource=OWN, Condition={"StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-1"}})),
     PASSED),
    (doc(deny(NotAction="s3:GetBucketLocation", Resource=OWN,
              Condition={"StringNotEquals": {"aws:SourceVpce": "vpce-0abc1234def56789"}})), PASSED),
    (doc(allow(Action="s3:GetObject", Resource="arn:aws:s3:::my-company-bucket/*")), FAILED),
    (doc(deny(Action="s3:PutObject", Resource="arn:aws:s3:::my-company-bucket/*",
              Condition={"StringNotEquals": {"aws:SourceVpce": "vpce-0abc1234def56789"}})), FAILED),
    # Null on the key: "deny when there is no endpoint" still lets other endpoints in.
    (doc(deny(Action="s3:*", Resource=OWN, Condition={"Null": {"aws:SourceVpce": "true"}})), FAILED),
])
def test_bucket_lock(policy, result):
    assert bucket_requires_endpoint(policy).result == result


@pytest.mark.parametrize("name, expected", [
    ("com.amazonaws.us-east-1.s3", ("s3", "us-east-1")),
    ("com.amazonaws.eu-west-3.dynamodb", ("dynamodb", "eu-west-3")),
    ("com.amazonaws.us-gov-west-1.ecr.dkr", ("ecr", "us-gov-west-1")),
    ("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", (None, "us-east-1")),
    (None, (None, "us-east-1")),
])
def test_service_of_endpoint_service_names(name, expected):
    assert service_of(name) == expected
