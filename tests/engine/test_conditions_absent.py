"""Absent keys, ...IfExists, Null, key case and value OR/NOR.

Sources: IAM JSON policy elements: Condition operators; IAM JSON policy
elements: Condition; Conditions with multiple context keys or values.
"""
import pytest

from iamtest.engine.conditions import OPERATORS, evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


SAMPLE = {"String": "x", "Numeric": "1", "Date": "2020-01-01T00:00:00Z", "Bool": "true",
          "Binary": "QQ==", "IpAddress": "10.0.0.0/8", "Arn": "arn:aws:s3:::b"}
VALUE_OPS = [n for n, op in OPERATORS.items() if op.family != "Null"]


@pytest.mark.parametrize("name", VALUE_OPS)
def test_absent_key_matches_only_negated_operators(name):
    # "If the key ... is not present in the request context, the values do not
    # match and the condition is false. If the policy condition requires that
    # the key is not matched, such as StringNotLike or ArnNotLike, ... the
    # condition is true."
    result = check(name, "aws:Missing", [SAMPLE[OPERATORS[name].family]], {})
    assert result.matched is OPERATORS[name].negated
    assert "absent" in result.reason


def test_string_not_equals_matches_when_key_is_absent():
    result = check("StringNotEquals", "aws:SourceVpce", ["vpce-0abc"], {})
    assert result.matched
    assert result.reason == "aws:SourceVpce is absent from the request; StringNotEquals matches an absent key"


def test_binary_equals_does_not_match_when_key_is_absent():
    assert not check("BinaryEquals", "k", ["QQ=="], {}).matched


@pytest.mark.parametrize("name", VALUE_OPS)
def test_if_exists_matches_when_key_is_absent(name):
    # "If the key is not present, evaluate the condition element as true."
    assert check(name + "IfExists", "aws:Missing", [SAMPLE[OPERATORS[name].family]], {}).matched


def test_if_exists_applies_the_operator_when_key_is_present():
    assert not check("StringLikeIfExists", "ec2:InstanceType", ["t1.*", "t2.*", "m3.*"],
                     {"ec2:InstanceType": "c5.large"}).matched
    assert check("StringLikeIfExists", "ec2:InstanceType", ["t1.*", "t2.*", "m3.*"],
                 {"ec2:InstanceType": "t2.micro"}).matched


def test_negated_if_exists_still_fails_on_a_matching_value():
    # "If you are using an "Effect": "Deny" element with a negated condition
    # operator like StringNotEqualsIfExists, the request is still denied even if the tag is missing"
    assert check("StringNotEqualsIfExists", "aws:ResourceTag/t", ["a"], {}).matched
    assert not check("StringNotEqualsIfExists", "aws:ResourceTag/t", ["a"], {"aws:ResourceTag/t": "a"}).matched


def test_null_true_means_the_key_is_absent():
    assert check("Null", "aws:TokenIssueTime", ["true"], {}).matched
    assert not check("Null", "aws:TokenIssueTime", ["true"], {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}).matched


def test_null_false_means_the_key_is_present():
    assert check("Null", "aws:TokenIssueTime", ["false"], {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}).matched
    assert not check("Null", "aws:TokenIssueTime", ["false"], {}).matched


def test_null_counts_an_empty_string_as_present():
    assert check("Null", "aws:PrincipalTag/t", ["false"], {"aws:PrincipalTag/t": ""}).matched


def test_null_values_are_ored_and_case_insensitive():
    assert check("Null", "k", ["true", "false"], {}).matched
    assert check("Null", "k", ["TRUE"], {}).matched
    assert not check("Null", "k", ["maybe"], {}).matched


def test_condition_key_names_are_case_insensitive():
    # "Condition key names are not case-sensitive ... aws:SourceIP is equivalent to AWS:SourceIp"
    assert check("IpAddress", "AWS:SourceIp", ["203.0.113.0/24"], {"aws:SourceIP": "203.0.113.9"}).matched


def test_values_for_one_key_are_ored():
    assert check("StringEquals", "aws:PrincipalTag/department", ["finance", "hr", "legal"],
                 {"aws:PrincipalTag/department": "legal"}).matched


def test_negated_operator_values_are_nored():
    # "If a single negated matching condition operator includes multiple
    # values for a context key, those values are evaluated using a logical NOR."
    arns = ["arn:aws:iam::222222222222:user/Ana", "arn:aws:iam::222222222222:user/Mary"]
    assert check("ArnNotLike", "aws:PrincipalArn", arns,
                 {"aws:PrincipalArn": "arn:aws:iam::222222222222:user/Nikki"}).matched
    assert not check("ArnNotLike", "aws:PrincipalArn", arns,
                     {"aws:PrincipalArn": "arn:aws:iam::222222222222:user/Mary"}).matched


def test_reason_quotes_key_request_value_and_policy_values():
    result = check("StringEquals", "aws:SourceVpce", ["vpce-0abc"], {"aws:SourceVpce": "vpce-1"})
    assert not result.matched
    assert result.reason == "aws:SourceVpce is 'vpce-1' in the request; StringEquals wants 'vpce-0abc'"
