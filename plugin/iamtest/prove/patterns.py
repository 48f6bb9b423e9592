"""IAM wildcard patterns as flat patterns (see :mod:`.automata`).

The request's strings are drawn from an alphabet: printable ASCII plus every
character written in the policies and properties of the question and the
case variants of those characters. Within it each translation here is exact:
it accepts precisely the strings the engine's matcher accepts.

A pattern is first cut into *pieces*: literal text (``Lit``), the wildcards
``*`` and ``?``, and :class:`Val` pieces (a request value substituted for a
policy variable, matched literally; it becomes a ``("v", Val)`` atom).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, Iterable, List, Sequence

from ..engine.wildcard import QUESTION, STAR, EscapedPattern, Lit, tokenize
from .automata import Flat
from .errors import UnsupportedConstruct

PRINTABLE = frozenset(chr(c) for c in range(0x20, 0x7F))


@dataclass(frozen=True, eq=False)
class Val:
    """A request value standing in a pattern (a substituted policy variable).

    ``value`` is a symbolic string (:mod:`.shapes`); ``colon_free``: it never
    holds ``:``; ``nonempty``: it is never empty. Both decide how the ARN
    matchers may treat it.
    """

    value: object
    label: str
    colon_free: bool = False
    nonempty: bool = False


def alphabet_of(texts: Iterable[str]) -> FrozenSet[str]:
    """Printable ASCII, every character of ``texts`` and their case variants."""
    chars = set(PRINTABLE)
    for text in texts:
        for ch in text:
            for variant in (ch, ch.lower(), ch.upper()):
                if len(variant) == 1:
                    chars.add(variant)
    return frozenset(chars)


class Patterns:
    """Translations over one alphabet."""

    def __init__(self, alphabet: FrozenSet[str]):
        self.alphabet = alphabet
        self.any = alphabet
        self.not_colon = alphabet - {":"}

    # -- pieces ----------------------------------------------------------------------------

    @staticmethod
    def pieces(pattern: str, ignore_case: bool = False) -> list:
        text = pattern.lower() if ignore_case else pattern
        return list(tokenize(text, escaped=isinstance(pattern, EscapedPattern)))

    def _lit(self, text: str) -> Flat:
        return tuple(("c", ch) for ch in text)

    # -- plain globs (StringLike, actions, property patterns) ------------------------------

    def glob(self, pattern: str, ignore_case: bool = False) -> Flat:
        return self.glob_pieces(self.pieces(pattern, ignore_case))

    def glob_pieces(self, pieces: Sequence) -> Flat:
        out: list = []
        for piece in pieces:
            if piece == STAR:
                out.append(("*", self.any))
            elif piece == QUESTION:
                out.append(("1", self.any))
            elif isinstance(piece, Lit):
                out += self._lit(piece.text)
            else:
                out.append(("v", piece))
        return tuple(out)

    def literal(self, text: str) -> Flat:
        return self._lit(text)

    # -- Resource / NotResource ------------------------------------------------------------

    def resource(self, pattern: str, where: str = "") -> Flat:
        return self.resource_pieces(self.pieces(pattern), where)

    def resource_pieces(self, pieces: Sequence, where: str = "") -> Flat:
        """The engine's segment rule: ``*`` and ``?`` stay inside a
        colon-separated segment, except a ``*`` that ends its segment, which
        may run on across colons."""
        pieces = _split_colons(pieces)
        out: list = []
        for i, piece in enumerate(pieces):
            nxt = pieces[i + 1] if i + 1 < len(pieces) else None
            if piece == STAR:
                if nxt is None or nxt == ":":
                    out.append(("*", self.any))
                elif isinstance(nxt, Val) and not (nxt.colon_free and nxt.nonempty):
                    raise UnsupportedConstruct(
                        f"a `*` directly before the policy variable {nxt.label} in a Resource "
                        f"(whether the `*` may cross colons depends on the variable's value)", where)
                else:
                    out.append(("*", self.not_colon))
            elif piece == QUESTION:
                out.append(("1", self.not_colon))
            elif piece == ":":
                out.append(("c", ":"))
            elif isinstance(piece, Lit):
                out += self._lit(piece.text)
            else:
                out.append(("v", piece))
        return tuple(out)

    # -- ArnLike / ArnEquals ---------------------------------------------------------------

    def arn(self, pattern: str, where: str = "") -> Flat:
        return self.arn_pieces(self.pieces(pattern), where)

    def arn_pieces(self, pieces: Sequence, where: str = "") -> Flat:
        """Six colon-separated components matched one by one; with fewer than
        six, the pattern is a plain glob over the whole value (as the engine)."""
        pieces = _split_colons(pieces)
        colons = 0
        for piece in pieces:
            if colons >= 5:
                break
            if piece == ":":
                colons += 1
            elif isinstance(piece, Val) and not piece.colon_free:
                raise UnsupportedConstruct(
                    f"the policy variable {piece.label} before the resource part of an ARN "
                    f"pattern (a colon in its value would move the ARN components)", where)
        if colons < 5:
            return self.glob_pieces([Lit(":") if p == ":" else p for p in pieces])
        out: list = []
        seen = 0
        for piece in pieces:
            inner = seen < 5
            if piece == ":":
                out.append(("c", ":"))
                seen += 1
            elif piece == STAR:
                out.append(("*", self.not_colon if inner else self.any))
            elif piece == QUESTION:
                out.append(("1", self.not_colon if inner else self.any))
            elif isinstance(piece, Lit):
                out += self._lit(piece.text)
            else:
                out.append(("v", piece))
        return tuple(out)

    # -- case-insensitive equality and Bool ------------------------------------------------

    def lower_preimage(self, target: str, where: str = "") -> Flat:
        """Strings ``r`` over the alphabet with ``r.lower() == target``."""
        for ch in self.alphabet:
            image = ch.lower()
            if len(image) != 1 and image in target:
                raise UnsupportedConstruct(f"case-insensitive comparison with {target!r}, where "
                                           f"{ch!r} lower-cases to several characters", where)
        return tuple(("1", frozenset(x for x in self.alphabet if x.lower() == c)) for c in target)

    def bool_word(self, word: str) -> Flat:
        """Strings whose ``strip().lower()`` is ``word`` (the engine's Bool)."""
        spaces = frozenset(c for c in self.alphabet if c.isspace())
        return (("*", spaces),) + self.lower_preimage(word) + (("*", spaces),)


def _split_colons(pieces: Sequence) -> List:
    """Literal colons become their own ``":"`` piece (segment separators)."""
    out: List = []
    for piece in pieces:
        if isinstance(piece, Lit) and ":" in piece.text:
            parts = piece.text.split(":")
            for k, part in enumerate(parts):
                if k:
                    out.append(":")
                if part:
                    out.append(Lit(part))
        else:
            out.append(piece)
    return out
