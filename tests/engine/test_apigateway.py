"""API Gateway's abbreviated resources in an API's resource policy.

API Gateway Developer Guide, "API Gateway resource policy examples": "you can
specify the resource execute-api:/stage-name/GET/pets in a resource policy. API
Gateway converts the resource to
arn:aws:execute-api:us-east-2:123456789012:aabbccddee/stage-name/GET/pets when you
save the resource policy ... by using the current Region, your AWS account ID, and
the ID of the REST API that the resource policy is associated with. You can use
execute-api:/* to represent all stages, methods, and paths in the current API."
A request to the API is a request to a resource of that API, so the entry is
expanded with the request's API and matched as the saved ARN would be.
"""
import pytest

from iamtest import PolicyError, PolicySet, decide, make_request, parse_policy
from iamtest.engine.compiled import compiled
from iamtest.engine.statement import resource_element_matches

API = "arn:aws:execute-api:us-east-2:123456789012:aabbccddee"
CALLER = "arn:aws:iam::444455556666:role/developer"   # another account: the API policy must allow


def api_policy(*statements):
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)},
                        source="api.json", kind="resource")


def grant(resource, **extra):
    return {"Effect": "Allow", "Principal": {"AWS": CALLER}, "Action": "execute-api:Invoke",
            "Resource": resource, **extra}


def decision(policy, resource, **context):
    identity = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}, source="id.json")
    request = make_request(CALLER, "execute-api:Invoke", resource, context=context)
    return decide(PolicySet(identity=(identity,), resource=policy), request)


@pytest.mark.parametrize("resource, allowed", [
    (f"{API}/stage-name/GET/pets", True),
    (f"{API}/stage-name/POST/pets", False),
    (f"{API}/other-stage/GET/pets", False),
    (f"{API}/stage-name/GET/pets/1", False),
])
def test_an_abbreviated_entry_is_the_full_arn_of_the_api_it_is_attached_to(resource, allowed):
    policy = api_policy(grant("execute-api:/stage-name/GET/pets"))
    assert decision(policy, resource).allowed is allowed
    # the reference matcher agrees with the compiled one that decide uses
    stmt = policy.statements[0]
    request = make_request(CALLER, "execute-api:Invoke", resource)
    assert resource_element_matches(policy, stmt, request) is allowed
    assert (compiled(policy).statements[0].match(request, "execute-api:invoke") is not None) is allowed


def test_execute_api_star_is_every_stage_method_and_path_of_the_api():
    policy = api_policy(grant("execute-api:/*"))
    for resource in (f"{API}/prod/GET/", f"{API}/test/DELETE/pets/7", f"{API}/a/b/c/d"):
        assert decision(policy, resource).allowed, resource


def test_a_deny_with_an_abbreviated_entry_refuses_as_the_saved_arn_would():
    # the guide's "deny by source IP" shape: allow execute-api:/*, deny it from 192.0.2.0/24
    policy = api_policy(grant("execute-api:/*"),
                        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
                         "Resource": "execute-api:/*",
                         "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}})
    assert decision(policy, f"{API}/prod/GET/pets", **{"aws:SourceIp": "192.0.2.7"}).effect \
        == "ExplicitDeny"
    assert decision(policy, f"{API}/prod/GET/pets", **{"aws:SourceIp": "198.51.100.7"}).allowed


def test_not_resource_with_an_abbreviated_entry():
    policy = api_policy(grant("*"), {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
                                     "NotResource": "execute-api:/prod/*"})
    assert decision(policy, f"{API}/prod/GET/pets").allowed
    assert decision(policy, f"{API}/test/GET/pets").effect == "ExplicitDeny"


def test_an_abbreviated_entry_names_no_resource_outside_an_api():
    # An API's resource policy governs requests to that API only; against any other
    # resource there is nothing to expand the entry with, and it matches nothing.
    policy = api_policy(grant("execute-api:/*"))
    stmt = policy.statements[0]
    for resource in ("arn:aws:s3:::bucket/key", "arn:aws:execute-api:us-east-2:123456789012:noslash"):
        request = make_request(CALLER, "execute-api:Invoke", resource)
        assert resource_element_matches(policy, stmt, request) is False
        assert compiled(policy).statements[0].match(request, "execute-api:invoke") is None


@pytest.mark.parametrize("kind", ["identity", "endpoint", "scp"])
def test_only_an_api_resource_policy_may_use_the_abbreviated_form(kind):
    statement = {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}
    if kind == "endpoint":
        statement["Principal"] = "*"
    with pytest.raises(PolicyError, match="abbreviated form, which only an API's resource policy"):
        parse_policy({"Version": "2012-10-17", "Statement": [statement]}, source="p.json", kind=kind)


def test_the_prover_refuses_an_abbreviated_entry_rather_than_guess():
    from iamtest.prove import ProveError, check_property

    policies = PolicySet(resource=api_policy(grant("execute-api:/*")))
    with pytest.raises(ProveError, match="abbreviated resource"):
        check_property({"name": "p", "never": {"action": "execute-api:Invoke"}}, policies)
