"""A PolicySet as a formula: "the request is allowed", mirroring ``decide``.

Statement by statement (:func:`iamtest.engine.statement.match_statement`),
layer by layer (:func:`iamtest.engine.layers.evaluate_layer`) and across layers
(:func:`iamtest.engine.decide.decide`): applicability of each layer to the
caller, explicit denies, SCP/RCP levels, the endpoint policy, the permissions
boundary and session policy, same- and cross-account grants and how a
resource policy names the caller (directly, by role, by account).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List

from ..engine.apigateway import is_abbreviated
from ..engine.layers import LAYERS, PolicySet
from ..engine.model import DENY, Policy, PrincipalSpec, Statement
from ..engine.request import FEDERATED, ROLE, ROOT, SERVICE, SESSION, USER
from ..engine.variables import has_variables
from ..engine.wildcard import STAR
from ._z3 import z3mod
from .automata import lit
from .conditions import ConditionEncoder
from .errors import UnsupportedConstruct
from .symbolic import SymRequest

#: S3 API reference (GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy): the bucket
#: owner's root user can always call them, "even if their bucket policy explicitly denies"
#: it; mirrors iamtest.engine.decide.
BUCKET_POLICY_ACTIONS = ("s3:getbucketpolicy", "s3:putbucketpolicy", "s3:deletebucketpolicy")


@dataclass
class Forms:
    """How a statement's Principal names the caller: directly, by role, by account."""

    direct: object
    role: object
    account: object


@dataclass
class LayerFormulas:
    applicable: object
    deny: object            # an applicable Deny statement matches
    allow: object           # the layer's verdict is allow
    direct: object = None   # resource layer: an allowing statement names the caller directly
    role: object = None     # ... by its role
    every: object = None    # every level has a matching Allow


@dataclass
class Compiled:
    """The formulas of one PolicySet over one symbolic request."""

    allowed: object
    explicit_deny: object
    layers: Dict[str, LayerFormulas]
    identity_allows: object = None  # the identity layer's verdict, root user's full access included


