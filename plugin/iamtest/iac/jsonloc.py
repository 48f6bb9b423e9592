"""JSON text to a value plus the line of every key and list item.

The standard library parser drops positions; policy documents written as JSON
inside infrastructure code (heredocs, template strings, plan files) need them
to point at the statement that decided a request.
"""
from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring
from typing import Any, Dict, List, Tuple

Locs = Dict[Tuple[Any, ...], int]

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WS = re.compile(r"[ \t\n\r]*")
_LITERALS = (("true", True), ("false", False), ("null", None))


class JsonSyntaxError(ValueError):
    """Invalid JSON: ``line`` is 1-based and already offset by ``first_line``."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Reader:
    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.starts: List[int] = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1 + self.first_line

    def fail(self, pos: int, what: str) -> JsonSyntaxError:
        return JsonSyntaxError(f"invalid JSON: {what}", self.line(pos))

    def skip(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()

    def value(self, pos: int, path: tuple, locs: Locs) -> Tuple[Any, int]:
        pos = self.skip(pos)
        locs.setdefault(path, self.line(pos))
        text = self.text
        if pos >= len(text):
            raise self.fail(pos, "unexpected end of text")
        char = text[pos]
        if char == "{":
            return self.obj(pos + 1, path, locs)
        if char == "[":
            return self.array(pos + 1, path, locs)
        if char == '"':
            return self.string(pos)
        for word, val in _LITERALS:
            if text.startswith(word, pos):
                return val, pos + len(word)
        match = _NUMBER.match(text, pos)
        if match:
            num = match.group()
            is_int = not any(c in num for c in ".eE")
            return (int(num) if is_int else float(num)), match.end()
        raise self.fail(pos, f"unexpected character {char!r}")

    def string(self, pos: int) -> Tuple[str, int]:
        try:
            return scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as err:
            raise self.fail(err.pos, err.msg.lower()) from None

    def obj(self, pos: int, path: tuple, locs: Locs) -> Tuple[dict, int]:
        out: Dict[str, Any] = {}
        pos = self.skip(pos)
        if self.text.startswith("}", pos):
            return out, pos + 1
        while True:
            pos = self.skip(pos)
            if not self.text.startswith('"', pos):
                raise self.fail(pos, "expected a quoted key")
            key_line = self.line(pos)
            key, pos = self.string(pos)
            pos = self.skip(pos)
            if not self.text.startswith(":", pos):
                raise self.fail(pos, "expected ':' after a key")
            sub: Locs = {}
            out[key], pos = self.value(pos + 1, path + (key,), sub)
            sub[path + (key,)] = key_line
            for p in [p for p in locs if p[: len(path) + 1] == path + (key,)]:
                del locs[p]  # a repeated key: the last one wins, as in json.loads
            locs.update(sub)
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("}", pos):
                return out, pos + 1
            raise self.fail(pos, "expected ',' or '}'")

    def array(self, pos: int, path: tuple, locs: Locs) -> Tuple[list, int]:
        out: List[Any] = []
        pos = self.skip(pos)
        if self.text.startswith("]", pos):
            return out, pos + 1
        while True:
            item, pos = self.value(pos, path + (len(out),), locs)
            out.append(item)
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos += 1
                continue
            if self.text.startswith("]", pos):
                return out, pos + 1
            raise self.fail(pos, "expected ',' or ']'")


def loads(text: str, first_line: int = 1) -> Tuple[Any, Locs]:
    """Parse JSON ``text`` whose first line is line ``first_line`` of its file.

    Returns the value and a map from path tuples to lines: ``()`` is where the
    value starts, an object member's path maps to its key's line, a list item's
    to where the item starts.
    """
    reader = _Reader(text, first_line)
    locs: Locs = {}
    value, pos = reader.value(0, (), locs)
    pos = reader.skip(pos)
    if pos != len(text):
        raise reader.fail(pos, "extra text after the document")
    return value, locs
