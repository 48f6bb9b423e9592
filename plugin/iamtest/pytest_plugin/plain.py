"""Case results as plain JSON values for pytest reports, holding repeated parts once.

Reports travel between processes under pytest-xdist, so what the plugin puts
on them must be plain JSON; and pytest keeps every report of a run, so what
repeats from case to case should be held once. :func:`json_plain` returns
what ``json.loads(json.dumps(value, default=str))`` returns, but reuses the
strings it is given (the evaluator's own: policy sources, sids, layer
names, context keys) and, given a :class:`Shared` table, one dict for all
equal "leaf" dicts (statement references, layer verdicts, contexts: dicts
whose values are scalars or lists of scalars and shared dicts).

Shared dicts are read-only by contract: a reader that changed one would
change it in every report that holds it.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Dict, Optional, Set, Tuple


class Shared:
    """The leaf dicts of one run's reports, one object per distinct content."""

    def __init__(self) -> None:
        self._table: Dict[Tuple, dict] = {}
        self._ids: Set[int] = set()
        self._made: Dict[Tuple, Tuple[Any, Any]] = {}

    def once(self, key: Tuple, source: Any, make: Callable[[Any], Any]) -> Any:
        """``make(source)``, made once per ``key``. A key may hold ``id()``s of
        objects that ``source`` holds: it is kept alive with the value, so no
        other object takes those ids while the table lives."""
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = (source, make(source))
        return found[1]

    def keep(self, key: Tuple, value: dict) -> dict:
        """The dict already kept for ``key``, else ``value`` (now kept)."""
        found = self._table.get(key)
        if found is None:
            self._table[key] = value
            self._ids.add(id(value))   # the table keeps it alive: the id stays its own
            return value
        return found

    def list_key(self, items: list) -> Optional[Tuple]:
        """A key for a list of scalars and kept dicts; None for anything else."""
        out = []
        for element in items:
            kind = type(element)
            if kind is str or kind is int or kind is bool or element is None:
                out.append((kind, element))    # the type keeps True apart from 1
            elif kind is float:
                out.append((kind, repr(element)))   # keeps -0.0 apart from 0.0
            elif kind is dict and id(element) in self._ids:
                out.append(("shared", id(element)))
            else:
                return None
        return tuple(out)


def json_plain(value: Any, shared: Optional[Shared] = None) -> Any:
    """``json.loads(json.dumps(value, default=str))``, reusing strings and, with
    ``shared``, equal leaf dicts. A tuple becomes a list; anything that is not
    plain JSON (a non-string key, an object) goes through ``json`` as before."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict:
        out = {}
        # The key of a leaf dict, built on the way (None once it cannot be a leaf).
        parts: Optional[list] = [] if shared is not None else None
        for name, item in value.items():
            if type(name) is not str:
                return json.loads(json.dumps(value, default=str))
            item_kind = type(item)
            if item_kind is str or item_kind is int or item_kind is bool or item is None:
                out[name] = item
                if parts is not None:
                    parts.append((name, item_kind, item))
            elif item_kind is float:
                out[name] = item
                if parts is not None:
                    parts.append((name, item_kind, repr(item)))
            else:
                plain = out[name] = json_plain(item, shared)
                if parts is not None:
                    inner = shared.list_key(plain) if type(plain) is list else None
                    parts = None if inner is None else parts + [(name, list, inner)]
        return out if parts is None else shared.keep(tuple(parts), out)
    if kind is list or kind is tuple:
        return [json_plain(item, shared) for item in value]
    return json.loads(json.dumps(value, default=str))


def case_result_plain(result, shared: Shared) -> dict:
    """``json_plain(result.to_dict(), shared)`` for a :class:`~iamtest.spec.CaseResult`,
    without converting again what earlier cases already converted.

    The parts that recur from case to case (the layer verdicts, the deciding
    statements, the refusing layers, the request context) are converted once
    and the same plain value is put on every report that holds them; only the
    case's own dicts (the result, its decision, its request) are new. The
    shared lists and dicts are read-only, like the shared leaf dicts.
    """
    decision = result.decision
    request = decision.request
    case = result.case
    refused = shared.once(("refused", decision.refused_by), decision.refused_by, list)
    return {
        "file": case.file, "line": case.line, "case": case.name,
        "id": result.request_spec.id, "expect": case.expect, "denied_by": case.denied_by,
        "actual": result.actual, "passed": result.passed, "mismatch": result.mismatch,
        "refused_by": refused,
        "decision": {
            "decision": decision.effect,
            "summary": decision.summary,
            "request": {
                "principal": request.principal.text,
                "action": request.action,
                "resource": request.resource,
                "resource_account": request.resource_account,
                "context": shared.once(("context", id(request.context)), request.context,
                                       lambda c: json_plain(c.as_dict(), shared)),
            },
            "refused_by": refused,
            "deciding": shared.once(("deciding",) + tuple(map(id, decision.deciding)),
                                    decision.deciding,
                                    lambda refs: [json_plain(r.to_dict(), shared) for r in refs]),
            "layers": [_layer_plain(layer, shared) for layer in decision.layers],
        },
    }


def _layer_plain(layer, shared: Shared) -> dict:
    key = ("layer", layer.layer, layer.verdict, tuple(map(id, layer.allows)),
           tuple(map(id, layer.denies)), layer.note, layer.missing_levels, layer.grant_form)
    return shared.once(key, layer, lambda r: json_plain(r.to_dict(), shared))
