"""String variables of the symbolic request ("dimensions") and how z3 sees them.

Each dimension (an account, a role name, the action, one context value...)
collects the flat patterns the question tests it against, and the
equalities with other dimensions. Dimensions that may be equal share a
group. When the question is built, every group is given one of two
representations:

* *atoms* (the default): :func:`~iamtest.prove.automata.atom_table` finds
  every combination of the group's patterns a value can satisfy, with
  witnesses; each dimension becomes an integer choosing a witness, and each
  membership the finite set of witnesses in the pattern. Exact, and fast for
  the solver.
* *strings*: a z3 String per dimension and regular-expression membership.
  Used when a pattern holds another request value (a policy variable that is
  not a plain equality) or when the product of the patterns is too large.

Memberships are handed out as placeholder booleans while the policies are
compiled and defined once every pattern is known.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from .automata import Flat, TooManyStates, atom_table, has_vals, literal_text, is_literal
from ._z3 import z3mod


class Group:
    def __init__(self):
        self.dims: List["Dim"] = []
        self.flats: Dict[object, Flat] = {}
        self.members: List[Tuple["Dim", object, object]] = []  # (dim, flat key, placeholder)
        self.equalities: List[Tuple["Dim", "Dim", object]] = []
        self.strings = False
        self.table = None
        self.hints: List[str] = []
        self.parent: Optional["Group"] = None  # set when merged into another group


def flat_key(flat: Flat):
    """A flat pattern as a dictionary key (a variable piece by identity)."""
    return tuple((k, a if k != "v" else id(a)) for k, a in flat)


_key = flat_key


class Dim:
    """One string variable. ``domain`` is a union of flat patterns;
    ``forbidden`` are characters no value holds (used to prune)."""

    def __init__(self, space: "DimSpace", name: str, domain: Sequence[Flat], forbidden: FrozenSet[str]):
        self.space = space
        self.name = name
        self.domain = tuple(domain)
        self.forbidden = forbidden
        self.group = Group()
        self.group.dims.append(self)
        self.var = None      # z3 Int (atoms) or String (strings), after finish()
        self._cache: Dict[object, object] = {}

    def root(self) -> Group:
        return self.space.find(self)

    def mem(self, flat: Flat):
        """Placeholder: this dimension's value is in ``flat``."""
        z3 = z3mod()
        key = _key(flat)
        if key in self._cache:
            return self._cache[key]
        self.space.check_open()
        group = self.root()
        group.flats.setdefault(key, flat)
        if has_vals(flat):
            group.strings = True
            for kind, arg in flat:
                if kind == "v":
                    self.space.require_strings(arg.value)
        b = z3.Bool(f"{self.name}~{len(self._cache)}")
        group.members.append((self, key, b))
        self._cache[key] = b
        return b

    def eq(self, other: "Dim"):
        z3 = z3mod()
        if other is self:
            return z3.BoolVal(True)
        self.space.check_open()
        self.space.union(self, other)
        b = z3.Bool(f"{self.name}=={other.name}")
        self.root().equalities.append((self, other, b))
        return b

    def hint(self, *texts: str) -> None:
        self.root().hints.extend(texts)


