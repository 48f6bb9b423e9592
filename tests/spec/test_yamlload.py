"""The YAML reader: scalars kept as written, lines kept, aliases bounded.

Contract (FORMAT.md "Values"): every scalar is kept as written; an unquoted
account id such as 012345670123 stays that twelve-character string. `null`
removes keys and layers, so plain null (and ~, and an empty value) is None.
"""
import pytest

from iamtest.spec import ALIAS_BUDGET, SpecError, load_yaml


def load(text):
    return load_yaml(text, "t.yaml")


@pytest.mark.parametrize("written", [
    "012345670123", "123456789012", "0x1F", "1e3", "1_000", "on", "off", "yes", "no", "y", "n",
    "true", "false", "True", "2012-10-17", "2024-01-01T00:00:00Z", "12:30:00", ".inf", ".nan",
    "-0", "+1", "3.10", "=", "<<",
])
def test_plain_scalars_stay_the_text_written(written):
    assert load(f"value: {written}\n").data == {"value": written}


@pytest.mark.parametrize("written", ["null", "Null", "NULL", "~", ""])
def test_plain_null_forms_are_none(written):
    assert load(f"value: {written}\n").data == {"value": None}


@pytest.mark.parametrize("written", ['"null"', "'~'", "!!str null"])
def test_quoted_or_tagged_null_is_a_string(written):
    assert load(f"value: {written}\n").data == {"value": written.strip("\"'").replace("!!str ", "")}


def test_keys_are_text_even_when_they_look_like_null_or_booleans():
    assert load("null: 1\non: 2\n012: 3\n").data == {"null": "1", "on": "2", "012": "3"}


def test_lines_of_keys_and_items_are_recorded():
    loaded = load("a: 1\nlist:\n  - x\n  - name: y\n    deep:\n      k: v\n")
    assert loaded.locations[("a",)] == 1
    assert loaded.locations[("list",)] == 2
    assert loaded.locations[("list", 0)] == 3
    assert loaded.locations[("list", 1)] == 4
    assert loaded.locations[("list", 1, "name")] == 4
    assert loaded.locations[("list", 1, "deep", "k")] == 6
    # a path with no line of its own falls back to its nearest ancestor
    assert loaded.line(("list", 1, "deep", "k", "missing")) == 6


def test_anchors_aliases_and_merge_keys_work():
    text = (
        "roles:\n"
        "  app: &app arn:aws:iam::123456789012:role/App\n"
        "base: &base {principal: *app, expect: allow}\n"
        "cases:\n"
        "  - <<: *base\n"
        "    name: one\n"
        "    expect: deny\n"
    )
    data = load(text).data
    assert data["cases"][0] == {"name": "one", "expect": "deny",
                                "principal": "arn:aws:iam::123456789012:role/App"}


def test_merge_of_several_mappings_keeps_the_first_writer():
    data = load("a: &a {k: 1, x: a}\nb: &b {k: 2, y: b}\nc:\n  <<: [*a, *b]\n").data
    assert data["c"] == {"k": "1", "x": "a", "y": "b"}


def test_an_alias_bomb_is_refused_with_a_line():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 8):  # 10**8 nodes if expanded
        prev, cur = chr(96 + n), chr(97 + n)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(SpecError) as info:
        load("\n".join(lines))
    assert f"more than {ALIAS_BUDGET} extra nodes" in info.value.message
    assert info.value.line is not None


def test_aliases_within_the_budget_are_expanded():
    data = load("a: &a [1, 2, 3]\nb: [*a, *a]\n").data
    assert data["b"] == [["1", "2", "3"], ["1", "2", "3"]]


def test_a_recursive_alias_is_an_error():
    with pytest.raises(SpecError) as info:
        load("a: &a\n  - *a\n")
    assert "recursive alias" in info.value.message


def test_duplicate_keys_are_an_error_naming_both_lines():
    with pytest.raises(SpecError) as info:
        load("cases:\n  - name: a\n    expect: allow\n    expect: deny\n")
    assert str(info.value) == "t.yaml:4: duplicate key `expect` (first written at line 3)"


@pytest.mark.parametrize("text", ["a: !!python/object:os.system x\n", "a: !Ref Bucket\n",
                                  "a: !!binary aGk=\n", "a: !!set {x}\n"])
def test_tags_that_build_objects_are_refused(text):
    with pytest.raises(SpecError) as info:
        load(text)
    assert info.value.message.startswith("unsupported YAML tag")
    assert info.value.line == 1


def test_malformed_yaml_names_the_line():
    with pytest.raises(SpecError) as info:
        load("cases:\n  - name: a\n   expect: allow\n")
    assert info.value.line == 3
    assert info.value.message.startswith("invalid YAML: ")


def test_more_than_one_document_is_an_error():
    with pytest.raises(SpecError) as info:
        load("a: 1\n---\nb: 2\n")
    assert "single YAML document" in info.value.message


def test_empty_text_is_none():
    assert load("").data is None
    assert load("# only a comment\n").data is None