class Compiler:
    def __init__(self, req: SymRequest):
        self.req = req
        self.z3 = z3mod()
        self.conditions = ConditionEncoder(req)

    # -- statement elements ------------------------------------------------------------------

    def action(self, stmt: Statement):
        z3, req = self.z3, self.req
        patterns = stmt.actions if stmt.actions is not None else stmt.not_actions
        if "*" in patterns:
            hit = z3.BoolVal(True)
        else:
            hits = [req.action.mem(req.pats.glob(p, ignore_case=True)) for p in patterns]
            hit = z3.Or(*hits) if len(hits) > 1 else hits[0]
        return hit if stmt.actions is not None else z3.Not(hit)

    def resource(self, policy: Policy, stmt: Statement):
        z3, req = self.z3, self.req
        if stmt.resources is None and stmt.not_resources is None:
            return z3.BoolVal(True)
        entries = stmt.resources if stmt.resources is not None else stmt.not_resources
        where = str(stmt.location)
        resource = req.resource
        parts = []
        for entry in entries:
            if is_abbreviated(entry):
                raise UnsupportedConstruct(
                    f"API Gateway's abbreviated resource {entry!r} (expanded with the ARN of the "
                    f"API each request goes to); write the API's full ARN to prove properties", where)
            if entry == "*":
                parts.append(z3.BoolVal(True))
            elif policy.variables_enabled and has_variables(entry):
                for guard, pieces in self.conditions.resolver.alternatives(entry, True, True, where):
                    if pieces is None:
                        continue  # an entry whose variable has no value matches nothing
                    if len(pieces) == 1 and pieces[0] == STAR:
                        parts.append(guard)
                    else:
                        flat = req.pats.resource_pieces(pieces, where)
                        parts.append(z3.And(guard, resource.mem(flat, where)))
            else:
                parts.append(resource.mem(req.pats.resource(entry, where), where))
        hit = z3.Or(*parts) if len(parts) > 1 else (parts[0] if parts else z3.BoolVal(False))
        return hit if stmt.resources is not None else z3.Not(hit)

    def forms(self, spec: PrincipalSpec, gateway: bool) -> Forms:
        """:func:`iamtest.engine.statement.principal_form`, value by value."""
        z3, req = self.z3, self.req
        direct, role, account = [], [], []
        text = req.text
        for ptype, value in spec.values():
            if ptype == "*" or (ptype == "AWS" and value == "*"):
                direct.append(z3.BoolVal(True))
            elif ptype == "Service":
                direct.append(z3.And(req.is_kind(SERVICE), req.named(req.service, value)))
            elif ptype in ("Federated", "CanonicalUser"):
                direct.append(text.mem(lit(value)))
            elif value.isdigit():
                same = z3.And(req.is_iam, req.named(req.account, value))
                direct.append(z3.And(same, req.is_kind(ROOT)))
                if not gateway:
                    account.append(z3.And(same, z3.Not(req.is_kind(ROOT))))
            else:
                parts = value.split(":", 5)
                partition, acct, resource = parts[1], parts[4], parts[5]
                base = req.root_arn_equals(partition, acct)
                if resource == "root":
                    direct.append(z3.And(base, req.is_kind(ROOT)))
                    if not gateway:
                        account.append(z3.And(base, z3.Not(req.is_kind(ROOT))))
                    continue
                direct.append(z3.And(base, req.is_kind(USER, SESSION, FEDERATED), text.mem(lit(value))))
                if parts[2] == "iam" and resource.startswith("role/"):
                    name = resource.rsplit("/", 1)[-1]
                    role.append(z3.And(base, req.is_kind(ROLE, SESSION), req.named(req.name, name)))
        f = lambda xs: z3.Or(*xs) if xs else z3.BoolVal(False)  # noqa: E731
        return Forms(f(direct), f(role), f(account))

    def not_principal_excludes(self, spec: PrincipalSpec):
        """:func:`iamtest.engine.statement.not_principal_excludes`."""
        z3, req = self.z3, self.req
        if spec.wildcard or "*" in spec.aws:
            return z3.BoolVal(True)  # NotPrincipal "*" excludes every caller
        names = [v for t, v in spec.values() if t == "AWS"]
        service = z3.And(req.is_kind(SERVICE), z3.Or(*[req.named(req.service, s) for s in spec.service])) \
            if spec.service else z3.BoolVal(False)
        listed = []
        for n in names:
            if n.isdigit():
                listed.append(req.named(req.account, n))
            elif n.startswith("arn:"):
                parts = n.split(":", 5)
                if len(parts) == 6 and parts[2] == "iam" and parts[3] == "" and parts[5] == "root":
                    listed.append(req.root_arn_equals(parts[1], parts[4]))
        account_listed = z3.And(req.is_iam, z3.Or(*listed)) if listed else z3.BoolVal(False)
        text = req.text
        arn_listed = z3.Or(*[text.mem(lit(n)) for n in names]) if names else z3.BoolVal(False)
        iam = z3.And(account_listed, z3.Or(req.is_kind(ROOT), arn_listed))
        return z3.Or(service, iam)

    def statement(self, policy: Policy, stmt: Statement, gateway: bool, has_boundary):
        """(matches-without-principal, Forms or None, principal-applies) for one statement."""
        z3 = self.z3
        rest = [self.action(stmt), self.resource(policy, stmt)]
        rest += [self.conditions.clause(c, policy) for c in stmt.conditions]
        body = z3.And(*rest)
        if stmt.principal is not None:
            forms = self.forms(stmt.principal, gateway)
            return body, forms, z3.Or(forms.direct, forms.role, forms.account)
        if stmt.not_principal is not None:
            return body, None, z3.Or(has_boundary, z3.Not(self.not_principal_excludes(stmt.not_principal)))
        return body, None, z3.BoolVal(True)

    # -- layers and the decision ---------------------------------------------------------------

    def layer(self, policies: PolicySet, name: str, applicable, has_boundary) -> LayerFormulas:
        z3 = self.z3
        gateway = name == "endpoint" and policies.endpoint_type == "gateway"
        denies, levels, direct, role = [], [], [], []
        for level_policies in policies.levels(name):
            allows = []
            for policy in level_policies:
                for stmt in policy.statements:
                    body, forms, who = self.statement(policy, stmt, gateway, has_boundary)
                    match = z3.And(body, who)
                    if stmt.effect == DENY:
                        denies.append(match)
                    else:
                        allows.append(match)
                        if forms is not None:
                            direct.append(z3.And(body, forms.direct))
                            role.append(z3.And(body, forms.role))
            levels.append(z3.Or(*allows) if allows else z3.BoolVal(False))
        deny = z3.And(applicable, z3.Or(*denies)) if denies else z3.BoolVal(False)
        every = z3.And(*levels) if levels else z3.BoolVal(False)
        allow = z3.And(applicable, z3.Not(deny), every)
        any_ = lambda xs: z3.Or(*xs) if xs else z3.BoolVal(False)  # noqa: E731
        return LayerFormulas(applicable, deny, allow, any_(direct), any_(role), every)

    def compile(self, policies: PolicySet) -> Compiled:
        z3, req = self.z3, self.req
        t, f = z3.BoolVal(True), z3.BoolVal(False)
        root = req.is_kind(ROOT)
        iam = req.is_iam
        has_boundary = z3.And(iam, z3.Not(root)) if policies.boundary is not None else f
        linked = req.service_linked
        applicability = {
            "identity": iam, "resource": t, "endpoint": t,
            "boundary": z3.And(iam, z3.Not(root)), "session": z3.And(iam, z3.Not(root)),
            "scp": z3.And(iam, z3.Not(linked)), "rcp": z3.Not(linked),
        }
        layers: Dict[str, LayerFormulas] = {}
        for name in LAYERS:
            if getattr(policies, name) is None or (name in ("scp", "rcp") and not policies.levels(name)):
                continue
            layers[name] = self.layer(policies, name, applicability[name], has_boundary)

        resource = layers.get("resource")
        if resource is not None:
            # S3's lock-out protection: the bucket owner's root user may always get, put and
            # delete the bucket policy, whatever the bucket policy denies (decide does the same).
            lockout = z3.And(root, req.same_account,
                             z3.Or(*[req.action.mem(lit(a)) for a in BUCKET_POLICY_ACTIONS]))
            resource.deny = z3.And(resource.deny, z3.Not(lockout))
            resource.allow = z3.And(resource.applicable, z3.Not(resource.deny), resource.every)

        identity = layers.get("identity")
        if identity is not None:
            # The account root user: an implicit deny in its identity layer becomes an allow.
            identity_allows = z3.And(identity.applicable, z3.Not(identity.deny),
                                     z3.Or(identity.allow, root))
        else:
            identity_allows = root

        def ok(name):
            lay = layers.get(name)
            return t if lay is None else z3.Or(z3.Not(lay.applicable), lay.allow)

        explicit = z3.Or(*[lay.deny for lay in layers.values()]) if layers else f
        resource = layers.get("resource")
        form_any = resource.allow if resource is not None else f
        direct = z3.And(form_any, resource.direct) if resource is not None else f
        role = z3.And(form_any, z3.Not(direct), resource.role) if resource is not None else f
        boundary_ok, session_ok = ok("boundary"), ok("session")
        identity_path = z3.And(identity_allows, boundary_ok, session_ok)
        same = req.same_account
        iam_grant = z3.If(same, z3.Or(identity_path, direct, z3.And(role, boundary_ok, session_ok)),
                          z3.And(identity_path, form_any))
        grant = z3.If(iam, iam_grant, form_any)
        allowed = z3.And(z3.Not(explicit), grant, ok("scp"), ok("rcp"), ok("endpoint"))
        return Compiled(allowed, explicit, layers, identity_allows)


def compile_policy_set(req: SymRequest, policies: PolicySet) -> Compiled:
    return Compiler(req).compile(policies)


def policies_of(policies: PolicySet) -> List[Policy]:
    return [p for _, _, p in policies.policies()]


def partitions_of(texts) -> List[str]:
    """The partitions the question's ARNs name (``arn:PARTITION:...`` without wildcards)."""
    out: List[str] = []
    for text in texts:
        for m in _PARTITION.finditer(text):
            if m.group(1) not in out:
                out.append(m.group(1))
    return out


_PARTITION = re.compile(r"(?<![A-Za-z0-9])arn:([a-z][a-z0-9-]*):")
