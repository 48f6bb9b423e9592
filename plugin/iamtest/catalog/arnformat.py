"""Matching a concrete ARN against a resource type's ARN format.

The Service Authorization Reference gives each resource type an ARN format
such as ``arn:${Partition}:s3:::${BucketName}/${ObjectName}``. A ``${...}``
placeholder stands for a value the account chooses; everything else is
literal. We read a format as a pattern over the six ARN parts
(``arn:partition:service:region:account:resource``, IAM User Guide,
"IAM identifiers", ARN format):

* in the first five parts a placeholder is any text without ``:`` (possibly
  empty: partitions, regions and accounts are single parts);
* in the resource part a placeholder is any non-empty text. Many names may
  hold ``/`` or ``:`` (S3 object keys, IAM paths, log group names, secret
  names, qualified Lambda function ARNs), so the default is permissive: the
  check is there to catch ARNs that cannot fit, not to second-guess names.
  The exceptions are placeholders whose naming rules AWS documents to exclude
  ``/``, listed in :data:`NO_SLASH` with their source.

Matching is case-sensitive, like ARNs. It runs as a set-of-states automaton
over the ARN's characters (no backtracking), so its cost is the ARN's length
times the format's length whatever the input.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Tuple

_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")

#: Placeholders whose values cannot contain "/", by AWS's naming rules:
#: - BucketName: Amazon S3 User Guide, "General purpose bucket naming rules":
#:   "Bucket names can consist only of lowercase letters, numbers, periods
#:   (.), and hyphens (-)." (so ``arn:aws:s3:::bucket/key`` is an object,
#:   never a bucket).
#: - TableName: Amazon DynamoDB Developer Guide, "Supported data types and
#:   naming rules": table names use only a-z, A-Z, 0-9, "_", "-" and ".".
NO_SLASH = frozenset({"BucketName", "TableName"})

# Token kinds. A token is (kind, char): for LIT the character to match; for
# ONE/STAR the one character the class excludes ("" excludes nothing).
LIT, ONE, STAR = 0, 1, 2
#: Bounds of a format's lazily built automaton (sets of states, remembered steps).
_MAX_STATES, _MAX_STEPS = 256, 4096
_DEAD, _NO_ROOM = -1, -2
_LOCK = threading.Lock()
_Token = Tuple[int, str]


def _tokens(part: str, in_resource: bool) -> List[_Token]:
    out: List[_Token] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(part):
        out += [(LIT, c) for c in part[pos:m.start()]]
        if not in_resource:
            out.append((STAR, ":"))          # possibly empty, no colon
        else:
            excluded = "/" if m.group(1) in NO_SLASH else ""
            out += [(ONE, excluded), (STAR, excluded)]   # non-empty
        pos = m.end()
    out += [(LIT, c) for c in part[pos:]]
    return out


class ArnFormat:
    """A compiled ARN format; call :meth:`fits` with a concrete ARN."""

    __slots__ = ("text", "tokens", "_closures", "_steps", "_numbers", "_sets")

    def __init__(self, text: str):
        self.text = text
        parts = text.split(":", 5)
        if len(parts) < 6:   # not six parts: read it all as a resource part
            tokens = _tokens(text, True)
        else:
            tokens = []
            for i, part in enumerate(parts):
                if i:
                    tokens.append((LIT, ":"))
                tokens += _tokens(part, i == 5)
        self.tokens: Tuple[_Token, ...] = tuple(tokens)
        # closure[i]: states reachable from i without reading (STAR may be empty)
        closures = []
        for i in range(len(tokens) + 1):
            reach = [i]
            j = i
            while j < len(tokens) and tokens[j][0] == STAR:
                j += 1
                reach.append(j)
            closures.append(frozenset(reach))
        self._closures: Tuple[FrozenSet[int], ...] = tuple(closures)
        self._sets: List[FrozenSet[int]] = [self._closures[0]]
        self._numbers: Dict[FrozenSet[int], int] = {self._closures[0]: 0}
        self._steps: Dict[Tuple[int, str], int] = {}

    def fits(self, arn: str) -> bool:
        # A deterministic automaton built lazily from the set-of-states one: each
        # set of states met gets a number, each (number, character) step is
        # worked out once. The table is bounded; when it is full the rest of the
        # ARN is read with plain sets, so the cost stays linear in its length.
        steps = self._steps
        state = 0
        for pos, ch in enumerate(arn):
            nxt = steps.get((state, ch))
            if nxt is None:
                nxt = self._step(state, ch)
            if nxt < 0:
                if nxt == _NO_ROOM:
                    return self._fits_from(self._sets[state], arn, pos)
                return False
            state = nxt
        return len(self.tokens) in self._sets[state]

    def _next(self, states: FrozenSet[int], ch: str) -> set:
        tokens, closures = self.tokens, self._closures
        accept = len(tokens)
        nxt: set = set()
        for i in states:
            if i == accept:
                continue
            kind, c = tokens[i]
            if kind == LIT:
                if ch == c:
                    nxt |= closures[i + 1]
            elif ch != c:  # ONE or STAR: any character but the excluded one
                nxt |= closures[i + 1] if kind == ONE else closures[i]
        return nxt

    def _fits_from(self, states, arn: str, pos: int) -> bool:
        for ch in arn[pos:]:
            states = self._next(states, ch)
            if not states:
                return False
        return len(self.tokens) in states

    def _step(self, state: int, ch: str) -> int:
        """The number of the set reached from ``state`` by ``ch`` (-1: none can
        be; ``_NO_ROOM``: the table is full), remembered while there is room."""
        nxt = self._next(self._sets[state], ch)
        with _LOCK:
            if not nxt:
                number = _DEAD
            else:
                key = frozenset(nxt)
                number = self._numbers.get(key)
                if number is None:
                    if len(self._sets) >= _MAX_STATES:
                        return _NO_ROOM
                    number = len(self._sets)
                    self._sets.append(key)
                    self._numbers[key] = number
            if len(self._steps) < _MAX_STEPS:
                self._steps[(state, ch)] = number
            return number


@lru_cache(maxsize=8192)
def compile_format(fmt: str) -> ArnFormat:
    return ArnFormat(fmt)


def arn_fits(fmt: str, arn: str) -> bool:
    """Whether the concrete ``arn`` can be a resource of the format ``fmt``."""
    return compile_format(fmt).fits(arn)


def has_wildcard(text: Optional[str]) -> bool:
    """Whether an ARN holds IAM wildcards (then it is a pattern, not one resource)."""
    return bool(text) and ("*" in text or "?" in text)
