"""ARN condition operators (IAM JSON policy elements: Condition operators)."""
import pytest

from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


SRC = "aws:SourceArn"
TOPIC = "arn:aws:sns:us-east-1:123456789012:my-topic"


@pytest.mark.parametrize("op", ["ArnEquals", "ArnLike"])
def test_arn_equals_and_arn_like_behave_identically(op):
    assert check(op, SRC, ["arn:aws:sns:*:123456789012:my-*"], {SRC: TOPIC}).matched
    assert check(op, SRC, [TOPIC], {SRC: TOPIC}).matched
    assert not check(op, SRC, ["arn:aws:sns:*:999999999999:*"], {SRC: TOPIC}).matched


@pytest.mark.parametrize("op", ["ArnNotEquals", "ArnNotLike"])
def test_arn_not_equals_and_arn_not_like_are_the_negations(op):
    assert not check(op, SRC, ["arn:aws:sns:*:123456789012:*"], {SRC: TOPIC}).matched
    assert check(op, SRC, ["arn:aws:sns:*:999999999999:*"], {SRC: TOPIC}).matched


def test_arn_like_matches_components_between_colons_unlike_string_like():
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
    assert check("StringLike", "k", [pattern], {"k": value}).matched
    assert not check("ArnLike", "k", [pattern], {"k": value}).matched


def test_arn_matching_is_case_sensitive():
    assert not check("ArnEquals", SRC, [TOPIC.upper()], {SRC: TOPIC}).matched


@pytest.mark.parametrize("op,expected", [("ArnLike", False), ("ArnNotLike", True)])
def test_arn_operator_absent_key(op, expected):
    # "The aws:SourceArn key is present in the request context only if a
    # resource triggers a service ... the condition returns false"
    assert check(op, SRC, [TOPIC], {}).matched is expected


def test_a_request_value_that_is_not_an_arn_does_not_arn_like_match():
    assert not check("ArnLike", SRC, ["arn:aws:sns:*:*:*"], {SRC: "my-topic"}).matched
