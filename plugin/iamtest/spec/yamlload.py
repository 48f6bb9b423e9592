"""A safe YAML reader that keeps every scalar as written and the line of every key.

Why not ``yaml.safe_load``: YAML 1.1 turns ``012345670123`` into an octal
number, ``on``/``no`` into booleans, ``1e3`` into a float and ``2012-10-17``
into a date. Access-test files and policies hold account ids, ARNs, dates and
condition values whose exact text matters, so this reader composes the node
graph with PyYAML's safe composer and builds the values itself:

- every scalar is the string it was written as (quoted or not), so
  ``012345670123`` stays twelve characters and ``true`` stays ``"true"``;
- the one exception is null: a plain ``null``, ``Null``, ``NULL``, ``~`` or an
  empty value is ``None`` (the format uses ``null`` to remove keys and
  layers). A quoted ``"null"`` is the string;
- mapping keys are always strings, never ``None``;
- anchors, aliases and merge keys (``<<: *base``) work; the number of nodes
  that aliases may add is capped (:data:`ALIAS_BUDGET`) to stop alias bombs,
  and a recursive alias is an error;
- nesting deeper than :data:`MAX_DEPTH` levels is an error (not a
  ``RecursionError``);
- a key written twice in one mapping is an error naming both lines;
- only the standard tags are accepted (``!!str``, ``!!null``, ``!!int``,
  ``!!float``, ``!!bool``, ``!!map``, ``!!seq``, ``!!timestamp``); their values are kept
  as text all the same. Any other tag (``!!python/object``, ``!Ref``) is an error.

The result is ``Loaded(data, locations)``: ``locations`` maps a path tuple
(``("cases", 2, "expect")``) to the 1-based line of that key or item, and
``()`` to the line where the document starts.
"""
from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass
from typing import Any, Dict, Tuple

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import SpecError

try:  # the C parser is much faster on large files; the pure one behaves the same
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

#: How many nodes aliases may add beyond those written in the file.
ALIAS_BUDGET = 100_000
#: How deep mappings and lists may nest (as for JSON policies; real files need
#: a dozen levels). Deeper documents are refused before they exhaust the stack.
MAX_DEPTH = 200

_TAG = "tag:yaml.org,2002:"
_NULL = _TAG + "null"
_MERGE = _TAG + "merge"
# The tags PyYAML's resolver gives plain scalars (``=`` is "value", ``<<`` "merge");
# outside a key position all of them are read as the text written.
_SCALAR_TAGS = {_TAG + t for t in ("str", "null", "int", "float", "bool", "timestamp",
                                   "value", "merge", "yaml")}

Path = Tuple[Any, ...]


@dataclass(frozen=True)
class Loaded:
    """A document with the line of every key and item."""

    data: Any
    locations: Dict[Path, int]
    source: str

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.locations:
                return self.locations[path]
            if not path:
                return None
            path = path[:-1]


