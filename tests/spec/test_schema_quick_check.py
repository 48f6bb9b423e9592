"""The quick validity check says "valid" exactly when the schema finds no error.

``check`` first asks a validator built from the same schema with every
``$ref`` written out in place (draft 2020-12: a ``$ref`` applies beside its
siblings as an ``allOf`` entry does); only an invalid document goes on to
the worded errors. A document the quick check passed but the schema rejects
would be accepted silently, so the two are compared here on the example
repository's files and on generated breakages of them.
"""
import importlib
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
    quick = schema_module._quick_validator(ref).is_valid(doc)
    full = not any(True for _ in schema_module._validator(ref).iter_errors(doc))
    assert quick == full, doc


def test_the_example_files_are_valid_for_both():
    assert DOCS
    for doc in DOCS:
        _agree(doc)
        if isinstance(doc.get("policies"), dict):
            _agree(doc["policies"], "policies")


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_both_agree_on_every_breakage_of_an_example_file(data):
    doc = _copy(data.draw(st.sampled_from(DOCS)))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(list(_paths(doc))[1:] or [("cases",)]))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, (dict, list)):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["expct", "x-note", "context", "skip", "marks"]))] = data.draw(values)
        else:
            parent[path[-1]] = data.draw(values)
    _agree(doc)
    if isinstance(doc, dict) and "policies" in doc:
        _agree(doc["policies"], "policies")
