"""Regression tests for crashes found by the bad-input corpus and the fuzzers.

Each test names the input that used to escape as a Python exception (a bare
traceback in pytest, a stack dump from the CLI) and pins the error that now
takes its place: our own error type, with the file and the line.
"""
import pytest

from iamtest.spec import SourceError, load_json


@pytest.mark.parametrize("text, line, message", [
    # int() refuses more than sys.get_int_max_str_digits() digits (4300 by default)
    ('{"Id":\n' + "1" * 5000 + "}", 2,
     "invalid JSON: the number `11111111111111111...` has too many digits (5000)"),
    # float() turns this into inf without a word
    ('{"Statement": [\n  1e400]}', 2, "invalid JSON: the number `1e400` is too large"),
    ('[-2E+999]', 1, "invalid JSON: the number `-2E+999` is too large"),
])
def test_json_numbers_python_cannot_hold_are_errors_with_the_line(text, line, message):
    with pytest.raises(SourceError) as info:
        load_json(text, "p.json")
    assert (info.value.source, info.value.line, info.value.message) == ("p.json", line, message)
