"""A JSON reader that records the line of every key and item.

Python's ``json`` module forgets where things were written, and reading JSON
with a YAML parser mis-decodes some escapes (``\\uXXXX`` surrogate pairs), so
this is a small recursive-descent reader. Strings are decoded by the
standard library's own ``json.decoder.scanstring``, so every escape,
including ``\\/`` and surrogate pairs, decodes exactly as ``json.loads`` does.

Values keep their JSON types (``true`` is ``True``, ``10`` is ``10``); the
policy parser turns condition values into the text IAM compares. A key
written twice in one object is an error naming both lines (IAM's own parser
would keep one of them silently, which hides mistakes). A ``\\uXXXX`` escape of
half a surrogate pair without the other half is an error too: it is no Unicode
character, and no UTF-8 report or terminal could show it.
"""
from __future__ import annotations

import bisect
import math
import re
from json.decoder import JSONDecodeError, scanstring
from typing import Any, Dict, List

from .errors import SourceError
from .yamlload import Loaded, Path

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WHITESPACE = " \t\n\r"
_MAX_DEPTH = 200
_LITERALS = (("true", True), ("false", False), ("null", None))


def load_json(text: str, source: str, first_line: int = 1) -> Loaded:
    """Parse a JSON document. Raises :class:`SourceError` with the line.

    ``first_line`` is the line of the file on which ``text`` starts (JSON
    embedded in infrastructure code), so every recorded line is the file's.
    """
    reader = _Reader(text, source, first_line)
    reader.skip()
    if reader.pos >= len(text):
        raise SourceError("the file is empty: expected a JSON policy document", source, first_line)
    data = reader.value((), 0)
    reader.skip()
    if reader.pos < len(text):
        reader.fail("unexpected text after the end of the JSON document")
    return Loaded(data, reader.locations, source)


class _Reader:
    def __init__(self, text: str, source: str, first_line: int = 1):
        self.text = text
        self.source = source
        self.offset = first_line - 1
        self.pos = 0
        self.locations: Dict[Path, int] = {}
        self.newlines: List[int] = [i for i, c in enumerate(text) if c == "\n"]

    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1 + self.offset

    def fail(self, message: str, pos: int | None = None):
        line = self.line_at(self.pos if pos is None else pos)
        raise SourceError(f"invalid JSON: {message}", self.source, line)

    def skip(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in _WHITESPACE:
            pos += 1
        self.pos = pos

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str, what: str) -> None:
        self.skip()
        if self.peek() != char:
            found = self.peek() or "the end of the file"
            self.fail(f"expected {what}, found `{found}`")
        self.pos += 1

    def value(self, path: Path, depth: int, line: int | None = None) -> Any:
        if depth > _MAX_DEPTH:
            self.fail(f"nested more than {_MAX_DEPTH} levels deep")
        self.skip()
        self.locations.setdefault(path, line if line is not None else self.line_at(self.pos))
        char = self.peek()
        if char == "{":
            return self.obj(path, depth)
        if char == "[":
            return self.array(path, depth)
        if char == '"':
            return self.string()
        for word, result in _LITERALS:
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return result
        match = _NUMBER.match(self.text, self.pos)
        if match:
            return self.number(match)
        self.fail(f"expected a value, found `{char}`" if char else
                  "expected a value, found the end of the file")

    def number(self, match) -> Any:
        """A JSON number as Python reads it; one Python cannot hold is an error
        rather than a traceback (more digits than ``int`` converts) or a
        silent infinity (``1e400``)."""
        text, start = match.group(0), self.pos
        self.pos = match.end()
        shown = text if len(text) <= 20 else text[:17] + "..."
        if match.group(1) or match.group(2):
            value = float(text)
            if math.isinf(value):
                self.fail(f"the number `{shown}` is too large", start)
            return value
        try:
            return int(text)
        except ValueError:  # longer than the interpreter converts (sys.get_int_max_str_digits)
            self.fail(f"the number `{shown}` has too many digits ({len(text)})", start)

    def string(self) -> str:
        start = self.pos
        try:
            value, end = scanstring(self.text, self.pos + 1, True)
        except JSONDecodeError as exc:
            # "Invalid control character at", "Unterminated string starting at":
            # the decoder's position follows in its own str(); ours is the line.
            message = exc.msg.lower()
            message = message[:-len(" at")] if message.endswith(" at") else message
            if message.startswith("invalid control character"):
                message += " in a string (write a line break as \\n, a tab as \\t)"
            elif message.startswith("unterminated string"):
                message = "unterminated string (no closing quote)"
            self.fail(message, exc.pos)
        except ValueError as exc:  # pragma: no cover - older decoders
            self.fail(str(exc), start)
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                # "\ud800" without its pair: no Unicode character, so no UTF-8
                # text (a report, a terminal) can hold it.
                self.fail(f"the string holds {value[exc.start]!r}, half of a surrogate pair "
                          f"without the other half (not a Unicode character)", start)
        self.pos = end
        return value

    def obj(self, path: Path, depth: int) -> dict:
        self.pos += 1
        out: Dict[str, Any] = {}
        lines: Dict[str, int] = {}
        self.skip()
        if self.peek() == "}":
            self.pos += 1
            return out
        while True:
            self.skip()
            if self.peek() != '"':
                self.fail("expected a key in double quotes" +
                          (" (JSON does not allow a trailing comma)" if self.peek() == "}" else ""))
            key_line = self.line_at(self.pos)
            key = self.string()
            if key in out or key in lines:
                self.fail(f"duplicate key `{key}` (first written at line {lines[key]})",
                          self.pos - 1)
            lines[key] = key_line
            self.expect(":", "`:` after a key")
            out[key] = self.value(path + (key,), depth + 1, key_line)
            self.skip()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}", "`,` or `}`")
            return out

    def array(self, path: Path, depth: int) -> list:
        self.pos += 1
        out: list = []
        self.skip()
        if self.peek() == "]":
            self.pos += 1
            return out
        while True:
            self.skip()
            if self.peek() == "]":
                self.fail("expected a value (JSON does not allow a trailing comma)")
            out.append(self.value(path + (len(out),), depth + 1))
            self.skip()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]", "`,` or `]`")
            return out
