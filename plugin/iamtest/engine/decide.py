"""Combining the layers into AWS's decision, with the reasons.

The rules, with the AWS pages they come from, are listed in docs/semantics.md:

* An explicit deny in any layer on the request path denies ("Policy
  evaluation logic": deny evaluation comes first).
* SCPs (every level, root to account) apply to the IAM principals of the
  caller's account; RCPs (every level) to the resource's account; both must
  allow. Neither applies to service-linked roles; SCPs do not apply to
  service principals or anonymous callers.
* The VPC endpoint policy, when the request passes through an endpoint, must
  allow; it never grants.
* Same account: an allow in the identity-based policies (limited by the
  permissions boundary and the session policy) or in the resource-based
  policy grants. A resource policy that names the caller's user, role
  session or federated-user ARN (or ``*``) grants even without an identity
  allow, boundary or session allow; one that names the role ARN is limited
  by the boundary and the session policy; one that names the account only
  delegates to the identity-based policies.
* Cross account: the identity path (identity allow within boundary and
  session policy) and the resource-based policy must both allow.
* The account root user has full access within its account: its identity
  layer always allows.
* Service principals and anonymous callers have no identity-based policies:
  only the resource-based policy can grant.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

from .layers import (LAYERS, V_ALLOW, V_EXPLICIT_DENY, V_IMPLICIT_DENY, V_NOT_APPLICABLE, LayerResult,
                     Plan, PolicySet, StatementRef, evaluate_layer, not_applicable, plan_for)
from .request import ANONYMOUS, ROOT, SERVICE, Request
from .statement import ACCOUNT, DIRECT, ROLE_FORM

ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY = "Allow", "ExplicitDeny", "ImplicitDeny"
EXPECTATIONS = ("allow", "deny", "explicit-deny", "implicit-deny")

_SERVICE_LINKED_PREFIX = "AWSServiceRoleFor"


@dataclass(frozen=True)
class Decision:
    """AWS's answer to one request, and why."""

    effect: str
    request: Request
    policies: PolicySet = field(repr=False)
    layers: Tuple[LayerResult, ...]
    refused_by: Tuple[str, ...]
    deciding: Tuple[StatementRef, ...]
    summary: str

    @property
    def allowed(self) -> bool:
        return self.effect == ALLOWED

    def layer(self, name: str) -> Optional[LayerResult]:
        for result in self.layers:
            if result.layer == name:
                return result
        return None

    @property
    def matched(self) -> Tuple[StatementRef, ...]:
        """Every statement that applied to the request, in every layer."""
        return tuple(ref for result in self.layers for ref in result.denies + result.allows)

    def expectation_matches(self, expect: str) -> bool:
        if expect not in EXPECTATIONS:
            raise ValueError(f"expectation must be one of {', '.join(EXPECTATIONS)}; got {expect!r}")
        if expect == "allow":
            return self.effect == ALLOWED
        if expect == "deny":
            return self.effect != ALLOWED
        if expect == "explicit-deny":
            return self.effect == EXPLICIT_DENY
        return self.effect == IMPLICIT_DENY

    def to_dict(self) -> dict:
        return {
            "decision": self.effect,
            "summary": self.summary,
            "request": {
                "principal": self.request.principal.text,
                "action": self.request.action,
                "resource": self.request.resource,
                "resource_account": self.request.resource_account,
                "context": self.request.context.as_dict(),
            },
            "refused_by": list(self.refused_by),
            "deciding": [r.to_dict() for r in self.deciding],
            "layers": [r.to_dict() for r in self.layers],
        }


def _is_service_linked(request: Request) -> bool:
    who = request.principal
    return who.kind in ("role", "assumed-role") and bool(who.name) and who.name.startswith(_SERVICE_LINKED_PREFIX)


#: S3 API reference (DeleteBucketPolicy, PutBucketPolicy, GetBucketPolicy): "To ensure that
#: bucket owners don't inadvertently lock themselves out of their own buckets, the root
#: principal in a bucket owner's Amazon Web Services account can perform the GetBucketPolicy,
#: PutBucketPolicy, and DeleteBucketPolicy API actions, even if their bucket policy explicitly
#: denies the root principal's access."
_BUCKET_POLICY_ACTIONS = {"s3:getbucketpolicy", "s3:putbucketpolicy", "s3:deletebucketpolicy"}


def _root_manages_bucket_policy(request: Request) -> bool:
    return (request.principal.kind == ROOT and request.same_account
            and request.action.lower() in _BUCKET_POLICY_ACTIONS)


def _layer_results(policies: PolicySet, request: Request, plan: Optional[Plan] = None) -> dict:
    who = request.principal
    has_boundary = policies.boundary is not None and who.is_iam and who.kind != ROOT
    results = {}
    for layer in (plan.named if plan is not None else LAYERS):
        if getattr(policies, layer) is None or (layer in ("scp", "rcp") and not policies.levels(layer)):
            continue
        note = ""
        if layer == "identity" and not who.is_iam:
            results[layer] = not_applicable(layer, f"a {who.kind} caller has no identity-based policies")
            continue
        if layer in ("boundary", "session") and (not who.is_iam or who.kind == ROOT):
            results[layer] = not_applicable(layer, f"{layer} policies do not apply to a {who.kind} caller")
            continue
        if layer == "scp" and not who.is_iam:
            results[layer] = not_applicable(layer, f"SCPs do not apply to a {who.kind} caller")
            continue
        if layer in ("scp", "rcp") and _is_service_linked(request):
            results[layer] = not_applicable(layer, f"{layer.upper()}s do not apply to service-linked roles")
            continue
        result = evaluate_layer(policies, layer, request, has_boundary, note, plan)
        if layer == "resource" and result.denies and _root_manages_bucket_policy(request):
            result = LayerResult(layer, V_ALLOW if result.allows else V_IMPLICIT_DENY, result.allows, (),
                                 "the bucket owner's root user can always read, replace and delete the "
                                 "bucket policy, whatever it denies")
        if layer == "identity" and who.kind == ROOT and result.verdict == V_IMPLICIT_DENY:
            result = LayerResult(layer, V_ALLOW, result.allows, result.denies,
                                 "the account root user has full access without identity-based policies")
        results[layer] = result
    if "identity" not in results and who.kind == ROOT:
        results["identity"] = LayerResult("identity", V_ALLOW,
                                          note="the account root user has full access without identity-based policies")
    return results


