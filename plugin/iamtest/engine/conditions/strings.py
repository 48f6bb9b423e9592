"""String operators (IAM JSON policy elements: Condition operators, "String
condition operators").

``StringEquals`` is "exact matching, case sensitive"; ``StringEqualsIgnoreCase``
ignores case; ``StringLike`` is "case-sensitive matching" where the values
"can include multi-character match wildcards (*) and single-character match
wildcards (?) anywhere in the string". The ``Not`` forms are the negations
(see :mod:`.evaluate` for how negation combines with several values).
"""
from __future__ import annotations

from ..wildcard import glob_match


def string_equals(request_value: str, policy_value: str) -> bool:
    return request_value == policy_value


def string_equals_ignore_case(request_value: str, policy_value: str) -> bool:
    # AWS does not say which case folding; lower() on both sides.
    return request_value.lower() == policy_value.lower()


def string_like(request_value: str, policy_value: str) -> bool:
    # ``policy_value`` may be an EscapedPattern after variable substitution.
    return glob_match(policy_value, request_value)
