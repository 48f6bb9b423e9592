"""The condition operators IAM documents, as data.

Each :class:`Operator` names its family, whether it is a negated
("inverted") operator, whether its values may hold wildcards and policy
variables, and ``positive``: the comparison of one request value with one
policy value for the operator's positive form (a negated operator is the NOR
of that comparison over the policy values; see :mod:`.evaluate`).

Names: AWS's pages list the operators in one spelling; IAM rejects other
capitalisations (``MalformedPolicyDocument: Invalid Condition type :
stringEquals`` is what IAM answers to a lower-case first letter), so names,
the ``ForAnyValue:``/``ForAllValues:`` prefixes and the ``IfExists`` suffix
are matched exactly, and a near miss gets a did-you-mean.

Policy variables: "You can use a policy variable for Condition values in any
condition that involves the string operators or the ARN operators ... You
can't use a policy variable with other operators, such as Numeric, Date,
Boolean, Binary, IP Address, or Null operators" (IAM policy elements:
Variables and tags). The Condition operators page says the opposite for
``Bool`` ("You can use a policy variable with the Boolean condition
operator"); iamtest follows the operator's own page and substitutes in
``Bool`` values.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

from . import arns, booleans, dates, ipaddr, numbers, strings

STRING, NUMERIC, DATE, BOOL, BINARY, IP, ARN, NULL = (
    "String", "Numeric", "Date", "Bool", "Binary", "IpAddress", "Arn", "Null")

FOR_ANY_VALUE = "ForAnyValue"
FOR_ALL_VALUES = "ForAllValues"
SET_OPERATORS = (FOR_ANY_VALUE, FOR_ALL_VALUES)
IF_EXISTS = "IfExists"


@dataclass(frozen=True)
class Operator:
    name: str
    family: str
    negated: bool
    allows_wildcards: bool
    allows_variables: bool
    #: compare(request_value, policy_value) for the positive form; None for Null
    positive: Optional[Callable[[str, str], bool]]
    #: validate(policy_value) -> error message or None
    validate: Optional[Callable[[str], Optional[str]]] = None
    #: the positive operator this one negates (None when not negated)
    negates: Optional[str] = None

    @property
    def allows_if_exists(self) -> bool:
        return self.family != NULL


def _op(name, family, positive, *, negated=False, negates=None, wildcards=False,
        variables=False, validate=None) -> Operator:
    return Operator(name, family, negated, wildcards, variables, positive, validate, negates)


def _pair(family, name, not_name, positive, **kw):
    return [_op(name, family, positive, **kw),
            _op(not_name, family, positive, negated=True, negates=name, **kw)]


_ALL = [
    *_pair(STRING, "StringEquals", "StringNotEquals", strings.string_equals, variables=True),
    *_pair(STRING, "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
           strings.string_equals_ignore_case, variables=True),
    *_pair(STRING, "StringLike", "StringNotLike", strings.string_like, wildcards=True, variables=True),
    *_pair(NUMERIC, "NumericEquals", "NumericNotEquals", numbers.numeric_equals,
           validate=numbers.validate_number),
    _op("NumericLessThan", NUMERIC, numbers.numeric_less_than, validate=numbers.validate_number),
    _op("NumericLessThanEquals", NUMERIC, numbers.numeric_less_than_equals,
        validate=numbers.validate_number),
    _op("NumericGreaterThan", NUMERIC, numbers.numeric_greater_than, validate=numbers.validate_number),
    _op("NumericGreaterThanEquals", NUMERIC, numbers.numeric_greater_than_equals,
        validate=numbers.validate_number),
    *_pair(DATE, "DateEquals", "DateNotEquals", dates.date_equals, validate=dates.validate_date),
    _op("DateLessThan", DATE, dates.date_less_than, validate=dates.validate_date),
    _op("DateLessThanEquals", DATE, dates.date_less_than_equals, validate=dates.validate_date),
    _op("DateGreaterThan", DATE, dates.date_greater_than, validate=dates.validate_date),
    _op("DateGreaterThanEquals", DATE, dates.date_greater_than_equals, validate=dates.validate_date),
    _op("Bool", BOOL, booleans.bool_equals, variables=True),
    _op("BinaryEquals", BINARY, booleans.binary_equals),
    *_pair(IP, "IpAddress", "NotIpAddress", ipaddr.ip_in_range, validate=ipaddr.validate_cidr),
    *_pair(ARN, "ArnEquals", "ArnNotEquals", arns.arn_matches, wildcards=True, variables=True),
    *_pair(ARN, "ArnLike", "ArnNotLike", arns.arn_matches, wildcards=True, variables=True),
    _op("Null", NULL, None),
]

#: Every documented base operator, by its exact name.
OPERATORS: Dict[str, Operator] = {op.name: op for op in _ALL}


def _all_spellings():
    names = []
    for op in _ALL:
        forms = [op.name] + ([op.name + IF_EXISTS] if op.allows_if_exists else [])
        names += forms
        names += [f"{s}:{f}" for s in SET_OPERATORS for f in forms]
    return names


_SPELLINGS = None


def _suggest(name: str) -> str:
    global _SPELLINGS
    if _SPELLINGS is None:
        _SPELLINGS = _all_spellings()
    lowered = {s.lower(): s for s in _SPELLINGS}
    if name.lower() in lowered:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name, _SPELLINGS, n=1, cutoff=0.75)
    return close[0] if close else ""


def parse_operator(name: str) -> Tuple[str, Optional[str], bool]:
    """Split an operator as written into (base, set operator, if_exists).

    ``ForAnyValue:StringLikeIfExists`` -> ``("StringLike", "ForAnyValue",
    True)``. Raises ``ValueError`` (with a did-you-mean when one is close)
    for a name IAM does not know, and for ``NullIfExists`` (AWS: "You can add
    IfExists to the end of any condition operator name except the Null
    condition").
    """
    if not isinstance(name, str):
        raise ValueError(f"condition operator must be a string, not {name!r}")
    set_op: Optional[str] = None
    rest = name
    if ":" in name:
        prefix, _, rest = name.partition(":")
        if prefix not in SET_OPERATORS:
            raise ValueError(_unknown(name))
        set_op = prefix
    if_exists = False
    base = rest
    if base not in OPERATORS and base.endswith(IF_EXISTS):
        base = base[: -len(IF_EXISTS)]
        if_exists = True
    op = OPERATORS.get(base)
    if op is None:
        raise ValueError(_unknown(name))
    if if_exists and not op.allows_if_exists:
        raise ValueError(f"condition operator {name!r} is not valid: Null cannot take the "
                         f"IfExists suffix (use Null on its own)")
    return base, set_op, if_exists


def _unknown(name: str) -> str:
    hint = _suggest(name)
    tail = f"; did you mean {hint!r}?" if hint else ""
    return f"unknown condition operator {name!r}{tail}"


def validate_values(base: str, values: Tuple[str, ...]) -> Optional[str]:
    """An error when the values break the operator's documented format.

    Checked: IP ranges (standard CIDR format, or a bare address), dates
    (W3C ISO 8601 or epoch time) and numbers (integer or decimal), the
    formats the Condition operators page requires. Not checked, because the
    documentation does not say IAM refuses them: Bool and Null values other
    than true/false, Binary values that are not base-64, ARN values that are
    not ARNs, and strings. Returns None when the values are acceptable.
    """
    op = OPERATORS.get(base)
    if op is None:
        return f"unknown condition operator {base!r}"
    if op.validate is None:
        return None
    for value in values:
        problem = op.validate(value)
        if problem:
            return f"{op.name}: {problem}"
    return None