def decide(policies: PolicySet, request: Request) -> Decision:
    """Evaluate every layer on the request path and combine them as AWS does."""
    plan = plan_for(policies)
    results = _layer_results(policies, request, plan)
    ordered = tuple(results[layer] for layer in LAYERS if layer in results)
    is_iam, same = request.principal.is_iam, request.same_account
    # The combination depends only on the layer results and these two facts. When
    # every result is one the plan made (so its identity stands for its content),
    # the outcome is remembered for the next request with the same results.
    key = None
    if all(plan.owns(r) for r in ordered):
        key = (tuple(map(id, ordered)), is_iam, same)
        known = plan.outcomes.get(key)
        if known is not None:
            return Decision(known[0], request, policies, ordered, known[1], known[2], known[3])
    effect, refused_by, deciding, summary = _combine(results, ordered, is_iam, same)
    if key is not None:
        plan.outcomes[key] = (effect, refused_by, deciding, summary)
    return Decision(effect, request, policies, ordered, refused_by, deciding, summary)


def _combine(results: dict, ordered: Tuple[LayerResult, ...], is_iam: bool, same: bool) -> Tuple:
    """(effect, refused_by, deciding, summary) for the layer results of one request."""
    denying = tuple(r for r in ordered if r.verdict == V_EXPLICIT_DENY)
    if denying:
        deciding = tuple(ref for r in denying for ref in r.denies)
        first = deciding[0]
        return (EXPLICIT_DENY, tuple(r.layer for r in denying), deciding,
                f"explicitly denied by {first.describe()} ({first.layer} layer)")

    def allows(layer):
        result = results.get(layer)
        return result is None or result.verdict in (V_ALLOW, V_NOT_APPLICABLE)

    refused = []
    for guard in ("scp", "rcp", "endpoint"):
        if not allows(guard):
            refused.append(guard)

    identity = results.get("identity")
    identity_allows = identity is not None and identity.verdict == V_ALLOW
    resource = results.get("resource")
    form = resource.grant_form if resource is not None and resource.verdict == V_ALLOW else None
    boundary_ok, session_ok = allows("boundary"), allows("session")

    if not is_iam:
        # Service principals and anonymous callers: only the resource policy grants.
        grant = form is not None
        if not grant:
            refused.append("resource")
        needed = ["resource"]
    else:
        identity_path = identity_allows and boundary_ok and session_ok
        if same:
            direct = form == DIRECT
            role_path = form == ROLE_FORM and boundary_ok and session_ok
            grant = identity_path or direct or role_path
            if not grant:
                if not identity_allows and form not in (DIRECT, ROLE_FORM):
                    refused.append("identity")
                if not direct:
                    refused += [lay for lay, ok in (("boundary", boundary_ok), ("session", session_ok)) if not ok]
            needed = (["resource"] if direct or (role_path and not identity_path) else
                      ["identity", "resource"] if (identity_path and role_path) else ["identity"])
            if form == ACCOUNT and identity_path:
                needed = ["identity", "resource"]
            if not direct:
                needed += ["boundary", "session"]
        else:
            grant = identity_path and form is not None
            if not identity_allows:
                refused.append("identity")
            refused += [lay for lay, ok in (("boundary", boundary_ok), ("session", session_ok)) if not ok]
            if form is None:
                refused.append("resource")
            needed = ["identity", "resource", "boundary", "session"]

    if grant and not refused:
        needed += ["scp", "rcp", "endpoint"]
        deciding = tuple(ref for r in ordered if r.layer in needed for ref in r.allows)
        granted_by = ", ".join(sorted({ref.layer for ref in deciding if ref.layer in ("identity", "resource")})) \
            or "the account root user's full access"
        return (ALLOWED, (), deciding, f"allowed: granted by {granted_by}; "
                f"no explicit deny and every guardrail on the path allows")

    refused_by = tuple(layer for layer in LAYERS if layer in refused)
    reasons = []
    for layer in refused_by:
        result = results.get(layer)
        if result is None:
            reasons.append(f"no {layer} policy grants it" + (" (a cross-account request needs the "
                                                             "resource's policy to allow)" if layer == "resource" else ""))
        elif result.missing_levels and layer in ("scp", "rcp"):
            levels = ", ".join(str(i + 1) for i in result.missing_levels)
            reasons.append(f"no {layer.upper()} at level {levels} allows it")
        else:
            reasons.append(f"no statement in the {layer} layer allows it")
    return (IMPLICIT_DENY, refused_by, (), "implicitly denied: " + "; ".join(reasons))
