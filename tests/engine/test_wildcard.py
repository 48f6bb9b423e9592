"""IAM wildcards: ``*`` any run (empty too), ``?`` one character, the rest literal.

Sources: IAM JSON policy elements: Condition operators (StringLike: "multi-
character match wildcards (*) and single-character match wildcards (?)
anywhere in the string"); IAM JSON policy elements: Resource; IAM policy
elements: Variables and tags ("Special characters": ${*} and ${?}).
"""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.engine.wildcard import (EscapedPattern, GlobMatcher, compile_glob, escape_literal,
                                     glob_match, literal_text, tokenize)


def test_star_matches_any_sequence_including_empty():
    assert glob_match("home/*", "home/")
    assert glob_match("home/*", "home/bob/docs")
    assert glob_match("*", "")
    assert glob_match("a*b", "ab")
    assert not glob_match("home/*", "hom")


def test_star_crosses_slash_and_colon():
    assert glob_match("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c")
    assert glob_match("a*z", "a/b:c/z")


def test_question_mark_matches_exactly_one_character():
    assert glob_match("t?.micro", "t2.micro")
    assert not glob_match("t?.micro", "t.micro")
    assert not glob_match("t?.micro", "t22.micro")
    assert glob_match("??", "/:")


def test_other_characters_are_literal():
    # characters that mean something to regular expressions mean nothing here
    assert glob_match("a.b", "a.b")
    assert not glob_match("a.b", "axb")
    assert glob_match("[ab]+(c)|^$", "[ab]+(c)|^$")
    assert not glob_match("[ab]", "a")


def test_pattern_without_wildcards_must_equal_value():
    assert glob_match("exact", "exact")
    assert not glob_match("exact", "exactly")
    assert not glob_match("exact", "inexact")


def test_matching_is_case_sensitive_by_default():
    # StringLike is documented as "case-sensitive matching"
    assert not glob_match("Home/*", "home/x")


def test_ignore_case_folds_both_sides():
    assert glob_match("S3:Get*", "s3:getobject", ignore_case=True)
    assert glob_match("s3:get?bject", "S3:GETOBJECT", ignore_case=True)


def test_backslash_is_literal_in_plain_policy_text():
    assert glob_match("a\\*b", "a\\xyzb")  # the star is still a wildcard
    assert not glob_match("a\\*b", "a*b")


def test_escaped_pattern_keeps_star_and_question_literal():
    pat = EscapedPattern("a" + escape_literal("*?") + "*")
    assert glob_match(pat, "a*?tail")
    assert not glob_match(pat, "abctail")
    assert not glob_match(pat, "a*xtail")


def test_escaped_backslash_stands_for_one_backslash():
    pat = EscapedPattern(escape_literal("a\\b"))
    assert glob_match(pat, "a\\b")
    assert literal_text(pat) == "a\\b"


def test_consecutive_stars_collapse_into_one():
    assert tokenize("a**b") == tokenize("a*b")
    assert glob_match("a***b", "ab")


def test_compile_glob_is_memoised():
    assert compile_glob("memo/*") is compile_glob("memo/*")


def test_plain_and_escaped_patterns_with_same_text_are_cached_apart():
    plain = compile_glob("x\\*")
    escaped = compile_glob(EscapedPattern("x\\*"))
    assert plain is not escaped
    assert plain("x\\anything") and not escaped("x\\anything")
    assert escaped("x*") and not plain("x*")


def test_matching_is_segment_based_one_probe_per_segment():
    # 64 stars cut the pattern into 65 fixed segments; a match probes each
    # segment at most once, whatever the length of the value.
    pattern = "*".join(["ab"] * 65)
    matcher = compile_glob(pattern)
    assert isinstance(matcher, GlobMatcher)
    assert len(matcher.segments) == 65
    value = "ab" + ("x" * 1500 + "ab") * 63 + "y" * 6000 + "ab"
    assert len(value) > 100_000
    counter = [0]
    assert matcher(value, counter)
    assert counter[0] <= len(matcher.segments) + 1


def test_sixty_four_stars_against_100kb_value_is_decided_correctly():
    pattern = "a" + "*a" * 64 + "b"
    value = "a" * 100_000  # no "b": the classic exponential case for backtracking
    assert compile_glob(pattern)(value) is False
    assert compile_glob(pattern)(value + "b") is True
    qpattern = "*?a?" * 64
    assert compile_glob(qpattern)("xa" * 50_000 + "x") is True


def _reference(pattern: str, value: str) -> bool:
    # A regular-expression translation, safe here because the inputs are tiny.
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, value, re.DOTALL) is not None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab*?:/", max_size=8), st.text(alphabet="ab:/", max_size=10))
def test_agrees_with_a_regular_expression_reference(pattern, value):
    assert glob_match(pattern, value) == _reference(pattern, value)


@pytest.mark.parametrize("pattern,value,expected", [
    ("*ab*ab", "abab", True),
    ("*ab*ab", "ababa", False),
    ("a*a", "a", False),
    ("a*a", "aa", True),
])
def test_first_and_last_segments_do_not_overlap(pattern, value, expected):
    assert glob_match(pattern, value) is expected
