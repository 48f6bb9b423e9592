"""Date operators (IAM JSON policy elements: Condition operators, "Date
condition operators").

AWS: "You must specify date/time values with one of the W3C implementations
of the ISO 8601 date formats or in epoch (UNIX) time", and "Wildcards are not
permitted for date condition operators". The keys compared are typically
``aws:CurrentTime`` (ISO 8601) and ``aws:EpochTime`` (epoch seconds), so
either side may be in either form: both are turned into an instant (seconds
since 1970-01-01T00:00:00Z, as an exact ``Decimal``) and the instants are
compared.

Accepted forms (the W3C profile, read leniently so as not to reject what IAM
may accept):

* ``YYYY-MM``, ``YYYY-MM-DD`` (the start of that month/day); a bare
  ``YYYY`` is a run of digits and so epoch time (see below);
* ``YYYY-MM-DDThh:mm``, ``...:ss``, ``...:ss.fraction``, with a zone ``Z``,
  ``+hh:mm``, ``+hhmm`` or ``+hh`` (``T``/``Z`` in either case; a space for
  ``T``); without a zone the time is taken as UTC (the W3C profile requires
  a zone; the IAM documentation does not say what it does without one);
* the ISO 8601 basic form ``YYYYMMDDThhmmss[Z]``;
* epoch time: an integer or decimal number of **seconds**. A run of digits
  is always epoch time (so ``20200101`` is 1970-08-23, not a date). A
  13-digit value such as ``1700000000000`` is read as seconds too (a date
  tens of thousands of years ahead), never as milliseconds: AWS documents
  epoch (UNIX) time, which counts seconds. :func:`looks_like_millis` lets the
  caller warn about it.
"""
from __future__ import annotations

import calendar
import re
from decimal import Decimal
from typing import Optional

# Fixed patterns (not built from policy text); no nested repetition.
_EXTENDED = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?")
_BASIC = re.compile(r"(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?"
                    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?")
_EPOCH = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _zone_offset(zone: Optional[str]) -> Optional[int]:
    """Offset east of UTC in seconds; None when malformed."""
    if not zone or zone in ("Z", "z"):
        return 0
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) > 2 else 0
    if hours > 23 or minutes > 59:
        return None
    return sign * (hours * 3600 + minutes * 60)


def _instant(year, month, day, hour, minute, second, fraction, zone) -> Optional[Decimal]:
    y = int(year)
    mo = int(month) if month else 1
    d = int(day) if day else 1
    h = int(hour) if hour else 0
    mi = int(minute) if minute else 0
    s = int(second) if second else 0
    if y < 1 or not 1 <= mo <= 12 or not 1 <= d <= calendar.monthrange(y, mo)[1]:
        return None
    if h > 24 or mi > 59 or s > 60 or (h == 24 and (mi or s or fraction and int(fraction))):
        return None  # 24:00:00 is the end of the day; 60 is a leap second
    offset = _zone_offset(zone)
    if offset is None:
        return None
    whole = calendar.timegm((y, mo, d, 0, 0, 0, 0, 0, 0)) + h * 3600 + mi * 60 + s - offset
    frac = Decimal("0." + fraction) if fraction else Decimal(0)
    return Decimal(whole) + frac


def parse_instant(text: str) -> Optional[Decimal]:
    """Seconds since the epoch for an ISO 8601 or epoch value; None if neither."""
    text = text.strip()
    if _EPOCH.fullmatch(text):
        return Decimal(text)
    m = _EXTENDED.fullmatch(text) or _BASIC.fullmatch(text)
    if not m:
        return None
    return _instant(*m.groups())


def looks_like_millis(text: str) -> bool:
    """A bare integer of 13 or more digits: epoch milliseconds, probably."""
    digits = text.strip().lstrip("+-")
    return digits.isdigit() and len(digits) >= 13


def _cmp(request_value: str, policy_value: str, test) -> bool:
    a, b = parse_instant(request_value), parse_instant(policy_value)
    return a is not None and b is not None and test(a, b)


def date_equals(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a == b)


def date_less_than(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a < b)


def date_less_than_equals(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a <= b)


def date_greater_than(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a > b)


def date_greater_than_equals(r: str, p: str) -> bool:
    return _cmp(r, p, lambda a, b: a >= b)


def validate_date(value: str) -> Optional[str]:
    if parse_instant(value) is None:
        hint = " (policy variables cannot be used with this operator)" if "${" in value else ""
        return (f"{value!r} is not a date: use ISO 8601 (2026-01-01T00:00:00Z) or epoch seconds"
                + hint)
    return None
