"""ARN operators (IAM JSON policy elements: Condition operators, "Amazon
Resource Name (ARN) condition operators"): ``ArnEquals`` and ``ArnLike``
"behave identically" (case-sensitive, six components checked separately,
``*`` and ``?`` within each); ``ArnNotEquals`` and ``ArnNotLike`` are their
negations. The matching itself is :func:`iamtest.engine.arn.arn_like`.
"""
from __future__ import annotations

from ..arn import arn_like


def arn_matches(request_value: str, policy_value: str) -> bool:
    return arn_like(policy_value, request_value)
