"""A formula saying "the symbolic request is this concrete request".

Used to check the back-end against the concrete evaluator request by request
(tests, and the self-check of ``iamtest diff`` examples): both must agree on
every request the symbolic domain can represent.
"""
from __future__ import annotations

from fractions import Fraction
import re

from ..engine.conditions.booleans import binary_equals
from ..engine.conditions.dates import parse_instant
from ..engine.conditions.ipaddr import parse_address
from ..engine.conditions.numbers import parse_number
from ..engine.request import ROOT, Request
from ._z3 import z3mod
from .automata import lit
from .errors import ProveError
from .keys import TIME_KEYS
from .symbolic import SymRequest
from .values import EXPO, ISO, NOT_IP, OTHER, PLAIN, V4, V6, BinValue, IpValue, NumValue, StrValue

_EPOCH = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_ACCOUNT = re.compile(r"^\d{12}$")


def _value(value, text: str):
    z3 = z3mod()
    if isinstance(value, StrValue):
        return value.sym.mem(lit(text))
    if isinstance(value, NumValue):
        stripped = text.strip()
        number = parse_number(text)
        instant = parse_instant(text)
        if _EPOCH.fullmatch(stripped):
            cat, v = PLAIN, number
        elif number is not None:
            cat, v = EXPO, number
        elif instant is not None:
            cat, v = ISO, instant
        else:
            cat, v = OTHER, None
        if value.fixed_cat is not None:
            if v is None:
                raise ProveError(f"cannot pin the time value {text!r}")
            frac = Fraction(v)
            return value.val == z3.Q(frac.numerator, frac.denominator)
        if v is None:
            return value.cat == OTHER
        frac = Fraction(v)
        return z3.And(value.cat == cat, value.val == z3.Q(frac.numerator, frac.denominator))
    if isinstance(value, IpValue):
        addr = parse_address(text)
        if addr is None:
            return value.cat == NOT_IP
        if addr.version == 4:
            return z3.And(value.cat == V4, value.v4 == int(addr))
        return z3.And(value.cat == V6, value.v6 == int(addr))
    if isinstance(value, BinValue):
        consts = value.candidates[:-1]
        want = [binary_equals(text, c) for c in consts]
        for i, cand in enumerate(value.candidates):
            if [binary_equals(cand, c) for c in consts] == want:
                return value.idx == i
        raise ProveError(f"cannot pin the binary value {text!r}")  # pragma: no cover
    raise AssertionError(type(value))  # pragma: no cover


def pin(req: SymRequest, request: Request):
    """The conjunction fixing every part of ``req`` the question can see."""
    z3 = z3mod()
    who = request.principal
    text = who.arn if who.kind == ROOT else who.text
    parts = [req.text.mem(lit(text)), req.action.mem(lit(request.action.lower())),
             req.resource.mem(lit(request.resource))]
    if request.resource_account is not None:
        parts += [req.res_account_set, req.res_account.mem(lit(request.resource_account))]
        if not _ACCOUNT.match(request.resource_account):
            raise ProveError(f"cannot pin the resource account {request.resource_account!r}")
    else:
        parts.append(z3.Not(req.res_account_set))
    ctx = request.context
    for info in req.plan.keys.values():
        kv = req.keys[info.lower]
        cv = ctx.get(info.name)
        if info.lower in TIME_KEYS:
            if cv is None or cv.multi:
                raise ProveError(f"cannot pin {info.name}: the symbolic request always carries it")
            parts.append(_value(kv.single, cv.values[0]))
            continue
        if info.lower == "aws:userid" and kv.free_parts is not None:
            present, value = kv.free_parts
            parts.append(present if cv is not None else z3.Not(present))
            if cv is not None and not cv.multi:
                parts.append(value.mem(lit(cv.values[0])))
            continue
        if info.derived:
            continue
        if cv is None:
            parts.append(z3.Not(kv.present))
            continue
        if (cv.multi and not kv.elems) or (not cv.multi and kv.single is None):
            raise ProveError(f"cannot pin {info.name}: the request gives "
                             f"{'a list' if cv.multi else 'one value'}, the prover models "
                             f"{'a list' if kv.single is None else 'one value'}")
        parts.append(kv.present)
        parts.append(kv.is_list() if cv.multi else z3.Not(kv.is_list()))
        if not cv.multi:
            parts.append(_value(kv.single, cv.values[0]))
            continue
        if len(cv.values) > len(kv.elems):
            raise ProveError(f"cannot pin {info.name}: {len(cv.values)} values, the prover "
                             f"models up to {len(kv.elems)}")
        parts.append(kv.count == len(cv.values))
        parts += [_value(e, v) for e, v in zip(kv.elems, cv.values)]
    return z3.And(*parts)
