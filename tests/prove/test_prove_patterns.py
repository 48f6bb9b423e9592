"""The flat-pattern translations accept exactly what the engine's matchers accept,
and the atoms of a set of patterns cover every string.

Patterns and values are drawn over a small alphabet that holds every character
the matchers treat specially (``*``, ``?``, ``:``, ``/``), so the comparisons
reach the segment rules of Resource and the component rules of ArnLike.
"""
from __future__ import annotations

import itertools

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

from iamtest.engine.arn import arn_like, resource_matches  # noqa: E402
from iamtest.engine.wildcard import glob_match  # noqa: E402
from iamtest.prove import automata  # noqa: E402
from iamtest.prove.patterns import Patterns, alphabet_of  # noqa: E402

PATS = Patterns(alphabet_of([]))
VALUE_CHARS = "ab:/"
patterns = st.text(alphabet="ab:/*?", min_size=0, max_size=9)
values = st.text(alphabet=VALUE_CHARS, min_size=0, max_size=9)
arn_patterns = st.lists(st.text(alphabet="ab/*?", max_size=3), min_size=6, max_size=7).map(":".join)
arn_values = st.lists(st.text(alphabet="ab/", max_size=3), min_size=6, max_size=7).map(":".join)


@settings(max_examples=400, deadline=None)
@given(patterns, values)
def test_glob_is_the_engines_wildcard_match(pattern, value):
    assert automata.matches(PATS.glob(pattern), value) == glob_match(pattern, value)


@settings(max_examples=400, deadline=None)
@given(patterns, values)
def test_glob_ignoring_case_is_the_engines_action_match(pattern, value):
    upper = pattern.upper()
    assert automata.matches(PATS.glob(upper, ignore_case=True), value.lower()) == \
        glob_match(upper, value, ignore_case=True)


@settings(max_examples=600, deadline=None)
@given(st.one_of(patterns, arn_patterns), st.one_of(values, arn_values))
def test_resource_is_the_engines_segment_rule(pattern, value):
    if pattern == "*":
        return  # the engine's shortcut, handled before translation
    assert automata.matches(PATS.resource(pattern), value) == resource_matches(pattern, value)


@settings(max_examples=600, deadline=None)
@given(st.one_of(patterns, arn_patterns), st.one_of(values, arn_values))
def test_arn_is_the_engines_arn_like(pattern, value):
    assert automata.matches(PATS.arn(pattern), value) == arn_like(pattern, value)


def test_bool_and_case_insensitive_equality():
    assert automata.matches(PATS.bool_word("true"), "  TrUe ")
    assert not automata.matches(PATS.bool_word("true"), "truee")
    assert automata.matches(PATS.lower_preimage("vpce-1"), "VPCE-1")
    assert not automata.matches(PATS.lower_preimage("vpce-1"), "vpce-2")


@settings(max_examples=150, deadline=None)
@given(st.lists(patterns, min_size=1, max_size=4), st.booleans())
def test_atoms_cover_every_string(pattern_texts, two):
    # Every string up to length 5 over the alphabet has the signature of some witness.
    alphabet = frozenset(VALUE_CHARS)
    pats = Patterns(alphabet)
    flats = [pats.glob(p) for p in pattern_texts]
    domain = [(("*", alphabet),)]
    table = automata.atom_table(flats, [domain], alphabet, two=two)
    witness_sigs = set()
    for k, w in enumerate(table.witnesses):
        sig = tuple(k in hits for hits in table.hits)
        assert sig == tuple(automata.matches(f, w) for f in flats)  # the table says the truth
        witness_sigs.add(sig)
    for n in range(6):
        for chars in itertools.product(VALUE_CHARS, repeat=n):
            text = "".join(chars)
            assert tuple(automata.matches(f, text) for f in flats) in witness_sigs, text


def test_two_witnesses_where_an_atom_has_two_strings():
    digits = frozenset("0123456789")
    account = tuple(("1", digits) for _ in range(12))
    table = automata.atom_table([automata.lit("123456789012")], [[account]], frozenset(digits), two=True)
    others = [w for k, w in enumerate(table.witnesses) if k not in table.hits[0]]
    assert len(others) == 2 and len(set(others)) == 2
    assert [w for k, w in enumerate(table.witnesses) if k in table.hits[0]] == ["123456789012"]
