"""IAM wildcard matching: ``*`` is any run of characters (empty too), ``?`` is one.

AWS documents the two wildcards for ``StringLike`` ("multi-character match
wildcards (*) and single-character match wildcards (?) anywhere in the
string", IAM JSON policy elements: Condition operators) and for ARNs in the
``Resource`` element (IAM JSON policy elements: Resource). Everything else in a
pattern is literal; ``*`` crosses ``/`` and ``:`` like any other character
(the segment rules for ARNs live in :mod:`iamtest.engine.arn`).

Matching is segment based: the pattern is cut at each ``*`` into fixed-length
segments (literal characters and ``?``); the first segment must sit at the
start, the last at the end, and every middle segment is found leftmost after
the previous one. Leftmost placement is always safe for ``*`` patterns, so
there is no backtracking: the work is one scan per segment over the value.

Literal ``*`` and ``?``: a policy writes them as ``${*}`` and ``${?}``
(IAM policy elements: Variables and tags, "Special characters"). After
substitution :mod:`iamtest.engine.variables` hands back an
:class:`EscapedPattern`, a ``str`` in which ``\\*``, ``\\?`` and ``\\\\``
stand for the literal characters. :func:`compile_glob` reads that escape form
only for an :class:`EscapedPattern` (or when asked with ``escaped=True``); in
ordinary policy text a backslash is just a backslash.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, List, Optional, Sequence, Tuple, Union

STAR = "*"
QUESTION = "?"


class EscapedPattern(str):
    """A wildcard pattern in escaped form: ``\\*`` ``\\?`` ``\\\\`` are literal.

    Produced by :func:`iamtest.engine.variables.substitute` with
    ``for_pattern=True``. It is a ``str``, so it prints and compares like the
    text; every matcher in the engine recognises the type and honours the
    escapes. Slicing or concatenating gives a plain ``str`` again: build new
    patterns with :func:`escape_literal` and wrap them explicitly.
    """

    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"EscapedPattern({str.__repr__(self)})"


def escape_literal(text: str) -> str:
    """Escape ``text`` so that every character in it matches only itself."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


def escape_pattern_text(text: str) -> str:
    """Escape policy text for the escaped form while keeping ``*``/``?`` wildcards."""
    return text.replace("\\", "\\\\")


#: A token is a literal string, or the wildcard markers STAR / QUESTION.
#: Literal text is kept in ``Lit`` so that a literal "*" is never mistaken
#: for the wildcard.
@dataclass(frozen=True)
class Lit:
    text: str


Token = Union[Lit, str]


def is_escaped(pattern: str, escaped: Optional[bool] = None) -> bool:
    return isinstance(pattern, EscapedPattern) if escaped is None else escaped


def tokenize(pattern: str, escaped: Optional[bool] = None) -> List[Token]:
    """Split a pattern into ``Lit`` runs and ``STAR``/``QUESTION`` wildcards.

    Consecutive stars collapse into one (they match the same strings).
    """
    esc = is_escaped(pattern, escaped)
    tokens: List[Token] = []
    buf: List[str] = []

    def flush():
        if buf:
            tokens.append(Lit("".join(buf)))
            buf.clear()

    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if esc and c == "\\" and i + 1 < n:
            buf.append(pattern[i + 1])
            i += 2
            continue
        if c == STAR:
            flush()
            if not tokens or tokens[-1] != STAR:
                tokens.append(STAR)
        elif c == QUESTION:
            flush()
            tokens.append(QUESTION)
        else:
            buf.append(c)
        i += 1
    flush()
    return tokens


def split_tokens(tokens: Sequence[Token], sep: str, maxsplit: int = -1) -> List[List[Token]]:
    """Split tokens at literal occurrences of the one-character ``sep``."""
    parts: List[List[Token]] = [[]]
    splits = 0
    for tok in tokens:
        if isinstance(tok, Lit) and sep in tok.text and (maxsplit < 0 or splits < maxsplit):
            pieces = tok.text.split(sep) if maxsplit < 0 else tok.text.split(sep, maxsplit - splits)
            for k, piece in enumerate(pieces):
                if k:
                    parts.append([])
                    splits += 1
                if piece:
                    parts[-1].append(Lit(piece))
        else:
            parts[-1].append(tok)
    return parts


# A segment is the text between two stars: literal characters and '?' only,
# so its length is fixed. It is kept as (text, regex or None): ``text`` has
# the literal characters with a placeholder at each '?' for length; ``regex``
# is set only when the segment holds a '?' (a fixed-length expression with no
# quantifiers, so searching it cannot backtrack).
_Segment = Tuple[str, Optional["re.Pattern[str]"], int]


def _segment(tokens: Sequence[Token], ignore_case: bool, one: str = ".") -> _Segment:
    has_q = any(t == QUESTION for t in tokens)
    if not has_q:
        text = "".join(t.text for t in tokens)  # type: ignore[union-attr]
        text = text.lower() if ignore_case else text
        return (text, None, len(text))
    parts = []
    length = 0
    for t in tokens:
        if t == QUESTION:
            parts.append(one)
            length += 1
        else:
            lit = t.text.lower() if ignore_case else t.text  # type: ignore[union-attr]
            parts.append(re.escape(lit))
            length += len(lit)
    return ("", re.compile("".join(parts), re.DOTALL), length)


