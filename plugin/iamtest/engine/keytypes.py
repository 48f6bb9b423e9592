"""Global context keys whose values AWS fills itself, in a documented type.

AWS sets these keys from the request (IAM User Guide, "AWS global condition
context keys": each key's "Data type"); a real request never holds
``aws:SourceIp: office`` or ``aws:SecureTransport: yes``. A typed operator
reads such a value as matching nothing (conditions.md), so a test file that
wrote one would make ``IpAddress`` false and ``NotIpAddress`` true without a
word, and an expectation could pass for the wrong reason. A request whose
context gives one of these keys a value of the wrong type is therefore
refused with the key's name (``RequestError``), as a request AWS never
makes.

Only keys whose type the page states and whose value AWS generates are
listed; keys a caller supplies in the request (tags, ``aws:UserAgent``,
``aws:referer``) hold any text.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Dict, Optional, Tuple

from .conditions.booleans import BOOL_WORDS
from .conditions.dates import parse_instant
from .conditions.ipaddr import parse_address
from .conditions.numbers import parse_number

def _is_bool(text: str) -> bool:
    # The words the Bool operator reads, as it reads them.
    return text.strip().lower() in BOOL_WORDS


def _is_address(text: str) -> bool:
    return parse_address(text) is not None


def _is_date(text: str) -> bool:
    return parse_instant(text) is not None


def _is_number(text: str) -> bool:
    return parse_number(text) is not None


IP, DATE, NUMBER, BOOL = "ip", "date", "number", "bool"

_KINDS: Dict[str, Tuple[str, Callable[[str], bool]]] = {
    IP: ("an IP address", _is_address),
    DATE: ("a date (ISO 8601 or epoch seconds)", _is_date),
    NUMBER: ("a number", _is_number),
    BOOL: ("true or false", _is_bool),
}

#: lower-cased key -> its kind, as the page gives its "Data type"
#: (aws:EpochTime: "Date, Numeric"; AWS fills it with epoch seconds, a date either way).
KEY_KINDS: Dict[str, str] = {
    "aws:sourceip": IP, "aws:vpcsourceip": IP, "aws:ec2instancesourceprivateipv4": IP,
    "aws:currenttime": DATE, "aws:tokenissuetime": DATE, "aws:epochtime": DATE,
    "aws:multifactorauthage": NUMBER,
    "aws:multifactorauthpresent": BOOL, "aws:securetransport": BOOL,
    "aws:principalisawsservice": BOOL, "aws:viaawsservice": BOOL,
}


def key_kind(key: str) -> Optional[str]:
    """``ip``, ``date``, ``number`` or ``bool`` for a key whose values AWS fills
    in that type; None for any other key."""
    return KEY_KINDS.get(key.lower())


@lru_cache(maxsize=4096)
def wrong_type(key: str, value: str) -> Optional[str]:
    """Why ``value`` cannot be the value AWS gives ``key``, or None when it can
    (or when the key is not one whose type AWS fixes). Remembered: the same
    keys and values recur from request to request."""
    kind = KEY_KINDS.get(key.lower())
    if kind is None:
        return None
    words, test = _KINDS[kind]
    if test(value):
        return None
    return f"context key {key}: {value!r} is not {words}, the value AWS gives this key"