class DimSpace:
    """Every dimension of one question."""

    def __init__(self, alphabet: FrozenSet[str]):
        self.alphabet = alphabet
        self.dims: List[Dim] = []
        self.constraints: List = []
        self.stats = {"atoms": 0, "string_groups": 0}
        self.finished = False

    def check_open(self) -> None:
        if self.finished:
            raise AssertionError("a membership was asked after the question's domain was fixed; "
                                 "it would be undefined")

    def new(self, name: str, domain: Sequence[Flat], forbidden: FrozenSet[str] = frozenset(),
            like: Optional[Dim] = None) -> Dim:
        """A new dimension; ``like``: share the atoms of that one (list elements)."""
        dim = Dim(self, name, domain, forbidden)
        self.dims.append(dim)
        if like is not None:
            self.union(like, dim)
        return dim

    def find(self, dim: Dim) -> Group:
        group = dim.group
        while group.parent is not None:
            group = group.parent
        dim.group = group
        return group

    def union(self, a: Dim, b: Dim) -> None:
        ga, gb = self.find(a), self.find(b)
        if ga is gb:
            return
        ga.dims += gb.dims
        ga.flats.update(gb.flats)
        ga.members += gb.members
        ga.equalities += gb.equalities
        ga.strings = ga.strings or gb.strings
        ga.hints += gb.hints
        gb.parent = ga

    def require_strings(self, value) -> None:
        for dim in getattr(value, "dims", lambda: ())():
            self.find(dim).strings = True

    def groups(self) -> List[Group]:
        seen, out = set(), []
        for dim in self.dims:
            g = self.find(dim)
            if id(g) not in seen:
                seen.add(id(g))
                out.append(g)
        return out

    # -- definitions ------------------------------------------------------------------------

    def finish(self) -> List:
        """Choose each group's representation and define every placeholder."""
        z3 = z3mod()
        self.finished = True
        groups = self.groups()
        for group in groups:
            if not group.strings:
                try:
                    self._atoms(group)
                    continue
                except TooManyStates:
                    group.strings = True
        for group in groups:
            if group.strings:
                for dim in group.dims:
                    dim.var = z3.String(dim.name)
        for group in groups:
            if group.strings:
                self._strings(group)
                self.stats["string_groups"] += 1
        return self.constraints

    def _atoms(self, group: Group) -> None:
        z3 = z3mod()
        keys = list(group.flats)
        domains: List[Tuple[Flat, ...]] = []
        for dim in group.dims:
            if dim.domain not in domains:
                domains.append(dim.domain)
        flats = list(group.flats.values())
        hints = list(group.hints) + [_instance(f) for f in flats if not is_literal(f)] \
            + _variations([literal_text(f) for f in flats if is_literal(f)])
        table = atom_table([group.flats[k] for k in keys], domains, self.alphabet,
                           two=bool(group.equalities) or len(group.dims) > 1, hints=hints)
        group.table = table
        self.stats["atoms"] += len(table.witnesses)
        index = {k: i for i, k in enumerate(keys)}
        for dim in group.dims:
            dim.var = z3.Int(dim.name)
            allowed = table.in_domain[domains.index(dim.domain)]
            dim.allowed = allowed
            self.constraints.append(_one_of(dim.var, allowed))
        for dim, key, b in group.members:
            hits = table.hits[index[key]] & dim.allowed
            self.constraints.append(b == _one_of(dim.var, hits, dim.allowed))
        for a, c, b in group.equalities:
            self.constraints.append(b == (a.var == c.var))

    def _strings(self, group: Group) -> None:
        z3 = z3mod()
        for dim in group.dims:
            self.constraints.append(z3.InRe(dim.var, self.regex_union(dim.domain)))
        for dim, key, b in group.members:
            self.constraints.append(b == z3.InRe(dim.var, self.regex(group.flats[key])))
        for a, c, b in group.equalities:
            self.constraints.append(b == (a.var == c.var))

    # -- flat patterns as z3 regular expressions (strings representation) ----------------------

    def charset(self, chars: FrozenSet[str]):
        z3 = z3mod()
        codes = sorted(ord(c) for c in chars)
        if not codes:
            return z3.Empty(z3.ReSort(z3.StringSort()))
        ranges = []
        for code in codes:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        parts = [z3.Range(chr(a), chr(b)) if a != b else z3.Re(z3.StringVal(chr(a))) for a, b in ranges]
        return parts[0] if len(parts) == 1 else z3.Union(*parts)

    def regex(self, flat: Flat):
        z3 = z3mod()
        parts, run = [], []
        for kind, arg in flat:
            if kind == "c":
                run.append(arg)
                continue
            if run:
                parts.append(z3.Re(z3.StringVal("".join(run))))
                run = []
            if kind == "1":
                parts.append(self.charset(arg))
            elif kind == "*":
                parts.append(z3.Star(self.charset(arg)))
            else:
                parts.append(z3.Re(arg.value.as_z3()))
        if run:
            parts.append(z3.Re(z3.StringVal("".join(run))))
        if not parts:
            return z3.Re(z3.StringVal(""))
        return parts[0] if len(parts) == 1 else z3.Concat(*parts)

    def regex_union(self, flats: Sequence[Flat]):
        z3 = z3mod()
        res = [self.regex(f) for f in flats]
        return res[0] if len(res) == 1 else z3.Union(*res)


def _one_of(var, members: FrozenSet[int], universe: Optional[FrozenSet[int]] = None):
    z3 = z3mod()
    if universe is not None and members >= universe:
        return z3.BoolVal(True)
    if not members:
        return z3.BoolVal(False)
    return z3.Or(*[var == k for k in sorted(members)])


def _instance(flat: Flat) -> str:
    """A readable string a pattern matches: ``*`` as "example", ``?`` as one letter."""
    out = []
    for kind, arg in flat:
        if kind == "c":
            out.append(arg)
        elif kind == "1":
            out.append(next((c for c in "xe0a" if c in arg), min(arg) if arg else ""))
        elif kind == "*":
            out.append("example" if set("example") <= arg else "")
    return "".join(out)


def _variations(constants: Sequence[str]) -> List[str]:
    """Strings close to the constants (readable witnesses for "another value")."""
    out = []
    for text in constants:
        if len(text) >= 2:
            last = text[-1]
            for alt in ("9", "0", "x", "a"):
                if alt != last:
                    out.append(text[:-1] + alt)
                    break
    return out
