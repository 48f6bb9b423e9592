"""The wildcard shortcuts answer what the general matcher answers.

``compile_matcher`` turns a pattern without wildcards into an equality test,
``prefix*`` into a prefix test and ``*suffix`` into a suffix test; the IAM
wildcard rule itself (``*`` any run of characters, ``?`` exactly one,
case-sensitive; escaped ``\\*``/``\\?`` literal after variable substitution) is
pinned by test_wildcard.py against ``glob_match``. Here the shortcuts are held
to ``glob_match`` over generated patterns and values.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.engine.wildcard import EscapedPattern, compile_matcher, glob_match

PIECES = ["a", "b", "ab", "*", "?", ":", "/", "\\", "\\*", "A"]
patterns = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
values = st.lists(st.sampled_from(["a", "b", ":", "/", "*", "?", "\\", "A"]), max_size=7).map("".join)


@settings(max_examples=1500, deadline=None)
@given(patterns, values, st.booleans())
def test_compile_matcher_agrees_with_glob_match(pattern, value, escaped):
    if escaped:
        pattern = EscapedPattern(pattern)
    assert compile_matcher(pattern)(value) == glob_match(pattern, value)


def test_the_shortcut_shapes_behave_as_wildcards_do():
    assert compile_matcher("s3:get*")("s3:getobject")
    assert not compile_matcher("s3:get*")("s3:putobject")
    assert compile_matcher("*object")("s3:getobject")
    assert not compile_matcher("*object")("s3:getobjects")
    assert compile_matcher("*")("")
    assert compile_matcher("abc")("abc") and not compile_matcher("abc")("abcd")
    assert compile_matcher(EscapedPattern("a\\*"))("a*") and not compile_matcher(EscapedPattern("a\\*"))("ab")
