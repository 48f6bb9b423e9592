"""The request model and the context keys AWS derives from the principal
(AWS: "AWS global condition context keys")."""
import datetime as dt

import pytest

from iamtest import RequestError, make_request, parse_principal

ACCT = "111122223333"


def keys(principal, **kw):
    r = make_request(principal, "s3:GetObject", "arn:aws:s3:::b/k", **kw)
    return {k: v for k, v in r.context.as_dict().items() if k not in ("aws:CurrentTime", "aws:EpochTime")}


def test_role_session_derives_the_role_arn_as_principal_arn():
    k = keys(f"arn:aws:sts::{ACCT}:assumed-role/App/s1")
    assert k["aws:PrincipalArn"] == f"arn:aws:iam::{ACCT}:role/App"
    assert k["aws:PrincipalType"] == "AssumedRole"
    assert k["aws:PrincipalAccount"] == ACCT
    assert k["aws:PrincipalIsAWSService"] == "false"
    assert "aws:username" not in k


def test_iam_user_derives_username():
    k = keys(f"arn:aws:iam::{ACCT}:user/division/alice")
    assert k["aws:username"] == "alice"
    assert k["aws:PrincipalType"] == "User"


def test_root_user_derives_account_type_and_userid():
    k = keys(f"arn:aws:iam::{ACCT}:root")
    assert k["aws:PrincipalType"] == "Account"
    assert k["aws:userid"] == ACCT


def test_federated_user_userid_is_account_and_name():
    k = keys(f"arn:aws:sts::{ACCT}:federated-user/bob")
    assert k["aws:PrincipalType"] == "FederatedUser"
    assert k["aws:userid"] == f"{ACCT}:bob"


def test_service_principal_has_no_principal_arn_or_account():
    k = keys("lambda.amazonaws.com")
    assert k["aws:PrincipalIsAWSService"] == "true"
    assert k["aws:PrincipalServiceName"] == "lambda.amazonaws.com"
    assert "aws:PrincipalArn" not in k and "aws:PrincipalAccount" not in k


def test_anonymous_request_carries_no_principal_keys():
    k = keys("anonymous")
    assert k.get("aws:PrincipalType") == "Anonymous"
    assert "aws:PrincipalArn" not in k and "aws:PrincipalIsAWSService" not in k


def test_given_context_keys_win_over_derived_ones_and_none_removes_them():
    k = keys(f"arn:aws:iam::{ACCT}:role/App", context={"aws:principalarn": "arn:aws:iam::1:role/x",
                                                       "aws:PrincipalAccount": None})
    assert k["aws:principalarn"] == "arn:aws:iam::1:role/x"
    assert "aws:PrincipalAccount" not in k


def test_current_time_comes_from_the_clock_unless_given():
    now = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    r = make_request(f"arn:aws:iam::{ACCT}:role/App", "s3:GetObject", "*", now=now)
    assert r.context.get("aws:CurrentTime").values == ("2026-01-02T03:04:05Z",)
    assert r.context.get("aws:EpochTime").values == (str(int(now.timestamp())),)


def test_multivalued_context_key_keeps_every_value():
    r = make_request(f"arn:aws:iam::{ACCT}:role/App", "s3:GetObject", "*", context={"aws:TagKeys": ["a", "b"]})
    value = r.context.get("AWS:TAGKEYS")
    assert value.multi and value.values == ("a", "b")


@pytest.mark.parametrize("principal", ["arn:aws:s3:::bucket", "role/App", "arn:aws:iam::12:role/App",
                                       "arn:aws:iam::111122223333:group/devs", ""])
def test_malformed_principals_are_errors(principal):
    with pytest.raises(RequestError):
        parse_principal(principal)


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_principals_in_any_partition(partition):
    p = parse_principal(f"arn:{partition}:iam::{ACCT}:role/App")
    assert (p.partition, p.account, p.name) == (partition, ACCT, "App")


def test_request_action_may_not_hold_wildcards():
    with pytest.raises(RequestError, match="no wildcards"):
        make_request(f"arn:aws:iam::{ACCT}:role/App", "s3:Get*", "*")


def test_resource_account_must_agree_with_the_arn():
    with pytest.raises(RequestError, match="disagrees"):
        make_request(f"arn:aws:iam::{ACCT}:role/App", "dynamodb:GetItem",
                     "arn:aws:dynamodb:us-east-1:444455556666:table/T", resource_account=ACCT)
