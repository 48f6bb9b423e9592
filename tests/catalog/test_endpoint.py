"""The rules AWS applies to VPC endpoint policies.

AWS PrivateLink guide, "Control access to VPC endpoints using endpoint
policies", Considerations:
- "The size of an endpoint policy cannot exceed 20,480 characters, including white space."
- "You can't use wildcard characters (* or ?) or numeric condition operators with global
  context keys that reference system-generated identifiers (for example,
  aws:PrincipalAccount or aws:SourceVpc)."
- "When you use a string condition operator, you must use at least six consecutive
  characters before or after each wildcard character."
- "When you specify an ARN in a resource or condition element, the account portion of the
  ARN can include an account ID or a wildcard character, but not both."
"""
import json

import pytest

from iamtest import parse_policy
from iamtest.catalog import check_endpoint_policy, check_policy
from iamtest.catalog.endpoint import (MAX_CHARACTERS, arn_account_mixed, has_wildcard, policy_size,
                                      short_wildcard, shortest_json)


def endpoint(statements, source="ep.json", locations=None):
    doc = {"Version": "2012-10-17", "Statement": statements}
    return parse_policy(doc, source=source, locations=locations, kind="endpoint")


def stmt(condition=None, resource="*", action="s3:GetObject"):
    out = {"Effect": "Allow", "Principal": "*", "Action": action, "Resource": resource}
    if condition:
        out["Condition"] = condition
    return out


def ids(policy, text=None):
    return sorted(f.id for f in check_endpoint_policy(policy, text))


# ------------------------------------------------------------ identifier keys

@pytest.mark.parametrize("key", ["aws:PrincipalAccount", "aws:SourceVpc", "aws:SourceVpce", "aws:PrincipalOrgID",
                                 "aws:ResourceOrgID", "aws:sourcevpc"])
@pytest.mark.parametrize("value", ["1234*", "vpc-?bc", "*"])
def test_wildcards_on_identifier_keys_are_errors(key, value):
    policy = endpoint([stmt({"StringLike": {key: value}})],
                      locations={("Statement", 0, "Condition", "StringLike", key): 9})
    [f] = check_endpoint_policy(policy)
    assert f.id == "endpoint-wildcard-on-identifier-key" and f.severity == "error"
    assert f.location.line == 9 and value in f.message


def test_wildcard_on_identifier_key_is_an_error_whatever_the_operator():
    assert ids(endpoint([stmt({"StringEquals": {"aws:SourceVpc": "vpc-*"}})])) == \
        ["endpoint-wildcard-on-identifier-key"]


def test_numeric_operator_on_identifier_key_is_an_error():
    assert ids(endpoint([stmt({"NumericLessThan": {"aws:PrincipalAccount": "200000000000"}})])) == \
        ["endpoint-numeric-operator-on-identifier-key"]


def test_exact_identifiers_and_variables_are_fine():
    policy = endpoint([stmt({"StringEquals": {"aws:PrincipalAccount": "123456789012",
                                              "aws:SourceVpc": "vpc-0abc",
                                              "aws:ResourceAccount": "${aws:PrincipalAccount}"}})])
    assert ids(policy) == []


def test_escaped_star_is_a_literal_not_a_wildcard():
    # IAM policy variables, special characters: ${*} is a literal asterisk.
    assert not has_wildcard("vpc-${*}")
    assert has_wildcard("vpc-*")


# ----------------------------------------------------------- six characters

@pytest.mark.parametrize("value", ["*", "home/*", "ab*cdefg?", "?x", "a*b"])
def test_wildcards_without_six_characters_around_them(value):
    assert short_wildcard(value)


@pytest.mark.parametrize("value", ["arn:aws:iam::123456789012:role/App*", "o-a1b2c3d4e5/*", "*abcdef",
                                   "abcdef*", "abcdef*ghijkl?", "no wildcard", "home/${*}"])
def test_wildcards_with_six_characters_before_or_after(value):
    assert not short_wildcard(value)


