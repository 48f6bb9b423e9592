"""ForAllValues / ForAnyValue and multivalued keys.

Sources: Single-valued vs. multivalued context keys; Conditions with multiple
context keys or values.
"""
import pytest

from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


TAGS = ["environment", "cost-center"]


@pytest.mark.parametrize("request_keys,expected", [
    (["environment"], True),
    (["cost-center"], True),
    (["environment", "cost-center"], True),
    (["environment", "dept"], False),
])
def test_for_all_values_needs_every_request_value_to_match_the_docs_table(request_keys, expected):
    assert check("ForAllValues:StringEquals", "aws:TagKeys", TAGS, {"aws:TagKeys": request_keys}).matched is expected


def test_for_all_values_matches_when_the_key_is_absent():
    # "It also returns true if there are no context keys in the request."
    result = check("ForAllValues:StringEquals", "aws:TagKeys", TAGS, {})
    assert result.matched and "absent" in result.reason


def test_for_all_values_matches_an_empty_set():
    # "If the key values in the request resolve to an empty data set ... ForAllValues returns true"
    assert check("ForAllValues:StringEquals", "aws:TagKeys", TAGS, {"aws:TagKeys": []}).matched


@pytest.mark.parametrize("request_keys,expected", [
    (["environment"], True),
    (["cost-center"], True),
    (["environment", "cost-center"], True),
    (["environment", "dept"], True),
    (["dept"], False),
])
def test_for_any_value_needs_one_request_value_to_match_the_docs_table(request_keys, expected):
    assert check("ForAnyValue:StringEquals", "aws:TagKeys", TAGS, {"aws:TagKeys": request_keys}).matched is expected


def test_for_any_value_does_not_match_when_the_key_is_absent():
    # "For no matching context key or if the key does not exist, the condition returns false."
    assert not check("ForAnyValue:StringEquals", "aws:TagKeys", TAGS, {}).matched


def test_for_any_value_does_not_match_an_empty_set():
    assert not check("ForAnyValue:StringEquals", "aws:TagKeys", TAGS, {"aws:TagKeys": []}).matched


def test_for_any_value_deny_example_from_the_docs():
    attrs = ["ID", "PostDateTime"]
    assert check("ForAnyValue:StringLike", "dynamodb:requestedAttributes", attrs,
                 {"dynamodb:requestedAttributes": ["UserName", "Message", "PostDateTime"]}).matched
    assert not check("ForAnyValue:StringLike", "dynamodb:requestedAttributes", attrs,
                     {"dynamodb:requestedAttributes": ["UserName"]}).matched


def test_for_all_values_string_not_equals_means_every_value_differs_from_all_policy_values():
    op, key = "ForAllValues:StringNotEquals", "aws:TagKeys"
    assert check(op, key, ["secret", "owner"], {key: ["env", "team"]}).matched
    assert not check(op, key, ["secret", "owner"], {key: ["env", "owner"]}).matched
    assert check(op, key, ["secret"], {}).matched  # absent: ForAllValues is true


def test_for_any_value_string_not_equals_means_some_value_differs_from_all_policy_values():
    op, key = "ForAnyValue:StringNotEquals", "aws:TagKeys"
    assert check(op, key, ["a", "b"], {key: ["a", "c"]}).matched
    assert not check(op, key, ["a", "b"], {key: ["a", "b"]}).matched
    assert not check(op, key, ["a"], {}).matched  # absent: ForAnyValue is false


def test_for_any_value_with_if_exists_does_not_match_when_the_key_is_absent():
    # IfExists: "If the key is not present, evaluate the condition element as true";
    # ForAnyValue: "if the key does not exist, the condition returns false". The pages do
    # not say which wins; requests reported against AWS show ForAnyValue winning.
    result = check("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", ["a"], {})
    assert not result.matched
    assert "even with IfExists" in result.reason
    assert check("ForAllValues:StringEqualsIfExists", "aws:TagKeys", ["a"], {}).matched


def test_multivalued_key_with_a_plain_operator_does_not_match():
    # "Multivalued context keys require a condition set operator."  The run-time
    # result is undocumented; iamtest does not match, for negated operators too.
    for op in ("StringEquals", "StringNotEquals", "StringLike", "StringEqualsIfExists"):
        result = check(op, "aws:CalledVia", ["athena.amazonaws.com"], {"aws:CalledVia": ["athena.amazonaws.com"]})
        assert not result.matched
        assert "multivalued" in result.reason
        assert result.warnings


def test_single_valued_key_under_a_set_operator_is_a_set_of_one():
    # AWS warns this "can lead to overly permissive policies"; the value is still compared.
    key = "aws:PrincipalTag/team"
    assert check("ForAnyValue:StringEquals", key, ["blue"], {key: "blue"}).matched
    assert not check("ForAllValues:StringEquals", key, ["blue"], {key: "red"}).matched


def test_set_reason_names_the_failing_request_values():
    result = check("ForAllValues:StringEquals", "aws:TagKeys", TAGS, {"aws:TagKeys": ["environment", "dept"]})
    assert "'dept'" in result.reason and "ForAllValues:StringEquals" in result.reason
