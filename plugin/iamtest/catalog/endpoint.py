"""The rules AWS applies to VPC endpoint policies.

Amazon VPC / AWS PrivateLink guide, "Control access to VPC endpoints using
endpoint policies", section Considerations (quoted as our source):

    "The size of an endpoint policy cannot exceed 20,480 characters,
    including white space."

    "You can't use wildcard characters (* or ?) or numeric condition
    operators with global context keys that reference system-generated
    identifiers (for example, aws:PrincipalAccount or aws:SourceVpc)."

    "When you use a string condition operator, you must use at least six
    consecutive characters before or after each wildcard character."

    "When you specify an ARN in a resource or condition element, the account
    portion of the ARN can include an account ID or a wildcard character,
    but not both."

Where the page is silent we choose, and say so:

* which keys "reference system-generated identifiers": the page gives two
  examples; we check the IAM User Guide's list of sensitive condition keys,
  which holds both (see :mod:`iamtest.catalog.globalkeys`). Those findings
  are errors whatever the operator.
* which operators the six-character rule covers: we check ``StringLike`` and
  ``StringNotLike``, the string operators in which ``*`` and ``?`` are
  wildcards, and report a warning, not an error.
* ``${*}``, ``${?}`` and ``${$}`` are literal characters (IAM policy
  variables, "Special characters"), not wildcards. For the six-character
  rule a policy variable counts as the characters written; for the other
  rules it is one literal character (its value is not known here).
* the Principal element is not checked for the ARN rule (the page names the
  resource and condition elements).
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional

from ..engine.model import Policy, PrincipalSpec, Statement
from .findings import Finding, finding
from .globalkeys import SENSITIVE_LOWER

MAX_CHARACTERS = 20480
MIN_RUN = 6
WILDCARDS = "*?"
_LIKE = ("StringLike", "StringNotLike")
# The three escapes that stand for a literal character, and any other variable.
_ESCAPE = re.compile(r"\$\{[*?$]\}")
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_LITERAL = "\x00"   # stands in for an escaped or substituted character


def _mask(value: str) -> str:
    """Escapes and variables as one literal placeholder each; wildcards kept."""
    return _VARIABLE.sub(_LITERAL, _ESCAPE.sub(_LITERAL, value))


def has_wildcard(value: str) -> bool:
    """Whether a value holds ``*`` or ``?`` outside escapes and policy variables."""
    masked = _mask(value)
    return any(c in masked for c in WILDCARDS)


def short_wildcard(value: str) -> bool:
    """Whether some wildcard has fewer than six non-wildcard characters on both sides."""
    text = _ESCAPE.sub(_LITERAL, value)
    for i, ch in enumerate(text):
        if ch not in WILDCARDS:
            continue
        before = 0
        j = i - 1
        while j >= 0 and text[j] not in WILDCARDS and before < MIN_RUN:
            before += 1
            j -= 1
        after = 0
        j = i + 1
        while j < len(text) and text[j] not in WILDCARDS and after < MIN_RUN:
            after += 1
            j += 1
        if before < MIN_RUN and after < MIN_RUN:
            return True
    return False


def arn_account_mixed(value: str) -> bool:
    """Whether an ARN's account part holds both a wildcard and other characters."""
    masked = _mask(value)
    if not masked.startswith("arn:"):
        return False
    parts = masked.split(":", 5)
    if len(parts) < 6:
        return False
    account = parts[4]
    wild = any(c in WILDCARDS for c in account)
    other = any(c not in WILDCARDS for c in account)
    return wild and other


# ------------------------------------------------------------------- size

