"""``Bool`` and ``BinaryEquals`` (IAM JSON policy elements: Condition operators).

``Bool``: "restrict access based on comparing a key to "true" or "false"".
The documentation does not say whether case matters; iamtest compares the
two words without regard to case (JSON ``true`` in a policy is read as the
text ``true``). A value other than true/false on either side matches nothing.

``BinaryEquals``: "compares the value of the specified key byte for byte
against a base-64 encoded representation of the binary value in the
policy". iamtest takes the request value as base-64 text too (a request
context is text) and compares the decoded bytes; when either side is not
valid base-64 the two texts are compared as they are.
"""
from __future__ import annotations

import base64
import binascii
from typing import Optional

#: The two words Bool compares (without regard to case).
BOOL_WORDS = ("true", "false")


def bool_equals(request_value: str, policy_value: str) -> bool:
    r, p = request_value.strip().lower(), policy_value.strip().lower()
    return p in BOOL_WORDS and r == p


def _b64(text: str) -> Optional[bytes]:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


def binary_equals(request_value: str, policy_value: str) -> bool:
    a, b = _b64(request_value), _b64(policy_value)
    if a is not None and b is not None:
        return a == b
    return request_value == policy_value
