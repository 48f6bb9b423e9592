"""Pins for the fail-closed audit (docs/robustness.md, "Fail-closed audit").

Each place where an unknown or odd input is read without an error has a row
in that table saying why the reading is safe, or doubtful; the rows whose
behaviour no other test pins are pinned here, so that a change to one of
them is seen and the table is revisited.
"""
from __future__ import annotations

import pytest

from iamtest import PolicySet, RequestError, decide, make_request, parse_policy
from iamtest.spec import PolicyLoader, load_spec_file, run_case

ROLE = "arn:aws:iam::123456789012:role/App"


def _decide(layers, action="s3:GetObject", resource="arn:aws:s3:::b/k", principal=ROLE, context=None):
    request = make_request(principal, action, resource, resource_account="123456789012",
                           context=context or {})
    return decide(PolicySet(**layers), request)


def _policy(statement, kind="identity", version="2012-10-17"):
    return parse_policy({"Version": version, "Statement": [statement]}, "p.json", kind=kind)


def test_a_resource_policy_statement_without_resource_is_read_as_a_trust_policy_statement():
    # Row "resource layer without Resource": a role's trust policy has no
    # Resource (the resource is the role), so the resource layer accepts a
    # statement without one and applies it to every resource. AWS refuses such
    # a statement in other resource-based policies; iamtest cannot tell a trust
    # policy from a bucket policy here and does not refuse it.
    bucket = _policy({"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject"},
                     kind="resource")
    assert _decide({"resource": bucket}).effect == "Allow"
    deny = _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject"}, kind="resource")
    assert _decide({"identity": (_policy({"Effect": "Allow", "Action": "*", "Resource": "*"}),),
                    "resource": deny}).effect == "ExplicitDeny"


