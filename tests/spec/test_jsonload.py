"""The JSON reader: same values as json.loads, plus the line of every key."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.spec import SourceError, load_json


def load(text):
    return load_json(text, "p.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 2]), st.booleans())
def test_values_equal_json_loads(value, indent, ascii_only):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert load(text).data == json.loads(text)


@pytest.mark.parametrize("escaped, decoded", [
    (r'"a\/b"', "a/b"),
    (r'"\ud83d\ude00"', "\U0001F600"),      # a surrogate pair is one character
    (r'"\u00e9\t\n\\\""', "\u00e9\t\n\\\""),
    (r'"arn:aws:s3:::b\u002Fk"', "arn:aws:s3:::b/k"),
])
def test_escapes_decode_as_json_defines_them(escaped, decoded):
    assert load('{"k": %s}' % escaped).data == {"k": decoded}


def test_lines_of_keys_and_items():
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n' \
           '      "Condition": {"StringEquals": {\n        "aws:SourceVpce": "vpce-1"}}\n    }\n  ]\n}\n'
    loc = load(text).locations
    assert loc[()] == 1
    assert loc[("Version",)] == 2
    assert loc[("Statement",)] == 3
    assert loc[("Statement", 0)] == 4
    assert loc[("Statement", 0, "Effect")] == 5
    assert loc[("Statement", 0, "Condition", "StringEquals")] == 6
    assert loc[("Statement", 0, "Condition", "StringEquals", "aws:SourceVpce")] == 7


def test_numbers_and_literals_keep_their_json_types():
    assert load('[1, -2, 2.5, 1e3, true, false, null]').data == [1, -2, 2.5, 1000.0, True, False, None]


@pytest.mark.parametrize("text, line, message", [
    ('{\n"a": 1,\n"a": 2}', 3, "invalid JSON: duplicate key `a` (first written at line 2)"),
    ('{"a": 1,\n}', 2, "invalid JSON: expected a key in double quotes (JSON does not allow a trailing comma)"),
    ('[1,\n2,\n]', 3, "invalid JSON: expected a value (JSON does not allow a trailing comma)"),
    ('{"a" 1}', 1, "invalid JSON: expected `:` after a key, found `1`"),
    ('{"a": tru}', 1, "invalid JSON: expected a value, found `t`"),
    ('{"a": 1}\n{}', 2, "invalid JSON: unexpected text after the end of the JSON document"),
    ('\n\n', 1, "the file is empty: expected a JSON policy document"),
    ('{"a": "x\n"}', 1, "invalid JSON: invalid control character in a string (write a line break as \\n, a tab as \\t)"),
    ('{"a": "\\x"}', 1, "invalid JSON: invalid \\escape"),
])
def test_malformed_json_names_the_line(text, line, message):
    with pytest.raises(SourceError) as info:
        load(text)
    assert info.value.line == line
    assert info.value.message.startswith(message)
    assert info.value.source == "p.json"


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(SourceError) as info:
        load("[" * 1000 + "]" * 1000)
    assert "nested more than" in info.value.message
