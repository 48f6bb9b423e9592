"""Shrink a disagreeing case to the smallest one that still disagrees the same way.

Used by the survey tool so that each class of disagreement is read from a
handful of lines. Greedy: repeatedly try dropping a layer, a policy, a
statement, a condition operator or key, a context key or one value of a list,
and keep every change after which both evaluators still give the same two
answers as before.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from typing import Callable, Iterator, Optional, Tuple

from .case import Case


def _statement_lists(case: Case) -> Iterator[Tuple[str, tuple]]:
    """(field, path) of every policy document in the case."""
    for i, _ in enumerate(case.identity):
        yield "identity", (i,)
    for name in ("resource_policy", "endpoint", "boundary", "session"):
        if getattr(case, name) is not None:
            yield name, ()
    for name in ("scp", "rcp"):
        for lvl, level in enumerate(getattr(case, name) or ()):
            for i, _ in enumerate(level):
                yield name, (lvl, i)


def _get(case: Case, name: str, path: tuple) -> dict:
    value = getattr(case, name)
    for step in path:
        value = value[step]
    return value


def _with_doc(case: Case, name: str, path: tuple, doc: Optional[dict]) -> Case:
    """The case with the document at (name, path) replaced (or removed when None)."""
    if not path:
        return replace(case, **{name: doc})
    if name == "identity":
        docs = list(case.identity)
        if doc is None:
            docs.pop(path[0])
        else:
            docs[path[0]] = doc
        return replace(case, identity=tuple(docs))
    levels = [list(level) for level in getattr(case, name)]
    if doc is None:
        levels[path[0]].pop(path[1])
    else:
        levels[path[0]][path[1]] = doc
    return replace(case, **{name: tuple(tuple(level) for level in levels)})


def _doc_variants(doc: dict) -> Iterator[dict]:
    stmts = doc.get("Statement")
    as_list = stmts if isinstance(stmts, list) else [stmts]
    for i in range(len(as_list)):
        if len(as_list) > 1:
            yield {**doc, "Statement": as_list[:i] + as_list[i + 1:]}
    for i, stmt in enumerate(as_list):
        for smaller in _statement_variants(stmt):
            new = list(as_list)
            new[i] = smaller
            yield {**doc, "Statement": new}


def _statement_variants(stmt: dict) -> Iterator[dict]:
    for key in ("Sid",):
        if key in stmt:
            yield {k: v for k, v in stmt.items() if k != key}
    for key in ("Action", "NotAction", "Resource", "NotResource"):
        value = stmt.get(key)
        if isinstance(value, list) and len(value) > 1:
            for i in range(len(value)):
                yield {**stmt, key: value[:i] + value[i + 1:]}
    principal = stmt.get("Principal") or stmt.get("NotPrincipal")
    which = "Principal" if "Principal" in stmt else "NotPrincipal"
    if isinstance(principal, dict):
        for ptype, value in principal.items():
            if len(principal) > 1:
                yield {**stmt, which: {k: v for k, v in principal.items() if k != ptype}}
            if isinstance(value, list) and len(value) > 1:
                for i in range(len(value)):
                    yield {**stmt, which: {**principal, ptype: value[:i] + value[i + 1:]}}
    condition = stmt.get("Condition")
    if condition:
        yield {k: v for k, v in stmt.items() if k != "Condition"}
        for operator, entries in condition.items():
            if len(condition) > 1:
                yield {**stmt, "Condition": {k: v for k, v in condition.items() if k != operator}}
            for key, values in entries.items():
                if len(entries) > 1:
                    smaller = {k: v for k, v in entries.items() if k != key}
                    yield {**stmt, "Condition": {**condition, operator: smaller}}
                if isinstance(values, list) and len(values) > 1:
                    for i in range(len(values)):
                        smaller = {**entries, key: values[:i] + values[i + 1:]}
                        yield {**stmt, "Condition": {**condition, operator: smaller}}


def _variants(case: Case) -> Iterator[Case]:
    for name in ("resource_policy", "endpoint", "boundary", "session", "scp", "rcp"):
        if getattr(case, name) is not None:
            yield replace(case, **{name: None})
    for name, path in list(_statement_lists(case)):
        yield _with_doc(case, name, path, None)
        for smaller in _doc_variants(_get(case, name, path)):
            yield _with_doc(case, name, path, smaller)
    for key in list(case.context):
        yield replace(case, context={k: v for k, v in case.context.items() if k != key})


def reduce_case(case: Case, still_fails: Callable[[Case], bool], limit: int = 2000) -> Case:
    """The smallest case reachable by single removals for which ``still_fails`` holds."""
    current = copy.deepcopy(case)
    tries = 0
    progress = True
    while progress and tries < limit:
        progress = False
        for candidate in _variants(current):
            tries += 1
            try:
                ok = still_fails(candidate)
            except Exception:
                ok = False
            if ok:
                current = candidate
                progress = True
                break
    return current
