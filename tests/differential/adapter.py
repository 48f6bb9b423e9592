"""One ``Case`` in, the same question put to both evaluators, one vocabulary out.

iamtest side: ``parse_policy`` for every document, a ``PolicySet`` and
``make_request`` (which derives the principal's context keys itself).

Reference side: the package's public ``Simulation`` input. It derives no
context keys from the caller, so the keys AWS would derive are computed here
independently (:func:`case.derived_context`) and passed explicitly. Two more
inputs are put in the form that package expects, each for a documented AWS rule
it has no rule for (docs/differential.md lists them):

* The account root user has full access to its own account and cannot have
  identity policies attached: the reference gets an allow-everything identity
  policy for a root caller.
* SCPs apply only to IAM principals of member accounts: they are not sent to
  the reference for service principals and anonymous callers (it refuses them
  for anonymous callers and would apply them to service principals). iamtest
  still receives them, so its rule that they do not apply is what is tested.

Both answers are mapped to iamtest's vocabulary: Allow, ExplicitDeny, ImplicitDeny.
"""
from __future__ import annotations

from typing import Tuple

from .case import Case, derived_context

EFFECTS = {"Allowed": "Allow", "ExplicitlyDenied": "ExplicitDeny", "ImplicitlyDenied": "ImplicitDeny"}

ALLOW_EVERYTHING = {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


class OracleRejected(AssertionError):
    """The reference refused the input (a generator bug, or a known divergence to filter)."""


class OracleIgnoredKeys(AssertionError):
    """The reference dropped context keys it considers foreign to the action: not a fair comparison."""


def _text(value):
    """Context values as the reference expects them: strings, or lists of strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    return str(value)


# ---------------------------------------------------------------- iamtest side

def to_iamtest(case: Case) -> Tuple[PolicySet, object]:
    """The case as iamtest's ``PolicySet`` and ``Request``."""
    from iamtest import PolicySet, allow_all_policy, make_request, parse_policy

    def parse(doc, kind, name):
        return parse_policy(doc, source=name, kind=kind)

    identity = None
    if case.principal_kind() not in ("service", "anonymous"):
        identity = tuple(parse(doc, "identity", f"identity[{i}]") for i, doc in enumerate(case.identity))
    scp = None
    if case.scp is not None:
        scp = tuple(tuple(parse(doc, "scp", f"scp[{lvl}][{i}]") for i, doc in enumerate(level))
                    for lvl, level in enumerate(case.scp))
    rcp = None
    if case.rcp is not None:
        # RCPFullAWSAccess is attached at every level and cannot be detached.
        rcp = tuple((allow_all_policy("rcp", source=f"rcp[{lvl}][RCPFullAWSAccess]"),)
                    + tuple(parse(doc, "rcp", f"rcp[{lvl}][{i}]") for i, doc in enumerate(level))
                    for lvl, level in enumerate(case.rcp))
    policies = PolicySet(
        identity=identity,
        resource=parse(case.resource_policy, "resource", "resource") if case.resource_policy else None,
        endpoint=parse(case.endpoint, "endpoint", "endpoint") if case.endpoint else None,
        endpoint_type=case.endpoint_type,
        boundary=parse(case.boundary, "boundary", "boundary") if case.boundary else None,
        session=parse(case.session, "session", "session") if case.session else None,
        scp=scp, rcp=rcp)
    request = make_request(principal=case.principal, action=case.action, resource=case.resource,
                           resource_account=case.resource_account, context=case.request_context())
    return policies, request


def iamtest_decision(case: Case):
    from iamtest import decide

    policies, request = to_iamtest(case)
    return decide(policies, request), request


# -------------------------------------------------------------- reference side

def to_simulation(case: Case) -> dict:
    """The case as the reference's ``Simulation`` input."""
    kind = case.principal_kind()
    context = {k: _text(v) for k, v in derived_context(case).items()}
    context.update({k: _text(v) for k, v in case.request_context().items()})
    identity = [{"name": f"identity{i}", "policy": doc} for i, doc in enumerate(case.identity)]
    if kind == "root":
        identity = [{"name": "root-user-full-access", "policy": ALLOW_EVERYTHING}]
    if kind in ("service", "anonymous"):
        identity = []
    sim = {
        "request": {
            "principal": {"type": "Anonymous"} if kind == "anonymous" else case.principal,
            "action": case.action,
            "resource": {"resource": case.resource, "accountId": case.resource_account},
            "contextVariables": context,
        },
        "identityPolicies": identity,
        "serviceControlPolicies": [],
        "resourceControlPolicies": [],
    }
    if case.scp is not None and kind not in ("service", "anonymous"):
        sim["serviceControlPolicies"] = [
            {"orgIdentifier": f"scp-level-{lvl}",
             "policies": [{"name": f"scp{lvl}-{i}", "policy": doc} for i, doc in enumerate(level)]}
            for lvl, level in enumerate(case.scp)]
    if case.rcp is not None:
        # The reference adds RCPFullAWSAccess to every level itself.
        sim["resourceControlPolicies"] = [
            {"orgIdentifier": f"rcp-level-{lvl}",
             "policies": [{"name": f"rcp{lvl}-{i}", "policy": doc} for i, doc in enumerate(level)]}
            for lvl, level in enumerate(case.rcp)]
    if case.resource_policy is not None:
        sim["resourcePolicy"] = case.resource_policy
    if case.endpoint is not None:
        sim["vpcEndpointPolicies"] = [{"name": "endpoint", "policy": case.endpoint}]
    if case.boundary is not None:
        sim["permissionBoundaryPolicies"] = [{"name": "boundary", "policy": case.boundary}]
    if case.session is not None:
        sim["sessionPolicy"] = case.session
    return sim


def oracle_effect(answer: dict) -> str:
    """The reference's answer in iamtest's vocabulary; raises when it was no fair answer."""
    kind = answer.get("resultType")
    if kind == "error":
        raise OracleRejected(f"the reference refused the input: {answer.get('errors')}")
    if kind != "single":
        raise OracleRejected(f"the reference ran a {kind!r} simulation; cases use concrete resources")
    if answer.get("ignoredContextKeys"):
        raise OracleIgnoredKeys(f"the reference ignored context keys {answer['ignoredContextKeys']} "
                                f"as foreign to the action")
    return EFFECTS[answer["overall"]]


def oracle_decision(oracle, case: Case) -> Tuple[str, dict]:
    answer = oracle.ask(to_simulation(case))
    return oracle_effect(answer), answer
