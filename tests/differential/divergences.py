"""Classes of cases where the reference evaluator departs from AWS's documentation.

Each class is listed with its documentation quote in docs/differential.md and
has a pinned test of iamtest's own behaviour in test_known_divergences.py.
The generator avoids most of them by construction (dates are ISO 8601 only,
policy variables only appear under Version 2012-10-17, endpoint policies name
``"*"``); the adapter puts two into the form the reference expects (the root
user's full access, the keys derived from the caller). The rest depend on the
drawn request and are recognised here, so the test can leave them out and
count them.
"""
from __future__ import annotations

import fnmatch
import re
from typing import Iterable, Optional

from .case import Case, derived_context

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_SPECIAL = {"*", "?", "$"}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _statements(doc: dict) -> Iterable[dict]:
    stmts = doc.get("Statement", [])
    return stmts if isinstance(stmts, list) else [stmts]


def _variables(value: str) -> Iterable[str]:
    for name in _VARIABLE.findall(value):
        name = name.split(",", 1)[0].strip()
        if name not in _SPECIAL:
            yield name


def unresolved_variable_in_negated_condition(case: Case) -> bool:
    """A negated condition operator whose value names a variable the request lacks.

    The reference treats the unresolvable variable as matching nothing, which
    under a negated operator turns into a match.
    """
    present = {k.lower() for k in list(case.request_context()) + list(derived_context(case))}
    for _, doc in case.policies():
        if doc.get("Version") != "2012-10-17":
            continue
        for stmt in _statements(doc):
            for operator, entries in (stmt.get("Condition") or {}).items():
                if "Not" not in operator.split(":")[-1]:
                    continue
                for values in entries.values():
                    for value in _as_list(values):
                        if any(v.lower() not in present for v in _variables(str(value))):
                            return True
    return False


def unresolved_variable_in_not_resource(case: Case) -> bool:
    """A NotResource entry whose variable the request cannot resolve.

    The reference lets such an entry exclude the request; iamtest follows the
    documentation's "effectively null" value, which excludes nothing.
    """
    present = {k.lower() for k in list(case.request_context()) + list(derived_context(case))}
    for _, doc in case.policies():
        if doc.get("Version") != "2012-10-17":
            continue
        for stmt in _statements(doc):
            for value in _as_list(stmt.get("NotResource", [])):
                if any(v.lower() not in present for v in _variables(str(value))):
                    return True
    return False


def not_principal_names_part_of_the_caller(case: Case) -> bool:
    """A Deny with NotPrincipal naming the caller's account or ARN, but not both.

    The reference exempts the caller when any one of its names is listed (its
    account, its own ARN, or the role of its session). The documentation asks
    for the account ARN and the principal's ARN together and warns that
    otherwise "the policy might deny access"; iamtest exempts only callers
    listed with both.
    """
    if case.resource_policy is None or case.principal_kind() in ("root", "service", "anonymous"):
        return False
    account = case.principal_account()
    names = {case.principal}
    if case.principal_kind() == "assumed-role":
        parts = case.principal.split(":", 5)
        names.add(f"arn:{parts[1]}:iam::{account}:role/{parts[5].split('/')[1]}")
    for stmt in _statements(case.resource_policy):
        spec = stmt.get("NotPrincipal")
        if not isinstance(spec, dict):
            continue
        aws = set(_as_list(spec.get("AWS", [])))
        account_listed = account in aws or f"arn:aws:iam::{account}:root" in aws
        caller_listed = case.principal in aws
        if (account_listed or names & aws) and not (account_listed and caller_listed):
            return True
    return False


def zero_length_ip_prefix(case: Case) -> bool:
    """An IP address condition naming ``0.0.0.0/0`` (every IPv4 address).

    The reference matches no address against a zero-length prefix.
    """
    for _, doc in case.policies():
        for stmt in _statements(doc):
            for operator, entries in (stmt.get("Condition") or {}).items():
                if "IpAddress" not in operator:
                    continue
                for values in entries.values():
                    if any(str(v).endswith("/0") for v in _as_list(values)):
                        return True
    return False


