"""The `iam` fixture: the same evaluation from Python tests, with the
explanation as the assertion message (issue: "Python tests too")."""
import json

import pytest

from iamtest.pytest_plugin.fixture import IamHelper
from iamtest.spec import PolicyLoader, SourceError, SpecError

ROLE = "arn:aws:iam::123456789012:role/App"
ENDPOINT = {"Version": "2012-10-17", "Statement": [{
    "Sid": "OnlyOurBucket", "Effect": "Allow", "Principal": "*",
    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::mine/*"}]}


@pytest.fixture
def helper(tmp_path):
    (tmp_path / "endpoint.json").write_text(json.dumps(ENDPOINT))
    return IamHelper(PolicyLoader(), tmp_path, "test_x.py")


def test_decide_returns_the_decision_for_loaded_policies(helper):
    # AWS: the endpoint policy limits what passes through it; identity allow-all
    # grants, so only requests the endpoint allows are allowed.
    helper.load(identity="allow-all", endpoint="endpoint.json")
    assert helper.decide(principal=ROLE, action="s3:GetObject", resource="arn:aws:s3:::mine/k").allowed
    denied = helper.decide(principal=ROLE, action="s3:PutObject", resource="arn:aws:s3:::mine/k")
    assert denied.effect == "ImplicitDeny" and denied.refused_by == ("endpoint",)


def test_assertions_pass_quietly_and_fail_with_the_explanation(helper):
    helper.load(identity="allow-all", endpoint=ENDPOINT)
    helper.assert_allowed(principal=ROLE, action="s3:GetObject", resource="arn:aws:s3:::mine/k")
    helper.assert_denied(principal=ROLE, action="s3:PutObject", resource="arn:aws:s3:::mine/k",
                         denied_by="endpoint", explicit=False)
    with pytest.raises(AssertionError) as info:
        helper.assert_allowed(principal=ROLE, action="s3:PutObject", resource="arn:aws:s3:::mine/k")
    message = str(info.value)
    assert message.startswith("expected: allow\nactual:   implicit-deny, refused by endpoint\n"
                              "decision: ImplicitDeny")
    assert "closest: statement 'OnlyOurBucket'" in message
    with pytest.raises(AssertionError) as info:
        helper.assert_denied(principal=ROLE, action="s3:PutObject", resource="arn:aws:s3:::mine/k",
                             denied_by="identity")
    assert info.value.args[0].startswith("expected: deny, refused by identity\n")


def test_context_and_resource_account_reach_the_request(helper):
    helper.load(identity={"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                                         "Condition": {"Bool": {"aws:SecureTransport": True}}}]})
    kwargs = dict(principal=ROLE, action="s3:GetObject", resource="arn:aws:s3:::mine/k",
                  resource_account="123456789012")
    helper.assert_allowed(context={"aws:SecureTransport": True}, **kwargs)
    helper.assert_denied(context={"aws:SecureTransport": False}, **kwargs)


def test_bad_sources_raise_clear_errors(helper, tmp_path):
    with pytest.raises(SpecError) as info:
        helper.load(identity="missing.json")
    assert str(info.value) == (f"test_x.py: policy file `missing.json` not found "
                               f"(looked for {(tmp_path / 'missing.json').resolve()})")
    with pytest.raises(SpecError) as info:
        helper.load(identity={"terrafrom": "main.tf"})
    assert "`policies.identity` is a mapping that is neither an inline policy document" in str(info.value)
    with pytest.raises(SourceError) as info:
        helper.load(identity={"Statement": [{"Effect": "Alow", "Action": "*", "Resource": "*"}]})
    assert "`Effect` must be" in str(info.value)
    with pytest.raises(RuntimeError, match="call iam.load"):
        IamHelper(PolicyLoader(), tmp_path).decide(principal=ROLE, action="s3:A", resource="*")


def test_the_fixture_in_a_test_module(pytester, example):
    example("passing")  # copies policies/
    pytester.makepyfile(test_access="""
        ROLE = "arn:aws:iam::123456789012:role/AppServiceRole"

        def test_endpoint_blocks_exfiltration(iam):
            iam.load(identity=["policies/app-role.json"], endpoint="policies/s3-endpoint.json")
            iam.assert_denied(principal=ROLE, action="s3:PutObject",
                              resource="arn:aws:s3:::attacker-bucket/secret.txt",
                              resource_account="999999999999", denied_by="endpoint")

        def test_wrong_expectation(iam):
            iam.load(identity="allow-all", endpoint="policies/s3-endpoint.json")
            iam.assert_allowed(principal=ROLE, action="s3:PutObject",
                               resource="arn:aws:s3:::attacker-bucket/secret.txt")
    """)
    result = pytester.runpytest("test_access.py")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "E       AssertionError: expected: allow",
        "E       actual:   implicit-deny, refused by endpoint",
        "E       decision: ImplicitDeny*",
    ])
