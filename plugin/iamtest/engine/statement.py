"""One statement against one request.

``match_statement`` is the fast path (a bool and, for grants, how the
principal was named); ``analyze_statement`` is the slow path that says which
element failed and why, built only when someone reads an explanation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from .apigateway import expand, is_abbreviated
from .arn import resource_matches
from .conditions import evaluate_clause
from .model import Policy, PrincipalSpec, Statement
from .request import (ANONYMOUS, FEDERATED, ROLE, ROOT, SERVICE, SESSION, USER, Principal, Request)
from .variables import has_variables, substitute
from .wildcard import compile_glob

#: How a resource-based policy statement named the caller (strongest first).
#: "direct": the caller's own user / session / federated-user ARN, or "*";
#: "role": the role ARN of a role session; "account": the caller's account.
DIRECT, ROLE_FORM, ACCOUNT = "direct", "role", "account"


@dataclass(frozen=True)
class StatementAnalysis:
    """Why a statement did or did not apply to a request."""

    policy: Policy
    statement: Statement
    matched: bool
    failed: Optional[str]  # None, "action", "resource", "principal" or "condition"
    reason: str
    principal_form: Optional[str] = None
    conditions: Tuple = ()  # ClauseResult per clause, in order, when conditions were evaluated


# --------------------------------------------------------------------- actions

def action_matches(stmt: Statement, action: str) -> bool:
    lowered = action.lower()
    if stmt.actions is not None:
        return any(compile_glob(p, True)(lowered) for p in stmt.actions)
    return not any(compile_glob(p, True)(lowered) for p in stmt.not_actions)


# ------------------------------------------------------------------- resources

def entry_pattern(pattern: str, request: Request, variables_enabled: bool) -> Optional[str]:
    """The pattern one Resource/NotResource entry stands for in ``request``: API
    Gateway's abbreviated form expanded with the request's API (apigateway.py),
    policy variables substituted. None when it stands for nothing: no API to
    expand with, or a policy variable with no value in the request."""
    if is_abbreviated(pattern):
        pattern = expand(pattern, request.resource)
        if pattern is None:
            return None
    if variables_enabled and has_variables(pattern):
        return substitute(pattern, request.context.get, for_pattern=True)
    return pattern


def _entry_matches(policy: Policy, pattern: str, request: Request) -> bool:
    """Whether one Resource/NotResource entry matches; an entry that stands
    for nothing in this request matches nothing."""
    resolved = entry_pattern(pattern, request, policy.variables_enabled)
    return resolved is not None and resource_matches(resolved, request.resource)


def resource_element_matches(policy: Policy, stmt: Statement, request: Request) -> bool:
    if stmt.resources is None and stmt.not_resources is None:
        return True  # a trust policy: the resource is the role the policy is attached to
    if stmt.resources is not None:
        # An entry whose variable cannot be resolved matches nothing.
        return any(_entry_matches(policy, p, request) is True for p in stmt.resources)
    # NotResource: the statement applies when no entry matches. An entry whose
    # variable cannot be resolved excludes nothing.
    return not any(_entry_matches(policy, p, request) is True for p in stmt.not_resources)


# ------------------------------------------------------------------ principals

def principal_form(spec: PrincipalSpec, who: Principal, gateway: bool = False) -> Optional[str]:
    """How ``spec`` (a Principal element) names ``who``; None when it does not.

    On a gateway endpoint a named account means only its root user (AWS:
    gateway endpoint policies grant other principals only through the
    aws:PrincipalArn condition key).
    """
    best = None
    for ptype, value in spec.values():
        form = _value_form(ptype, value, who, gateway)
        if form == DIRECT:
            return DIRECT
        if form == ROLE_FORM or (form == ACCOUNT and best is None):
            best = form
    return best


def _value_form(ptype: str, value: str, who: Principal, gateway: bool) -> Optional[str]:
    if ptype == "*" or (ptype == "AWS" and value == "*"):
        return DIRECT
    if ptype == "Service":
        return DIRECT if who.kind == SERVICE and who.name == value else None
    if ptype in ("Federated", "CanonicalUser"):
        return DIRECT if who.text == value else None
    # AWS: an account id, or an IAM/STS ARN.
    if who.account is None:
        return None
    if value.isdigit():
        if value != who.account:
            return None
        return DIRECT if who.kind == ROOT else (None if gateway else ACCOUNT)
    parts = value.split(":", 5)
    partition, account, resource = parts[1], parts[4], parts[5]
    if partition != who.partition or account != who.account:
        return None
    if resource == "root":
        return DIRECT if who.kind == ROOT else (None if gateway else ACCOUNT)
    if value == who.arn and who.kind in (USER, SESSION, FEDERATED):
        return DIRECT
    if who.kind in (ROLE, SESSION) and parts[2] == "iam" and resource.startswith("role/"):
        if resource.rsplit("/", 1)[-1] == who.name:
            # A role session carries the role name but not its path: match by name.
            # A bare role principal stands for "a session of this role": for it,
            # too, naming the role ARN is the role grant.
            return ROLE_FORM
    return None


def not_principal_excludes(spec: PrincipalSpec, who: Principal) -> bool:
    """Whether ``who`` is excluded from a NotPrincipal statement.

    AWS evaluates NotPrincipal against every ARN of the caller: a role
    session is excluded only when both its session ARN (a role ARN does not
    cover its sessions here) and its account are listed; an IAM user only when
    both the user ARN and its account are listed ("When you use NotPrincipal
    with Deny, you must also specify the account ARN of the not-denied
    principal"). An account root is excluded when its account is listed.
    """
    if spec.wildcard or "*" in spec.aws:
        return True  # NotPrincipal "*" excludes every caller: the statement applies to no one
    if who.kind == ANONYMOUS:
        return False
    if who.kind == SERVICE:
        return who.name in spec.service
    names = set()
    for ptype, value in spec.values():
        if ptype == "AWS":
            names.add(value)
    account_listed = bool(who.account) and (who.account in names or who.account_root_arn in names)
    if who.kind == ROOT:
        return account_listed
    if who.kind == ROLE:
        # A bare role principal stands for a session whose ARN is unknown; only
        # the role ARN can be compared.
        return account_listed and who.arn in names
    return account_listed and who.arn in names


# ------------------------------------------------------------------ statements

def match_statement(policy: Policy, stmt: Statement, request: Request, kind: str,
                    gateway: bool = False, has_boundary: bool = False) -> Optional[str]:
    """The fast path: None when the statement does not apply; otherwise the
    principal form (for resource-kind statements) or ``"applies"``."""
    if not action_matches(stmt, request.action):
        return None
    if not resource_element_matches(policy, stmt, request):
        return None
    form = "applies"
    if stmt.principal is not None:
        form = principal_form(stmt.principal, request.principal, gateway)
        if form is None:
            return None
    elif stmt.not_principal is not None:
        # AWS: a Deny with NotPrincipal always denies a principal that has a
        # permissions boundary, whatever NotPrincipal lists.
        if not has_boundary and not_principal_excludes(stmt.not_principal, request.principal):
            return None
    variables = policy.variables_enabled
    ctx = request.context
    for clause in stmt.conditions:
        if not evaluate_clause(clause, ctx, variables).matched:
            return None
    return form


def analyze_statement(policy: Policy, stmt: Statement, request: Request, kind: str,
                      gateway: bool = False, has_boundary: bool = False) -> StatementAnalysis:
    """The slow path: the first element that failed, and why, in words."""
    def no(failed, reason, conditions=()):
        return StatementAnalysis(policy, stmt, False, failed, reason, None, conditions)

    if not action_matches(stmt, request.action):
        if stmt.actions is not None:
            return no("action", f"Action {_quote(stmt.actions)} does not match {request.action}")
        return no("action", f"NotAction {_quote(stmt.not_actions)} excludes {request.action}")
    if not resource_element_matches(policy, stmt, request):
        if stmt.resources is not None:
            return no("resource", f"Resource {_quote(stmt.resources)} does not match {request.resource}"
                      + _unresolved_note(policy, stmt.resources, request))
        return no("resource", f"NotResource {_quote(stmt.not_resources)} excludes {request.resource}")
    form = "applies"
    if stmt.principal is not None:
        form = principal_form(stmt.principal, request.principal, gateway)
        if form is None:
            listed = ", ".join(v for _, v in stmt.principal.values())
            extra = ""
            if gateway and request.principal.kind != ROOT:
                extra = " (on a gateway endpoint a named account means only its root user)"
            return no("principal", f"Principal [{listed}] does not name {request.principal.text}{extra}")
    elif stmt.not_principal is not None:
        if not has_boundary and not_principal_excludes(stmt.not_principal, request.principal):
            listed = ", ".join(v for _, v in stmt.not_principal.values())
            return no("principal", f"NotPrincipal [{listed}] excludes {request.principal.text}")
    results = tuple(evaluate_clause(c, request.context, policy.variables_enabled) for c in stmt.conditions)
    for clause, result in zip(stmt.conditions, results):
        if not result.matched:
            return no("condition", f"condition {clause.operator} fails: {result.reason}", results)
    return StatementAnalysis(policy, stmt, True, None, "matches", form, results)


def _quote(values) -> str:
    return "[" + ", ".join(values) + "]" if len(values) > 1 else values[0]


def _unresolved_note(policy: Policy, patterns, request: Request) -> str:
    if not policy.variables_enabled:
        return ""
    missing = [p for p in patterns if has_variables(p)
               and substitute(p, request.context.get, for_pattern=True) is None]
    if missing:
        return f" ({', '.join(missing)} has a policy variable with no value in the request)"
    return ""
