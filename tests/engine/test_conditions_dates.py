"""Date operators: "W3C implementations of the ISO 8601 date formats or ...
epoch (UNIX) time" (IAM JSON policy elements: Condition operators)."""
from decimal import Decimal

import pytest

from iamtest.engine.conditions.dates import looks_like_millis, parse_instant

from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


T = "aws:CurrentTime"
E = "aws:EpochTime"


def test_docs_example_token_issued_after_the_start_of_2020():
    key = "aws:TokenIssueTime"
    assert check("DateGreaterThan", key, ["2020-01-01T00:00:01Z"], {key: "2020-06-01T00:00:00Z"}).matched
    assert not check("DateGreaterThan", key, ["2020-01-01T00:00:01Z"], {key: "2019-12-31T23:59:59Z"}).matched


@pytest.mark.parametrize("text,seconds", [
    ("1970-01-01T00:00:00Z", 0),
    ("2020-01-01T00:00:00Z", 1577836800),
    ("2020-01-01", 1577836800),
    ("2020-01", 1577836800),
    ("2020-01-01T00:00Z", 1577836800),
    ("2020-01-01T02:00:00+02:00", 1577836800),
    ("2019-12-31T19:00:00-0500", 1577836800),
    ("2020-01-01t00:00:00z", 1577836800),
    ("20200101T000000Z", 1577836800),
    ("1577836800", 1577836800),
    ("1577836800.5", Decimal("1577836800.5")),
    ("2020-01-01T00:00:00.5Z", Decimal("1577836800.5")),
])
def test_iso_8601_and_epoch_values_become_the_same_instant(text, seconds):
    assert parse_instant(text) == Decimal(seconds)


def test_a_run_of_digits_is_epoch_seconds_even_when_it_could_be_a_year():
    # W3C allows "YYYY", but a bare number is also epoch time; iamtest reads
    # digits as epoch seconds (the documentation does not settle the overlap).
    assert parse_instant("2020") == Decimal(2020)
    assert parse_instant("20200101") == Decimal(20200101)


def test_epoch_request_value_compares_with_an_iso_policy_date():
    assert check("DateGreaterThan", E, ["2020-01-01T00:00:00Z"], {E: "1577836801"}).matched
    assert not check("DateGreaterThan", E, ["2020-01-01T00:00:00Z"], {E: "1577836800"}).matched
    assert check("DateEquals", E, ["2020-01-01T00:00:00Z"], {E: 1577836800}).matched


def test_iso_request_value_compares_with_an_epoch_policy_value():
    assert check("DateLessThan", T, ["1577836800"], {T: "2019-12-31T23:59:59Z"}).matched
    assert not check("DateLessThan", T, ["1577836800"], {T: "2020-01-01T00:00:00Z"}).matched


@pytest.mark.parametrize("op,expected", [
    ("DateEquals", True), ("DateNotEquals", False), ("DateLessThan", False),
    ("DateLessThanEquals", True), ("DateGreaterThan", False), ("DateGreaterThanEquals", True),
])
def test_each_date_operator_on_equal_instants_written_differently(op, expected):
    assert check(op, T, ["2020-01-01T01:00:00+01:00"], {T: "2020-01-01T00:00:00Z"}).matched is expected


def test_thirteen_digit_epoch_is_read_as_seconds_not_milliseconds():
    # Epoch (UNIX) time counts seconds: 1577836800000 is far in the future, not 2020.
    assert parse_instant("1577836800000") == Decimal(1577836800000)
    result = check("DateLessThan", T, ["1577836800000"], {T: "2030-01-01T00:00:00Z"})
    assert result.matched
    assert result.warnings and "milliseconds" in result.warnings[0]
    assert looks_like_millis("1577836800000") and not looks_like_millis("1577836800")


def test_a_request_value_that_is_not_a_date_matches_nothing():
    assert not check("DateEquals", T, ["2020-01-01"], {T: "yesterday"}).matched
    assert check("DateNotEquals", T, ["2020-01-01"], {T: "yesterday"}).matched


@pytest.mark.parametrize("text", ["2020-02-30", "2020-13-01", "2020-01-01T25:00:00Z", "soon", "",
                                  "2020-01-01T00:00:00+25:00"])
def test_impossible_dates_are_not_dates(text):
    assert parse_instant(text) is None


def test_wildcards_are_not_permitted_in_dates():
    # "Wildcards are not permitted for date condition operators."
    assert not check("DateEquals", T, ["2020-01-*"], {T: "2020-01-05T00:00:00Z"}).matched
