"""Policies prepared for evaluation: matchers built once, statements indexed by service.

:func:`iamtest.engine.statement.match_statement` states the rule for one
statement and one request; this module gives the evaluator the same answer
without redoing per request what depends only on the policy:

* each ``Action``/``NotAction`` entry without wildcards becomes a member of a
  set of lower-cased names (IAM compares actions without regard to case);
  the others become compiled wildcard matchers;
* each ``Resource``/``NotResource`` entry without a policy variable becomes a
  compiled matcher (:func:`iamtest.engine.arn.compile_resource`); an entry
  with a variable is substituted per request, as before;
* each condition clause becomes a yes/no test
  (:func:`iamtest.engine.conditions.compiled.compile_clause`);
* the statements of a policy are indexed by the service prefix their
  ``Action`` entries name. An entry ``s3:Get*`` can only match an action of
  the ``s3`` service, because the text before its first colon holds no
  wildcard; entries such as ``*`` or ``s3*:Get*`` and every ``NotAction``
  statement can match any service and are candidates for every request. A
  statement that is not a candidate cannot match the request's action, so
  skipping it changes nothing; candidates keep the policy's statement order.

Compiled forms are cached per :class:`~iamtest.engine.model.Policy` object for
as long as the object lives (the cache holds it weakly). Nothing here changes what a statement means:
``match`` answers exactly what ``match_statement`` answers.
"""
from __future__ import annotations

import weakref
from typing import Callable, Dict, FrozenSet, List, Optional, Tuple

from .apigateway import is_abbreviated
from .arn import compile_resource
from .conditions.compiled import compile_clause
from .model import DENY, Policy, Statement
from .statement import entry_pattern, not_principal_excludes, principal_form
from .variables import has_variables
from .wildcard import compile_matcher

_WILDCARDS = ("*", "?")


def _split_actions(patterns: Tuple[str, ...]) -> Tuple[FrozenSet[str], Tuple[Callable[[str], bool], ...]]:
    exact = frozenset(p.lower() for p in patterns if not any(w in p for w in _WILDCARDS))
    # Matched against the lower-cased action: the same as compile_glob(p, ignore_case=True).
    globs = tuple(compile_matcher(p.lower()) for p in patterns if any(w in p for w in _WILDCARDS))
    return exact, globs


def service_key(pattern: str) -> Optional[str]:
    """The one service an Action entry can match (lower case), or None for any service."""
    head, colon, _ = pattern.partition(":")
    if not colon or any(w in head for w in _WILDCARDS):
        return None
    return head.lower()


class CompiledStatement:
    """One statement with its matchers built; :meth:`match` is ``match_statement``."""

    __slots__ = ("statement", "is_deny", "_exact", "_globs", "_negated_action",
                 "_static", "_dynamic", "_resource_mode", "_variables", "_conditions")

    def __init__(self, policy: Policy, stmt: Statement):
        # No reference to ``policy`` is kept: the cache below lives as long as it does.
        self.statement = stmt
        self.is_deny = stmt.effect == DENY
        self._negated_action = stmt.actions is None
        self._exact, self._globs = _split_actions(stmt.actions if stmt.actions is not None
                                                  else stmt.not_actions)
        self._variables = policy.variables_enabled
        entries = stmt.resources if stmt.resources is not None else stmt.not_resources
        # mode: 0 no Resource element (a trust policy), 1 Resource, 2 NotResource
        self._resource_mode = 0 if entries is None else (1 if stmt.resources is not None else 2)
        static: List[Callable[[str], bool]] = []
        dynamic: List[str] = []
        for pattern in entries or ():
            if (self._variables and has_variables(pattern)) or is_abbreviated(pattern):
                dynamic.append(pattern)
            else:
                static.append(compile_resource(pattern))
        self._static = tuple(static)
        self._dynamic = tuple(dynamic)
        self._conditions = tuple(compile_clause(c, self._variables) for c in stmt.conditions)

    def action_hit(self, lowered: str) -> bool:
        """Whether an entry of Action (or NotAction) matches the lower-cased action."""
        if lowered in self._exact:
            return True
        for matcher in self._globs:
            if matcher(lowered):
                return True
        return False

    def _resource_hit(self, request) -> bool:
        resource = request.resource
        for matcher in self._static:
            if matcher(resource):
                return True
        for pattern in self._dynamic:
            # An entry that stands for nothing in this request matches nothing.
            resolved = entry_pattern(pattern, request, self._variables)
            if resolved is not None and compile_resource(resolved)(resource):
                return True
        return False

    def match(self, request, lowered_action: str, gateway: bool = False,
              has_boundary: bool = False) -> Optional[str]:
        """None when the statement does not apply; else the principal form or ``"applies"``."""
        if self.action_hit(lowered_action) == self._negated_action:
            return None
        mode = self._resource_mode
        if mode and self._resource_hit(request) != (mode == 1):
            return None
        stmt = self.statement
        form = "applies"
        if stmt.principal is not None:
            form = principal_form(stmt.principal, request.principal, gateway)
            if form is None:
                return None
        elif stmt.not_principal is not None:
            if not has_boundary and not_principal_excludes(stmt.not_principal, request.principal):
                return None
        if self._conditions:
            ctx = request.context
            for test in self._conditions:
                if not test(ctx):
                    return None
        return form


class CompiledPolicy:
    """A policy's compiled statements and their index by service prefix."""

    __slots__ = ("statements", "_by_service", "_wild", "_candidates")

    def __init__(self, policy: Policy):
        self.statements = tuple(CompiledStatement(policy, s) for s in policy.statements)
        by_service: Dict[str, List[int]] = {}
        wild: List[int] = []
        for i, stmt in enumerate(policy.statements):
            keys = ({service_key(p) for p in stmt.actions} if stmt.actions is not None else {None})
            if None in keys:
                wild.append(i)
            else:
                for key in keys:
                    by_service.setdefault(key, []).append(i)
        self._by_service = by_service
        self._wild = tuple(wild)
        self._candidates: Dict[str, Tuple[CompiledStatement, ...]] = {}

    def candidates(self, service: str) -> Tuple[CompiledStatement, ...]:
        """The statements that may match an action of ``service`` (lower case), in order."""
        found = self._candidates.get(service)
        if found is None:
            indexes = sorted(set(self._wild).union(self._by_service.get(service, ())))
            found = tuple(self.statements[i] for i in indexes)
            self._candidates[service] = found
        return found


def identity_cached(cache: Dict[int, Tuple["weakref.ref", object]], obj, build: Callable):
    """``build(obj)``, kept in ``cache`` for as long as ``obj`` lives (by identity, weakly)."""
    key = id(obj)
    entry = cache.get(key)
    if entry is not None and entry[0]() is obj:
        return entry[1]
    result = build(obj)

    def forget(ref, key=key, cache=cache):
        current = cache.get(key)
        if current is not None and current[0] is ref:
            del cache[key]

    cache[key] = (weakref.ref(obj, forget), result)
    return result


_CACHE: Dict[int, Tuple["weakref.ref", CompiledPolicy]] = {}


def compiled(policy: Policy) -> CompiledPolicy:
    """The compiled form of ``policy``, built on first use and kept while it lives."""
    return identity_cached(_CACHE, policy, CompiledPolicy)


def request_service(action: str) -> str:
    """The lower-cased service prefix of a request's action (``s3`` for ``s3:GetObject``)."""
    return action.partition(":")[0].lower()
