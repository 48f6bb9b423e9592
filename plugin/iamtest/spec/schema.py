"""The JSON Schema of access-test files, and its errors as sentences.

The schema (``schema.json`` beside this module, draft 2020-12) is the
machine-readable form of the format; editors can use it through
``# yaml-language-server: $schema=<path>`` (see docs/access-test-files.md). At collection
every file is validated against it and each error is turned into one
sentence with the line of the offending key, for example::

    case 3 'read logs': `expect` must be one of allow, deny, explicit-deny, implicit-deny; got `alow`
    unknown key `expct` in case 2 'x' (did you mean `expect`?)

The schema carries a few annotations of its own, read only here:
``x-expected`` (what a value must be, as a phrase), ``x-pattern-message``,
``x-key-noun`` (``layer`` for ``policies``), ``x-required-message``,
``x-anyOf-message`` and ``x-oneOf-message``.
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, List, Sequence

from .errors import Problem
from .yamlload import Loaded

_SCHEMA_FILE = Path(__file__).with_name("schema.json")
_TYPE_WORDS = {"string": "a string", "array": "a list", "object": "a mapping",
               "number": "a number", "integer": "a whole number", "boolean": "a boolean",
               "null": "null"}
_SOURCE_KEYS = ["Statement", "terraform", "terraform_plan", "cloudformation"]


def schema_path() -> Path:
    """Where the schema file is installed (for editors and CI tools)."""
    return _SCHEMA_FILE


@lru_cache(maxsize=None)
def schema() -> dict:
    """The schema as a dict (read once)."""
    return json.loads(_SCHEMA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(ref: str | None = None):
    from jsonschema import Draft202012Validator

    doc = schema()
    if ref is not None:
        doc = {"$schema": doc["$schema"], "$defs": doc["$defs"], "$ref": f"#/$defs/{ref}"}
    return Draft202012Validator(doc)


@lru_cache(maxsize=None)
def _quick_validator(ref: str | None = None):
    """A test that tells fast whether a document is valid (the schema compiled to
    plain tests, :mod:`.quickschema`); errors are still found and worded through
    :func:`_validator`."""
    from .quickschema import compile_schema

    return compile_schema(schema(), ref)


def check(loaded: Loaded, ref: str | None = None, prefix: Sequence = ()) -> List[Problem]:
    """Validate ``loaded.data`` (or a part, against ``$defs/<ref>``) and
    return one :class:`Problem` per error, in line order."""
    if _quick_validator(ref)(loaded.data):
        return []
    problems: List[Problem] = []
    seen = set()
    for error in _validator(ref).iter_errors(loaded.data):
        for line_path, message in _sentences(error, loaded.data, tuple(prefix)):
            line = loaded.line(line_path[len(prefix):]) if prefix else loaded.line(line_path)
            key = (line, message)
            if key not in seen:
                seen.add(key)
                problems.append(Problem(loaded.source, line, message))
    problems.sort(key=lambda p: p.line or 0)
    return problems


# -- turning one jsonschema error into sentences ----------------------------------------

def owner_of(path: Sequence, data: Any) -> tuple:
    """(description, rest): who a path belongs to, and the path inside it."""
    path = tuple(path)
    if len(path) >= 2 and path[0] in ("cases", "properties") and isinstance(path[1], int):
        kind = "case" if path[0] == "cases" else "property"
        name = None
        try:
            item = data[path[0]][path[1]]
            name = item.get("name") if isinstance(item, dict) else None
        except (KeyError, IndexError, TypeError):
            pass
        label = f"{kind} {path[1] + 1}"
        if isinstance(name, str) and name:
            label += f" '{name}'"
        return label, path[2:]
    return "", path


def key_text(rest: Sequence) -> str:
    """`policies.identity` (item 2) style name of a path inside its owner."""
    parts = list(rest)
    trailing: List[int] = []
    while parts and isinstance(parts[-1], int):
        trailing.insert(0, parts.pop())
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else ("." if name else "") + str(part)
    text = f"`{name}`" if name else ""
    if trailing:
        where = ", ".join(f"{'item' if n == 0 else 'entry'} {i + 1}"
                          for n, i in enumerate(trailing))
        text = f"{text} ({where})" if text else where
    return text


def visible(text: str) -> str:
    """``text`` with characters that print as nothing escaped (a byte order mark
    or zero-width space inside a key would read as the key itself)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, bool):
        return f"`{'true' if value else 'false'}`"
    text = visible(str(value))
    if text == "":
        return "an empty string"
    if len(text) > 60:
        text = text[:57] + "..."
    return f"`{text}`"


