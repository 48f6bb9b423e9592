"""Properties: ``never`` / ``always`` over a request set, proven or refuted.

``never``: no request in the set is allowed; the question is whether
``in_set ∧ allowed`` is satisfiable. ``always``: every request in the set is
allowed; the question is ``in_set ∧ ¬allowed``. Unsatisfiable is a proof.
Satisfiable gives a model, turned into a concrete request and replayed
through :func:`iamtest.decide`; the two must agree. Anything else is an
error, never a pass.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from ..engine.decide import Decision
from ..engine.layers import PolicySet
from .caseyaml import case_yaml
from .concrete import ConcreteRequest, replay
from .errors import ProveError
from .question import Question
from .requestset import SetSpec, set_spec
from .solve import DEFAULT_TIMEOUT_MS, Query


@dataclass
class PropertyResult:
    """The outcome of one property: proven, or failed with a counterexample."""

    name: str
    kind: str                      # "never" | "always"
    proven: bool
    elapsed_ms: float
    vacuous: bool = False          # proven because the request set is empty
    counterexample: Optional[ConcreteRequest] = None
    case: Optional[str] = None     # the counterexample as a pasteable case (YAML)
    decision: Optional[Decision] = None
    explanation: str = ""

    @property
    def status(self) -> str:
        return "proven" if self.proven else "failed"

    def to_dict(self) -> dict:
        out = {"name": self.name, "kind": self.kind, "status": self.status,
               "elapsed_ms": round(self.elapsed_ms, 1), "vacuous": self.vacuous}
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample.as_dict()
            out["case"] = self.case
            out["decision"] = self.decision.to_dict()
        return out


@dataclass
class _Prop:
    name: str
    kind: str
    spec: SetSpec
    policies: Optional[Mapping[str, Any]]
    endpoint_type: Optional[str]
    where: str


def _adapt(prop: Any) -> _Prop:
    """A PropertySpec from :mod:`iamtest.spec`, or a property mapping as written in a file."""
    if isinstance(prop, Mapping):
        name = prop.get("name")
        if not isinstance(name, str) or not name:
            raise ProveError("a property needs a `name`")
        kinds = [k for k in ("never", "always") if k in prop]
        if len(kinds) != 1:
            raise ProveError(f"property '{name}': needs exactly one of `never` and `always`")
        kind = kinds[0]
        where = f"property '{name}'"
        return _Prop(name, kind, set_spec(prop[kind], where), None, prop.get("endpoint_type"), where)
    kind = getattr(prop, "kind", None)
    if kind not in ("never", "always"):
        raise ProveError(f"not a property: {prop!r}")
    where = f"{getattr(prop, 'file', '?')}:{getattr(prop, 'line', '?')}: property '{prop.name}'"
    return _Prop(prop.name, kind, set_spec(prop.request_set, where), getattr(prop, "policies", None),
                 getattr(prop, "endpoint_type", None), where)


def check_property(prop: Any, policy_set: PolicySet, *, timeout_ms: Optional[int] = None) -> PropertyResult:
    """Prove or refute one property over ``policy_set``.

    Raises :class:`~iamtest.prove.errors.ProveError` when it cannot decide
    (a construct it cannot encode, a time limit, z3 missing) and
    :class:`~iamtest.prove.errors.ReplayMismatch` when the concrete evaluator
    disagrees with a counterexample.
    """
    start = time.perf_counter()
    p = _adapt(prop)
    timeout_ms = DEFAULT_TIMEOUT_MS if timeout_ms is None else timeout_ms
    question = Question([policy_set], p.spec, p.where)
    allowed = question.compiled[0].allowed
    z3 = question.z3
    goal = allowed if p.kind == "never" else z3.Not(allowed)
    what = (f"whether some request in the set of '{p.name}' is "
            f"{'allowed' if p.kind == 'never' else 'denied'}")
    query = Query(question.domain + [question.in_set, goal], what, timeout_ms)
    model = query.check()
    if model is None:
        vacuous = Query(question.domain + [question.in_set], f"whether the set of '{p.name}' is empty",
                        timeout_ms).check() is None
        elapsed = (time.perf_counter() - start) * 1000
        note = " (the request set is empty: check the property's patterns)" if vacuous else ""
        return PropertyResult(p.name, p.kind, True, elapsed, vacuous,
                              explanation=f"proven for every request in the set{note} "
                                          f"({elapsed:.0f} ms)")
    model, _ = query.refine(question.preferences())
    expect_allowed = p.kind == "never"
    played = replay(question.req, model, policy_set, expect_allowed, question.texts, p.where)
    expect = "deny" if p.kind == "never" else "allow"
    case = case_yaml(f"counterexample to {p.name}", played.concrete, expect, p.policies, p.endpoint_type)
    from ..explain import render_text
    verdict = ("is allowed, but the property says no request in its set may be" if p.kind == "never"
               else f"is {played.decision.effect}, but the property says every request in its set is allowed")
    explanation = (f"counterexample: this request {verdict}.\n"
                   f"As a case (paste it into `cases`; it passes once the policies are fixed):\n"
                   f"{case}\n\n{render_text(played.decision)}")
    elapsed = (time.perf_counter() - start) * 1000
    return PropertyResult(p.name, p.kind, False, elapsed, False, played.concrete, case, played.decision,
                          explanation)