def load_yaml(text: str, source: str) -> Loaded:
    """Read one YAML document. Raises :class:`SpecError` with file and line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = _lines(text)(mark) if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        if "expected a single document" in str(exc):
            problem = "expected a single YAML document, found more than one (`---`)"
        raise SpecError.at(source, line, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        raise SpecError.at(source, _reader_line(text, exc.position),
                           f"invalid YAML: the character U+{exc.character:04X} is not allowed "
                           f"({exc.reason})") from None
    except yaml.YAMLError as exc:  # pragma: no cover - every other error carries a mark
        raise SpecError.at(source, None, f"invalid YAML: {exc}") from None
    except UnicodeEncodeError:  # a lone surrogate: text no file can hold
        raise SpecError.at(source, None, "invalid YAML: the text is not valid Unicode "
                                         "(it holds a lone surrogate)") from None
    if node is None:
        return Loaded(None, {(): 1}, source)
    builder = _Builder(source, node, _lines(text))
    data = builder.build(node, ())
    return Loaded(data, builder.locations, source)


def _reader_line(text: str, position: int) -> int:
    """The line of a reader error. The C reader counts bytes of the UTF-8
    text, the pure-Python one characters."""
    if _Loader is not yaml.SafeLoader:
        return text.encode("utf-8").count(b"\n", 0, position) + 1
    return text.count("\n", 0, position) + 1  # pragma: no cover - depends on how PyYAML was built


def _mark_line(mark) -> int:
    return mark.line + 1


def _lines(text: str):
    """mark -> the 1-based line an editor shows for it.

    YAML 1.1 also breaks lines at U+0085, U+2028 and U+2029 and at a lone
    carriage return, and counts marks that way; editors break at line feeds
    (and a carriage return without one). Where the text holds no such
    character the two agree and the parser's count is used as it is.
    """
    if not any(c in text for c in "\r\x85\u2028\u2029"):
        return _mark_line
    breaks = [m.start() for m in re.finditer(r"\r(?!\n)|\n", text)]
    return lambda mark: bisect.bisect_left(breaks, mark.index) + 1


class _Builder:
    def __init__(self, source: str, root, mark_line=_mark_line):
        self.source = source
        self.mark_line = mark_line
        self.locations: Dict[Path, int] = {}
        self.limit = _count_distinct(root) + ALIAS_BUDGET
        self.produced = 0
        self.active: set = set()  # ids of collections being built (recursion guard)

    def line(self, node) -> int:
        return self.mark_line(node.start_mark)

    def fail(self, node, message: str):
        raise SpecError.at(self.source, self.line(node), message)

    def build(self, node, path: Path, line: int | None = None):
        self.produced += 1
        if self.produced > self.limit:
            self.fail(node, f"YAML aliases expand to more than {ALIAS_BUDGET} extra nodes; "
                            "an alias bomb is refused")
        if len(path) > MAX_DEPTH:
            self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        self.locations.setdefault(path, line if line is not None else self.line(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            self.fail(node, "a YAML alias refers to a node that contains it (recursive alias)")
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                self.check_tag(node, _TAG + "seq")
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            self.check_tag(node, _TAG + "map")
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def check_tag(self, node, expected: str) -> None:
        if node.tag != expected:
            self.fail(node, f"unsupported YAML tag `{node.tag}`")

    def scalar(self, node: ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            self.fail(node, f"unsupported YAML tag `{node.tag}`")
        if node.tag == _NULL and (node.style is None or node.style == ""):
            return None
        return sys.intern(node.value)   # ARNs, actions and words repeat from case to case

    def key_text(self, key_node) -> str:
        if not isinstance(key_node, ScalarNode):
            self.fail(key_node, "a mapping key must be a plain word or string, "
                                "not a list or mapping")
        if key_node.tag not in _SCALAR_TAGS:
            self.fail(key_node, f"unsupported YAML tag `{key_node.tag}`")
        return sys.intern(key_node.value)

    def mapping(self, node: MappingNode, path: Path) -> dict:
        explicit: Dict[str, Tuple[Any, Any]] = {}
        merged: Dict[str, Tuple[Any, Any]] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
                for source_map in self.merge_sources(value_node):
                    for k_node, v_node in self.flatten(source_map):
                        merged.setdefault(self.key_text(k_node), (k_node, v_node))
                continue
            key = self.key_text(key_node)
            if key in explicit:
                first = self.line(explicit[key][0])
                self.fail(key_node, f"duplicate key `{key}` (first written at line {first})")
            explicit[key] = (key_node, value_node)
        out = {}
        for key, (key_node, value_node) in list(explicit.items()) + [
                (k, v) for k, v in merged.items() if k not in explicit]:
            out[key] = self.build(value_node, path + (key,), self.line(key_node))
        return out

    def merge_sources(self, value_node):
        if isinstance(value_node, MappingNode):
            return [value_node]
        if isinstance(value_node, SequenceNode) and all(
                isinstance(n, MappingNode) for n in value_node.value):
            return list(value_node.value)
        self.fail(value_node, "a merge key `<<` needs a mapping or a list of mappings")

    def flatten(self, map_node: MappingNode):
        """The (key, value) node pairs of a merged mapping, its own merges resolved."""
        if id(map_node) in self.active:
            self.fail(map_node, "a YAML alias refers to a node that contains it (recursive alias)")
        self.active.add(id(map_node))
        try:
            own, inherited = [], []
            for k_node, v_node in map_node.value:
                if isinstance(k_node, ScalarNode) and k_node.tag == _MERGE:
                    for src in self.merge_sources(v_node):
                        inherited.extend(self.flatten(src))
                else:
                    own.append((k_node, v_node))
            return own + inherited
        finally:
            self.active.discard(id(map_node))


def _count_distinct(root) -> int:
    """How many distinct nodes the graph holds (aliases share nodes)."""
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
    return len(seen)
