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
from functools import lru_cache
from typing import FrozenSet, List, Optional, Tuple

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

    __slots__ = ("text", "tokens", "_closures")

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

    def fits(self, arn: str) -> bool:
        tokens, closures = self.tokens, self._closures
        accept = len(tokens)
        states = closures[0]
        for ch in arn:
            nxt = set()
            for i in states:
                if i == accept:
                    continue
                kind, c = tokens[i]
                if kind == LIT:
                    if ch == c:
                        nxt |= closures[i + 1]
                elif ch != c:  # ONE or STAR: any character but the excluded one
                    nxt |= closures[i + 1] if kind == ONE else closures[i]
            if not nxt:
                return False
            states = nxt
        return accept in states


@lru_cache(maxsize=8192)
def compile_format(fmt: str) -> ArnFormat:
    return ArnFormat(fmt)


def arn_fits(fmt: str, arn: str) -> bool:
    """Whether the concrete ``arn`` can be a resource of the format ``fmt``."""
    return compile_format(fmt).fits(arn)


def has_wildcard(text: Optional[str]) -> bool:
    """Whether an ARN holds IAM wildcards (then it is a pattern, not one resource)."""
    return bool(text) and ("*" in text or "?" in text)
