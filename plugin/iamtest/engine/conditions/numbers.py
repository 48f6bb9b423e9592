"""Numeric operators (IAM JSON policy elements: Condition operators, "Numeric
condition operators"): "comparing a key to an integer or decimal value".

Both sides are read as decimal numbers and compared by value, so ``10``,
``10.0`` and ``1e1`` are equal. A request value that is not a number matches
nothing (the documentation is silent).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Optional

# Fixed pattern (not built from policy text): optional sign, digits with an
# optional fraction, optional exponent. Exponents are accepted so as not to
# reject what IAM may accept.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str) -> Optional[Decimal]:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def _cmp(request_value: str, policy_value: str, test) -> bool:
    a, b = parse_number(request_value), parse_number(policy_value)
    return a is not None and b is not None and test(a, b)


def numeric_equals(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a == b)


def numeric_less_than(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a < b)


def numeric_less_than_equals(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a <= b)


def numeric_greater_than(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a > b)


def numeric_greater_than_equals(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a >= b)


def validate_number(value: str) -> Optional[str]:
    if parse_number(value) is None:
        return (f"{value!r} is not a number; Numeric operators compare integers or decimals"
                + _variable_hint(value))
    return None


def _variable_hint(value: str) -> str:
    return " (policy variables cannot be used with this operator)" if "${" in value else ""
