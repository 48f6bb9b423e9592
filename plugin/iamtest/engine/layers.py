"""The request path: which policies sit in which layer, and the per-layer verdicts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

from .model import ALLOW, DENY, Policy, PolicyError, Statement
from .compiled import compiled, identity_cached, request_service

LAYERS = ("identity", "resource", "endpoint", "boundary", "session", "scp", "rcp")
ENDPOINT_TYPES = ("interface", "gateway")

#: Verdicts of one layer.
V_ALLOW, V_EXPLICIT_DENY, V_IMPLICIT_DENY, V_NOT_APPLICABLE = (
    "allow", "explicit-deny", "implicit-deny", "not-applicable")


@dataclass(frozen=True)
class PolicySet:
    """The policies on the request path. A layer left as None is not on it.

    ``identity`` is a tuple of policies (an empty tuple: named, but no
    policy); ``scp`` and ``rcp`` are tuples of levels, root first, each level a
    tuple of the policies attached there.
    """

    identity: Optional[Tuple[Policy, ...]] = None
    resource: Optional[Policy] = None
    endpoint: Optional[Policy] = None
    endpoint_type: str = "interface"
    boundary: Optional[Policy] = None
    session: Optional[Policy] = None
    scp: Optional[Tuple[Tuple[Policy, ...], ...]] = None
    rcp: Optional[Tuple[Tuple[Policy, ...], ...]] = None

    def __post_init__(self):
        if isinstance(self.identity, Policy):
            object.__setattr__(self, "identity", (self.identity,))
        elif self.identity is not None:
            object.__setattr__(self, "identity", tuple(self.identity))
        for name in ("scp", "rcp"):
            levels = getattr(self, name)
            if levels is not None:
                object.__setattr__(self, name, tuple(
                    (lvl,) if isinstance(lvl, Policy) else tuple(lvl) for lvl in levels))
        if self.endpoint_type not in ENDPOINT_TYPES:
            raise ValueError(f"endpoint_type must be `interface` or `gateway`; got {self.endpoint_type!r}")
        if self.endpoint is not None and self.endpoint_type == "gateway":
            check_gateway_principals(self.endpoint)

    def levels(self, layer: str) -> Tuple[Tuple[Policy, ...], ...]:
        """Every layer as a tuple of levels (one level for the flat layers)."""
        value = getattr(self, layer)
        if value is None:
            return ()
        if layer in ("scp", "rcp"):
            return value
        if layer == "identity":
            return (value,)
        return ((value,),)

    def named(self) -> Tuple[str, ...]:
        return tuple(layer for layer in LAYERS if getattr(self, layer) is not None)

    def policies(self):
        """(layer, level index, policy) for every policy on the path."""
        for layer in LAYERS:
            for level, policies in enumerate(self.levels(layer)):
                for policy in policies:
                    yield layer, level, policy


def check_gateway_principals(policy: Policy) -> None:
    """Gateway endpoints grant principals only through aws:PrincipalArn.

    AWS documents that a gateway endpoint policy's Principal can only be
    ``*`` or an account (meaning its root user); any other principal is an
    error pointing at the condition key.
    """
    for stmt in policy.statements:
        spec = stmt.principal or stmt.not_principal
        if spec is None or spec.wildcard:
            continue
        for ptype, value in spec.values():
            if ptype == "AWS" and (value == "*" or value.isdigit() or value.endswith(":root")):
                continue
            raise PolicyError(
                f"{stmt.label}: a gateway endpoint policy cannot name the principal {value!r}; "
                f"use \"Principal\": \"*\" with a condition on aws:PrincipalArn "
                f"(for example ArnEquals {{\"aws:PrincipalArn\": \"{value}\"}})",
                policy.source, stmt.location.line)


@dataclass(frozen=True)
class StatementRef:
    """A pointer to one statement: enough for reports, coverage and annotations."""

    layer: str
    level: int
    policy: Policy = field(compare=False, repr=False)
    statement: Statement = field(compare=False, repr=False)

    @property
    def source(self) -> str:
        return self.policy.source

    @property
    def line(self) -> Optional[int]:
        return self.statement.location.line

    @property
    def effect(self) -> str:
        return self.statement.effect

    @property
    def label(self) -> str:
        return self.statement.label

    def key(self) -> Tuple:
        return (self.policy.source, self.statement.index)

    def describe(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{self.statement.effect} {self.label} in {where}"

    def to_dict(self) -> dict:
        return {"layer": self.layer, "level": self.level, "source": self.source,
                "sid": self.statement.sid, "index": self.statement.index, "line": self.line,
                "effect": self.effect}


@dataclass(frozen=True)
class LayerResult:
    layer: str
    verdict: str
    allows: Tuple[StatementRef, ...] = ()
    denies: Tuple[StatementRef, ...] = ()
    note: str = ""
    missing_levels: Tuple[int, ...] = ()  # scp/rcp levels with no allow
    grant_form: Optional[str] = None  # resource layer: how the caller was named

    def to_dict(self) -> dict:
        out = {"layer": self.layer, "verdict": self.verdict,
               "allows": [r.to_dict() for r in self.allows],
               "denies": [r.to_dict() for r in self.denies]}
        if self.note:
            out["note"] = self.note
        if self.missing_levels:
            out["missing_levels"] = list(self.missing_levels)
        if self.grant_form:
            out["grant_form"] = self.grant_form
        return out


_FORM_RANK = {"direct": 0, "role": 1, "account": 2, "applies": 3}


class Plan:
    """A PolicySet prepared for evaluation, built once per PolicySet object.

    It holds each layer's policies with their compiled forms, and makes each
    :class:`StatementRef` and :class:`LayerResult` once: every request that
    matches the same statements gets the same (immutable) objects, so a run
    of many requests holds them once, and :func:`~iamtest.engine.decide.decide`
    can remember how a combination of layer results combines (``outcomes``).
    Results it made are told apart by identity (:meth:`owns`): StatementRef
    equality compares only the layer and level.
    """

    __slots__ = ("layers", "named", "gateway", "outcomes", "_refs", "_results", "_owned")

    def __init__(self, policies: PolicySet):
        self.layers = {layer: tuple((level, tuple((p, compiled(p)) for p in level_policies))
                                    for level, level_policies in enumerate(policies.levels(layer)))
                       for layer in LAYERS}
        #: The layers on the request path, in order (an SCP/RCP layer needs a level).
        self.named = tuple(layer for layer in LAYERS if getattr(policies, layer) is not None
                           and (layer not in ("scp", "rcp") or self.layers[layer]))
        self.gateway = policies.endpoint_type == "gateway"
        self.outcomes: dict = {}
        self._refs: dict = {}
        self._results: dict = {}
        self._owned: set = set()

    def ref(self, layer: str, level: int, policy: Policy, cs) -> StatementRef:
        key = (layer, level, id(cs))   # the plan keeps cs alive (through its policy's compiled form)
        found = self._refs.get(key)
        if found is None:
            found = self._refs[key] = StatementRef(layer, level, policy, cs.statement)
        return found

    def result(self, layer: str, verdict: str, allows: Tuple[StatementRef, ...],
               denies: Tuple[StatementRef, ...], note: str, missing: Tuple[int, ...],
               form: Optional[str]) -> LayerResult:
        key = (layer, verdict, tuple(map(id, allows)), tuple(map(id, denies)), note, missing, form)
        found = self._results.get(key)
        if found is None:
            found = self._results[key] = LayerResult(layer, verdict, allows, denies, note, missing, form)
            self._owned.add(id(found))
        return found

    def owns(self, result: LayerResult) -> bool:
        return id(result) in self._owned


_PLANS: dict = {}


def plan_for(policies: PolicySet) -> Plan:
    """The :class:`Plan` of ``policies``, kept while the PolicySet object lives."""
    return identity_cached(_PLANS, policies, Plan)


def evaluate_layer(policies: PolicySet, layer: str, request, has_boundary: bool, note: str = "",
                   plan: Optional[Plan] = None) -> LayerResult:
    """Match every statement of one layer; the verdict before cross-layer rules.

    Each statement is asked as :func:`~iamtest.engine.statement.match_statement`
    states it, through its compiled form; statements whose actions name only
    other services are skipped (see :mod:`iamtest.engine.compiled`). ``plan``
    is ``plan_for(policies)`` when the caller has it already.
    """
    plan = plan or plan_for(policies)
    gateway = layer == "endpoint" and plan.gateway
    allows, denies, missing = [], [], []
    best_form = None
    service = request_service(request.action)
    lowered = request.action.lower()
    levels = plan.layers[layer]
    for level, entries in levels:
        level_allows = False
        for policy, cp in entries:
            for cs in cp.candidates(service):
                form = cs.match(request, lowered, gateway, has_boundary)
                if form is None:
                    continue
                ref = plan.ref(layer, level, policy, cs)
                if cs.is_deny:
                    denies.append(ref)
                else:
                    allows.append(ref)
                    level_allows = True
                    if best_form is None or _FORM_RANK[form] < _FORM_RANK[best_form]:
                        best_form = form
        if not level_allows:
            missing.append(level)
    if denies:
        verdict = V_EXPLICIT_DENY
    elif allows and not missing:
        verdict = V_ALLOW
    else:
        verdict = V_IMPLICIT_DENY
    if layer in ("scp", "rcp") and not levels:
        missing = []
    return plan.result(layer, verdict, tuple(allows), tuple(denies), note, tuple(missing),
                       best_form if layer == "resource" else None)


def not_applicable(layer: str, note: str) -> LayerResult:
    return LayerResult(layer, V_NOT_APPLICABLE, note=note)