def _seg_at(seg: _Segment, value: str, pos: int) -> bool:
    text, rx, length = seg
    if pos + length > len(value):
        return False
    if rx is None:
        return value.startswith(text, pos)
    return rx.match(value, pos, pos + length) is not None


def _seg_find(seg: _Segment, value: str, start: int, end: int) -> int:
    text, rx, _ = seg
    if rx is None:
        return value.find(text, start, end)
    m = rx.search(value, start, end)
    return m.start() if m else -1


class GlobMatcher:
    """A compiled wildcard pattern; call it with a value to match."""

    __slots__ = ("pattern", "ignore_case", "segments", "anchored")

    def __init__(self, tokens: Sequence[Token], ignore_case: bool = False, pattern: str = "",
                 one: str = "."):
        """``one`` is the regular-expression class a ``?`` matches: any character
        by default; ``[^:]`` for the ARN matchers, whose ``?`` stays in its segment."""
        self.pattern = pattern
        self.ignore_case = ignore_case
        groups: List[List[Token]] = [[]]
        for tok in tokens:
            if tok == STAR:
                groups.append([])
            else:
                groups[-1].append(tok)
        #: One fixed-length segment per run between stars (len == stars + 1).
        self.segments: Tuple[_Segment, ...] = tuple(_segment(g, ignore_case, one) for g in groups)
        #: True when the pattern has no star at all (the value must fit exactly).
        self.anchored = len(groups) == 1

    def __call__(self, value: str, counter: Optional[list] = None) -> bool:
        """Match ``value``; ``counter`` (a one-item list) counts segment probes."""
        if self.ignore_case:
            value = value.lower()
        segs = self.segments
        if counter is not None:
            counter[0] += 1
        first = segs[0]
        if self.anchored:
            return first[2] == len(value) and _seg_at(first, value, 0)
        last = segs[-1]
        if first[2] + last[2] > len(value):
            return False
        if not _seg_at(first, value, 0):
            return False
        end = len(value) - last[2]
        if counter is not None:
            counter[0] += 1
        if not _seg_at(last, value, end):
            return False
        pos = first[2]
        for seg in segs[1:-1]:
            if counter is not None:
                counter[0] += 1
            found = _seg_find(seg, value, pos, end)
            if found < 0:
                return False
            pos = found + seg[2]
        return True


@lru_cache(maxsize=4096, typed=True)
def compile_glob(pattern: str, ignore_case: bool = False,
                 escaped: Optional[bool] = None) -> Callable[[str], bool]:
    """Compile an IAM wildcard pattern into a matcher (memoised).

    ``ignore_case`` folds both sides to lower case (for ``...IgnoreCase``
    uses; ``StringLike`` itself is case-sensitive). ``escaped`` defaults to
    "is ``pattern`` an :class:`EscapedPattern`".
    """
    return GlobMatcher(tokenize(pattern, escaped), ignore_case, str(pattern))


def matcher_for(tokens: Sequence[Token]) -> Callable[[str], bool]:
    """A case-sensitive matcher for tokenized wildcards, with shortcuts.

    Answers what ``GlobMatcher(tokens)`` answers: no wildcard is an equality
    test, ``*`` alone matches everything, a lone final ``*`` is a prefix
    test, a lone leading ``*`` a suffix test; anything else is the
    :class:`GlobMatcher` itself.
    """
    if all(isinstance(t, Lit) for t in tokens):
        return "".join(t.text for t in tokens).__eq__  # type: ignore[union-attr]
    if len(tokens) == 1 and tokens[0] == STAR:
        return _anything
    if len(tokens) == 2:
        first, last = tokens
        if isinstance(first, Lit) and last == STAR:
            return _prefix_test(first.text)
        if first == STAR and isinstance(last, Lit):
            return _suffix_test(last.text)
    return GlobMatcher(tokens)


def _anything(value: str) -> bool:
    return True


def _prefix_test(prefix: str) -> Callable[[str], bool]:
    return lambda value: value.startswith(prefix)


def _suffix_test(suffix: str) -> Callable[[str], bool]:
    return lambda value: value.endswith(suffix)


@lru_cache(maxsize=4096, typed=True)
def compile_matcher(pattern: str, escaped: Optional[bool] = None) -> Callable[[str], bool]:
    """Like :func:`compile_glob` (case-sensitive), through :func:`matcher_for` (memoised)."""
    return matcher_for(tokenize(pattern, escaped))


def glob_match(pattern: str, value: str, ignore_case: bool = False,
               escaped: Optional[bool] = None) -> bool:
    """Whether ``value`` matches the IAM wildcard ``pattern``."""
    return compile_glob(pattern, ignore_case, escaped)(value)


def literal_text(pattern: str, escaped: Optional[bool] = None) -> str:
    """The text a pattern stands for when its wildcards are read literally.

    Used by exact-match operators (``StringEquals``) on substituted values.
    """
    if not is_escaped(pattern, escaped):
        return str(pattern)
    out = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern[i] == "\\" and i + 1 < n:
            out.append(pattern[i + 1])
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)
