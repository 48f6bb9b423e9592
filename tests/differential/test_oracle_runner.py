"""The reference runner on hand-written requests: the harness itself must be trustworthy.

Each case states what AWS documents and checks the reference, reached through
oracle_runner.mjs and the adapter, answers the same; a harness that silently
turned every answer into ImplicitDeny would make the differential test pass
vacuously. The last tests pin the reference's input checks that the generator
has to respect.
"""
from __future__ import annotations

import pytest

from .adapter import OracleIgnoredKeys, OracleRejected, oracle_decision, oracle_effect
from .case import Case
from .oracle import Oracle, OracleError, pinned_version

A, B = "111111111111", "222222222222"
ALICE = f"arn:aws:iam::{A}:user/alice"
OBJECT = "arn:aws:s3:::data-bucket/reports/q1.csv"


def allow(action="s3:GetObject", resource="*", **extra):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource,
                                                   **extra}]}


def deny(action="s3:GetObject", resource="*", **extra):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": action, "Resource": resource,
                                                   **extra}]}


def effect(oracle, case):
    return oracle_decision(oracle, case)[0]


def test_runner_reports_the_pinned_version(oracle):
    assert oracle.version == pinned_version()


def test_an_identity_allow_grants_in_the_same_account(oracle):
    # "Policy evaluation logic": within one account, an allow in an identity-based policy suffices.
    case = Case(ALICE, "s3:GetObject", OBJECT, A, identity=(allow("s3:Get*"),))
    assert effect(oracle, case) == "Allow"


def test_no_policy_is_an_implicit_deny(oracle):
    assert effect(oracle, Case(ALICE, "s3:GetObject", OBJECT, A)) == "ImplicitDeny"


def test_an_explicit_deny_overrides_an_allow(oracle):
    case = Case(ALICE, "s3:GetObject", OBJECT, A, identity=(allow("s3:*"), deny("s3:GetObject")))
    assert effect(oracle, case) == "ExplicitDeny"


def test_cross_account_needs_the_resource_policy_too(oracle):
    # Cross-account access needs an allow on both sides.
    case = Case(ALICE, "s3:GetObject", OBJECT, B, identity=(allow(),))
    assert effect(oracle, case) == "ImplicitDeny"
    bucket_policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": A}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data-bucket/*"}]}
    assert effect(oracle, Case(ALICE, "s3:GetObject", OBJECT, B, identity=(allow(),),
                               resource_policy=bucket_policy)) == "Allow"


def test_an_scp_without_an_allow_denies(oracle):
    case = Case(ALICE, "s3:GetObject", OBJECT, A, identity=(allow(),), scp=((allow("dynamodb:*"),),))
    assert effect(oracle, case) == "ImplicitDeny"


def test_derived_keys_reach_the_reference(oracle):
    # The adapter passes aws:PrincipalArn itself: a deny on another ARN must not apply.
    guard = deny("*", Condition={"ArnNotEquals": {"aws:PrincipalArn": ALICE}})
    case = Case(ALICE, "s3:GetObject", OBJECT, A, identity=(allow(), guard))
    assert effect(oracle, case) == "Allow"


def test_the_root_user_has_full_access_in_its_account(oracle):
    # The adapter stands in for the reference's missing root rule.
    case = Case(f"arn:aws:iam::{A}:root", "dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/Orders", A)
    assert effect(oracle, case) == "Allow"


def test_the_reference_refuses_endpoint_policies_naming_principals(oracle):
    named = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "*", "Resource": "*"}]}
    case = Case(ALICE, "s3:GetObject", OBJECT, A, identity=(allow(),), endpoint=named)
    with pytest.raises(OracleRejected):
        oracle_decision(oracle, case)


def test_the_reference_drops_keys_foreign_to_the_action(oracle):
    # Why the generator only sends s3:prefix with s3:ListBucket.
    case = Case(ALICE, "s3:GetObject", OBJECT, A, identity=(allow(),), context={"s3:prefix": "reports/"})
    with pytest.raises(OracleIgnoredKeys):
        oracle_decision(oracle, case)


def test_a_broken_line_does_not_stop_the_runner(oracle):
    with Oracle() as fresh:
        fresh._proc.stdin.write("not json\n")
        fresh._proc.stdin.flush()
        broken = fresh._read()
        assert broken["resultType"] == "crash" and broken["id"] is None
        assert oracle_effect(fresh.ask({"request": {
            "principal": ALICE, "action": "s3:GetObject",
            "resource": {"resource": OBJECT, "accountId": A}, "contextVariables": {}},
            "identityPolicies": [], "serviceControlPolicies": [], "resourceControlPolicies": []})) == "ImplicitDeny"


def test_a_crash_in_the_reference_is_an_error_not_an_answer(oracle):
    with pytest.raises(OracleError):
        oracle.ask({"request": None})


def _fake_install(tmp_path, pinned, installed=None):
    (tmp_path / "package.json").write_text('{"dependencies": {"@cloud-copilot/iam-simulate": "%s"}}' % pinned)
    if installed:
        pkg = tmp_path / "node_modules" / "@cloud-copilot" / "iam-simulate"
        pkg.mkdir(parents=True)
        (pkg / "package.json").write_text('{"version": "%s"}' % installed)


def test_a_missing_package_skips_with_the_install_command(tmp_path, monkeypatch):
    from . import oracle as oracle_module
    _fake_install(tmp_path, "0.1.173")
    monkeypatch.setattr(oracle_module, "HERE", tmp_path)
    monkeypatch.setattr(oracle_module.shutil, "which", lambda name: f"/usr/bin/{name}")
    reason = oracle_module.unavailable_reason()
    assert "is not installed" in reason and "npm ci --prefix tests/differential" in reason


def test_another_installed_version_skips_with_both_versions(tmp_path, monkeypatch):
    from . import oracle as oracle_module
    _fake_install(tmp_path, "0.1.173", installed="0.1.150")
    monkeypatch.setattr(oracle_module, "HERE", tmp_path)
    monkeypatch.setattr(oracle_module.shutil, "which", lambda name: f"/usr/bin/{name}")
    reason = oracle_module.unavailable_reason()
    assert "0.1.150" in reason and "0.1.173" in reason


def test_the_pinned_install_is_usable(tmp_path, monkeypatch):
    from . import oracle as oracle_module
    _fake_install(tmp_path, "0.1.173", installed="0.1.173")
    monkeypatch.setattr(oracle_module, "HERE", tmp_path)
    monkeypatch.setattr(oracle_module.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert oracle_module.unavailable_reason() is None