@pytest.mark.parametrize("effect, expected", [("Allow", "ImplicitDeny"), ("Deny", "Allow")])
def test_a_misspelt_service_principal_names_no_caller(effect, expected):
    # Row "Service, Federated and CanonicalUser principals": their values are
    # compared as text, unchecked. A misspelt service principal names nobody:
    # an Allow grants nothing, and a Deny refuses nothing.
    statement = {"Effect": effect, "Principal": {"Service": "lambda.amazonaws.co"},
                 "Action": "s3:GetObject", "Resource": "*"}
    bucket = parse_policy({"Statement": [statement] + ([{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]
        if effect == "Deny" else [])}, "p.json", kind="resource")
    assert _decide({"resource": bucket}, principal="lambda.amazonaws.com").effect == expected


def test_json_numbers_in_conditions_compare_as_their_json_text():
    # Row "JSON numbers in Condition values": 10.0 is the text "10.0" to string
    # operators and the number 10 to numeric ones.
    def doc(op):
        return _policy({"Effect": "Allow", "Action": "*", "Resource": "*",
                        "Condition": {op: {"s3:max-keys": 10.0}}})

    assert _decide({"identity": (doc("StringEquals"),)}, context={"s3:max-keys": "10"}).effect \
        == "ImplicitDeny"
    assert _decide({"identity": (doc("NumericEquals"),)}, context={"s3:max-keys": "10"}).effect \
        == "Allow"


def test_binary_equals_compares_text_where_a_side_is_not_base64():
    # Row "BinaryEquals": the documentation says the policy value is base-64;
    # where either side is not, the two texts are compared as written.
    policy = _policy({"Effect": "Allow", "Action": "*", "Resource": "*",
                      "Condition": {"BinaryEquals": {"k": "not base64!"}}})
    assert _decide({"identity": (policy,)}, context={"k": "not base64!"}).effect == "Allow"
    assert _decide({"identity": (policy,)}, context={"k": "bm90"}).effect == "ImplicitDeny"


@pytest.mark.parametrize("operator, value, expected", [
    ("IpAddress", "office-network", "ImplicitDeny"),     # a positive operator: false
    ("NotIpAddress", "office-network", "ExplicitDeny"),  # a negated one: true, the Deny applies
])
def test_a_request_value_of_the_wrong_type_matches_no_policy_value(operator, value, expected):
    # Row "request values of the wrong type": a context value a typed operator
    # cannot read (not an IP address, a date, a number) matches none of the
    # policy's values, so a positive operator is false and a negated one true.
    # The key here is one whose type AWS does not fix (a caller-supplied key).
    key = "app:ClientAddress"
    allow_all = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    guard = {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {operator: {key: "203.0.113.0/24"}}}
    layers = {"identity": (_policy(allow_all),) if operator == "NotIpAddress"
              else (_policy(dict(guard, Effect="Allow")),)}
    if operator == "NotIpAddress":
        layers["identity"] += (_policy(guard),)
    assert _decide(layers, context={key: value}).effect == expected


@pytest.mark.parametrize("key, value, words", [
    ("aws:SourceIp", "office-network", "an IP address"),
    ("aws:VpcSourceIp", "10.0.0.0/8x", "an IP address"),
    ("aws:SecureTransport", "yes", "true or false"),
    ("aws:MultiFactorAuthPresent", 1, "true or false"),
    ("aws:MultiFactorAuthAge", "an hour", "a number"),
    ("aws:CurrentTime", "yesterday", "a date (ISO 8601 or epoch seconds)"),
    ("aws:TokenIssueTime", "2026-13-01T00:00:00Z", "a date (ISO 8601 or epoch seconds)"),
])
def test_a_key_aws_fills_in_a_documented_type_refuses_a_value_of_another_type(key, value, words):
    # Row "request values of the wrong type", keys AWS fills itself ("AWS global condition
    # context keys", each key's "Data type"): AWS never sends such a value, and a typed
    # operator would read it as matching nothing without a word, so the request is refused.
    with pytest.raises(RequestError) as info:
        _decide({"identity": (_policy({"Effect": "Allow", "Action": "*", "Resource": "*"}),)},
                context={key: value})
    assert str(info.value) == f"context key {key}: {str(value)!r} is not {words}, " \
                              f"the value AWS gives this key"


@pytest.mark.parametrize("key, value", [
    ("aws:SourceIp", "203.0.113.7"), ("aws:SourceIp", "2001:db8::1"),
    ("aws:SecureTransport", True), ("aws:SecureTransport", "false"), ("aws:ViaAWSService", "TRUE"),
    ("aws:MultiFactorAuthAge", 3600), ("aws:MultiFactorAuthAge", "1e3"),
    ("aws:CurrentTime", "2026-11-27T08:00:00Z"), ("aws:EpochTime", 1800000000),
    ("aws:TokenIssueTime", "20261127T080000Z"),
    ("aws:SourceIp", ["203.0.113.7"]),   # a list of well-typed values is left to the operators
])
def test_values_of_the_documented_type_are_accepted(key, value):
    allow = _policy({"Effect": "Allow", "Action": "*", "Resource": "*"})
    assert _decide({"identity": (allow,)}, context={key: value}).effect == "Allow"


def test_an_identity_layer_named_with_no_policy_denies(tmp_path):
    # Row "`identity: []`": a layer named with no policy in it is on the path
    # and grants nothing (an IAM role with no policies attached).
    spec = tmp_path / "t.iamtest.yaml"
    spec.write_text(f"policies: {{identity: []}}\ncases:\n  - name: c\n    principal: {ROLE}\n"
                    "    action: s3:GetObject\n    resource: '*'\n    expect: implicit-deny\n")
    (case,) = load_spec_file(spec, "t.iamtest.yaml").cases
    (request,) = case.expand()
    result = run_case(request, PolicyLoader())
    assert result.passed and result.decision.refused_by == ("identity",)


def test_keys_starting_with_x_are_ignored_at_the_top_of_a_file(tmp_path):
    # Row "`x-` keys": a place for YAML anchors, read by nobody.
    spec = tmp_path / "t.iamtest.yaml"
    spec.write_text(f"x-role: &role {ROLE}\nx-anything: {{nested: [1, 2]}}\n"
                    "policies: {identity: allow-all}\ncases:\n  - name: c\n    principal: *role\n"
                    "    action: s3:GetObject\n    resource: '*'\n    expect: allow\n")
    (case,) = load_spec_file(spec, "t.iamtest.yaml").cases
    assert case.principals == (ROLE,)