def ipv6_request_under_not_ip_address_with_ipv4_ranges(case: Case) -> bool:
    """``NotIpAddress`` with IPv4 ranges, and an IPv6 ``aws:SourceIp``.

    An IPv6 address lies in no IPv4 range, so the negated operator holds; the
    reference answers false when the address families differ.
    """
    source = str(case.context.get("aws:SourceIp", ""))
    if ":" not in source:
        return False
    for _, doc in case.policies():
        for stmt in _statements(doc):
            for operator, entries in (stmt.get("Condition") or {}).items():
                if "NotIpAddress" not in operator:
                    continue
                for key, values in entries.items():
                    if key.lower() == "aws:sourceip" and any(":" not in str(v) for v in _as_list(values)):
                        return True
    return False


def arn_pattern_with_fewer_than_six_parts(case: Case) -> bool:
    """An ARN operator whose policy value has fewer than six colon-separated parts.

    The documentation says each of the six parts is compared separately and
    says nothing of shorter values; iamtest reads such a value as one
    wildcard pattern over the whole ARN, the reference matches nothing.
    """
    for _, doc in case.policies():
        for stmt in _statements(doc):
            for operator, entries in (stmt.get("Condition") or {}).items():
                if not operator.split(":")[-1].startswith("Arn"):
                    continue
                for values in entries.values():
                    if any(str(v).count(":") < 5 for v in _as_list(values)):
                        return True
    return False


_BUCKET_POLICY_ACTIONS = {"s3:getbucketpolicy", "s3:putbucketpolicy", "s3:deletebucketpolicy"}


def bucket_owner_root_and_bucket_policy_actions(case: Case) -> bool:
    """The bucket owner's root user calling a bucket-policy action under a bucket policy.

    S3 lets that caller through a bucket policy that denies it; the reference
    applies the deny.
    """
    return (case.principal_kind() == "root" and case.same_account and case.resource_policy is not None
            and case.action.lower() in _BUCKET_POLICY_ACTIONS)


def _could_apply(stmt: dict, case: Case) -> bool:
    """Whether the statement's Action and Resource may cover the request (conditions aside)."""
    actions = stmt.get("Action")
    if actions is not None and not any(
            fnmatch.fnmatchcase(case.action.lower(), a.lower()) for a in _as_list(actions)):
        return False
    resources = stmt.get("Resource")
    if resources is not None and not any(
            "${" in r or fnmatch.fnmatchcase(case.resource, r) for r in _as_list(resources)):
        return False
    return True


def session_policy_with_resource_policy_naming_caller(case: Case) -> bool:
    """A session policy, and a same-account resource policy that grants the session itself.

    The reference lets the session policy's implicit deny win; AWS documents
    that a resource-based policy naming the session's ARN is not limited by
    the session policy.
    """
    if case.session is None or case.resource_policy is None or not case.same_account:
        return False
    if case.principal_kind() not in ("role", "assumed-role", "federated-user"):
        return False
    for stmt in _statements(case.resource_policy):
        if stmt.get("Effect") != "Allow" or "Principal" not in stmt or not _could_apply(stmt, case):
            continue
        principal = stmt["Principal"]
        if principal == "*":
            return True
        aws = _as_list(principal.get("AWS", [])) if isinstance(principal, dict) else []
        if "*" in aws or (case.principal in aws and case.principal_kind() != "role"):
            return True
    return False


CLASSES = (
    ("bucket owner's root user and bucket-policy actions", bucket_owner_root_and_bucket_policy_actions),
    ("0.0.0.0/0 in an IP address condition", zero_length_ip_prefix),
    ("IPv6 caller under NotIpAddress with IPv4 ranges", ipv6_request_under_not_ip_address_with_ipv4_ranges),
    ("ARN operator value with fewer than six parts", arn_pattern_with_fewer_than_six_parts),
    ("unresolved variable in NotResource", unresolved_variable_in_not_resource),
    ("NotPrincipal naming part of the caller's chain", not_principal_names_part_of_the_caller),
    ("unresolved variable under a negated operator", unresolved_variable_in_negated_condition),
    ("session policy and a resource policy naming the session", session_policy_with_resource_policy_naming_caller),
)


def known_divergence(case: Case) -> Optional[str]:
    """The name of the known divergence this case belongs to, if any."""
    for name, test in CLASSES:
        if test(case):
            return name
    return None
