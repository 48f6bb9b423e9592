"""The text a failing access test shows (also used for passing ones with --iamtest-explain).

No pytest here: these functions take the spec and result values and return
strings, so the CLI and reporters can reuse them.
"""
from __future__ import annotations

from typing import List

from ..spec.errors import SourceError
from ..spec.evaluate import EFFECT_WORD, CaseError, CaseResult
from ..spec.model import CaseRequest, CaseSpec, PropertySpec
from ..spec.sources import sources_in


def explanation(decision, request) -> str:
    """The evaluator's explanation of a decision."""
    from iamtest.explain import render_text

    return render_text(decision, request)


def heading(case: CaseSpec, request: CaseRequest | None = None) -> str:
    suffix = f" {request.suffix}" if request is not None and request.suffix else ""
    return f"case '{case.name}'{suffix} at {case.file}:{case.line}"


def expected_text(case: CaseSpec) -> str:
    text = case.expect
    if case.denied_by:
        text += f", refused by {case.denied_by}"
    return text


def actual_text(decision) -> str:
    text = EFFECT_WORD.get(decision.effect, decision.effect)
    if not decision.allowed:
        text += ", refused by " + (", ".join(decision.refused_by) or "no layer on its own")
    return text


def layer_lines(case: CaseSpec) -> List[str]:
    if not case.policies:
        return ["policies: none (no layer on the request path)"]
    by_layer: dict = {}
    for layer, source in sources_in(case.policies):
        by_layer.setdefault(layer, []).append(source.describe())
    lines = ["policies:"]
    for layer, names in by_layer.items():
        extra = f" ({case.endpoint_type} endpoint)" if layer == "endpoint" else ""
        lines.append(f"  {layer}: {', '.join(names)}{extra}")
    return lines


def denied_by_sentence(result: CaseResult) -> str:
    case, decision = result.case, result.decision
    layer = case.denied_by
    if layer not in case.policies:
        return (f"the request is denied, but `{layer}` is not on this case's request path "
                f"(no {layer} policy is named)")
    others = ", ".join(decision.refused_by)
    if others:
        return (f"the request is denied, but the {layer} layer does not refuse it on its own; "
                f"the layers that do: {others}")
    return (f"the request is denied, but the {layer} layer does not refuse it on its own; "
            f"no single layer does (the combination of layers denies it)")


def failure_text(result: CaseResult) -> str:
    """The full report of a case whose decision differs from its expectation."""
    lines = [heading(result.case, result.request_spec),
             f"expected: {expected_text(result.case)}",
             f"actual:   {actual_text(result.decision)}"]
    if result.mismatch == "denied_by":
        lines.append(denied_by_sentence(result))
    lines += layer_lines(result.case)
    lines.append("")
    lines.append(explanation(result.decision, result.request))
    return "\n".join(lines)


def passing_text(result: CaseResult) -> str:
    """What --iamtest-explain shows for a passing case."""
    return "\n".join([heading(result.case, result.request_spec),
                      f"expected: {expected_text(result.case)}",
                      f"actual:   {actual_text(result.decision)}",
                      explanation(result.decision, result.request)])


def source_error_text(case: CaseSpec | PropertySpec, error: SourceError,
                      request: CaseRequest | None = None) -> str:
    """A case (or property) that could not run because of a policy or request."""
    if isinstance(case, PropertySpec):
        head = f"property '{case.name}' at {case.file}:{case.line}"
    else:
        head = heading(case, request)
    if isinstance(error, CaseError):
        return f"{head}\nthe request cannot be built:\n  {error}"
    return f"{head}\na policy on the request path cannot be used:\n  {error}"
