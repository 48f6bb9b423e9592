"""Policy variables in condition values (IAM policy elements: Variables and
tags; IAM JSON policy elements: Condition operators)."""
from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


TEAM = "aws:PrincipalTag/Team"
OBJ = "s3:ExistingObjectTag/Team"


def test_variable_is_substituted_under_version_2012_10_17():
    ctx = {TEAM: "blue", OBJ: "blue"}
    assert check("StringEquals", OBJ, ["${aws:PrincipalTag/Team}"], ctx).matched
    assert not check("StringEquals", OBJ, ["${aws:PrincipalTag/Team}"], {TEAM: "red", OBJ: "blue"}).matched


def test_variable_is_literal_text_without_version_2012_10_17():
    # "variables like ${aws:username} are treated as literal strings in the policy"
    ctx = {TEAM: "blue", OBJ: "blue"}
    assert not check("StringEquals", OBJ, ["${aws:PrincipalTag/Team}"], ctx, variables=False).matched
    assert check("StringEquals", OBJ, ["${aws:PrincipalTag/Team}"], {OBJ: "${aws:PrincipalTag/Team}"},
                 variables=False).matched


def test_variable_with_no_value_makes_positive_operators_not_match():
    # "condition operators like StringEquals or StringLike do not match"
    result = check("StringEquals", OBJ, ["${aws:PrincipalTag/Team}"], {OBJ: "blue"})
    assert not result.matched
    assert "no value" in result.reason
    assert not check("StringLike", OBJ, ["${aws:PrincipalTag/Team}*"], {OBJ: "blue"}).matched


def test_variable_with_no_value_makes_negated_operators_match():
    # "Inverted condition operators like StringNotEquals or StringNotLike do
    # match against a null value" -- the docs' Deny example denies access when
    # aws:PrincipalTag/Team is not set.
    assert check("StringNotEquals", OBJ, ["${aws:PrincipalTag/Team}"], {OBJ: "blue"}).matched
    assert check("StringNotLike", OBJ, ["${aws:PrincipalTag/Team}"], {OBJ: "blue"}).matched


def test_unresolved_value_does_not_stop_another_value_from_matching():
    assert check("StringEquals", OBJ, ["${aws:PrincipalTag/Team}", "blue"], {OBJ: "blue"}).matched
    assert not check("StringNotEquals", OBJ, ["${aws:PrincipalTag/Team}", "blue"], {OBJ: "blue"}).matched


def test_default_value_is_used_when_the_key_is_absent():
    assert check("StringEquals", OBJ, ["${aws:PrincipalTag/Team, 'shared'}"], {OBJ: "shared"}).matched


def test_string_like_keeps_policy_wildcards_after_substitution():
    # the docs' home-directory example: "home/${aws:username}/"
    key = "s3:prefix"
    assert check("StringLike", key, ["home/${aws:username}/*"], {key: "home/bob/a", "aws:username": "bob"}).matched
    assert not check("StringLike", key, ["home/${aws:username}/*"], {key: "home/eve/a", "aws:username": "bob"}).matched


def test_special_star_variable_is_a_literal_star_in_string_like():
    key = "s3:prefix"
    assert check("StringLike", key, ["a${*}"], {key: "a*"}).matched
    assert not check("StringLike", key, ["a${*}"], {key: "abc"}).matched


def test_special_star_variable_in_string_equals_is_a_star():
    assert check("StringEquals", "k", ["a${*}"], {"k": "a*"}).matched


def test_arn_like_substitutes_variables():
    key = "aws:PrincipalArn"
    ctx = {key: "arn:aws:iam::123456789012:user/bob", "aws:username": "bob"}
    assert check("ArnLike", key, ["arn:aws:iam::*:user/${aws:username}"], ctx).matched


def test_multivalued_key_as_a_variable_has_no_value():
    # "You can't use a multivalued condition key as a variable."
    ctx = {"aws:TagKeys": ["a"], "k": "a"}
    assert not check("StringEquals", "k", ["${aws:TagKeys}"], ctx).matched


def test_variables_are_not_substituted_for_ip_date_or_numeric_operators():
    ctx = {"aws:SourceIp": "10.0.0.1", "aws:Net": "10.0.0.0/8"}
    assert not check("IpAddress", "aws:SourceIp", ["${aws:Net}"], ctx).matched
    ctx = {"aws:CurrentTime": "2020-01-01T00:00:00Z", "aws:T": "2020-01-01T00:00:00Z"}
    assert not check("DateEquals", "aws:CurrentTime", ["${aws:T}"], ctx).matched


def test_bool_substitutes_variables_as_its_operator_page_allows():
    ctx = {"aws:SecureTransport": "true", "aws:Want": "true"}
    assert check("Bool", "aws:SecureTransport", ["${aws:Want}"], ctx).matched


def test_variables_apply_to_every_value_under_set_operators():
    ctx = {"aws:TagKeys": ["team-blue"], TEAM: "blue"}
    assert check("ForAllValues:StringEquals", "aws:TagKeys", ["team-${aws:PrincipalTag/Team}"], ctx).matched
    assert not check("ForAnyValue:StringEquals", "aws:TagKeys", ["team-${aws:PrincipalTag/Dept}"], ctx).matched
