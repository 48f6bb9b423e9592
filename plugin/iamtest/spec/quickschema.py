"""A yes/no validator compiled from the access-test schema, for the common case.

Every access-test file is checked against ``schema.json`` at collection;
nearly all of them are valid, and for a valid file the only question is
"valid or not". This module answers it with plain Python tests compiled once
from the schema, about ten times faster than a general validator walking
the schema for every value. An invalid answer sends the file to the full
validator (:mod:`jsonschema`), which finds and words the errors; a valid one
must therefore never be given to a document the full validator rejects, and
``tests/spec/test_schema_quick_check.py`` compares the two on generated
documents.

Only the keywords ``schema.json`` uses are compiled, with their JSON Schema
draft 2020-12 meaning (a ``$ref`` applies beside its sibling keywords);
annotations (``description``, ``title``, ``x-...``) are skipped. A keyword
outside that list is an error when the validator is built, never ignored.
"""
from __future__ import annotations

import numbers
import re
from typing import Any, Callable, Dict, List

Test = Callable[[Any], bool]

_ANNOTATIONS = {"$schema", "$id", "$defs", "description", "title"}
# The types as the full validator's draft 2020-12 type checker reads them.
_TYPES: Dict[str, Test] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "number": lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}


class UnsupportedSchema(ValueError):
    """The schema uses a keyword this compiler does not know."""


def compile_schema(root: dict, ref: str | None = None) -> Test:
    """A test that is True exactly when the schema (or ``$defs/<ref>``) accepts a value."""
    defs = root.get("$defs", {})
    compiled: Dict[str, Test] = {}

    def by_name(name: str) -> Test:
        # Compiled on first use; the indirection lets a definition refer to itself.
        if name not in compiled:
            if name not in defs:
                raise UnsupportedSchema(f"$ref to an unknown definition {name!r}")
            compiled[name] = lambda v: False   # placeholder while it compiles
            test = node(defs[name])
            compiled[name] = test
        return lambda v: compiled[name](v)

    def node(schema: Any) -> Test:
        if schema is True or schema == {}:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise UnsupportedSchema(f"not a schema: {schema!r}")
        tests: List[Test] = []
        for key, value in schema.items():
            if key in _ANNOTATIONS or key.startswith("x-") or key in ("then", "else"):
                continue
            tests.append(keyword(key, value, schema))
        if len(tests) == 1:
            return tests[0]
        return lambda v: all(test(v) for test in tests)

    def keyword(key: str, value: Any, schema: dict) -> Test:
        if key == "$ref":
            if not value.startswith("#/$defs/"):
                raise UnsupportedSchema(f"$ref {value!r}")
            return by_name(value[len("#/$defs/"):])
        if key == "type":
            kinds = [_TYPES[name] for name in ([value] if isinstance(value, str) else value)]
            return lambda v: any(kind(v) for kind in kinds)
        if key == "enum":
            if not all(isinstance(item, str) for item in value):
                raise UnsupportedSchema("enum with values other than strings")
            allowed = frozenset(value)
            return lambda v: isinstance(v, str) and v in allowed
        if key == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= value
        if key == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= value
        if key == "pattern":
            search = re.compile(value).search
            return lambda v: not isinstance(v, str) or search(v) is not None
        if key == "uniqueItems":
            return (lambda v: not isinstance(v, list) or _unique(v)) if value else (lambda v: True)
        if key == "items":
            each = node(value)
            return lambda v: not isinstance(v, list) or all(each(item) for item in v)
        if key == "required":
            names = tuple(value)
            return lambda v: not isinstance(v, dict) or all(name in v for name in names)
        if key == "properties":
            checks = {name: node(sub) for name, sub in value.items()}
            return lambda v: not isinstance(v, dict) or all(
                checks[name](item) for name, item in v.items() if name in checks)
        if key == "patternProperties":
            pairs = [(re.compile(p).search, node(sub)) for p, sub in value.items()]
            return lambda v: not isinstance(v, dict) or all(
                test(item) for name, item in v.items() for search, test in pairs if search(name))
        if key == "additionalProperties":
            known = frozenset(schema.get("properties", {}))
            patterns = [re.compile(p).search for p in schema.get("patternProperties", {})]
            other = node(value)
            return lambda v: not isinstance(v, dict) or all(
                other(item) for name, item in v.items()
                if name not in known and not any(search(name) for search in patterns))
        if key == "propertyNames":
            names = node(value)
            return lambda v: not isinstance(v, dict) or all(names(name) for name in v)
        if key in ("anyOf", "oneOf", "allOf"):
            parts = [node(sub) for sub in value]
            if key == "anyOf":
                return lambda v: any(part(v) for part in parts)
            if key == "allOf":
                return lambda v: all(part(v) for part in parts)
            return lambda v: sum(1 for part in parts if part(v)) == 1
        if key == "if":
            condition = node(value)
            then = node(schema.get("then", True))
            otherwise = node(schema.get("else", True))
            return lambda v: then(v) if condition(v) else otherwise(v)
        raise UnsupportedSchema(f"keyword {key!r} is not compiled")

    return node({"$ref": f"#/$defs/{ref}"} if ref is not None else root)


def _unique(items: list) -> bool:
    """JSON Schema uniqueness: no two equal JSON values, where true is not 1."""
    if all(isinstance(item, str) for item in items):
        return len(set(items)) == len(items)
    return not any(_equal(first, second)
                   for i, first in enumerate(items) for second in items[i + 1:])


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, numbers.Number) and isinstance(b, numbers.Number):
        return a == b
    for kind in (str, list, dict):
        if isinstance(a, kind) or isinstance(b, kind):
            if not (isinstance(a, kind) and isinstance(b, kind)):
                return False
            if kind is list:
                return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
            if kind is dict:
                return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
            return a == b
    return a == b