def _scalar(text: str) -> Any:
    """The shortest JSON for a value IAM keeps as text (booleans and numbers bare)."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    if isinstance(parsed, (bool, int, float)) and json.dumps(parsed) == text:
        return parsed
    return text


def _one_or_list(values) -> Any:
    values = list(values)
    return values[0] if len(values) == 1 else values


def _principal(spec: PrincipalSpec) -> Any:
    if spec.wildcard and not (spec.aws or spec.service or spec.federated or spec.canonical_user):
        return "*"
    out: Dict[str, Any] = {}
    for name, values in (("AWS", spec.aws), ("Service", spec.service), ("Federated", spec.federated),
                         ("CanonicalUser", spec.canonical_user)):
        if values:
            out[name] = _one_or_list(values)
    return out


def _statement(stmt: Statement) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    if stmt.sid:
        out["Sid"] = stmt.sid
    out["Effect"] = stmt.effect
    for name, spec in (("Principal", stmt.principal), ("NotPrincipal", stmt.not_principal)):
        if spec is not None:
            out[name] = _principal(spec)
    for name, values in (("Action", stmt.actions), ("NotAction", stmt.not_actions),
                         ("Resource", stmt.resources), ("NotResource", stmt.not_resources)):
        if values is not None:
            out[name] = _one_or_list(values)
    if stmt.conditions:
        block: Dict[str, Dict[str, Any]] = {}
        for clause in stmt.conditions:
            block.setdefault(clause.operator, {})[clause.key] = _one_or_list(_scalar(v) for v in clause.values)
        out["Condition"] = block
    return out


def shortest_json(policy: Policy) -> str:
    """The policy as the shortest JSON text that writes it: a lower bound on its size."""
    doc: Dict[str, Any] = {}
    if policy.version:
        doc["Version"] = policy.version
    if policy.id:
        doc["Id"] = policy.id
    doc["Statement"] = _one_or_list(_statement(s) for s in policy.statements)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def policy_size(policy: Policy, text: Optional[str] = None) -> int:
    """Characters of the document: of ``text`` when given, else of :func:`shortest_json`."""
    return len(text) if text is not None else len(shortest_json(policy))


# ------------------------------------------------------------------ checks

def check_endpoint_policy(policy: Policy, text: Optional[str] = None) -> List[Finding]:
    """Findings for the rules AWS applies to VPC endpoint policies (see module docs)."""
    out: List[Finding] = []
    size = policy_size(policy, text)
    if size > MAX_CHARACTERS:
        measured = "" if text is not None else " even written as compact JSON"
        out.append(finding("endpoint-policy-too-large",
                           f"the endpoint policy has {size:,} characters{measured}; AWS accepts at most "
                           f"{MAX_CHARACTERS:,} (including white space)", policy.location))
    for stmt in policy.statements:
        for element, values in (("Resource", stmt.resources), ("NotResource", stmt.not_resources)):
            for value in values or ():
                if arn_account_mixed(value):
                    out.append(_arn_finding(f"{element} {value} in {stmt.label}", stmt.location))
        for clause in stmt.conditions:
            where = f"condition {clause.operator} on {clause.key} in {stmt.label}"
            if clause.key.lower() in SENSITIVE_LOWER:
                if clause.base.startswith("Numeric"):
                    out.append(finding("endpoint-numeric-operator-on-identifier-key",
                                       f"{where}: AWS does not accept numeric operators on {clause.key} "
                                       f"in an endpoint policy (it holds system-generated identifiers)",
                                       clause.location))
                wild = [v for v in clause.values if has_wildcard(v)]
                if wild:
                    out.append(finding("endpoint-wildcard-on-identifier-key",
                                       f"{where}: AWS does not accept wildcards in values of {clause.key} "
                                       f"in an endpoint policy: {', '.join(wild)}", clause.location))
            elif clause.base in _LIKE:
                short = [v for v in clause.values if short_wildcard(v)]
                if short:
                    out.append(finding("endpoint-wildcard-too-short",
                                       f"{where}: AWS requires at least {MIN_RUN} consecutive characters "
                                       f"before or after each wildcard in an endpoint policy: "
                                       f"{', '.join(short)}", clause.location))
            for value in clause.values:
                if arn_account_mixed(value):
                    out.append(_arn_finding(f"{where}: value {value}", clause.location))
    return out


def _arn_finding(where: str, location) -> Finding:
    return finding("endpoint-arn-account-mixed",
                   f"{where}: the account part of an ARN in an endpoint policy is an account id or a "
                   f"wildcard, not both", location)