def _expected(schema_: dict, validator: str, value: Any) -> str:
    if validator == "enum":
        return "one of " + ", ".join(str(v) for v in value)
    if validator == "pattern" and schema_.get("x-pattern-message"):
        return schema_["x-pattern-message"]
    if schema_.get("x-expected"):
        return schema_["x-expected"]
    if validator == "type":
        types = value if isinstance(value, list) else [value]
        return " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    if validator == "minItems":
        return f"a list of at least {value} item{'s' if value != 1 else ''}"
    if validator == "minLength":
        return "a non-empty string"
    return "something else"


def _join(owner: str, message: str) -> str:
    return f"{owner}: {message}" if owner else message


def _sentences(error, data: Any, prefix: tuple):
    """Yield (path of the line to show, sentence) for one jsonschema error."""
    path = prefix + tuple(error.absolute_path)
    owner, rest = owner_of(path, data)
    what = key_text(rest)
    kind = error.validator
    sch = error.schema if isinstance(error.schema, dict) else {}

    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(sch.get("properties", {}))
        noun = sch.get("x-key-noun", "key")
        if what:
            where = "in " + (f"{what} of {owner}" if owner else what)
        else:
            where = f"in {owner}" if owner else "at the top level of the file"
        patterns = [re.compile(p) for p in sch.get("patternProperties", {})]
        for extra in error.instance:
            if extra in allowed or any(p.search(extra) for p in patterns):
                continue
            hint = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            msg = f"unknown {noun} `{visible(extra)}` {where}"
            msg += f" (did you mean `{hint[0]}`?)" if hint else \
                f"; expected one of {', '.join(allowed)}"
            if patterns and not hint:
                msg += " (or a key starting with `x-`, which is ignored)"
            yield path + (extra,), msg
        return
    if kind == "required":
        keys = list(error.instance) if isinstance(error.instance, dict) else []
        if sch.get("x-required-message"):
            subject = what or "the value"
            message = f"{subject} is {sch['x-required-message']}"
            hints = [h for k in keys
                     for h in difflib.get_close_matches(k, _SOURCE_KEYS, n=1, cutoff=0.7)]
            if hints:
                message += f" (did you mean `{hints[0]}`?)"
            yield path, _join(owner, message)
            return
        # A key that is missing because it was misspelt is reported once, as unknown.
        missing = [name for name in error.validator_value if name not in keys
                   and not difflib.get_close_matches(name, keys, n=1, cutoff=0.6)]
        if missing:
            inside = f" in {what}" if what else ""
            plural = "s" if len(missing) > 1 else ""
            listed = ", ".join(f"`{m}`" for m in missing)
            yield path, _join(owner, f"missing required key{plural} {listed}{inside}")
        return
    if "propertyNames" in error.absolute_schema_path:
        yield path, _join(owner, f"{what or 'the mapping'} has a key {shown(error.instance)}; "
                                 f"expected {_expected(sch, 'pattern', None)}")
        return
    if kind == "anyOf" and sch.get("x-anyOf-message"):
        yield path, _join(owner, sch["x-anyOf-message"])
        return
    if kind == "oneOf" and sch.get("x-oneOf-message"):
        present = [k for k in ("never", "always") if isinstance(error.instance, dict)
                   and k in error.instance]
        if len(present) > 1:
            yield path, _join(owner, "has both `never` and `always`; a property "
                                     "needs exactly one of them")
        else:
            yield path, _join(owner, sch["x-oneOf-message"])
        return
    if kind == "uniqueItems" and isinstance(error.instance, list):
        seen, dup = [], None
        for item in error.instance:
            if item in seen:
                dup = item
                break
            seen.append(item)
        yield path, _join(owner, f"{what or 'the list'} lists {shown(dup)} more than once")
        return
    if kind == "minItems" and isinstance(error.instance, list):
        expected = sch.get("x-expected") or "a non-empty list"
        yield path, _join(owner, f"{what or 'the list'} must be {expected}; got an empty list")
        return
    expected = _expected(sch, kind, error.validator_value)
    got = shown(error.instance)
    if not path:
        yield path, f"the file must be {expected}; got {got}"
    elif not what:
        yield path, f"{owner or 'the value'} must be {expected}; got {got}"
    else:
        yield path, _join(owner, f"{what} must be {expected}; got {got}")
