"""Request sets of properties (the access-test file format, "Properties") as formulas.

A field is a pattern (IAM wildcards), a list of patterns (any), or
``{not: ...}`` (none). Principal patterns match the principal as a case
writes it; a bare account id stands for the account's root user, as it does
in a case. Actions match without regard to case. In ``context``: a pattern or
list means the key is present with a matching value (for a multivalued key:
some value matches), ``{not: ...}`` means absent or present with no matching
value, ``null`` means absent. Keys compared as numbers, dates or IP
addresses take literal values, compared as such.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Tuple

from ..engine.conditions.dates import parse_instant
from ..engine.conditions.ipaddr import parse_address
from ..engine.conditions.numbers import parse_number
from ._z3 import z3mod
from .errors import ProveError, UnsupportedConstruct
from .keys import TIME_KEYS
from .symbolic import SymRequest
from .values import EXPO, ISO, PLAIN, V4, V6, BinValue, IpValue, NumValue, StrValue

_ACCOUNT = re.compile(r"^\d{12}$")
_EPOCH = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
FIELDS = ("principal", "action", "resource", "resource_account", "context")


@dataclass(frozen=True)
class FieldPattern:
    values: Tuple[str, ...]
    negated: bool = False

    def texts(self) -> Tuple[str, ...]:
        return self.values


@dataclass(frozen=True)
class SetSpec:
    principal: Optional[FieldPattern] = None
    action: Optional[FieldPattern] = None
    resource: Optional[FieldPattern] = None
    resource_account: Optional[FieldPattern] = None
    context: Mapping[str, Optional[FieldPattern]] = field(default_factory=dict)

    def texts(self):
        out = []
        for f in (self.principal, self.action, self.resource, self.resource_account):
            if f is not None:
                out += list(f.values)
        for key, f in self.context.items():
            out.append(key)
            if f is not None:
                out += list(f.values)
        return out


def _pattern(value: Any, where: str) -> Optional[FieldPattern]:
    if value is None:
        return None
    if hasattr(value, "values") and hasattr(value, "negated") and not isinstance(value, Mapping):
        return FieldPattern(tuple(str(v) for v in value.values), bool(value.negated))
    negated = False
    if isinstance(value, Mapping):
        if set(value) != {"not"}:
            raise ProveError(f"{where}: expected a pattern, a list of patterns or {{not: ...}}; "
                             f"got {dict(value)!r}")
        value, negated = value["not"], True
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items:
        raise ProveError(f"{where}: an empty list of patterns")
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise ProveError(f"{where}: patterns are strings; got {item!r}")
        out.append(item if isinstance(item, str) else str(item))
    return FieldPattern(tuple(out), negated)


def set_spec(raw: Any, where: str = "property") -> SetSpec:
    """A :class:`SetSpec` from the spec package's RequestSet or a mapping as written in a file."""
    if isinstance(raw, SetSpec):
        return raw
    if raw is None:
        return SetSpec()
    if isinstance(raw, Mapping):
        unknown = set(raw) - set(FIELDS)
        if unknown:
            raise ProveError(f"{where}: unknown request-set field(s) {', '.join(sorted(unknown))}; "
                             f"expected {', '.join(FIELDS)}")
        get = raw.get
    else:
        get = lambda k: getattr(raw, k, None)  # noqa: E731
    context = get("context") or {}
    if not isinstance(context, Mapping):
        raise ProveError(f"{where}: `context` must map keys to patterns")
    return SetSpec(
        principal=_pattern(get("principal"), f"{where}: principal"),
        action=_pattern(get("action"), f"{where}: action"),
        resource=_pattern(get("resource"), f"{where}: resource"),
        resource_account=_pattern(get("resource_account"), f"{where}: resource_account"),
        context={k: _pattern(v, f"{where}: context {k}") for k, v in context.items()})


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


