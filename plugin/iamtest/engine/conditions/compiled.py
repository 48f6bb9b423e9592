"""Condition clauses prepared once: a yes/no test over a request context.

:func:`iamtest.engine.conditions.evaluate.evaluate_clause` is the rule, with
the sentence that explains it; the evaluator's fast path needs only its
``matched``. :func:`compile_clause` returns a function that answers exactly
that, with the work that depends only on the policy done once: the operator
looked up, the policy values read (sets for the string operators, compiled
wildcard and ARN matchers, parsed IP ranges, the wanted states of ``Null``).
A clause whose values hold policy variables (substituted per request) keeps
calling ``evaluate_clause``.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Tuple

from ..arn import compile_arn_like
from ..model import ConditionClause, Context
from ..variables import has_variables
from ..wildcard import QUESTION, STAR, compile_matcher
from .booleans import bool_equals
from .evaluate import evaluate_clause
from .ipaddr import parse_address, parse_network
from .registry import ARN, FOR_ALL_VALUES, FOR_ANY_VALUE, IP, NULL, OPERATORS
from .strings import string_equals, string_equals_ignore_case, string_like

Test = Callable[[Context], bool]
Positive = Callable[[str], bool]


#: Request addresses repeat from request to request; ip_address objects are immutable.
_address = lru_cache(maxsize=4096)(parse_address)


def _positive(base: str, values: Tuple[str, ...]) -> Positive:
    """Whether one request value meets the positive form for at least one policy value."""
    op = OPERATORS[base]
    compare = op.positive
    if compare is string_equals:
        members = frozenset(values)
        return members.__contains__
    if compare is string_equals_ignore_case:
        lowered = frozenset(v.lower() for v in values)
        return lambda value: value.lower() in lowered
    if compare is string_like:
        exact = frozenset(v for v in values if STAR not in v and QUESTION not in v)
        globs = tuple(compile_matcher(v) for v in values if STAR in v or QUESTION in v)
        return lambda value: value in exact or any(g(value) for g in globs)
    if op.family == ARN:
        matchers = tuple(compile_arn_like(v) for v in values)
        return lambda value: any(m(value) for m in matchers)
    if op.family == IP:
        networks = tuple(n for n in (parse_network(v) for v in values) if n is not None)

        def in_range(value: str) -> bool:
            addr = _address(value)
            return addr is not None and any(addr.version == n.version and addr in n for n in networks)

        return in_range
    if compare is bool_equals:
        wanted = frozenset(p for p in (v.strip().lower() for v in values) if p in ("true", "false"))
        return lambda value: value.strip().lower() in wanted
    return lambda value: any(compare(value, v) for v in values)


def compile_clause(clause: ConditionClause, variables: bool) -> Test:
    """A function of the request context: ``evaluate_clause(clause, ctx, variables).matched``."""
    op = OPERATORS[clause.base]
    key = clause.key
    if op.family == NULL:
        wanted = {v.strip().lower() for v in clause.values}
        when_present, when_absent = "false" in wanted, "true" in wanted
        return lambda ctx: when_present if ctx.get(key) is not None else when_absent
    if variables and op.allows_variables and any(has_variables(v) for v in clause.values):
        return lambda ctx: evaluate_clause(clause, ctx, variables).matched

    positive = _positive(clause.base, clause.values)
    negated = op.negated
    set_op = clause.set_operator
    # An absent key: ForAnyValue does not match (even with IfExists: see
    # evaluate.py rule 4), IfExists and ForAllValues do, otherwise only a
    # negated operator does.
    if set_op == FOR_ANY_VALUE:
        absent = False
    elif clause.if_exists or set_op == FOR_ALL_VALUES:
        absent = True
    else:
        absent = negated

    if set_op is None:
        def single(ctx: Context) -> bool:
            cv = ctx.get(key)
            if cv is None:
                return absent
            if cv.multi:
                return False   # a multivalued key needs a set operator
            return positive(cv.values[0]) != negated
        return single

    every = set_op == FOR_ALL_VALUES

    def over_set(ctx: Context) -> bool:
        cv = ctx.get(key)
        if cv is None:
            return absent
        holds = (positive(v) != negated for v in cv.values)
        return all(holds) if every else any(holds)
    return over_set
