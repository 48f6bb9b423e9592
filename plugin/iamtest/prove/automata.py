"""Flat patterns (IAM wildcard patterns and request domains) and their atoms.

A *flat pattern* is a tuple of atoms: ``("c", ch)`` one literal character,
``("1", cls)`` one character of the class ``cls`` (a frozenset of
characters), ``("*", cls)`` any run of characters of ``cls``. Every IAM
wildcard pattern the engine uses is one (``*``/``?`` over all characters, or
over all but ``:`` inside an ARN segment), and so is every request domain
(account ids, role names, actions...), possibly as a union of several.

:func:`atom_table` computes, for one string variable, the *atoms*: which
combinations of the patterns a string of the domain can satisfy, with one or
two witness strings for each. It explores the product of the patterns' NFAs
breadth first, so it is exact: every string of the domain satisfies the same
patterns as some witness. The symbolic request then ranges over the witnesses
only, which turns string reasoning into a finite choice.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Sequence, Tuple

Atom = Tuple
Flat = Tuple[Atom, ...]

#: Characters preferred as witnesses, in order (readable examples).
_PREFERRED = "exampl0123456789bcdfghijknoqrstuvwxyzEXAMPL-_./BCDFGHIJKNOQRSTUVWXYZ=+,@:;!#$%&'()*<>?[]^`{|}~ \"\\"


def lit(text: str) -> Flat:
    return tuple(("c", ch) for ch in text)


def is_literal(p: Flat) -> bool:
    return all(a[0] == "c" for a in p)


def literal_text(p: Flat) -> str:
    return "".join(a[1] for a in p)


def has_vals(p: Flat) -> bool:
    return any(a[0] == "v" for a in p)


def _closure(p: Flat, states: Iterable[int]) -> FrozenSet[int]:
    out = set()
    for i in states:
        while True:
            out.add(i)
            if i < len(p) and p[i][0] == "*":
                i += 1
            else:
                break
    return frozenset(out)


def start(p: Flat) -> FrozenSet[int]:
    return _closure(p, (0,))


def step(p: Flat, states: FrozenSet[int], ch: str) -> FrozenSet[int]:
    nxt = []
    n = len(p)
    for i in states:
        if i >= n:
            continue
        kind, arg = p[i]
        if kind == "c":
            if arg == ch:
                nxt.append(i + 1)
        elif kind == "1":
            if ch in arg:
                nxt.append(i + 1)
        elif kind == "*":
            if ch in arg:
                nxt.append(i)
    return _closure(p, nxt) if nxt else frozenset()


def run(p: Flat, text: str) -> FrozenSet[int]:
    states = start(p)
    for ch in text:
        if not states:
            break
        states = step(p, states, ch)
    return states


def matches(p: Flat, text: str) -> bool:
    return len(p) in run(p, text)


def matches_any(ps: Sequence[Flat], text: str) -> bool:
    return any(matches(p, text) for p in ps)


class TooManyStates(Exception):
    """The product of the patterns is too large to explore; use strings instead."""


@dataclass
class AtomTable:
    """Witnesses of one string variable's atoms.

    ``witnesses[k]`` is a string; ``hits[i]`` the set of witnesses matching
    pattern ``i``; ``in_domain[d]`` the set of witnesses in domain ``d``.
    """

    witnesses: List[str]
    hits: List[FrozenSet[int]]
    in_domain: List[FrozenSet[int]]


def _classes(flats: Sequence[Flat], alphabet: FrozenSet[str]) -> List[str]:
    """One representative character per class of characters no pattern tells apart."""
    literal = set()
    sets = []
    for p in flats:
        for kind, arg in p:
            if kind == "c":
                literal.add(arg)
            elif kind in ("1", "*"):
                sets.append(arg)
    sets = list({id(s): s for s in sets}.values())
    uniq: List[FrozenSet[str]] = []
    for s in sets:
        if s not in uniq:
            uniq.append(s)
    groups: Dict[Tuple, List[str]] = {}
    for ch in alphabet | literal:
        key = (ch if ch in literal else None, tuple(ch in s for s in uniq))
        groups.setdefault(key, []).append(ch)
    reps = []
    for chars in groups.values():
        reps.append(min(chars, key=_rank))
    return sorted(reps, key=_rank)


def _rank(ch: str):
    pos = _PREFERRED.find(ch)
    return (0, pos) if pos >= 0 else (1, ord(ch))


def atom_table(patterns: Sequence[Flat], domains: Sequence[Sequence[Flat]], alphabet: FrozenSet[str],
               two: bool = False, hints: Iterable[str] = (), cap: int = 20000) -> AtomTable:
    """Every combination of ``patterns`` some string of a domain satisfies, with witnesses.

    ``domains``: one or more domains (each a union of flat patterns); a
    witness is kept when it is in at least one. ``two``: keep two distinct
    witnesses for each atom that has them (needed when two variables over
    the same atoms may be equal or not). ``hints``: strings to prefer as
    witnesses (tried first, e.g. variations of constants).
    """
    flats = list(patterns) + [p for d in domains for p in d]
    n_pat = len(patterns)
    # indexes of each domain's alternatives inside ``flats``
    dom_ranges = []
    pos = n_pat
    for d in domains:
        dom_ranges.append(range(pos, pos + len(d)))
        pos += len(d)
    reps = _classes(flats, alphabet)
    ends = [len(p) for p in flats]
    domain_of = {}
    for d, r in enumerate(dom_ranges):
        for i in r:
            domain_of[i] = d
    caches: List[Dict] = [{} for _ in flats]

    # A product state is sparse: the (pattern index, NFA states) pairs still alive, in order.
    def advance(state: Tuple, ch: str) -> Tuple:
        out = []
        for i, states in state:
            cache = caches[i]
            key = (states, ch)
            found = cache.get(key)
            if found is None:
                found = cache[key] = step(flats[i], states, ch)
            if found:
                out.append((i, found))
        return tuple(out)

    def signature(state: Tuple) -> Tuple[FrozenSet[int], Tuple[bool, ...]]:
        accepted = [i for i, states in state if ends[i] in states]
        doms = [False] * len(dom_ranges)
        for i in accepted:
            if i in domain_of:
                doms[domain_of[i]] = True
        return frozenset(i for i in accepted if i < n_pat), tuple(doms)

    by_sig: Dict[Tuple, List[str]] = {}

    def record(sig, text: str) -> None:
        if not any(sig[1]):
            return
        found = by_sig.setdefault(sig, [])
        if text not in found and len(found) < (2 if two else 1):
            found.append(text)

    initial = tuple((i, start(p)) for i, p in enumerate(flats))

    def state_of(text: str):
        state = initial
        for ch in text:
            state = advance(state, ch)
        return state

    for hint in hints:
        if all(ch in alphabet for ch in hint):
            record(signature(state_of(hint)), hint)

    order = deque([initial])
    strings = {initial: ""}
    while order:
        state = order.popleft()
        text = strings[state]
        record(signature(state), text)
        for ch in reps:
            nxt = advance(state, ch)
            if not nxt or nxt[-1][0] < n_pat:
                continue  # left every domain: no string with this prefix is a value
            if nxt not in strings:
                if len(strings) >= cap:
                    raise TooManyStates()
                strings[nxt] = text + ch
                order.append(nxt)
            elif two:
                record(signature(nxt), text + ch)  # another string reaching a known state
    witnesses: List[str] = []
    sigs: List[Tuple] = []
    for sig, found in by_sig.items():
        for text in found:
            witnesses.append(text)
            sigs.append(sig)
    hits = [frozenset(k for k, s in enumerate(sigs) if i in s[0]) for i in range(n_pat)]
    in_domain = [frozenset(k for k, s in enumerate(sigs) if s[1][d]) for d in range(len(domains))]
    return AtomTable(witnesses, hits, in_domain)
