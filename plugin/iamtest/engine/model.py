"""The policy model: immutable values produced by :mod:`iamtest.engine.parse`.

Nothing here evaluates anything; the evaluator (``statement``, ``decide``) and
the symbolic back-end both read these values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Tuple

ALLOW = "Allow"
DENY = "Deny"

#: The versions IAM accepts. Only 2012-10-17 enables policy variables.
VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"


@dataclass(frozen=True)
class Location:
    """Where something was written: a source name (file path or label) and a line."""

    source: str
    line: Optional[int] = None

    def __str__(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass(frozen=True)
class PrincipalSpec:
    """A ``Principal`` or ``NotPrincipal`` element.

    ``wildcard`` is true for ``"Principal": "*"``; ``{"AWS": "*"}`` is kept in
    ``aws`` as ``"*"`` (AWS documents both as everyone, including anonymous).
    """

    wildcard: bool = False
    aws: Tuple[str, ...] = ()
    service: Tuple[str, ...] = ()
    federated: Tuple[str, ...] = ()
    canonical_user: Tuple[str, ...] = ()

    def values(self) -> Tuple[Tuple[str, str], ...]:
        """(kind, value) pairs in the order AWS, Service, Federated, CanonicalUser."""
        out = []
        if self.wildcard:
            out.append(("*", "*"))
        out += [("AWS", v) for v in self.aws]
        out += [("Service", v) for v in self.service]
        out += [("Federated", v) for v in self.federated]
        out += [("CanonicalUser", v) for v in self.canonical_user]
        return tuple(out)


@dataclass(frozen=True)
class ConditionClause:
    """One ``operator: {key: values}`` pair of a ``Condition`` block.

    ``operator`` is as written (``ForAnyValue:StringLikeIfExists``); ``base``
    is the canonical operator name without prefix and suffix (``StringLike``);
    ``set_operator`` is ``"ForAnyValue"``, ``"ForAllValues"`` or ``None``.
    ``values`` are kept as strings (JSON booleans and numbers become their
    JSON text, as IAM compares them).
    """

    operator: str
    base: str
    set_operator: Optional[str]
    if_exists: bool
    key: str
    values: Tuple[str, ...]
    location: Location

    @property
    def key_lower(self) -> str:
        return self.key.lower()


@dataclass(frozen=True)
class Statement:
    index: int  # 0-based position in the policy
    sid: Optional[str]
    effect: str  # ALLOW or DENY
    principal: Optional[PrincipalSpec]
    not_principal: Optional[PrincipalSpec]
    actions: Optional[Tuple[str, ...]]
    not_actions: Optional[Tuple[str, ...]]
    resources: Optional[Tuple[str, ...]]
    not_resources: Optional[Tuple[str, ...]]
    conditions: Tuple[ConditionClause, ...]
    location: Location

    @property
    def label(self) -> str:
        """How people name the statement: its Sid, else its position."""
        if self.sid:
            return f"statement {self.sid!r}"
        return f"statement #{self.index + 1}"


@dataclass(frozen=True)
class Policy:
    source: str
    version: Optional[str]
    id: Optional[str]
    statements: Tuple[Statement, ...]
    location: Location

    @property
    def variables_enabled(self) -> bool:
        """AWS substitutes ``${...}`` only under Version 2012-10-17."""
        return self.version == VERSION_2012


class PolicyError(ValueError):
    """A policy AWS would reject, or a value iamtest cannot use.

    Carries the source and line so every consumer can point at the file.
    """

    def __init__(self, message: str, source: str = "<policy>", line: Optional[int] = None,
                 path: Tuple = ()):
        self.message = message
        self.source = source
        self.line = line
        self.path = tuple(path)
        super().__init__(str(self))

    @property
    def location(self) -> Location:
        return Location(self.source, self.line)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ContextValue:
    """A request context key's value: one or more strings.

    ``multi`` says whether the key is multivalued (given as a list); a
    single-valued key has exactly one value.
    """

    key: str  # as given (case kept for display)
    values: Tuple[str, ...]
    multi: bool = False


@dataclass(frozen=True)
class Context:
    """Request context keys, looked up without regard to case (as IAM does)."""

    entries: Tuple[Tuple[str, ContextValue], ...] = ()
    _index: dict = field(default=None, compare=False, repr=False, hash=False)  # type: ignore[assignment]

    def __post_init__(self):
        object.__setattr__(self, "_index", {k: v for k, v in self.entries})

    @classmethod
    def of(cls, mapping) -> "Context":
        """Build from ``{key: value}``; a list or tuple value is multivalued.

        Booleans become ``"true"``/``"false"``, numbers their decimal text;
        ``None`` values are dropped (the key is absent).
        """
        entries = {}
        for key, value in (mapping or {}).items():
            if value is None:
                continue
            if type(value) in _SCALARS and type(key) is str:
                entry = _scalar_entry(key, value)
            elif isinstance(value, (list, tuple)):
                entry = (key.lower(), ContextValue(key, tuple(scalar_text(v) for v in value), True))
            else:
                entry = (key.lower(), ContextValue(key, (scalar_text(value),), False))
            entries[entry[0]] = entry
        found = tuple(entries.values())
        if cls is not Context:
            return cls(found)
        # Equal contexts recur from request to request (same caller, same file
        # context, same second): keep one object for each. The key is the
        # identity of the entries; the cache holds them, so no id is reused.
        key = tuple(map(id, found))
        known = _CONTEXTS.get(key)
        if known is not None:
            return known[1]
        if len(_CONTEXTS) >= _CONTEXTS_MAX:
            _CONTEXTS.clear()
        context = cls(found)
        _CONTEXTS[key] = (found, context)
        return context

    def get(self, key: str) -> Optional[ContextValue]:
        return self._index.get(key.lower())

    def __contains__(self, key: str) -> bool:
        return key.lower() in self._index

    def with_values(self, mapping) -> "Context":
        """A copy with keys added or replaced (``None`` removes a key)."""
        merged = dict(self._index)
        for key, value in mapping.items():
            if value is None:
                merged.pop(key.lower(), None)
            elif isinstance(value, ContextValue):
                merged[key.lower()] = value
            else:
                merged.pop(key.lower(), None)
                merged.update(Context.of({key: value})._index)
        return Context(tuple(merged.items()))

    def as_dict(self) -> dict:
        return {v.key: (list(v.values) if v.multi else v.values[0]) for v in self._index.values()}

    def keys(self):
        return [v.key for v in self._index.values()]


_SCALARS = (str, int, float, bool)
_CONTEXTS: dict = {}
_CONTEXTS_MAX = 4096


@lru_cache(maxsize=8192, typed=True)
def _scalar_entry(key: str, value) -> Tuple[str, ContextValue]:
    """``(key.lower(), ContextValue)`` for a single scalar, shared between requests.

    Both are immutable; a run of many cases asks for the same keys and values
    (the file's context, the principal's derived keys) over and over, and
    keeps every request. ``typed``: ``True`` and ``1`` stay apart.
    """
    return key.lower(), ContextValue(key, (scalar_text(value),), False)


def scalar_text(value) -> str:
    """How IAM sees a JSON scalar in a policy or a request: as its text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"not a scalar: {value!r}")
