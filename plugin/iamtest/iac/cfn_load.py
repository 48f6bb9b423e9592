"""CloudFormation templates (YAML or JSON) to a value plus the line of every part.

YAML short tags become their long forms (``!Ref X`` -> ``{"Ref": "X"}``,
``!GetAtt A.B`` -> ``{"Fn::GetAtt": ["A", "B"]}``, ``!Sub s`` ->
``{"Fn::Sub": "s"}``). Plain scalars stay the text written (an account id
``012345678901`` or a ``Version: 2012-10-17`` stays a string), except
``true``/``false`` and null.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Tuple

import yaml

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
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise IacError(label, None, f"cannot read the template: {err.strerror}") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            return jsonloc.loads(text)
        except jsonloc.JsonSyntaxError as err:
            raise IacError(label, err.line, str(err)) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise IacError(label, mark.line + 1 if mark else None,
                       f"invalid YAML: {getattr(err, 'problem', None) or err}") from None
    if node is None:
        raise IacError(label, 1, "the template is empty")
    return _convert(node, label)