class SetEncoder:
    def __init__(self, req: SymRequest, where: str):
        self.req = req
        self.where = where
        self.z3 = z3mod()

    def _any(self, pattern: FieldPattern, match):
        z3 = self.z3
        hit = z3.Or(*[match(v) for v in pattern.values])
        return z3.Not(hit) if pattern.negated else hit

    def formula(self, spec: SetSpec):
        z3, req = self.z3, self.req
        glob = req.pats.glob
        parts = []
        if spec.principal is not None:
            text = req.text

            def principal(v):
                if _ACCOUNT.match(v):
                    v = f"arn:aws:iam::{v}:root"  # an account id stands for its root user
                return text.mem(glob(v), self.where)
            parts.append(self._any(spec.principal, principal))
        if spec.action is not None:
            parts.append(self._any(spec.action, lambda v: req.action.mem(glob(v, ignore_case=True))))
        if spec.resource is not None:
            resource = req.resource
            parts.append(self._any(spec.resource, lambda v: resource.mem(glob(v), self.where)))
        if spec.resource_account is not None:
            hit = z3.Or(*[req.res_account.mem(glob(v)) for v in spec.resource_account.values])
            parts.append(z3.Or(z3.Not(req.res_account_set), z3.Not(hit)) if spec.resource_account.negated
                         else z3.And(req.res_account_set, hit))
        for key, pattern in spec.context.items():
            kv = req.key(key)
            if pattern is None:
                parts.append(z3.Not(kv.present))
                continue
            def some(v, _kv=kv, _key=key, _neg=pattern.negated):
                one = self._value_match(_kv.single, v, _key, _neg) if _kv.single is not None else None
                many = z3.Or(*[z3.And(_kv.count > i, self._value_match(e, v, _key, _neg))
                               for i, e in enumerate(_kv.elems)]) if _kv.elems else None
                return _kv.choose(one, many)
            hit = z3.Or(*[some(v) for v in pattern.values])
            parts.append(z3.Or(z3.Not(kv.present), z3.Not(hit)) if pattern.negated else z3.And(kv.present, hit))
        return z3.And(*parts) if parts else z3.BoolVal(True)

    def _value_match(self, value, pattern: str, key: str, negated: bool = False):
        z3 = self.z3
        where = f"{self.where}: context {key}"
        if isinstance(value, StrValue):
            return value.sym.mem(self.req.pats.glob(pattern), where)
        if _has_wildcard(pattern):
            raise UnsupportedConstruct(f"a wildcard pattern for {key}, a key compared as "
                                       f"{type(value).__name__[:-5].lower()} (give a literal value)", where)
        if isinstance(value, NumValue):
            text = pattern.strip()
            if _EPOCH.fullmatch(text):
                cat, number = PLAIN, parse_number(text)
            elif parse_number(text) is not None:
                cat, number = EXPO, parse_number(text)
            elif parse_instant(text) is not None:
                cat, number = ISO, parse_instant(text)
            elif negated or value.fixed_cat is not None:
                # Text that is neither a number nor a date: values read as numbers never are it,
                # other text can always be something else, and the request time is always a date.
                return z3.BoolVal(False)
            else:
                raise UnsupportedConstruct(f"the value {pattern!r} for {key}, a key compared as a number "
                                           f"or date", where)
            from fractions import Fraction
            frac = Fraction(number)
            same_value = value.val == z3.Q(frac.numerator, frac.denominator)
            if value.fixed_cat is not None:
                # aws:CurrentTime / aws:EpochTime: the same instant, whichever way it is written.
                return same_value
            return z3.And(value.cat == cat, same_value)
        if isinstance(value, IpValue):
            addr = parse_address(pattern)
            if addr is None and negated:
                return z3.BoolVal(False)  # an address is never that text; other text can differ
            if addr is None:
                raise UnsupportedConstruct(f"the value {pattern!r} for {key}, a key compared as an IP "
                                           f"address", where)
            if addr.version == 4:
                return z3.And(value.cat == V4, value.v4 == int(addr))
            return z3.And(value.cat == V6, value.v6 == int(addr))
        if isinstance(value, BinValue):
            hits = [value.idx == i for i, c in enumerate(value.candidates) if c == pattern]
            return z3.Or(*hits) if hits else z3.BoolVal(False)
        raise AssertionError(type(value))  # pragma: no cover


def property_keys(spec: SetSpec) -> Dict[str, list]:
    return {k: list(p.values) if p is not None else [] for k, p in spec.context.items()}


def time_keys_in(spec: SetSpec):
    return [k for k in spec.context if k.lower() in TIME_KEYS]
