"""The Terraform functions the static reader evaluates.

Only pure functions whose result is fixed by their arguments are here. Calls
that read files or the clock (``file``, ``templatefile``, ``timestamp``, ...)
are not: the reader reports them as unresolvable rather than guessing.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List


class FunctionError(ValueError):
    """A call with arguments the function does not accept."""


#: The largest value (characters and list or map items) the reader builds: a
#: policy is at most a few KB, and values that grow at every step (a
#: ``jsonencode`` of a ``jsonencode``..., a local built from itself twice)
#: would otherwise fill the memory.
MAX_VALUE = 1_000_000


def _bounded(name: str, size: int) -> None:
    """Refuse a call whose result would pass :data:`MAX_VALUE`, before building it."""
    if size > MAX_VALUE:
        raise FunctionError(f"{name}() would build more than {MAX_VALUE:,} characters; "
                            f"a policy is far smaller")


class JsonText(str):
    """The string ``jsonencode`` returns, still carrying the value and its lines."""

    doc: Any
    locs: Dict[tuple, int]

    def __new__(cls, doc: Any, locs: Dict[tuple, int]) -> "JsonText":
        text = super().__new__(cls, json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
        text.doc = doc
        text.locs = locs
        return text


#: calls that depend on something outside the configuration: never evaluated.
NOT_STATIC = {
    "file": "reads a file", "fileexists": "reads a file", "fileset": "reads a folder",
    "filebase64": "reads a file", "filemd5": "reads a file", "filesha1": "reads a file",
    "filesha256": "reads a file", "filesha512": "reads a file", "templatefile": "reads a file",
    "abspath": "depends on the machine", "pathexpand": "depends on the machine",
    "timestamp": "depends on the time", "plantimestamp": "depends on the time",
    "uuid": "is random", "bcrypt": "is random", "try": "depends on errors at plan time",
    "can": "depends on errors at plan time", "sensitive": "is not read statically",
}


def _strings(name: str, values: List[Any]) -> List[str]:
    out = []
    for value in values:
        if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
            raise FunctionError(f"{name}() expects strings")
        out.append(to_string(value))
    return out


def to_string(value: Any) -> str:
    """Terraform's conversion of a primitive to a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    raise FunctionError("a list, map or null cannot be used as a string")


def _list(name: str, value: Any) -> list:
    if not isinstance(value, list):
        raise FunctionError(f"{name}() expects a list")
    return value


def _flatten(value: Any) -> list:
    out: list = []
    for item in _list("flatten", value):
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _distinct(values: list) -> list:
    out: list = []
    for item in values:
        if item not in out:
            out.append(item)
    return out


def _format(spec: str, *args: Any) -> str:
    args_iter = iter(args)

    def one(match: "re.Match[str]") -> str:
        verb = match.group(1)
        if verb == "%":
            return "%"
        try:
            arg = next(args_iter)
        except StopIteration:
            raise FunctionError("format() has too few arguments") from None
        if verb in ("s", "v"):
            return to_string(arg)
        if verb == "d":
            if isinstance(arg, bool) or not isinstance(arg, (int, float)):
                raise FunctionError("format() %d expects a number")
            return str(int(arg))
        if verb == "q":
            return json.dumps(to_string(arg))
        raise FunctionError(f"format() verb %{verb} is not supported")

    return re.sub(r"%([%a-zA-Z])", one, spec)


def _replace(text: str, old: str, new: str) -> str:
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        raise FunctionError("replace() with a regular expression is not supported")
    _bounded("replace", len(text) + text.count(old) * len(new))
    return text.replace(old, new)


def _join(sep: str, *lists: Any) -> str:
    items = _strings("join", [v for lst in lists for v in _list("join", lst)])
    _bounded("join", sum(len(item) for item in items) + len(sep) * len(items))
    return sep.join(items)


def _formatlist(spec: str, values: Any) -> list:
    values = _list("formatlist", values)
    _bounded("formatlist", len(spec) * len(values))
    return [_format(spec, v) for v in values]


def _merge(*maps: Any) -> dict:
    out: dict = {}
    for item in maps:
        if item is None:
            continue
        if not isinstance(item, dict):
            raise FunctionError("merge() expects maps")
        out.update(item)
    return out


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, dict):
        raise FunctionError("lookup() expects a map")
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise FunctionError(f"lookup() found no key {key!r} and has no default")


def _element(values: Any, index: Any) -> Any:
    values = _list("element", values)
    if not values:
        raise FunctionError("element() of an empty list")
    return values[int(index) % len(values)]


def _coalesce(*values: Any) -> Any:
    for value in values:
        if value is not None and value != "":
            return value
    raise FunctionError("coalesce() has no non-empty argument")


def _toset(values: Any) -> list:
    # Terraform iterates a set of strings in lexical order.
    items = _distinct(_list("toset", values))
    return sorted(items) if all(isinstance(v, str) for v in items) else items


FUNCTIONS: Dict[str, Callable[..., Any]] = {
    "concat": lambda *lists: [item for lst in lists for item in _list("concat", lst)],
    "flatten": _flatten,
    "distinct": lambda values: _distinct(_list("distinct", values)),
    "compact": lambda values: [v for v in _list("compact", values) if v not in ("", None)],
    "join": _join,
    "split": lambda sep, text: text.split(sep),
    "format": _format,
    "formatlist": _formatlist,
    "lower": lambda text: to_string(text).lower(),
    "upper": lambda text: to_string(text).upper(),
    "trimspace": lambda text: to_string(text).strip(),
    "trimprefix": lambda text, prefix: text[len(prefix):] if text.startswith(prefix) else text,
    "trimsuffix": lambda text, suffix: text[: -len(suffix)] if suffix and text.endswith(suffix) else text,
    "replace": _replace,
    "merge": _merge,
    "lookup": _lookup,
    "element": _element,
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next((lst for lst in lists if lst), []),
    "contains": lambda values, value: value in _list("contains", values),
    "length": lambda value: len(value),
    "keys": lambda mapping: sorted(mapping),
    "values": lambda mapping: [mapping[k] for k in sorted(mapping)],
    "zipmap": lambda ks, vs: dict(zip(_strings("zipmap", ks), vs)),
    "tostring": lambda value: None if value is None else to_string(value),
    "tonumber": lambda value: value if isinstance(value, (int, float)) else json.loads(value),
    "tolist": lambda value: list(_list("tolist", value)),
    "toset": _toset,
    "tomap": lambda value: dict(value),
    "jsondecode": lambda text: json.loads(text),
}
