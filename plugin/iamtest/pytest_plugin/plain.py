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
from typing import Any, Dict, Optional, Set, Tuple


class Shared:
    """The leaf dicts of one run's reports, one object per distinct content."""

    def __init__(self) -> None:
        self._table: Dict[Tuple, dict] = {}
        self._ids: Set[int] = set()

    def dict(self, value: dict) -> dict:
        key = self._key(value)
        if key is None:
            return value
        found = self._table.get(key)
        if found is None:
            self._table[key] = value
            self._ids.add(id(value))   # the table keeps it alive: the id stays its own
            return value
        return found

    def _key(self, value: dict) -> Optional[Tuple]:
        parts = []
        for name, item in value.items():
            scalar = _scalar_key(item)
            if scalar is not None:
                parts.append((name, scalar))
            elif type(item) is list:
                inner = []
                for element in item:
                    key = _scalar_key(element)
                    if key is None:
                        if type(element) is not dict or id(element) not in self._ids:
                            return None
                        key = ("shared", id(element))
                    inner.append(key)
                parts.append((name, ("list", tuple(inner))))
            else:
                return None   # a dict inside: not a leaf
        return tuple(parts)


def _scalar_key(value: Any) -> Optional[Tuple]:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return (kind, value)    # the type keeps True apart from 1
    if kind is float:
        return (kind, repr(value))   # keeps -0.0 apart from 0.0
    return None


def json_plain(value: Any, shared: Optional[Shared] = None) -> Any:
    """``json.loads(json.dumps(value, default=str))``, reusing strings and, with
    ``shared``, equal leaf dicts. A tuple becomes a list; anything that is not
    plain JSON (a non-string key, an object) goes through ``json`` as before."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict and all(type(key) is str for key in value):
        out = {key: json_plain(item, shared) for key, item in value.items()}
        return shared.dict(out) if shared is not None else out
    if kind is list or kind is tuple:
        return [json_plain(item, shared) for item in value]
    return json.loads(json.dumps(value, default=str))
