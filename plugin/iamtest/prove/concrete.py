"""From a z3 model back to a concrete request, and the replay through ``decide``.

The concrete request is what a case would say: principal, action, resource,
resource account and the context keys the question mentions (absent keys are
left out). Keys AWS derives from the principal are left to
:func:`iamtest.make_request`, and then compared with what the symbolic request
derived: any difference is a bug in the prover and raises
:class:`~iamtest.prove.errors.ReplayMismatch`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, Optional

from ..engine.decide import Decision, decide
from ..engine.layers import PolicySet
from ..engine.request import ROLE, SESSION, USER, Request, make_request
from ._z3 import z3mod
from .errors import ReplayMismatch
from .keys import TIME_KEYS
from .shapes import dim_value
from .symbolic import KINDS, SymRequest
from .values import iso_text


@dataclass
class ConcreteRequest:
    principal: str
    action: str
    resource: str
    resource_account: Optional[str]
    context: Dict[str, object] = field(default_factory=dict)
    absent: tuple = ()  # keys the question mentions that the request does not carry

    def as_dict(self) -> dict:
        out = {"principal": self.principal, "action": self.action, "resource": self.resource}
        if self.resource_account is not None:
            out["resource_account"] = self.resource_account
        out["context"] = dict(self.context)
        return out

    def request(self) -> Request:
        return make_request(self.principal, self.action, self.resource,
                            resource_account=self.resource_account, context=dict(self.context))


def _true(model, expr) -> bool:
    z3 = z3mod()
    return z3.is_true(model.eval(expr, model_completion=True))


def _int(model, expr) -> int:
    return model.eval(expr, model_completion=True).as_long()


def _str(model, expr) -> str:
    return model.eval(expr, model_completion=True).as_string()


def pretty_action(action: str, texts: Iterable[str]) -> str:
    """The request's action spelled as some policy or property writes it."""
    for text in texts:
        if text.lower() == action:
            return text
    try:
        from ..catalog import get_catalog
        return get_catalog().canonical_action(action) or action
    except Exception:  # the catalog is optional: keep the lower-case name
        return action


def concretize(req: SymRequest, model, texts: Iterable[str] = ()) -> ConcreteRequest:
    kind = KINDS[_int(model, req.kind)]
    principal = req.text.concrete(model)
    action = pretty_action(dim_value(req.action, model), texts)
    resource = req.resource.concrete(model)
    account = dim_value(req.res_account, model) if _true(model, req.res_account_set) else None
    context: Dict[str, object] = {}
    absent = []
    for info in req.plan.keys.values():
        kv = req.keys[info.lower]
        if info.lower in TIME_KEYS:
            seconds = _int(model, req.time)
            context[info.name] = iso_text(seconds) if info.lower == "aws:currenttime" else str(seconds)
            continue
        if info.lower == "aws:userid" and kind in (USER, ROLE, SESSION):
            present, value = kv.free_parts
            if _true(model, present):
                context[info.name] = value.concrete(model)
            else:
                absent.append(info.name)
            continue
        if info.derived:
            continue
        if not _true(model, kv.present):
            absent.append(info.name)
            continue
        if _true(model, kv.is_list()):
            n = _int(model, kv.count)
            context[info.name] = [e.concrete(model) for e in kv.elems[:n]]
        else:
            context[info.name] = kv.single.concrete(model)
    return ConcreteRequest(principal, action, resource, account, context, tuple(absent))


def check_derived(req: SymRequest, model, request: Request) -> None:
    """The keys the engine derived must be the ones the formula assumed."""
    problems = []
    for info in req.plan.keys.values():
        if not info.derived or info.lower in TIME_KEYS:
            continue
        kv = req.keys[info.lower]
        present = _true(model, kv.present)
        actual = request.context.get(info.name)
        expected = kv.single.concrete(model) if present else None
        got = actual.values[0] if actual is not None and actual.values else None
        if present != (actual is not None) or (present and expected != got):
            problems.append(f"{info.name}: the prover assumed {expected!r}, the engine derived {got!r}")
    if problems:
        raise ReplayMismatch("derived context keys differ:\n  " + "\n  ".join(problems))


def replay(req: SymRequest, model, policies: PolicySet, expect_allowed: bool, texts: Iterable[str] = (),
           what: str = "") -> "Replay":
    """Rebuild the request, decide it concretely, and insist on ``expect_allowed``."""
    concrete = concretize(req, model, texts)
    try:
        request = concrete.request()
    except ValueError as exc:
        raise ReplayMismatch(f"the counterexample is not a request the engine accepts: {exc}\n"
                             f"request: {concrete.as_dict()}") from None
    check_derived(req, model, request)
    decision = decide(policies, request)
    if decision.allowed != expect_allowed:
        raise ReplayMismatch(
            f"{what or 'the question'}: the prover found a request it believes is "
            f"{'allowed' if expect_allowed else 'denied'}, the evaluator says {decision.effect}.\n"
            f"request: {concrete.as_dict()}\n"
            f"absent keys: {', '.join(concrete.absent) or 'none'}\n"
            f"evaluator: {decision.summary}")
    return Replay(concrete, request, decision)


@dataclass
class Replay:
    concrete: ConcreteRequest
    request: Request
    decision: Decision
