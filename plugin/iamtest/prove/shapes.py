"""Symbolic strings built from dimensions, and pattern membership over them.

A principal's ARN is not one variable but a *skeleton*: literal text and
dimensions (``"arn:" partition ":iam::" account ":role" path name``), one
skeleton per kind of principal (:class:`Alt`). Matching a skeleton against a
flat pattern runs the pattern's automaton over the literal parts and, at each
dimension, branches over where in the pattern the dimension's value ends: the
value must then lie in the slice of the pattern it covers. The result is a
formula over single-dimension memberships (no string concatenation for the
solver), exact for every pattern whose wildcards do not have to cross a
policy variable's value while the skeleton's literal text is read.
"""
from __future__ import annotations

from functools import lru_cache
from typing import List, Optional, Sequence, Tuple, Union

from . import automata
from ._z3 import z3mod
from .automata import Flat
from .dims import Dim, flat_key
from .errors import UnsupportedConstruct


class Sym:
    """A symbolic string."""

    def dims(self) -> List[Dim]:
        raise NotImplementedError

    def mem(self, flat: Flat, where: str = ""):
        raise NotImplementedError

    def concrete(self, model) -> str:
        raise NotImplementedError

    def as_z3(self):
        raise NotImplementedError

    def items(self) -> Optional[Tuple]:
        """The skeleton items (str or Dim), when this is not an alternative."""
        return None


class Const(Sym):
    def __init__(self, text: str):
        self.text = text

    def dims(self):
        return []

    def items(self):
        return (self.text,)

    def mem(self, flat, where=""):
        return Skel((self.text,)).mem(flat, where)

    def concrete(self, model):
        return self.text

    def as_z3(self):
        return z3mod().StringVal(self.text)


class DimRef(Sym):
    def __init__(self, dim: Dim):
        self.dim = dim

    def dims(self):
        return [self.dim]

    def items(self):
        return (self.dim,)

    def mem(self, flat, where=""):
        return self.dim.mem(flat)

    def concrete(self, model):
        return dim_value(self.dim, model)

    def as_z3(self):
        return self.dim.var


class Skel(Sym):
    def __init__(self, items: Sequence[Union[str, Dim]]):
        self._memo: dict = {}
        merged: List = []
        for item in items:
            if isinstance(item, str) and merged and isinstance(merged[-1], str):
                merged[-1] += item
            elif not (isinstance(item, str) and item == ""):
                merged.append(item)
        self._items = tuple(merged)

    def dims(self):
        return [i for i in self._items if isinstance(i, Dim)]

    def items(self):
        return self._items

    def mem(self, flat, where=""):
        key = flat_key(flat)
        if key not in self._memo:
            self._memo[key] = skeleton_member(self._items, flat, where)
        return self._memo[key]

    def concrete(self, model):
        return "".join(i if isinstance(i, str) else dim_value(i, model) for i in self._items)

    def as_z3(self):
        z3 = z3mod()
        parts = [z3.StringVal(i) if isinstance(i, str) else i.var for i in self._items]
        if not parts:
            return z3.StringVal("")
        return parts[0] if len(parts) == 1 else z3.Concat(*parts)


class Alt(Sym):
    """One symbolic string per case; the guards are exclusive and exhaustive."""

    def __init__(self, cases: Sequence[Tuple[object, Sym]]):
        self.cases = list(cases)
        self._memo: dict = {}

    def dims(self):
        return [d for _, s in self.cases for d in s.dims()]

    def mem(self, flat, where=""):
        z3 = z3mod()
        key = flat_key(flat)
        if key not in self._memo:
            parts = []
            for guard, case in self.cases:
                hit = case.mem(flat, where)
                if not z3.is_false(hit):
                    parts.append(z3.And(guard, hit))
            self._memo[key] = z3.Or(*parts) if len(parts) > 1 else (parts[0] if parts else z3.BoolVal(False))
        return self._memo[key]

    def concrete(self, model):
        z3 = z3mod()
        for guard, s in self.cases:
            if z3.is_true(model.eval(guard, model_completion=True)):
                return s.concrete(model)
        raise AssertionError("no case holds")  # pragma: no cover

    def as_z3(self):
        z3 = z3mod()
        expr = self.cases[-1][1].as_z3()
        for guard, s in reversed(self.cases[:-1]):
            expr = z3.If(guard, s.as_z3(), expr)
        return expr


def dim_value(dim: Dim, model) -> str:
    value = model.eval(dim.var, model_completion=True)
    if dim.root().strings:
        return value.as_string()
    table = dim.root().table
    idx = value.as_long()
    if idx not in getattr(dim, "allowed", ()):  # model completion picked a value the domain forbids
        idx = min(dim.allowed)
    return table.witnesses[idx]


def val_atoms(sym: Sym, label: str) -> List:
    """A request value inside a pattern: its skeleton items as atoms (literal
    text as characters, each dimension as one ``("v", ...)`` atom)."""
    from .patterns import Val
    items = sym.items()
    if items is None:
        return [("v", Val(sym, label))]
    out = []
    for item in items:
        if isinstance(item, str):
            out += [("c", ch) for ch in item]
        else:
            out.append(("v", Val(DimRef(item), label)))
    return out


# -- the skeleton walk ------------------------------------------------------------------------

def skeleton_member(items: Tuple, flat: Flat, where: str = ""):
    """Formula: the concatenation of ``items`` is in ``flat``."""
    z3 = z3mod()
    m = len(flat)

    def read(states, text: str):
        for ch in text:
            if not states:
                return states
            for i in states:
                if i < m and flat[i][0] == "v":
                    raise UnsupportedConstruct(
                        "a policy variable matched against text the request builds from its "
                        "parts (such as a principal ARN)", where)
            states = automata.step(flat, states, ch)
        return states

    @lru_cache(maxsize=None)
    def walk(k: int, states: frozenset):
        if not states:
            return False
        if k == len(items):
            return m in states
        item = items[k]
        if isinstance(item, str):
            return walk(k + 1, read(states, item))
        options = []
        for j in range(min(states), m + 1):
            pieces = []
            for i in states:
                if i > j:
                    continue
                piece = flat[i:j]
                if j < m and flat[j][0] == "*":
                    piece = piece + (flat[j],)
                if any(a[0] == "c" and a[1] in item.forbidden for a in piece):
                    continue
                if automata.is_literal(piece) and not automata.matches_any(item.domain,
                                                                          automata.literal_text(piece)):
                    continue  # a fixed text the dimension can never hold (the empty string, say)
                pieces.append(piece)
            if not pieces:
                continue
            cont = walk(k + 1, automata._closure(flat, (j,)))
            if cont is False:
                continue
            slices = [item.mem(piece) for piece in pieces]
            here = z3.Or(*slices) if len(slices) > 1 else slices[0]
            options.append(here if cont is True else z3.And(here, cont))
        if not options:
            return False
        return z3.Or(*options) if len(options) > 1 else options[0]

    result = walk(0, automata.start(flat))
    if result is True or result is False:
        return z3.BoolVal(result)
    return result
