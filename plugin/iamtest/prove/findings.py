"""The access one policy set allows that another does not, as readable findings.

"new allows more than old" is the satisfiability of ``new ∧ ¬old``. A model is
one newly allowed request; it is generalised into a *finding*, a box of
principals × actions × resources described with the policies' own words (an
account, an action or pattern, a resource pattern), checked to hold newly
allowed requests, and then excluded so the next query finds a different box.
Every example request is replayed through the concrete evaluator on both
sides.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from ..engine.arn import resource_matches
from ..engine.decide import Decision, decide
from ..engine.layers import PolicySet
from ..engine.model import ALLOW, Policy
from ..engine.request import ANONYMOUS, ROOT, SERVICE, Request
from ..engine.wildcard import glob_match
from .automata import lit
from ._z3 import z3mod
from .compile import Compiled, policies_of
from .concrete import ConcreteRequest, check_derived, concretize
from .errors import ReplayMismatch
from .question import Question
from .solve import DEFAULT_TIMEOUT_MS, Query

MAX_FINDINGS = 5
MAX_GROUPED = 8


@dataclass
class Finding:
    """Newly allowed requests: ``principals`` × ``actions`` × ``resources``."""

    principals: str
    actions: List[str]
    resources: List[str]
    example: ConcreteRequest
    new_decision: Optional[Decision] = None
    old_decision: Optional[Decision] = None
    statements: List[Tuple[str, Optional[int], str]] = field(default_factory=list)  # (source, line, label)

    def headline(self) -> str:
        return (f"newly allowed: {self.principals} × {', '.join(self.actions)} × "
                f"{', '.join(self.resources)}")

    def to_dict(self) -> dict:
        return {"principals": self.principals, "actions": self.actions, "resources": self.resources,
                "example": self.example.as_dict(),
                "granted_by": [{"source": s, "line": ln, "statement": lab} for s, ln, lab in self.statements]}


@dataclass
class Comparison:
    """What ``new`` allows that ``old`` does not (and whether access was removed)."""

    findings: List[Finding]
    more: bool                         # more findings exist than were listed
    removed: Optional[ConcreteRequest]  # one request old allowed and new does not, if any
    elapsed_ms: float

    @property
    def added(self) -> bool:
        return bool(self.findings)


def _literal_actions(policies: Sequence[Policy]) -> List[str]:
    out = []
    for p in policies:
        for s in p.statements:
            for a in s.actions or ():
                if "*" not in a and "?" not in a and a.lower() not in [x.lower() for x in out]:
                    out.append(a)
    return out


def _allow_patterns(policies: Sequence[Policy], attr: str) -> List[str]:
    out: List[str] = []
    for p in policies:
        for s in p.statements:
            if s.effect != ALLOW:
                continue
            for v in getattr(s, attr) or ():
                if v not in out:
                    out.append(v)
    return out


def _specificity(pattern: str):
    return (pattern.count("*") + pattern.count("?"), -len(pattern))


def rank_formulas(compiled: Compiled, layer: Optional[str]) -> List:
    """Nested formulas ``rank >= 1, 2, ...``: a request's standing in ``layer``
    (None: the whole decision). A resource policy ranks how it names the
    caller: by account (1), by role (2), directly (3), as decide uses it."""
    z3 = z3mod()
    if layer is None:
        return [compiled.allowed]
    if layer == "identity":
        return [compiled.identity_allows]
    lay = compiled.layers[layer]
    if layer != "resource":
        return [lay.allow]
    return [lay.allow, z3.And(lay.allow, z3.Or(lay.direct, lay.role)), z3.And(lay.allow, lay.direct)]


def concrete_rank(policies: PolicySet, request: Request, layer: Optional[str]) -> Tuple[int, Decision]:
    decision = decide(policies, request)
    if layer is None:
        return int(decision.allowed), decision
    result = decision.layer(layer)
    if result is None or result.verdict != "allow":
        return 0, decision
    if layer == "resource":
        return {"account": 1, "role": 2, "direct": 3}.get(result.grant_form, 1), decision
    return 1, decision


class Differ:
    """Findings for the requests ``new`` ranks higher than ``old`` (allows, where
    ``old`` does not), for whole decisions or for one layer."""

    def __init__(self, old: PolicySet, new: PolicySet, layer: Optional[str] = None,
                 timeout_ms: Optional[int] = None, where: str = "diff"):
        z3 = z3mod()
        self.old, self.new, self.layer = old, new, layer
        self.q = Question([old, new], where=where)
        self.z3 = self.q.z3
        old_r = rank_formulas(self.q.compiled[0], layer)
        new_r = rank_formulas(self.q.compiled[1], layer)
        self.added_f = z3.Or(*[z3.And(n, z3.Not(o)) for n, o in zip(new_r, old_r)])
        self.removed_f = z3.Or(*[z3.And(o, z3.Not(n)) for n, o in zip(new_r, old_r)])
        self.timeout_ms = DEFAULT_TIMEOUT_MS if timeout_ms is None else timeout_ms
        self.new_policies = policies_of(new)
        self.actions = _literal_actions(self.new_policies)
        self.action_patterns = _allow_patterns(self.new_policies, "actions")
        self.resource_patterns = _allow_patterns(self.new_policies, "resources")
        self.accounts = sorted({t for t in self.q.texts for t in _accounts_in(t)})
        req = self.q.req
        # Every formula a finding may use is built before the domain is fixed.
        self._action_eq = {a: req.action.mem(lit(a.lower())) for a in self.actions}
        self._action_pat = {p: req.action.mem(req.pats.glob(p, ignore_case=True))
                            for p in self.action_patterns if p != "*"}
        resource = req.resource
        self._resource_pat = {p: resource.mem(req.pats.resource(p)) for p in self.resource_patterns if p != "*"}
        self._account_eq = {a: req.account.mem(lit(a)) for a in self.accounts}
        self._text_eq = {}
        for text in self.q.texts:
            if text.startswith("arn:") and (":user/" in text or ":role/" in text or ":assumed-role/" in text
                                            or ":federated-user/" in text) and "*" not in text:
                self._text_eq[text] = req.text.mem(lit(text))
        self._service_eq = {t: req.service.mem(lit(t)) for t in self.q.texts
                            if t.endswith((".amazonaws.com", ".amazon.com", ".aws.internal"))}
        self.domain = self.q.domain
        self.preferences = self.q.preferences()

    # -- concrete checks -----------------------------------------------------------------------

    def _example(self, model, added: bool):
        concrete = concretize(self.q.req, model, self.q.texts)
        try:
            request = concrete.request()
        except ValueError as exc:
            raise ReplayMismatch(f"the example is not a request the engine accepts: {exc}\n"
                                 f"request: {concrete.as_dict()}") from None
        check_derived(self.q.req, model, request)
        new_rank, new_d = concrete_rank(self.new, request, self.layer)
        old_rank, old_d = concrete_rank(self.old, request, self.layer)
        if (new_rank > old_rank) != added or (new_rank == old_rank):
            where = f"the {self.layer} layer" if self.layer else "the decision"
            raise ReplayMismatch(
                f"the prover found a request the new version {'grants more' if added else 'grants less'} "
                f"than the old one in {where}; the evaluator ranks it new: {new_rank}, old: {old_rank} "
                f"(new: {new_d.effect}, old: {old_d.effect}).\nrequest: {concrete.as_dict()}")
        return concrete, request, new_d, old_d

    # -- the search ----------------------------------------------------------------------------

    def compare(self, max_findings: int = MAX_FINDINGS) -> Comparison:
        z3 = self.z3
        start = time.perf_counter()
        goal = self.added_f
        query = Query(self.domain + [goal], "whether the new version allows a request the old one "
                      "does not", self.timeout_ms)
        findings: List[Finding] = []
        more = False
        while True:
            model = query.check()
            if model is None:
                break
            if len(findings) >= max_findings:
                more = True
                break
            model, _ = query.refine(self.preferences)
            concrete, request, new_d, old_d = self._example(model, True)
            finding, box = self._generalise(query, goal, model, concrete, request)
            finding.new_decision, finding.old_decision = new_d, old_d
            finding.statements = _granting(new_d, self.layer)
            findings.append(finding)
            query.add(z3.Not(box))
        removed = None
        back = Query(self.domain + [self.removed_f],
                     "whether the old version allowed a request the new one does not", self.timeout_ms)
        model = back.check()
        if model is not None:
            model, _ = back.refine(self.preferences)
            removed = self._example(model, False)[0]
        return Comparison(findings, more, removed, (time.perf_counter() - start) * 1000)

    def _generalise(self, query: Query, goal, model, concrete: ConcreteRequest, request: Request):
        z3, req = self.z3, self.q.req
        who = request.principal
        # principals
        if who.kind == ANONYMOUS:
            p_desc, p_box = "anonymous callers", req.is_kind(ANONYMOUS)
        elif who.kind == SERVICE:
            if who.name in self._service_eq:
                p_desc = f"service principal {who.name}"
                p_box = z3.And(req.is_kind(SERVICE), self._service_eq[who.name])
            else:
                p_desc = "other service principals"
                p_box = z3.And(req.is_kind(SERVICE), *[z3.Not(b) for b in self._service_eq.values()])
        else:
            text = who.arn
            if text in self._text_eq:
                p_desc, p_box = f"principal {text}", self._text_eq[text]
            elif who.kind == ROOT and who.account in self._account_eq:
                p_desc = f"the root user of account {who.account}"
                p_box = z3.And(req.is_kind(ROOT), self._account_eq[who.account])
            elif who.account in self._account_eq:
                p_desc = f"principals of account {who.account}"
                p_box = z3.And(req.is_iam, self._account_eq[who.account])
            else:
                p_desc = ("principals of accounts the policies do not name" if self.accounts
                          else "principals of any account")
                p_box = z3.And(req.is_iam, *[z3.Not(b) for b in self._account_eq.values()])
        # actions: the example's action as the policies name it (or the pattern that covers it)
        action = request.action
        named = [a for a in self.actions if a.lower() == action.lower()]
        if named:
            a_cells = [(named[0], self._action_eq[named[0]])]
            other_actions = [(a, self._action_eq[a]) for a in self.actions if a != named[0]]
        else:
            pats = [p for p in self.action_patterns if glob_match(p, action.lower(), ignore_case=True)]
            best = min(pats, key=_specificity) if pats else "*"
            a_cells = [(best if best != "*" else "any action", self._action_pat.get(best, z3.BoolVal(True)))]
            other_actions = []
        # resources: the most specific allowing pattern that matches the example
        matching = [p for p in self.resource_patterns if resource_matches(p, request.resource)]
        best_r = min(matching, key=_specificity) if matching else "*"
        r_cells = [(best_r if best_r != "*" else "any resource", self._resource_pat.get(best_r, z3.BoolVal(True)))]
        # Widen the box only where every cell of the grid holds newly allowed requests.
        if best_r in self._resource_pat:
            for other in self.resource_patterns:
                if len(r_cells) >= MAX_GROUPED or other == "*" or other in [c[0] for c in r_cells]:
                    continue
                f = self._resource_pat[other]
                if all(query.check(z3.And(p_box, a, f)) is not None for _, a in a_cells):
                    r_cells.append((other, f))
        for name, f in other_actions:
            if len(a_cells) >= MAX_GROUPED:
                break
            if all(query.check(z3.And(p_box, f, r)) is not None for _, r in r_cells):
                a_cells.append((name, f))
        a_list, r_list = [c[0] for c in a_cells], [c[0] for c in r_cells]
        a_or = z3.Or(*[c[1] for c in a_cells])
        r_box = z3.Or(*[c[1] for c in r_cells])
        box = z3.And(p_box, a_or, r_box)
        return Finding(p_desc, a_list, r_list, concrete), box


def _granting(decision: Decision, layer: Optional[str]) -> List[Tuple[str, Optional[int], str]]:
    """The statements that grant the example: the layer's allows, or the deciding ones."""
    if layer is not None:
        result = decision.layer(layer)
        refs = result.allows if result is not None else ()
    else:
        refs = [r for r in decision.deciding if r.layer in ("identity", "resource")] or decision.deciding
    return [(r.source, r.line, r.label) for r in refs]


def _accounts_in(text: str) -> List[str]:
    import re
    return re.findall(r"(?<!\d)\d{12}(?!\d)", text)