def test_short_wildcard_in_stringlike_is_a_warning():
    policy = endpoint([stmt({"StringLike": {"s3:prefix": ["home/*", "projects/*"]}})])
    [f] = check_endpoint_policy(policy)
    assert f.id == "endpoint-wildcard-too-short" and f.severity == "warning"
    assert "home/*" in f.message and "projects/*" not in f.message


def test_six_character_rule_is_checked_on_like_operators_only():
    # In StringEquals "*" is not a wildcard (IAM condition operators), so nothing to check.
    assert ids(endpoint([stmt({"StringEquals": {"s3:prefix": "a*"}})])) == []
    assert ids(endpoint([stmt({"ForAnyValue:StringNotLikeIfExists": {"aws:PrincipalTag/x": "a*"}})])) == \
        ["endpoint-wildcard-too-short"]


# --------------------------------------------------------------- ARN account

@pytest.mark.parametrize("arn", ["arn:aws:iam::1234*:role/x", "arn:aws:iam::12345678901?:role/x",
                                 "arn:aws:iam::*1:role/x", "arn:aws:iam::${aws:PrincipalAccount}*:role/x"])
def test_account_part_mixing_digits_and_wildcards(arn):
    assert arn_account_mixed(arn)


@pytest.mark.parametrize("arn", ["arn:aws:iam::123456789012:role/*", "arn:aws:iam::*:role/x", "arn:aws:s3:::bucket/*",
                                 "arn:aws:iam::${aws:PrincipalAccount}:role/x", "*", "not-an-arn", "arn:aws:s3"])
def test_account_part_that_is_an_id_or_a_wildcard(arn):
    assert not arn_account_mixed(arn)


def test_mixed_account_in_resource_and_condition_are_errors():
    policy = endpoint([stmt({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::1234*:role/x"}},
                            resource="arn:aws:s3:us-east-1:9*:accesspoint/ap")],
                      locations={("Statement", 0): 4,
                                 ("Statement", 0, "Condition", "ArnLike", "aws:PrincipalArn"): 11})
    got = sorted((f.id, f.location.line) for f in check_endpoint_policy(policy))
    assert got == [("endpoint-arn-account-mixed", 4), ("endpoint-arn-account-mixed", 11)]


# ---------------------------------------------------------------------- size

def test_size_of_the_text_as_written():
    policy = endpoint([stmt()])
    assert ids(policy, text="x" * MAX_CHARACTERS) == []
    [f] = check_endpoint_policy(policy, text="x" * (MAX_CHARACTERS + 1))
    assert f.id == "endpoint-policy-too-large" and f.severity == "error"
    assert "20,481 characters" in f.message


def test_size_without_text_is_the_shortest_json():
    statements = [stmt(resource=[f"arn:aws:s3:::bucket-{i:05d}/*" for i in range(900)])]
    policy = endpoint(statements)
    compact = shortest_json(policy)
    assert json.loads(compact)["Statement"]["Resource"][0] == "arn:aws:s3:::bucket-00000/*"
    assert policy_size(policy) == len(compact) > MAX_CHARACTERS
    [f] = check_endpoint_policy(policy)
    assert f.id == "endpoint-policy-too-large" and "even written as compact JSON" in f.message


def test_shortest_json_is_no_longer_than_the_document():
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
         "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/*"],
         "Condition": {"Bool": {"aws:SecureTransport": True}, "NumericLessThan": {"s3:max-keys": 10}}}]}
    policy = parse_policy(doc, source="p.json", kind="endpoint")
    assert len(shortest_json(policy)) <= len(json.dumps(doc, separators=(",", ":")))
    assert json.loads(shortest_json(policy))["Statement"]["Condition"]["Bool"]["aws:SecureTransport"] is True


# -------------------------------------------------------- through check_policy

def test_check_policy_runs_endpoint_rules_only_for_endpoint_policies():
    statements = [stmt({"StringLike": {"aws:SourceVpc": "vpc-*"}})]
    as_endpoint = check_policy(endpoint(statements), "endpoint")
    assert [f.id for f in as_endpoint] == ["endpoint-wildcard-on-identifier-key"]
    as_resource = parse_policy({"Version": "2012-10-17", "Statement": statements}, source="b.json", kind="resource")
    assert check_policy(as_resource, "resource") == []
