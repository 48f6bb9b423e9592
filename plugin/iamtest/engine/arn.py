"""ARNs: parsing, the ``Resource`` element match, and the ``Arn*`` operators.

Sources (AWS documentation, titles as published):

* "Identify AWS resources with Amazon Resource Names (ARNs)": the formats
  ``arn:partition:service:region:account-id:resource-id``, ``...:resource-type/
  resource-id`` and ``...:resource-type:resource-id``; region and account may
  be empty. The resource part may itself hold colons.
* "IAM JSON policy elements: Resource": wildcards ``*`` and ``?`` may be used
  "within the individual segments of an ARN (the parts separated by colons)";
  "If the ``*`` wildcard is the last character of a resource ARN segment, it
  can expand to match beyond the colon boundaries"; ``*`` crosses ``/``;
  matching is case sensitive ("the IAM user name is case sensitive").
* "IAM JSON policy elements: Condition operators", ARN operators:
  "Case-sensitive matching of the ARN. Each of the six colon-delimited
  components of the ARN is checked separately and each can include
  multi-character match wildcards (*) or single-character match wildcards
  (?). The ArnEquals and ArnLike condition operators behave identically."
  The worked example there: ``arn:aws:someservice:*:111122223333:finance/*``
  does not ArnLike-match ``arn:aws:someservice:us-east-2:999999999999:store/
  abc:111122223333:finance/document.txt`` because the first ``*`` "matches
  only us-east-2".

So the two matchers differ on purpose:

* :func:`resource_matches` (``Resource``/``NotResource``): a ``*`` that ends a
  colon-separated segment may run on across colons; any other ``*`` and every
  ``?`` stay inside their segment.
* :func:`arn_like` (``ArnLike``/``ArnEquals``): exactly six components, each
  matched on its own; the sixth (the resource) runs to the end of the string,
  colons and all, as it does in an ARN.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, List, Optional, Sequence, Set, Tuple

from .wildcard import QUESTION, STAR, GlobMatcher, Lit, Token, matcher_for, split_tokens, tokenize


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def parse_arn(text: str) -> Optional[Arn]:
    """Parse an ARN; ``None`` when ``text`` is not one.

    An ARN starts with ``arn:`` and has at least six colon-separated parts;
    everything after the fifth colon is the resource (colons kept).
    """
    if not isinstance(text, str) or not text.startswith("arn:"):
        return None
    parts = text.split(":", 5)
    if len(parts) < 6:
        return None
    _, partition, service, region, account, resource = parts
    return Arn(partition, service, region, account, resource)


def _ends_with_star(tokens: Sequence[Token]) -> bool:
    return bool(tokens) and tokens[-1] == STAR


def resource_matches(pattern: str, resource: str) -> bool:
    """Whether a ``Resource``/``NotResource`` entry matches a request resource.

    ``"*"`` alone matches every resource, ARN or not. Otherwise the pattern
    and the resource are compared colon-segment by colon-segment,
    case-sensitively; ``*`` and ``?`` match within a segment, and a ``*`` that
    is the last character of a pattern segment may also swallow the colons
    and segments after it (AWS: "it can expand to match beyond the colon
    boundaries"). ``pattern`` may be an
    :class:`~iamtest.engine.wildcard.EscapedPattern` (after variable
    substitution), whose ``\\*``/``\\?`` are literal.
    """
    return compile_resource(pattern)(resource)


@lru_cache(maxsize=8192, typed=True)
def compile_resource(pattern: str) -> Callable[[str], bool]:
    """The matcher :func:`resource_matches` uses for ``pattern``, built once.

    Memoised (``typed``: an :class:`~iamtest.engine.wildcard.EscapedPattern`
    and a plain string with the same text are different patterns). A pattern
    whose every ``*`` ends a segment (``arn:aws:s3:::b/*``,
    ``arn:aws:sqs:*:111122223333:q-*``, ``...:secret:app-??????``, or no
    wildcard at all) is the plain wildcard rule over the whole string, since
    each such star may run on across colons, with ``?`` kept from matching a
    colon; anything else keeps the segment programme below, with its
    per-segment matchers compiled here rather than on every call.
    """
    if str(pattern) == "*":
        return _any
    tokens = tokenize(pattern)
    if all(_ends_segment(tokens, i) for i, t in enumerate(tokens) if t == STAR):
        # Every "*" ends its segment, so each may run on across colons: the
        # segment rule is then the plain wildcard rule over the whole string,
        # with "?" matching one character other than a colon.
        return GlobMatcher(tokens, one="[^:]") if QUESTION in tokens else matcher_for(tokens)
    compiled = tuple((GlobMatcher(pseg), _ends_with_star(pseg)) for pseg in split_tokens(tokens, ":"))
    return lambda resource: _segments_match(compiled, resource.split(":"))


def _any(resource: str) -> bool:
    return True


def _ends_segment(tokens: Sequence[Token], i: int) -> bool:
    """Whether token ``i`` is last, or followed by literal text starting with a colon."""
    if i + 1 == len(tokens):
        return True
    after = tokens[i + 1]
    return isinstance(after, Lit) and after.text.startswith(":")


def _segments_match(psegs: Sequence[Tuple[GlobMatcher, bool]], vsegs: List[str]) -> bool:
    # Dynamic programme over (pattern segment, first value segment it covers).
    # ``reach`` holds the value-segment indexes where the next pattern segment
    # may start; ``reach_from`` says "and every index from here on".
    nv = len(vsegs)
    reach: Set[int] = {0}
    reach_from: Optional[int] = None
    for matcher, trailing in psegs:
        starts = set(reach)
        if reach_from is not None:
            starts.update(range(reach_from, nv))
        new: Set[int] = set()
        new_from: Optional[int] = None
        for a in sorted(starts):
            if a >= nv or not matcher(vsegs[a]):
                continue
            if trailing:
                # covers value segments a..b for any b >= a
                new_from = a + 1 if new_from is None else min(new_from, a + 1)
                break  # smaller a gives the widest reach; later a add nothing
            new.add(a + 1)
        reach, reach_from = new, new_from
        if not reach and reach_from is None:
            return False
    return nv in reach or (reach_from is not None and reach_from <= nv)


def _arn_components(tokens: List[Token]) -> Optional[List[List[Token]]]:
    parts = split_tokens(tokens, ":", maxsplit=5)
    return parts if len(parts) >= 6 else None


def arn_like(pattern: str, value: str) -> bool:
    """``ArnLike``: six components compared one by one, wildcards inside each.

    The request value must be an ARN (six components); a value that is not
    one does not match. A pattern with fewer than six components (such as
    ``*`` or ``arn:aws:s3:::*`` written short) is not an ARN pattern; the
    documentation says nothing about it, and iamtest then matches it as a
    plain wildcard pattern over the whole value, so ``"*"`` matches any value.
    """
    return compile_arn_like(pattern)(value)


@lru_cache(maxsize=4096, typed=True)
def compile_arn_like(pattern: str) -> Callable[[str], bool]:
    """The matcher :func:`arn_like` uses for ``pattern``, built once (memoised)."""
    tokens = tokenize(pattern)
    comps = _arn_components(tokens)
    if comps is None:
        return GlobMatcher(tokens)
    matchers = tuple(GlobMatcher(p) for p in comps)

    def match(value: str) -> bool:
        vparts = value.split(":", 5)
        if len(vparts) < 6:
            return False
        return all(m(v) for m, v in zip(matchers, vparts))

    return match


def arn_equals(pattern: str, value: str) -> bool:
    """``ArnEquals``: AWS documents it as identical to ``ArnLike``."""
    return arn_like(pattern, value)


def variables_outside_resource_part(text: str) -> bool:
    """Whether a ``Resource`` ARN has ``${...}`` before its fifth colon.

    AWS: "You can use a policy variable in the Resource element, but only in
    the resource portion of the ARN ... You can't use a variable to replace
    parts of the ARN before the fifth colon" (IAM policy elements: Variables
    and tags). The documentation does not say what happens otherwise; callers
    may warn. The check looks at the raw text.
    """
    head = text.split(":", 5)[:5]
    return any("${" in part for part in head)
