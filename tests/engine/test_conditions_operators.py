"""Operator names, the registry, and value checks (IAM JSON policy elements:
Condition operators; Access Analyzer policy check reference)."""
import pytest

from iamtest.engine.conditions import OPERATORS, parse_operator, validate_values

DOCUMENTED = [
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
    "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
    "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
]
NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals",
           "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike"}


def test_registry_holds_exactly_the_documented_operators():
    assert set(OPERATORS) == set(DOCUMENTED)


@pytest.mark.parametrize("name", DOCUMENTED)
def test_each_documented_operator_parses_to_itself(name):
    assert parse_operator(name) == (name, None, False)


@pytest.mark.parametrize("name", [n for n in DOCUMENTED if n != "Null"])
def test_if_exists_can_be_added_to_every_operator_but_null(name):
    assert parse_operator(name + "IfExists") == (name, None, True)


def test_null_cannot_take_if_exists():
    # "You can add IfExists to the end of any condition operator name except the Null condition"
    with pytest.raises(ValueError, match="Null"):
        parse_operator("NullIfExists")


def test_set_operator_prefix_and_suffix_combine():
    assert parse_operator("ForAnyValue:StringLikeIfExists") == ("StringLike", "ForAnyValue", True)
    assert parse_operator("ForAllValues:StringNotEquals") == ("StringNotEquals", "ForAllValues", False)


@pytest.mark.parametrize("name,suggestion", [
    ("stringEquals", "StringEquals"),  # IAM: "Invalid Condition type : stringEquals"
    ("StringEqual", "StringEquals"),
    ("forallvalues:StringEquals", "ForAllValues:StringEquals"),
    ("ForAnyValues:StringLike", "ForAnyValue:StringLike"),
    ("IPAddress", "IpAddress"),
])
def test_names_are_case_sensitive_and_near_misses_get_a_suggestion(name, suggestion):
    with pytest.raises(ValueError) as exc:
        parse_operator(name)
    assert f"did you mean {suggestion!r}" in str(exc.value)


def test_unknown_operator_without_a_close_name_is_rejected():
    with pytest.raises(ValueError, match="unknown condition operator 'Frobnicate'"):
        parse_operator("Frobnicate")


@pytest.mark.parametrize("name", DOCUMENTED)
def test_negated_flag_marks_the_inverted_operators(name):
    assert OPERATORS[name].negated is (name in NEGATED)


def test_binary_equals_is_not_a_negated_operator():
    assert OPERATORS["BinaryEquals"].negated is False


def test_wildcards_are_allowed_for_string_like_and_arn_operators_only():
    allowed = {n for n, op in OPERATORS.items() if op.allows_wildcards}
    assert allowed == {"StringLike", "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}


def test_variables_are_allowed_for_string_arn_and_bool_operators():
    # Variables and tags: string and ARN operators; the Condition operators
    # page adds Bool ("You can use a policy variable with the Boolean condition operator").
    allowed = {n for n, op in OPERATORS.items() if op.allows_variables}
    assert allowed == {n for n in DOCUMENTED if n.startswith(("String", "Arn"))} | {"Bool"}


def test_every_negated_operator_names_its_positive_form():
    for op in OPERATORS.values():
        if op.negated:
            assert op.negates in OPERATORS and not OPERATORS[op.negates].negated
            assert OPERATORS[op.negates].family == op.family


@pytest.mark.parametrize("base,values", [
    ("IpAddress", ("203.0.113.0/24", "2001:DB8:1234:5678::/64", "203.0.113.7", "::1", "203.0.113.7/24")),
    ("NotIpAddress", ("10.0.0.0/8",)),
    ("DateGreaterThan", ("2020-01-01T00:00:01Z", "2020-01-01", "2020", "2020-06", "1700000000",
                         "2020-01-01T00:00:00.123+02:00", "20200101T000000Z", "2020-01-01T10:00")),
    ("NumericLessThanEquals", ("10", "10.5", "-3", "1e3", ".5")),
    ("Bool", ("true", "false", "True", "yes")),
    ("Null", ("true", "maybe")),
    ("BinaryEquals", ("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "not base64!")),
    ("ArnLike", ("not-an-arn",)),
    ("StringEquals", ("${aws:username}", "anything")),
])
def test_validate_values_accepts_what_aws_documents(base, values):
    assert validate_values(base, values) is None


GOOD = {"IpAddress": "1.2.3.4", "NotIpAddress": "1.2.3.4", "DateLessThan": "2020-01-01",
        "DateEquals": "2020-01-01", "NumericEquals": "10"}


@pytest.mark.parametrize("base,value,fragment", [
    ("IpAddress", "203.0.113.0/33", "not an IP address"),
    ("NotIpAddress", "not-an-ip", "not an IP address"),
    ("DateLessThan", "next tuesday", "not a date"),
    ("DateEquals", "2020-13-01", "not a date"),
    ("DateEquals", "2021-02-29T00:00:00Z", "not a date"),
    ("NumericEquals", "ten", "not a number"),
    ("NumericEquals", "${aws:MaxKeys}", "policy variables cannot be used"),
])
def test_validate_values_rejects_values_outside_the_documented_format(base, value, fragment):
    # a good value first: the bad one is found and named wherever it sits
    problem = validate_values(base, (GOOD[base], value))
    assert problem is not None and fragment in problem and repr(value) in problem
