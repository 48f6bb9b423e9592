"""Symbolic values of context keys, one class per family (see :mod:`.keys`).

Each value knows how to compare itself with a policy value the way the
engine's operators do, and how to become concrete text again from a model.
"""
from __future__ import annotations

import base64
import binascii
import calendar
import datetime as _dt
import ipaddress
import math
from decimal import Decimal
from fractions import Fraction
from typing import List, Optional, Sequence

from ..engine.conditions.booleans import binary_equals
from ._z3 import z3mod

# Text categories of a value read as a number or a date (see NumValue).
PLAIN, EXPO, ISO, OTHER = 0, 1, 2, 3
V4, V6, NOT_IP = 0, 1, 2

_MIN_ISO = calendar.timegm((1, 1, 1, 0, 0, 0, 0, 0, 0))
_MAX_ISO = calendar.timegm((9999, 12, 31, 23, 59, 59, 0, 0, 0))


class StrValue:
    """A text value: a symbolic string (see :mod:`.shapes`)."""

    family = "str"

    def __init__(self, sym):
        self.sym = sym

    def concrete(self, model) -> str:
        return self.sym.concrete(model)


class NumValue:
    """A value read by Numeric and Date operators.

    ``cat``: PLAIN (a decimal such as ``42`` or ``1.5``: a number, and a date
    in epoch seconds), EXPO (``1e3``: a number, not a date), ISO (an ISO 8601
    date, not a number) or OTHER (neither). ``val`` is the number or the
    instant in seconds.
    """

    family = "num"

    def __init__(self, cat, val, constants: Sequence[Decimal] = (), fixed_cat: Optional[int] = None,
                 integral: bool = False):
        self.cat = cat
        self.val = val
        self.constants = sorted(set(constants))
        self.fixed_cat = fixed_cat
        self.integral = integral

    def is_number(self):
        z3 = z3mod()
        return z3.Or(self.cat == PLAIN, self.cat == EXPO)

    def is_date(self):
        z3 = z3mod()
        return z3.Or(self.cat == PLAIN, self.cat == ISO)

    def number_in_model(self, model) -> Fraction:
        raw = model.eval(self.val, model_completion=True)
        value = Fraction(raw.as_fraction()) if hasattr(raw, "as_fraction") else Fraction(raw.as_long())
        return decimal_in_cell(value, self.constants)

    def concrete(self, model) -> str:
        cat = model.eval(self.cat, model_completion=True).as_long()
        if cat == OTHER:
            return "not-a-number"
        value = self.number_in_model(model)
        if cat == ISO:
            return iso_text(value)
        text = decimal_text(value)
        return text + "e0" if cat == EXPO else text


class IpValue:
    """An IP address (or a value that is not one)."""

    family = "ip"

    def __init__(self, cat, v4, v6):
        self.cat = cat
        self.v4 = v4
        self.v6 = v6

    def concrete(self, model) -> str:
        cat = model.eval(self.cat, model_completion=True).as_long()
        if cat == NOT_IP:
            return "not-an-ip"
        if cat == V4:
            return str(ipaddress.IPv4Address(model.eval(self.v4, model_completion=True).as_long()))
        return str(ipaddress.IPv6Address(model.eval(self.v6, model_completion=True).as_long()))


class BinValue:
    """A BinaryEquals value: one of the policies' values, or another one."""

    family = "bin"

    def __init__(self, idx, candidates: List[str]):
        self.idx = idx
        self.candidates = candidates

    def equals(self, policy_value: str):
        z3 = z3mod()
        hits = [self.idx == i for i, c in enumerate(self.candidates) if binary_equals(c, policy_value)]
        return z3.Or(*hits) if hits else z3.BoolVal(False)

    def concrete(self, model) -> str:
        return self.candidates[model.eval(self.idx, model_completion=True).as_long()]


def fresh_binary(constants: Sequence[str]) -> str:
    """A base-64 text equal (as bytes and as text) to none of ``constants``."""
    n = 0
    while True:
        text = base64.b64encode(f"other-{n}".encode()).decode()
        if not any(binary_equals(text, c) for c in constants):
            return text
        n += 1


# -- numbers -----------------------------------------------------------------------------

def _is_decimal(value: Fraction) -> bool:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def decimal_in_cell(value: Fraction, constants: Sequence[Decimal]) -> Fraction:
    """A finite decimal in the same cell as ``value`` with respect to the
    constants (equal to one, or strictly between the same two): every
    comparison with a constant gives the same answer for both."""
    if _is_decimal(value):
        return value
    consts = [Fraction(c) for c in constants]
    below = max((c for c in consts if c < value), default=None)
    above = min((c for c in consts if c > value), default=None)
    if below is None and above is None:
        return Fraction(round(value))
    if below is None:
        return Fraction(math.floor(above) - 1)
    if above is None:
        return Fraction(math.floor(below) + 1)
    mid = (below + above) / 2  # the mean of two decimals is a decimal
    return mid


def decimal_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text


def iso_text(value: Fraction) -> str:
    seconds = int(value // 1)
    frac = value - seconds
    moment = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(seconds=seconds)
    text = (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}")
    if frac:
        digits = decimal_text(frac)  # "0.xxx"
        text += digits[1:]
    return text + "Z"


ISO_RANGE = (_MIN_ISO, _MAX_ISO)


def valid_b64(text: str) -> bool:
    try:
        base64.b64decode(text.strip(), validate=True)
        return True
    except (binascii.Error, ValueError):
        return False
