"""The combination of layers, each test named for the AWS rule it pins.

Sources (AWS IAM User Guide): "Policy evaluation logic", "Policy evaluation for
requests within a single account", "Cross-account policy evaluation logic",
"Permissions boundaries for IAM entities", "Session policies", "Service
control policies", "Resource control policies", "Control access to VPC
endpoints using endpoint policies".
"""
import pytest

from iamtest import PolicyError, PolicySet, allow_all_policy, decide, make_request, parse_policy

ACCT = "111122223333"
OTHER = "444455556666"
ROLE = f"arn:aws:iam::{ACCT}:role/App"
SESSION = f"arn:aws:sts::{ACCT}:assumed-role/App/worker-1"
USER = f"arn:aws:iam::{ACCT}:user/alice"
ROOT = f"arn:aws:iam::{ACCT}:root"
FOREIGN_ROLE = f"arn:aws:iam::{OTHER}:role/Partner"
BUCKET_OBJ = "arn:aws:s3:::company-bucket/report.csv"


def pol(*statements, kind="identity", version="2012-10-17"):
    doc = {"Statement": list(statements)}
    if version:
        doc["Version"] = version
    return parse_policy(doc, source=f"{kind}.json", kind=kind)


def allow(action="s3:GetObject", resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action="s3:GetObject", resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def req(principal=ROLE, action="s3:GetObject", resource=BUCKET_OBJ, account=ACCT, **context):
    return make_request(principal, action, resource, resource_account=account, context=context)


def effect(policies, request):
    return decide(policies, request).effect


# ---------------------------------------------------------------- basics

def test_request_is_implicitly_denied_when_no_policy_allows_it():
    d = decide(PolicySet(identity=()), req())
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("identity",)


def test_identity_policy_allow_grants_within_the_account():
    d = decide(PolicySet(identity=(pol(allow()),)), req())
    assert d.effect == "Allow"
    assert [r.layer for r in d.deciding] == ["identity"]


def test_explicit_deny_overrides_any_allow():
    policies = PolicySet(identity=(pol(allow(), deny()),))
    d = decide(policies, req())
    assert d.effect == "ExplicitDeny"
    assert d.refused_by == ("identity",)
    assert d.deciding[0].effect == "Deny"


def test_explicit_deny_in_a_guardrail_layer_denies():
    policies = PolicySet(identity=(pol(allow()),), endpoint=pol(deny(Principal="*"), kind="endpoint"))
    d = decide(policies, req())
    assert d.effect == "ExplicitDeny"
    assert d.refused_by == ("endpoint",)


def test_statement_and_policy_order_do_not_matter():
    a = PolicySet(identity=(pol(deny(), allow()), pol(allow("s3:*"))))
    b = PolicySet(identity=(pol(allow("s3:*")), pol(allow(), deny())))
    assert effect(a, req()) == effect(b, req()) == "ExplicitDeny"


# ---------------------------------------------------------------- same account

def test_same_account_resource_policy_alone_grants_when_it_names_the_user():
    bucket = pol(allow(Principal={"AWS": USER}), kind="resource")
    d = decide(PolicySet(identity=(), resource=bucket), req(USER))
    assert d.effect == "Allow"


def test_same_account_resource_policy_naming_a_user_is_not_limited_by_a_boundary():
    bucket = pol(allow(Principal={"AWS": USER}), kind="resource")
    boundary = pol(allow("ec2:*"), kind="boundary")
    assert effect(PolicySet(identity=(), resource=bucket, boundary=boundary), req(USER)) == "Allow"


def test_same_account_resource_policy_naming_the_role_is_limited_by_the_boundary():
    bucket = pol(allow(Principal={"AWS": ROLE}), kind="resource")
    boundary = pol(allow("ec2:*"), kind="boundary")
    d = decide(PolicySet(identity=(), resource=bucket, boundary=boundary), req(SESSION))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("boundary",)


def test_same_account_resource_policy_naming_the_role_grants_without_identity_allow():
    bucket = pol(allow(Principal={"AWS": ROLE}), kind="resource")
    assert effect(PolicySet(identity=(), resource=bucket), req(SESSION)) == "Allow"


def test_same_account_resource_policy_naming_the_role_is_limited_by_the_session_policy():
    bucket = pol(allow(Principal={"AWS": ROLE}), kind="resource")
    session = pol(allow("ec2:*"), kind="session")
    d = decide(PolicySet(identity=(), resource=bucket, session=session), req(SESSION))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("session",)


def test_same_account_resource_policy_naming_the_session_is_not_limited_by_session_or_boundary():
    bucket = pol(allow(Principal={"AWS": SESSION}), kind="resource")
    session = pol(allow("ec2:*"), kind="session")
    boundary = pol(allow("ec2:*"), kind="boundary")
    policies = PolicySet(identity=(), resource=bucket, session=session, boundary=boundary)
    assert effect(policies, req(SESSION)) == "Allow"


def test_same_account_resource_policy_naming_the_account_only_delegates_to_identity_policies():
    bucket = pol(allow(Principal={"AWS": ACCT}), kind="resource")
    d = decide(PolicySet(identity=(), resource=bucket), req(SESSION))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("identity",)
    assert effect(PolicySet(identity=(pol(allow()),), resource=bucket), req(SESSION)) == "Allow"


def test_identity_allow_is_limited_by_boundary_and_session_policy():
    identity = (pol(allow()),)
    assert effect(PolicySet(identity=identity, boundary=pol(allow("ec2:*"), kind="boundary")), req()) \
        == "ImplicitDeny"
    assert effect(PolicySet(identity=identity, session=pol(allow("ec2:*"), kind="session")), req()) \
        == "ImplicitDeny"
    assert effect(PolicySet(identity=identity, boundary=pol(allow("s3:*"), kind="boundary")), req()) == "Allow"


def test_account_root_user_has_full_access_without_identity_policies():
    d = decide(PolicySet(identity=()), req(ROOT))
    assert d.effect == "Allow"


def test_account_root_user_is_still_limited_by_scps():
    scp = ((pol(allow("ec2:*"), kind="scp"),),)
    d = decide(PolicySet(identity=(), scp=scp), req(ROOT))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("scp",)


# ---------------------------------------------------------------- cross account

def test_cross_account_request_needs_the_resource_policy_to_allow():
    d = decide(PolicySet(identity=(pol(allow()),)), req(FOREIGN_ROLE))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("resource",)


def test_cross_account_request_needs_the_identity_policy_to_allow():
    bucket = pol(allow(Principal={"AWS": FOREIGN_ROLE}), kind="resource")
    d = decide(PolicySet(identity=(), resource=bucket), req(FOREIGN_ROLE))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("identity",)


def test_cross_account_request_is_allowed_when_both_sides_allow():
    bucket = pol(allow(Principal={"AWS": OTHER}), kind="resource")
    assert effect(PolicySet(identity=(pol(allow()),), resource=bucket), req(FOREIGN_ROLE)) == "Allow"


def test_cross_account_resource_policy_naming_the_session_is_still_limited_by_the_boundary():
    session_arn = f"arn:aws:sts::{OTHER}:assumed-role/Partner/s1"
    bucket = pol(allow(Principal={"AWS": session_arn}), kind="resource")
    policies = PolicySet(identity=(pol(allow()),), resource=bucket,
                         boundary=pol(allow("ec2:*"), kind="boundary"))
    d = decide(policies, req(session_arn))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("boundary",)


def test_resource_account_comes_from_the_arn_when_it_has_one():
    table = f"arn:aws:dynamodb:us-east-1:{OTHER}:table/Orders"
    r = make_request(ROLE, "dynamodb:GetItem", table)
    assert r.resource_account == OTHER
    assert not r.same_account


def test_resource_account_defaults_to_the_principal_account_for_arns_without_one():
    r = make_request(ROLE, "s3:GetObject", BUCKET_OBJ)
    assert r.resource_account == ACCT


# ---------------------------------------------------------------- principals

def test_role_arn_in_a_resource_policy_matches_that_roles_sessions():
    bucket = pol(allow(Principal={"AWS": ROLE}), kind="resource")
    assert effect(PolicySet(resource=bucket), req(SESSION)) == "Allow"


def test_session_arn_in_a_resource_policy_does_not_match_another_session():
    other_session = f"arn:aws:sts::{ACCT}:assumed-role/App/worker-2"
    bucket = pol(allow(Principal={"AWS": other_session}), kind="resource")
    assert effect(PolicySet(identity=(), resource=bucket), req(SESSION)) == "ImplicitDeny"


def test_anonymous_caller_is_granted_only_by_a_resource_policy_naming_everyone():
    public = pol(allow(Principal="*"), kind="resource")
    assert effect(PolicySet(resource=public), req("anonymous")) == "Allow"
    named = pol(allow(Principal={"AWS": ACCT}), kind="resource")
    d = decide(PolicySet(resource=named), req("anonymous"))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("resource",)


def test_service_principal_is_granted_by_a_resource_policy_naming_the_service():
    bucket = pol(allow("s3:PutObject", Principal={"Service": "logging.s3.amazonaws.com"}), kind="resource")
    r = req("logging.s3.amazonaws.com", "s3:PutObject")
    assert effect(PolicySet(resource=bucket), r) == "Allow"
    assert effect(PolicySet(resource=bucket), req("lambda.amazonaws.com", "s3:PutObject")) == "ImplicitDeny"


def test_scps_do_not_apply_to_service_principals():
    bucket = pol(allow("s3:PutObject", Principal={"Service": "logging.s3.amazonaws.com"}), kind="resource")
    scp = ((pol(deny("s3:*"), kind="scp"),),)
    r = req("logging.s3.amazonaws.com", "s3:PutObject")
    d = decide(PolicySet(resource=bucket, scp=scp), r)
    assert d.effect == "Allow"
    assert d.layer("scp").verdict == "not-applicable"


def test_rcps_apply_to_service_principals():
    bucket = pol(allow("s3:PutObject", Principal={"Service": "logging.s3.amazonaws.com"}), kind="resource")
    rcp = ((pol(deny("s3:*", Principal="*"), kind="rcp"),),)
    assert effect(PolicySet(resource=bucket, rcp=rcp), req("logging.s3.amazonaws.com", "s3:PutObject")) \
        == "ExplicitDeny"


def test_not_principal_deny_spares_a_user_only_when_its_account_is_listed_too():
    only_user = pol(deny(NotPrincipal={"AWS": [USER]}), allow(Principal="*"), kind="resource")
    assert effect(PolicySet(identity=(), resource=only_user), req(USER)) == "ExplicitDeny"
    with_account = pol(deny(NotPrincipal={"AWS": [USER, ROOT]}), allow(Principal="*"), kind="resource")
    assert effect(PolicySet(identity=(), resource=with_account), req(USER)) == "Allow"


def test_not_principal_deny_always_denies_a_principal_with_a_permissions_boundary():
    policy = pol(deny(NotPrincipal={"AWS": [USER, ROOT]}), allow(Principal="*"), kind="resource")
    boundary = pol(allow("s3:*"), kind="boundary")
    assert effect(PolicySet(identity=(), resource=policy, boundary=boundary), req(USER)) == "ExplicitDeny"


# ---------------------------------------------------------------- guardrails

def test_every_scp_level_must_allow():
    full = pol(allow("*"), kind="scp")
    only_ec2 = pol(allow("ec2:*"), kind="scp")
    policies = PolicySet(identity=(pol(allow()),), scp=((full,), (only_ec2,), (full,)))
    d = decide(policies, req())
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("scp",)
    assert d.layer("scp").missing_levels == (1,)


def test_one_policy_allowing_at_a_level_is_enough_for_that_level():
    full = pol(allow("*"), kind="scp")
    only_ec2 = pol(allow("ec2:*"), kind="scp")
    policies = PolicySet(identity=(pol(allow()),), scp=((full,), (only_ec2, full)))
    assert effect(policies, req()) == "Allow"


def test_rcp_levels_must_allow_even_for_a_same_account_identity_grant():
    rcp = ((pol(allow("*", Principal="*"), kind="rcp"),), (pol(allow("ec2:*", Principal="*"), kind="rcp"),))
    d = decide(PolicySet(identity=(pol(allow()),), rcp=rcp), req())
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("rcp",)


def test_endpoint_policy_must_allow_but_never_grants():
    endpoint = pol(allow(Principal="*"), kind="endpoint")
    d = decide(PolicySet(identity=(), endpoint=endpoint), req())
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("identity",)
    blocked = pol(allow("s3:GetObject", "arn:aws:s3:::other/*", Principal="*"), kind="endpoint")
    d = decide(PolicySet(identity=(pol(allow()),), endpoint=blocked), req())
    assert d.refused_by == ("endpoint",)


def test_allow_all_identity_with_a_default_endpoint_policy_reaches_any_bucket():
    default = pol({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}, kind="endpoint")
    policies = PolicySet(identity=(allow_all_policy(),), endpoint=default)
    attacker = "arn:aws:s3:::attacker-bucket/secret.txt"
    # Cross-account: still needs the attacker's bucket policy, which the attacker controls.
    bucket = pol(allow("s3:PutObject", Principal="*"), kind="resource")
    r = req(action="s3:PutObject", resource=attacker, account=OTHER)
    assert effect(PolicySet(identity=policies.identity, endpoint=default, resource=bucket), r) == "Allow"


def test_gateway_endpoint_account_principal_means_only_the_root_user():
    endpoint = pol(allow(Principal={"AWS": ACCT}), kind="endpoint")
    policies = PolicySet(identity=(pol(allow()),), endpoint=endpoint, endpoint_type="gateway")
    d = decide(policies, req(SESSION))
    assert d.effect == "ImplicitDeny"
    assert d.refused_by == ("endpoint",)
    assert effect(policies, req(ROOT)) == "Allow"
    interface = PolicySet(identity=(pol(allow()),), endpoint=endpoint, endpoint_type="interface")
    assert effect(interface, req(SESSION)) == "Allow"


def test_gateway_endpoint_policy_naming_a_role_is_an_error_pointing_to_principal_arn():
    endpoint = pol(allow(Principal={"AWS": ROLE}), kind="endpoint")
    with pytest.raises(PolicyError, match="aws:PrincipalArn"):
        PolicySet(endpoint=endpoint, endpoint_type="gateway")


def test_service_linked_roles_are_not_restricted_by_scps():
    slr = f"arn:aws:iam::{ACCT}:role/aws-service-role/AWSServiceRoleForExample"
    scp = ((pol(deny("*"), kind="scp"),),)
    assert effect(PolicySet(identity=(pol(allow()),), scp=scp), req(slr)) == "Allow"


# ---------------------------------------------------------------- decision record

def test_decision_lists_every_matching_statement_and_serialises_to_json():
    identity = pol({**allow(), "Sid": "Read"}, {**allow("s3:*"), "Sid": "All"})
    d = decide(PolicySet(identity=(identity,)), req())
    assert {r.statement.sid for r in d.matched} == {"Read", "All"}
    data = d.to_dict()
    assert data["decision"] == "Allow"
    assert data["request"]["principal"] == ROLE
    assert {s["sid"] for s in data["deciding"]} == {"Read", "All"}


@pytest.mark.parametrize("expect,ok", [("allow", False), ("deny", True), ("explicit-deny", True),
                                       ("implicit-deny", False)])
def test_expectations_distinguish_the_kinds_of_deny(expect, ok):
    d = decide(PolicySet(identity=(pol(deny()),)), req())
    assert d.expectation_matches(expect) is ok


def test_not_principal_wildcard_excludes_every_caller_so_the_deny_applies_to_no_one():
    policy = pol(deny(NotPrincipal="*"), allow(Principal="*"), kind="resource")
    assert effect(PolicySet(resource=policy), req("anonymous")) == "Allow"
    assert effect(PolicySet(identity=(), resource=policy), req(USER)) == "Allow"


@pytest.mark.parametrize("action", ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"])
def test_bucket_owner_root_user_can_manage_a_bucket_policy_that_denies_it(action):
    lock = pol(deny("s3:*", Principal="*"), kind="resource")
    bucket = "arn:aws:s3:::company-bucket"
    d = decide(PolicySet(resource=lock), req(ROOT, action, bucket))
    assert d.effect == "Allow"
    assert "root user can always" in d.layer("resource").note
    # Every other action, and any other caller, still meets the explicit deny.
    assert effect(PolicySet(resource=lock), req(ROOT, "s3:GetObject", BUCKET_OBJ)) == "ExplicitDeny"
    assert effect(PolicySet(identity=(pol(allow("s3:*")),), resource=lock), req(ROLE, action, bucket)) \
        == "ExplicitDeny"
    # Another account's root user is not the bucket owner.
    other_root = f"arn:aws:iam::{OTHER}:root"
    assert effect(PolicySet(resource=lock), req(other_root, action, bucket)) == "ExplicitDeny"
