"""Numeric operators: "comparing a key to an integer or decimal value"
(IAM JSON policy elements: Condition operators)."""
import pytest

from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


K = "s3:max-keys"


@pytest.mark.parametrize("op,policy,request_value,expected", [
    ("NumericEquals", "10", "10", True),
    ("NumericEquals", "10", "10.0", True),
    ("NumericEquals", "10", "11", False),
    ("NumericNotEquals", "10", "11", True),
    ("NumericNotEquals", "10", "10.00", False),
    ("NumericLessThan", "10", "9.99", True),
    ("NumericLessThan", "10", "10", False),
    ("NumericLessThanEquals", "10", "10", True),
    ("NumericLessThanEquals", "10", "11", False),
    ("NumericGreaterThan", "-1.5", "-1", True),
    ("NumericGreaterThan", "2", "10", True),
    ("NumericGreaterThanEquals", "0.1", "0.10", True),
    ("NumericGreaterThanEquals", "1e3", "999", False),
])
def test_numbers_compare_by_value_not_by_text(op, policy, request_value, expected):
    assert check(op, K, [policy], {K: request_value}).matched is expected


def test_docs_example_up_to_ten_keys():
    assert check("NumericLessThanEquals", K, ["10"], {K: "10"}).matched
    assert not check("NumericLessThanEquals", K, ["10"], {K: "1000"}).matched


def test_request_value_that_is_not_a_number_matches_nothing():
    assert not check("NumericEquals", K, ["10"], {K: "ten"}).matched
    assert check("NumericNotEquals", K, ["10"], {K: "ten"}).matched


def test_variables_are_not_substituted_in_numeric_values():
    # "You can not use a policy variable with the Numeric condition operator."
    assert not check("NumericEquals", K, ["${aws:MaxKeys}"], {K: "5", "aws:MaxKeys": "5"}).matched
