"""Bool and BinaryEquals (IAM JSON policy elements: Condition operators)."""
import base64

from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


S = "aws:SecureTransport"


def test_bool_compares_true_and_false():
    assert check("Bool", S, ["false"], {S: False}).matched
    assert not check("Bool", S, ["false"], {S: True}).matched
    assert check("Bool", S, ["true"], {S: "true"}).matched


def test_bool_ignores_case_of_the_words():
    assert check("Bool", S, ["True"], {S: "TRUE"}).matched


def test_bool_value_other_than_true_or_false_matches_nothing():
    assert not check("Bool", S, ["yes"], {S: "yes"}).matched


def test_bool_absent_key_does_not_match():
    assert not check("Bool", "aws:MultiFactorAuthPresent", ["false"], {}).matched


def test_binary_equals_compares_bytes_of_base64_values():
    value = base64.b64encode(b"BinaryValueInBase64").decode()
    assert value == "QmluYXJ5VmFsdWVJbkJhc2U2NA=="
    assert check("BinaryEquals", "k", [value], {"k": value}).matched
    other = base64.b64encode(b"other").decode()
    assert not check("BinaryEquals", "k", [value], {"k": other}).matched


def test_binary_equals_ignores_base64_layout_differences():
    assert check("BinaryEquals", "k", ["QQ=="], {"k": " QQ== "}).matched
