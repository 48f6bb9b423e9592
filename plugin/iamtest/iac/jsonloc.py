"""JSON text to a value plus the line of every key and list item.

Policy documents written as JSON inside infrastructure code (heredocs,
template strings, plan files) are read by the same line-keeping reader as
policy files (:mod:`iamtest.spec.jsonload`), offset to where the text starts
in its file.
"""
from __future__ import annotations

from typing import Any, Dict, Tuple

from ..spec.errors import SourceError
from ..spec.jsonload import load_json

Locs = Dict[Tuple[Any, ...], int]


class JsonSyntaxError(ValueError):
    """Invalid JSON: ``line`` is 1-based and already offset by ``first_line``."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def loads(text: str, first_line: int = 1) -> Tuple[Any, Locs]:
    """Parse JSON ``text`` whose first line is line ``first_line`` of its file.

    Returns the value and a map from path tuples to lines: ``()`` is where the
    value starts, an object member's path maps to its key's line, a list item's
    to where the item starts. A key written twice in one object is an error.
    """
    try:
        loaded = load_json(text, "<json>", first_line)
    except SourceError as exc:
        raise JsonSyntaxError(exc.message, exc.line or first_line) from None
    return loaded.data, loaded.locations
