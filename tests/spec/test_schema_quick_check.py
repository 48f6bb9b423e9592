"""The quick validity check says "valid" exactly when the schema finds no error.

``check`` first asks a validator built from the same schema with every
``$ref`` written out in place (draft 2020-12: a ``$ref`` applies beside its
siblings as an ``allOf`` entry does); only an invalid document goes on to
the worded errors. A document the quick check passed but the schema rejects
would be accepted silently, so the two are compared here on the example
repository's files and on generated breakages of them.
"""
import importlib
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.spec.yamlload import load_yaml

schema_module = importlib.import_module("iamtest.spec.schema")
ROOT = Path(__file__).resolve().parents[2]
DOCS = [load_yaml(p.read_text(encoding="utf-8"), str(p)).data
        for p in sorted((ROOT / "fixtures").rglob("*.iamtest.yaml"))]

values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(
        ["", "allow", "deny", "explicit-deny", "identity", "endpoint", "scp", "gateway", "allow-all",
         "s3:GetObject", "arn:aws:s3:::b/k", "123456789012", "x", "policies/p.json"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["name", "expect", "principal", "action",
                                                             "resource", "identity", "Statement", "not",
                                                             "terraform", "address", "unknown"]),
                                            inner, max_size=3)),
    max_leaves=6)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, path + (i,))


def _copy(node):
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def _agree(doc, ref=None):
    quick = schema_module._quick_validator(ref)(doc)
    full = not any(True for _ in schema_module._validator(ref).iter_errors(doc))
    assert quick == full, doc


def test_the_example_files_are_valid_for_both():
    assert DOCS
    for doc in DOCS:
        _agree(doc)
        if isinstance(doc.get("policies"), dict):
            _agree(doc["policies"], "policies")


@settings(max_examples=int(os.environ.get("IAMTEST_SCHEMA_EXAMPLES", "600")), deadline=None)
@given(st.data())
def test_both_agree_on_every_breakage_of_an_example_file(data):
    doc = _copy(data.draw(st.sampled_from(DOCS)))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(list(_paths(doc))[1:] or [("cases",)]))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            parent.pop(path[-1], None)   # the fallback path may name a key already gone
        elif action == "delete" and isinstance(parent, list):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["expct", "x-note", "context", "skip", "marks"]))] = data.draw(values)
        else:
            parent[path[-1]] = data.draw(values)
    _agree(doc)
    if isinstance(doc, dict) and "policies" in doc:
        _agree(doc["policies"], "policies")


def test_a_schema_keyword_the_quick_check_does_not_know_is_an_error_not_ignored():
    """An ignored keyword would make the quick check accept what the schema refuses."""
    import pytest

    from iamtest.spec.quickschema import UnsupportedSchema, compile_schema

    for schema in ({"type": "string", "maxLength": 3}, {"$ref": "#/$defs/missing"},
                   {"type": "array", "contains": {"type": "string"}}):
        with pytest.raises(UnsupportedSchema):
            compile_schema(schema)


def test_the_quick_check_reads_each_keyword_as_draft_2020_12_does():
    """Small schemas, one keyword each, against the full validator."""
    from jsonschema import Draft202012Validator

    from iamtest.spec.quickschema import compile_schema

    schemas = [
        {"type": ["string", "null"]}, {"type": "integer"}, {"type": "number"},
        {"enum": ["a", "b"]}, {"minLength": 2}, {"minItems": 1}, {"pattern": "^x"},
        {"uniqueItems": True}, {"items": {"type": "string"}}, {"required": ["a"]},
        {"properties": {"a": {"type": "string"}}, "additionalProperties": False,
         "patternProperties": {"^x-": {}}},
        {"additionalProperties": {"type": "boolean"}}, {"propertyNames": {"pattern": "^[a-z]+$"}},
        {"anyOf": [{"type": "string"}, {"minItems": 2}]},
        {"oneOf": [{"type": "array"}, {"minItems": 1}]},
        {"if": {"type": "object"}, "then": {"required": ["a"]}, "else": {"type": "string"}},
        {"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "minLength": 1},
    ]
    samples = [None, True, False, 0, 1, 1.0, 1.5, "", "x", "xy", "ab", [], [1], [1, True],
               [1, 1.0], ["a", "a"], ["a", "b"], [{"a": 1}, {"a": 1}], [[1], [True]], {},
               {"a": "s"}, {"a": 1}, {"x-n": 1}, {"b": True}, {"B": False}]
    for schema in schemas:
        quick = compile_schema(schema)
        full = Draft202012Validator(schema)
        for sample in samples:
            assert quick(sample) == full.is_valid(sample), (schema, sample)
