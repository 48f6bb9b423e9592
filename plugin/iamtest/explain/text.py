"""The explanation people read: a decision rendered as text.

Per layer on the request path: its verdict and the statements that decided
it; for a layer that did not allow, the statements that came closest and the
element that failed; for an explicit deny, the conditions that made the Deny
apply.
"""
from __future__ import annotations

from typing import List, Optional

from ..engine.decide import Decision
from ..engine.layers import V_ALLOW, V_EXPLICIT_DENY, V_IMPLICIT_DENY, V_NOT_APPLICABLE, StatementRef
from ..engine.model import ALLOW
from ..engine.statement import StatementAnalysis, analyze_statement

_HIDDEN_KEYS = {"aws:currenttime", "aws:epochtime"}
_STAGE = {"action": 0, "resource": 1, "principal": 2, "condition": 3}
_MAX_CLOSEST = 3


def render_request(decision: Decision) -> List[str]:
    req = decision.request
    who = req.principal
    if who.account and req.resource_account:
        scope = "same account" if req.same_account else \
            f"cross-account: caller in {who.account}, resource in {req.resource_account}"
    else:
        scope = f"resource account {req.resource_account or 'unknown'}"
    return [f"request: {who.text} -> {req.action} on {req.resource} ({scope})"]


def render_context(decision: Decision) -> List[str]:
    """The request context, last: condition reasons above already quote the keys they read."""
    req = decision.request
    keys = [(v.key, v.values, v.multi) for v in dict(req.context.entries).values()
            if v.key.lower() not in _HIDDEN_KEYS]
    if not keys:
        return []
    return ["context: " + ", ".join(
        f"{k}={list(vals) if multi else vals[0]}" for k, vals, multi in sorted(keys, key=lambda t: t[0].lower()))]


def _analysis(decision: Decision, ref_layer: str, policy, stmt) -> StatementAnalysis:
    policies = decision.policies
    who = decision.request.principal
    gateway = ref_layer == "endpoint" and policies.endpoint_type == "gateway"
    has_boundary = policies.boundary is not None and who.is_iam and who.kind != "root"
    return analyze_statement(policy, stmt, decision.request, ref_layer, gateway, has_boundary)


def _where(policy, stmt) -> str:
    line = stmt.location.line
    return f"{policy.source}:{line}" if line else policy.source


def _deny_lines(decision: Decision, ref: StatementRef) -> List[str]:
    out = [f"    {ref.describe()} applies"]
    analysis = _analysis(decision, ref.layer, ref.policy, ref.statement)
    for clause, result in zip(ref.statement.conditions, analysis.conditions):
        out.append(f"      because {clause.operator} holds: {result.reason}")
    return out


def closest_allows(decision: Decision, layer: str, level: Optional[int] = None) -> List[StatementAnalysis]:
    """The Allow statements of a layer that came nearest to matching."""
    found = []
    for lvl, policies in enumerate(decision.policies.levels(layer)):
        if level is not None and lvl != level:
            continue
        for policy in policies:
            for stmt in policy.statements:
                if stmt.effect != ALLOW:
                    continue
                analysis = _analysis(decision, layer, policy, stmt)
                if not analysis.matched:
                    found.append(analysis)
    found.sort(key=lambda a: -_STAGE.get(a.failed, 0))
    return found[:_MAX_CLOSEST]


def render_layers(decision: Decision) -> List[str]:
    lines = ["layers:"]
    for result in decision.layers:
        head = f"  {result.layer:<9} {result.verdict}"
        if result.note:
            head += f" ({result.note})"
        lines.append(head)
        if result.verdict == V_EXPLICIT_DENY:
            for ref in result.denies:
                lines += _deny_lines(decision, ref)
        elif result.verdict == V_ALLOW:
            for ref in result.allows[:_MAX_CLOSEST]:
                lines.append(f"    {ref.describe()} applies")
            if len(result.allows) > _MAX_CLOSEST:
                lines.append(f"    ... and {len(result.allows) - _MAX_CLOSEST} more")
        elif result.verdict == V_IMPLICIT_DENY:
            levels = result.missing_levels if result.layer in ("scp", "rcp") else (None,)
            for level in levels:
                if level is not None:
                    names = ", ".join(p.source for p in decision.policies.levels(result.layer)[level])
                    lines.append(f"    level {level + 1} ({names}) has no Allow that applies")
                closest = closest_allows(decision, result.layer, level)
                if not closest:
                    lines.append("    no Allow statement in this layer" if level is None else
                                 "      it has no Allow statement")
                for analysis in closest:
                    lines.append(f"    closest: {analysis.statement.label} "
                                 f"({_where(analysis.policy, analysis.statement)}): {analysis.reason}")
        elif result.verdict == V_NOT_APPLICABLE:
            pass
    missing = [layer for layer in decision.refused_by if decision.layer(layer) is None]
    for layer in missing:
        lines.append(f"  {layer:<9} not on the request path (no {layer} policy)")
    return lines


def render_text(decision: Decision, request=None) -> str:
    """The full explanation: decision, request, and every layer's verdict."""
    lines = [f"decision: {decision.effect}: {decision.summary}"]
    if decision.refused_by:
        lines.append(f"refused by: {', '.join(decision.refused_by)}")
    lines += render_request(decision)
    lines += render_layers(decision)
    lines += render_context(decision)
    return "\n".join(lines)
