"""Helpers for line maps: path tuples inside a value -> 1-based lines.

A map flagged ``FIXED`` says every part of the value was written at one line
(the value came through a reference, or from a one-line string), so nested
paths all take the line of ``()``.
"""
from __future__ import annotations

from typing import Any, Dict, Tuple

Locs = Dict[Tuple[Any, ...], int]
FIXED = ("\0fixed",)
#: for a string holding a multi-line document: the file line of its first line
TEXT = ("\0text",)


def at(line: int) -> Locs:
    """A value written entirely at ``line``."""
    return {(): line, FIXED: 1}


def nested(locs: Locs, key: Any) -> Locs:
    """The line map of the member ``key`` of a value with map ``locs``."""
    if FIXED in locs:
        return at(locs[()])
    out = {path[1:]: line for path, line in locs.items() if path and path[0] == key}
    if () not in out and () in locs:
        out[()] = locs[()]
    return out


def under(locs: Locs, key: Any) -> Locs:
    """``locs`` moved under ``key``: path ``p`` becomes ``(key,) + p``."""
    if FIXED in locs:
        return {(key,): locs[()], (key,) + FIXED: 1}
    return {(key,) + path: line for path, line in locs.items()}


def expand(value: Any, locs: Locs, prefix: Tuple[Any, ...] = ()) -> Locs:
    """An explicit map with an entry for every path of ``value`` (no ``FIXED`` flags).

    A path without its own line takes the line of its nearest ancestor.
    """
    out: Locs = {}

    def walk(val: Any, path: Tuple[Any, ...], line: Any, fixed: bool) -> None:
        if not fixed:
            line = locs.get(path, line)
            fixed = path + FIXED in locs
        if line is not None:
            out[prefix + path] = line
        if isinstance(val, dict):
            for key, item in val.items():
                walk(item, path + (key,), line, fixed)
        elif isinstance(val, list):
            for i, item in enumerate(val):
                walk(item, path + (i,), line, fixed)

    walk(value, (), None, False)
    return out
