"""JSON with lines: the same values json.loads gives, plus the line of every key and item."""
from __future__ import annotations

import json

import pytest

from iamtest.iac.jsonloc import JsonSyntaxError, loads

TEXT = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject",
                 "s3:PutObject"],
      "Resource": "*",
      "Condition": {"Bool": {"aws:SecureTransport": true}, "NumericLessThan": {"s3:max-keys": 10}}
    }
  ]
}"""


def test_values_match_json_loads_and_lines_are_recorded():
    value, locs = loads(TEXT, first_line=5)
    assert value == json.loads(TEXT)
    assert locs[()] == 5
    assert locs[("Statement",)] == 7
    assert locs[("Statement", 0)] == 8
    assert locs[("Statement", 0, "Action", 1)] == 11
    assert locs[("Statement", 0, "Condition", "Bool", "aws:SecureTransport")] == 13


def test_repeated_key_is_an_error_naming_the_first_line():
    with pytest.raises(JsonSyntaxError) as info:
        loads('{"a": {"x": 1},\n "a": 2}', first_line=3)
    assert info.value.line == 4
    assert "duplicate key `a` (first written at line 3)" in str(info.value)


@pytest.mark.parametrize("text, line, message", [
    ('{\n  "a": 1,\n}', 3, "invalid JSON: expected a key in double quotes "
                          "(JSON does not allow a trailing comma)"),
    ('{"a": [1,\n 2', 2, "invalid JSON: expected `,` or `]`, found `the end of the file`"),
    ('{"a": "\\q"}', 1, "invalid JSON: invalid \\escape"),
    ("{} x", 1, "invalid JSON: unexpected text after the end of the JSON document"),
])
def test_errors_carry_the_line(text, line, message):
    with pytest.raises(JsonSyntaxError) as info:
        loads(text)
    assert (info.value.line, str(info.value)) == (line, message)
