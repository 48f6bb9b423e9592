"""Running one case request: build the request and the PolicySet, decide, compare.

Used by the pytest plugin and usable without it. Nothing here imports pytest.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional

from .errors import SourceError
from .model import CaseRequest, CaseSpec
from .sources import PolicyLoader

#: How a decision's effect is written in the file's vocabulary.
EFFECT_WORD = {"Allow": "allow", "ExplicitDeny": "explicit-deny", "ImplicitDeny": "implicit-deny"}


class CaseError(SourceError):
    """A case whose request cannot be built (the engine refused a principal,
    action, resource or context value). Fails that case with its line."""


@dataclass(frozen=True, eq=False)
class CaseResult:
    """The outcome of one case request, kept for reporters.

    ``passed`` is whether the decision met ``expect`` and ``denied_by``;
    ``mismatch`` is ``None`` when it passed, else ``"expect"`` (the decision
    differs) or ``"denied_by"`` (denied, but not by the named layer).
    """

    case: CaseSpec
    request_spec: CaseRequest
    request: Any          # iamtest.Request
    policies: Any         # iamtest.PolicySet
    decision: Any         # iamtest.Decision
    passed: bool
    mismatch: Optional[str]

    @property
    def expected(self) -> str:
        return self.case.expect

    @property
    def actual(self) -> str:
        return EFFECT_WORD.get(self.decision.effect, self.decision.effect)

    @property
    def deciding_layers(self) -> tuple:
        """The layers whose statements decided, in order, without repeats."""
        seen = []
        for ref in self.decision.deciding:
            if ref.layer not in seen:
                seen.append(ref.layer)
        return tuple(seen)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-able summary (travels with pytest reports, also under xdist)."""
        case = self.case
        return {
            "file": case.file, "line": case.line, "case": case.name,
            "id": self.request_spec.id, "expect": case.expect, "denied_by": case.denied_by,
            "actual": self.actual, "passed": self.passed, "mismatch": self.mismatch,
            "refused_by": list(self.decision.refused_by),
            "decision": self.decision.to_dict(),
        }


def build_request(cr: CaseRequest):
    """The engine request of a case request. Raises :class:`CaseError`."""
    from iamtest import make_request

    case = cr.case
    try:
        return make_request(cr.principal, cr.action, cr.resource,
                            resource_account=case.resource_account, context=dict(case.context))
    except ValueError as exc:
        text = str(exc)
        key = next((k for k in ("principal", "action", "resource_account", "resource", "context")
                    if text.startswith(k) or f" {k} " in f" {text} "), None)
        line = case.line_of(key) if key and key in case.lines else case.line
        raise CaseError(f"{case.label}: {text}", case.file, line) from None


def compare(case: CaseSpec, decision) -> Optional[str]:
    """None when the decision meets the case's expectation, else what differs."""
    if not decision.expectation_matches(case.expect):
        return "expect"
    if case.denied_by is not None and case.denied_by not in decision.refused_by:
        return "denied_by"
    return None


def run_case(cr: CaseRequest, loader: PolicyLoader) -> CaseResult:
    """Decide one case request. Raises :class:`SourceError` (a policy that
    cannot be used) or :class:`CaseError` (a request that cannot be built)."""
    from iamtest import decide

    case = cr.case
    policies = loader.policy_set(case.policies, case.endpoint_type)
    request = build_request(cr)
    decision = decide(policies, request)
    mismatch = compare(case, decision)
    return CaseResult(case, cr, request, policies, decision, mismatch is None, mismatch)
