"""CloudFormation templates (YAML or JSON) to a value plus the line of every part.

YAML short tags become their long forms (``!Ref X`` -> ``{"Ref": "X"}``,
``!GetAtt A.B`` -> ``{"Fn::GetAtt": ["A", "B"]}``, ``!Sub s`` ->
``{"Fn::Sub": "s"}``). Plain scalars stay the text written (an account id
``012345678901`` or a ``Version: 2012-10-17`` stays a string), except
``true``/``false`` and null.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

from ..spec.yamlload import ALIAS_BUDGET, MAX_DEPTH
from . import jsonloc, locs as L
from .errors import IacError

_NULLS = ("", "~", "null", "Null", "NULL")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def _scalar(node: yaml.ScalarNode) -> Tuple[Any, L.Locs]:
    line = node.start_mark.line + 1
    if node.style in ("|",):
        return node.value, {(): line, L.TEXT: line + 1}  # a literal block keeps its lines
    locs = L.at(line)
    if node.style is None and node.tag.startswith("tag:yaml.org,2002:"):
        if node.value in _NULLS:
            return None, locs
        if node.value in _BOOLS:
            return _BOOLS[node.value], locs
    return node.value, locs


def _convert(node: yaml.Node, label: str) -> Tuple[Any, L.Locs]:
    line = node.start_mark.line + 1
    tag = node.tag or ""
    if isinstance(node, yaml.ScalarNode):
        value, locs = _scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value, locs = [], {(): line}
        for i, item in enumerate(node.value):
            item_value, item_locs = _convert(item, label)
            value.append(item_value)
            locs.update(L.under(item_locs, i))
    elif isinstance(node, yaml.MappingNode):
        value, locs = {}, {(): line}
        for key_node, item in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise IacError(label, key_node.start_mark.line + 1, "a mapping key must be a scalar")
            key = key_node.value
            if key in value:
                raise IacError(label, key_node.start_mark.line + 1, f"duplicate key {key!r}")
            item_value, item_locs = _convert(item, label)
            item_locs = dict(item_locs)
            item_locs[()] = key_node.start_mark.line + 1
            value[key] = item_value
            locs.update(L.under(item_locs, key))
    else:  # pragma: no cover - composer yields only these three
        raise IacError(label, line, "unexpected YAML node")
    if tag.startswith("!"):
        return _intrinsic(tag[1:], value, locs, line, label)
    return value, locs


def _intrinsic(name: str, value: Any, locs: L.Locs, line: int, label: str) -> Tuple[Any, L.Locs]:
    if name == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        if not attribute:
            raise IacError(label, line, f"!GetAtt {value}: expected Resource.Attribute")
        value, locs = [resource, attribute], {(): line, (0,): line, (1,): line}
    key = name if name in ("Ref", "Condition") else f"Fn::{name}"
    out_locs = L.under(locs, key)
    out_locs[()] = line
    out_locs[(key,)] = line
    return {key: value}, out_locs


def load_template(path: Path, label: str) -> Tuple[Any, L.Locs]:
    """The template at ``path`` as a value and its line map."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IacError(label, None, f"cannot read the template: {err.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IacError(label, data.count(b"\n", 0, err.start) + 1,
                       f"not UTF-8 text ({err.reason} at byte {err.start})") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return jsonloc.loads(text)
        except jsonloc.JsonSyntaxError as err:
            raise IacError(label, err.line, str(err)) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as err:  # a character YAML does not allow
        raise IacError(label, text.count("\n", 0, err.position) + 1,
                       f"invalid YAML: the character U+{err.character:04X} is not allowed "
                       f"({err.reason})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise IacError(label, mark.line + 1 if mark else None,
                       f"invalid YAML: {getattr(err, 'problem', None) or err}") from None
    except RecursionError:  # the pure-Python composer recurses once per level
        raise IacError(label, _too_deep(text), f"nested more than {MAX_DEPTH} levels deep") from None
    if node is None:
        raise IacError(label, 1, "the template is empty")
    _check_graph(node, label)
    return _convert(node, label)


def _too_deep(text: str):
    """The line where ``text`` nests deeper than :data:`MAX_DEPTH`, from the
    parser's events (read in a loop, so no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None  # pragma: no cover - the composer failed on a shallow document


def _children(node: yaml.Node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_graph(root: yaml.Node, label: str) -> None:
    """Refuse what :func:`_convert` cannot build: an alias that contains itself,
    aliases that expand to more than :data:`ALIAS_BUDGET` extra nodes (an
    alias bomb: nine levels of nine aliases are 387 million nodes), and nesting
    deeper than :data:`MAX_DEPTH`. One pass over the distinct nodes, without
    recursion.
    """
    distinct, seen = 0, set()
    walk = [root]
    while walk:
        node = walk.pop()
        if id(node) not in seen:
            seen.add(id(node))
            distinct += 1
            walk.extend(_children(node))
    limit = distinct + ALIAS_BUDGET
    size: Dict[int, int] = {}    # id -> nodes once aliases are expanded
    depth: Dict[int, int] = {}   # id -> levels of nesting from it down
    entered: set = set()         # ids on the current path (entered, not finished)
    stack = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if finished:
            entered.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if depth[key] > MAX_DEPTH:
                raise IacError(label, line, f"nested more than {MAX_DEPTH} levels deep")
            if size[key] > limit:
                raise IacError(label, line, f"YAML aliases expand to more than {ALIAS_BUDGET} "
                                            f"extra nodes; an alias bomb is refused")
            continue
        if key in size:
            continue
        if key in entered:
            raise IacError(label, line, "a YAML alias refers to a node that contains it "
                                        "(recursive alias)")
        entered.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in _children(node) if id(kid) not in size)
