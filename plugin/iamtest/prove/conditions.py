"""Condition clauses as formulas over the symbolic request.

Mirrors :func:`iamtest.engine.conditions.evaluate_clause` rule for rule: absent
keys (negated operators match, ``IfExists`` matches, ``ForAllValues`` matches,
``ForAnyValue`` does not), values OR'ed (NOR'ed for negated operators), a
multivalued key without a set operator matching nothing, a single-valued key
under a set operator being a set of one, and policy variables resolved from
the request (the default, or nothing, when the key is absent or multivalued).
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import List, Optional, Tuple

from ..engine.conditions.dates import parse_instant
from ..engine.conditions.ipaddr import parse_network
from ..engine.conditions.numbers import parse_number
from ..engine.conditions.registry import FOR_ALL_VALUES, FOR_ANY_VALUE, OPERATORS
from ..engine.model import ConditionClause, Policy
from ..engine.variables import find_variables
from ..engine.wildcard import Lit, tokenize
from . import automata
from ._z3 import z3mod
from .errors import UnsupportedConstruct
from .patterns import Val
from .shapes import Alt, DimRef, Sym
from .symbolic import SymRequest
from .values import V4, V6, BinValue, IpValue, NumValue, StrValue

_COMPARE = {
    "NumericEquals": "eq", "NumericLessThan": "lt", "NumericLessThanEquals": "le",
    "NumericGreaterThan": "gt", "NumericGreaterThanEquals": "ge",
    "DateEquals": "eq", "DateLessThan": "lt", "DateLessThanEquals": "le",
    "DateGreaterThan": "gt", "DateGreaterThanEquals": "ge",
}

#: One way a policy value resolves: (guard, pieces) with pieces None when a
#: variable in it has no value (it then matches nothing).
Alternative = Tuple[object, Optional[list]]


def value_pieces(sym: Sym, label: str) -> List[Tuple[object, list]]:
    """A request value as pattern pieces (literal text is ``Lit``, each
    dimension a :class:`Val`), one list per case of an alternative."""
    z3 = z3mod()
    if isinstance(sym, Alt):
        return [(g, pieces) for guard, case in sym.cases for g0, pieces in value_pieces(case, label)
                for g in [z3.And(guard, g0)]]
    items = sym.items()
    out: list = []
    for item in items:
        if isinstance(item, str):
            if item:
                out.append(Lit(item))
        else:
            out.append(Val(DimRef(item), label, ":" in item.forbidden,
                           not automata.matches_any(item.domain, "")))
    return [(z3.BoolVal(True), out)]


class Resolver:
    """Policy values with ``${...}`` as alternatives guarded by key presence."""

    def __init__(self, req: SymRequest):
        self.req = req
        self.z3 = z3mod()

    def alternatives(self, raw: str, for_pattern: bool, enabled: bool, where: str) -> List[Alternative]:
        z3 = self.z3
        refs = find_variables(raw) if enabled else []
        if not refs:
            return [(z3.BoolVal(True), self._literal(raw, for_pattern))]
        options = []
        for ref in refs:
            if ref.special:
                options.append([(z3.BoolVal(True), ("text", [Lit(ref.key)]))])
                continue
            kv = self.req.key(ref.key)
            fallback = ("pattern", ref.default) if ref.default is not None else None
            if kv is None or kv.multi:
                # A multivalued key is never a variable's value (AWS); the default applies.
                options.append([(z3.BoolVal(True), fallback)])
                continue
            if not isinstance(kv.single, StrValue):
                raise UnsupportedConstruct(f"the policy variable {ref.raw} (its key is not text)", where)
            one = z3.And(kv.present, z3.Not(kv.is_list()))
            cases = [(z3.And(one, g), ("text", pieces)) for g, pieces in value_pieces(kv.single.sym, ref.raw)]
            options.append(cases + [(z3.Not(one), fallback)])
        out: List[Alternative] = []
        for combo in itertools.product(*options):
            guard = z3.And(*[g for g, _ in combo]) if len(combo) > 1 else combo[0][0]
            if any(choice is None for _, choice in combo):
                out.append((guard, None))
                continue
            pieces: list = []
            pos = 0
            for ref, (_, (kind, payload)) in zip(refs, combo):
                pieces += self._literal(raw[pos:ref.start], for_pattern)
                pieces += self._literal(payload, for_pattern) if kind == "pattern" else payload
                pos = ref.end
            pieces += self._literal(raw[pos:], for_pattern)
            out.append((guard, pieces))
        return out

    @staticmethod
    def _literal(text: str, for_pattern: bool) -> list:
        if not text:
            return []
        return list(tokenize(text, escaped=False)) if for_pattern else [Lit(text)]


def text_flat(pieces: list) -> automata.Flat:
    """Plain text (``Lit`` and ``Val`` pieces) as a flat pattern matching exactly it."""
    out: list = []
    for p in pieces:
        if isinstance(p, Lit):
            out += [("c", ch) for ch in p.text]
        else:
            out.append(("v", p))
    return tuple(out)


class ConditionEncoder:
    def __init__(self, req: SymRequest):
        self.req = req
        self.pats = req.pats
        self.z3 = z3mod()
        self.resolver = Resolver(req)

    def clause(self, clause: ConditionClause, policy: Policy):
        z3 = self.z3
        op = OPERATORS[clause.base]
        kv = self.req.key(clause.key)
        where = str(clause.location)
        if op.family == "Null":
            wanted = {v.strip().lower() for v in clause.values}
            return z3.Or(z3.And(kv.present, z3.BoolVal("false" in wanted)),
                         z3.And(z3.Not(kv.present), z3.BoolVal("true" in wanted)))
        enabled = policy.variables_enabled and op.allows_variables
        values = [self.resolver.alternatives(raw, op.allows_wildcards, enabled, where) for raw in clause.values]
        positive = op.negates or op.name

        def holds(value):
            hits = []
            for raw, alts in zip(clause.values, values):
                for guard, pieces in alts:
                    if pieces is None:
                        continue
                    hit = self._compare(positive, value, raw, pieces, where)
                    hits.append(hit if z3.is_true(guard) else z3.And(guard, hit))
            hit = z3.Or(*hits) if len(hits) > 1 else (hits[0] if hits else z3.BoolVal(False))
            return z3.Not(hit) if op.negated else hit

        # As the concrete evaluator: ForAnyValue never matches an absent key, even
        # with IfExists (engine/conditions/evaluate.py, rule 4).
        if clause.set_operator == FOR_ANY_VALUE:
            absent = False
        elif clause.if_exists or clause.set_operator == FOR_ALL_VALUES:
            absent = True
        else:
            absent = op.negated
        one = holds(kv.single) if kv.single is not None else None
        if not kv.elems:
            many = None
        elif clause.set_operator is None:
            many = z3.BoolVal(False)  # a list without a set operator matches nothing
        elif clause.set_operator == FOR_ALL_VALUES:
            many = z3.And(*[z3.Implies(kv.count > i, holds(e)) for i, e in enumerate(kv.elems)])
        else:
            many = z3.Or(*[z3.And(kv.count > i, holds(e)) for i, e in enumerate(kv.elems)])
        return z3.If(kv.present, kv.choose(one, many), z3.BoolVal(absent))

    # -- one request value against one policy value -----------------------------------------

    def _compare(self, positive: str, value, raw: str, pieces: list, where: str):
        z3, pats = self.z3, self.pats
        if isinstance(value, StrValue):
            sym = value.sym
            if positive in ("StringEquals", "StringEqualsIgnoreCase", "Bool"):
                texts = [p.text for p in pieces if isinstance(p, Lit)]
                plain = len(texts) == len(pieces)
                if positive == "StringEquals":
                    vals = [p for p in pieces if isinstance(p, Val)]
                    if (len(pieces) == 1 and vals and isinstance(sym, DimRef)
                            and isinstance(vals[0].value, DimRef)):
                        return sym.dim.eq(vals[0].value.dim)
                    return sym.mem(text_flat(pieces), where)
                if not plain:
                    raise UnsupportedConstruct(f"a policy variable in {positive}", where)
                text = "".join(texts)
                if positive == "StringEqualsIgnoreCase":
                    return sym.mem(pats.lower_preimage(text.lower(), where), where)
                word = text.strip().lower()
                if word not in ("true", "false"):
                    return z3.BoolVal(False)
                return sym.mem(pats.bool_word(word), where)
            if positive == "StringLike":
                return sym.mem(pats.glob_pieces(pieces), where)
            if positive in ("ArnLike", "ArnEquals"):
                return sym.mem(pats.arn_pieces(pieces, where), where)
        elif isinstance(value, NumValue):
            how = _COMPARE[positive]
            if positive.startswith("Numeric"):
                number, ok = parse_number(raw), value.is_number()
            else:
                number, ok = parse_instant(raw), value.is_date()
            if number is None:
                return z3.BoolVal(False)
            frac = Fraction(number)
            const = z3.Q(frac.numerator, frac.denominator)
            cmp = {"eq": value.val == const, "lt": value.val < const, "le": value.val <= const,
                   "gt": value.val > const, "ge": value.val >= const}[how]
            return z3.And(ok, cmp)
        elif isinstance(value, IpValue):
            net = parse_network(raw)
            if net is None:
                return z3.BoolVal(False)
            mask, addr = int(net.netmask), int(net.network_address)
            if net.version == 4:
                return z3.And(value.cat == V4, (value.v4 & mask) == addr)
            return z3.And(value.cat == V6, (value.v6 & mask) == addr)
        elif isinstance(value, BinValue):
            return value.equals(raw)
        raise AssertionError(f"{positive} on a {type(value).__name__}")  # pragma: no cover
