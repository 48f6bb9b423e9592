"""One condition clause (operator, key, values) against a request context.

The rules, with their AWS sources (see also ``docs/conditions.md``):

1. Several values for one key are OR'ed; for a negated operator they are
   NOR'ed: "If a single negated matching condition operator includes multiple
   values for a context key, those values are evaluated using a logical NOR"
   (Conditions with multiple context keys or values).
2. Key names are case-insensitive (IAM JSON policy elements: Condition); the
   :class:`~iamtest.engine.model.Context` looks them up that way.
3. Absent key: "the values do not match and the condition is false. If the
   policy condition requires that the key is not matched, such as
   StringNotLike or ArnNotLike, and the right key is not present, the
   condition is true. This logic applies to all condition operators except
   ...IfExists and Null check" (Condition operators).
4. ``...IfExists``: "If the key is not present, evaluate the condition element
   as true"; when present the operator applies as usual. With a
   ``ForAnyValue:`` prefix the two rules collide on an absent key (ForAnyValue:
   "if the key does not exist, the condition returns false"); the pages do
   not say which wins. Requests reported against AWS itself (a
   ``ForAnyValue:StringEqualsIfExists`` Allow on an absent ``aws:TagKeys``
   refused) show ForAnyValue winning, so iamtest makes such a clause false.
   This is also the reading under which a Deny written with it never applies
   where AWS would not deny.
5. ``Null``: ``true`` means "the key doesn't exist", ``false`` "the key exists
   and its value is not null".
6. ``ForAllValues``: true "if every context key value in the request matches
   a context key value in the policy. It also returns true if there are no
   context keys in the request"; an empty set of values is true too.
   ``ForAnyValue``: true "if any one of the context key values in the request
   matches"; "For no matching context key or if the key does not exist, the
   condition returns false" (Single-valued vs. multivalued context keys). With
   a negated operator, "matches" for one request value means the negated
   operator holds for it: ``ForAllValues:StringNotEquals`` is true when every
   request value differs from all policy values; ``ForAnyValue:
   StringNotEquals`` when at least one request value differs from all of them.
7. A multivalued key with an operator that has no set prefix: AWS says only
   "Multivalued context keys require a condition set operator" (Single-valued
   vs. multivalued context keys); IAM Access Analyzer reports it as an error
   ("Missing qualifier"). What IAM does at run time is not documented. iamtest
   makes the condition not match, for positive and negated operators alike
   (an IfExists suffix does not help: the key is present), and says so in the
   reason.
8. A single-valued key under ``ForAllValues``/``ForAnyValue`` is a set of one
   value (AWS warns that this "can lead to overly permissive policies", which
   is what this evaluation shows).
9. Policy variables are substituted only when ``variables`` is true (Version
   2012-10-17) and only for operators that accept them. A value whose variable
   has no value and no default is "effectively null": it matches no request
   value, so positive operators do not match it and negated operators do
   (Variables and tags, "Policy variables with no value").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from ..model import ConditionClause, Context, ContextValue
from ..variables import has_variables, substitute
from .dates import looks_like_millis
from .registry import DATE, FOR_ALL_VALUES, FOR_ANY_VALUE, NULL, OPERATORS, Operator


@dataclass(frozen=True)
class ClauseResult:
    """Whether one clause holds, and one sentence saying why."""

    matched: bool
    reason: str
    #: Things a reader should know that do not change the result
    #: (a multivalued key without a set operator, epoch milliseconds, ...).
    warnings: Tuple[str, ...] = ()


def _q(value: str) -> str:
    return "'" + value + "'"


def _list(values: Sequence[str]) -> str:
    quoted = [_q(v) for v in values]
    if len(quoted) == 1:
        return quoted[0]
    return "one of " + ", ".join(quoted)


def _shown(values: Sequence[str]) -> str:
    return ", ".join(_q(v) for v in values)


@dataclass(frozen=True)
class _Resolved:
    raw: str
    value: Optional[str]  # None: a variable in it has no value in the request


def _resolve_values(op: Operator, clause: ConditionClause, context: Context,
                    variables: bool) -> List[_Resolved]:
    out = []
    for raw in clause.values:
        if variables and op.allows_variables and has_variables(raw):
            out.append(_Resolved(raw, substitute(raw, context.get, for_pattern=op.allows_wildcards)))
        else:
            out.append(_Resolved(raw, raw))
    return out


def _positive_hits(op: Operator, request_value: str, resolved: Sequence[_Resolved]) -> List[str]:
    """The raw policy values that the positive comparison matches."""
    return [r.raw for r in resolved if r.value is not None and op.positive(request_value, r.value)]


def _holds(op: Operator, request_value: str, resolved: Sequence[_Resolved]) -> bool:
    hit = bool(_positive_hits(op, request_value, resolved))
    return not hit if op.negated else hit


def evaluate_clause(clause: ConditionClause, context: Context, variables: bool) -> ClauseResult:
    """Evaluate one clause; ``variables`` enables ``${...}`` substitution."""
    op = OPERATORS[clause.base]
    name = clause.operator
    key = clause.key
    cv = context.get(key)

    if op.family == NULL:
        return _null(clause, cv)

    resolved = _resolve_values(op, clause, context, variables)
    missing = [r.raw for r in resolved if r.value is None]
    note = ""
    if missing:
        note = (f"; {_shown(missing)} {'has' if len(missing) == 1 else 'have'} a policy variable "
                f"with no value in the request, which matches nothing")
    warnings = _date_warnings(op, clause, cv)

    if cv is None:
        if clause.set_operator == FOR_ANY_VALUE:
            # Checked before IfExists: see rule 4 above.
            return ClauseResult(False, f"{key} is absent from the request; ForAnyValue does not "
                                f"match an absent key" + (", even with IfExists" if clause.if_exists else ""),
                                warnings)
        if clause.if_exists:
            return ClauseResult(True, f"{key} is absent from the request; {name} matches an absent key",
                                warnings)
        if clause.set_operator == FOR_ALL_VALUES:
            return ClauseResult(True, f"{key} is absent from the request; ForAllValues matches an "
                                f"absent key", warnings)
        if op.negated:
            return ClauseResult(True, f"{key} is absent from the request; {name} matches an "
                                f"absent key", warnings)
        return ClauseResult(False, f"{key} is absent from the request; {name} does not match an "
                            f"absent key", warnings)

    if clause.set_operator is None:
        if cv.multi:
            msg = (f"{key} is multivalued in the request ({_shown(cv.values) or 'no values'}); "
                   f"{name} without ForAnyValue: or ForAllValues: does not match a multivalued key")
            return ClauseResult(False, msg, warnings + (
                f"{key} has several values; AWS requires ForAnyValue or ForAllValues for it",))
        return _single(op, name, key, cv.values[0], resolved, note, warnings)
    return _set(op, clause, key, cv, resolved, note, warnings)


def _single(op: Operator, name: str, key: str, value: str, resolved: Sequence[_Resolved],
            note: str, warnings: Tuple[str, ...]) -> ClauseResult:
    hits = _positive_hits(op, value, resolved)
    wanted = [r.raw for r in resolved]
    head = f"{key} is {_q(value)} in the request; "
    if op.negated:
        if hits:
            return ClauseResult(False, head + f"{name} rules out {_shown(hits)}{note}", warnings)
        return ClauseResult(True, head + f"{name} matches as it rules out only {_shown(wanted)}{note}",
                            warnings)
    if hits:
        return ClauseResult(True, head + f"{name} matches {_shown(hits)}{note}", warnings)
    return ClauseResult(False, head + f"{name} wants {_list(wanted)}{note}", warnings)


def _set(op: Operator, clause: ConditionClause, key: str, cv: ContextValue,
         resolved: Sequence[_Resolved], note: str, warnings: Tuple[str, ...]) -> ClauseResult:
    name = clause.operator
    values = cv.values
    holding = [v for v in values if _holds(op, v, resolved)]
    failing = [v for v in values if v not in holding]
    shown = f"[{_shown(values)}]" if values else "an empty set"
    head = f"{key} is {shown} in the request; "
    policy = _shown([r.raw for r in resolved])
    if clause.set_operator == FOR_ALL_VALUES:
        if not values:
            return ClauseResult(True, head + "ForAllValues matches an empty set" + note, warnings)
        if not failing:
            return ClauseResult(True, head + f"every value satisfies {name} {policy}{note}", warnings)
        return ClauseResult(False, head + f"{name} {policy} fails for {_shown(failing)}{note}", warnings)
    if not values:
        return ClauseResult(False, head + "ForAnyValue does not match an empty set" + note, warnings)
    if holding:
        return ClauseResult(True, head + f"{_shown(holding)} satisfies {name} {policy}{note}", warnings)
    return ClauseResult(False, head + f"no value satisfies {name} {policy}{note}", warnings)


def _null(clause: ConditionClause, cv: Optional[ContextValue]) -> ClauseResult:
    """``Null``: true = the key is absent, false = it is present (values OR'ed).

    A value other than true/false (any case) matches neither state. A key
    given with an empty list of values counts as present.
    """
    present = cv is not None
    wanted = [v.strip().lower() for v in clause.values]
    state = "false" if present else "true"
    matched = state in wanted
    where = "present in" if present else "absent from"
    want = " or ".join(_q(v) for v in clause.values)
    verdict = "matches" if matched else "does not match"
    return ClauseResult(matched, f"{clause.key} is {where} the request; {clause.operator} {want} "
                        f"{verdict} (true means absent, false means present)")


def _date_warnings(op: Operator, clause: ConditionClause, cv: Optional[ContextValue]) -> Tuple[str, ...]:
    if op.family != DATE:
        return ()
    odd = [v for v in clause.values if looks_like_millis(v)]
    if cv is not None:
        odd += [v for v in cv.values if looks_like_millis(v)]
    if not odd:
        return ()
    return (f"{_shown(odd)} read as epoch seconds (IAM epoch time counts seconds; "
            f"this looks like milliseconds)",)
