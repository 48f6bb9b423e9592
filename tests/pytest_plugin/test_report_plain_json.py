"""The case result on a pytest report is plain JSON, as the JSON round trip made it.

Reports travel between processes under pytest-xdist, so ``report.iamtest_result``
must hold only JSON values. ``json_plain`` builds that without copying strings;
it must return exactly what ``json.loads(json.dumps(value, default=str))``
returns, for the values a case result holds and for anything else.
"""
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.pytest_plugin.hooks import json_plain

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=5), st.sampled_from([Decimal("1.5"), b"x", object]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(st.one_of(st.text(max_size=3), st.integers(), st.booleans(), st.none()), inner, max_size=3)),
    max_leaves=12)


@settings(max_examples=500, deadline=None)
@given(values)
def test_json_plain_returns_what_the_json_round_trip_returns(value):
    expected = json.loads(json.dumps(value, default=str))
    got = json_plain(value)
    assert got == expected
    assert json.dumps(got) == json.dumps(expected)   # same types and key order too


def test_json_plain_keeps_the_strings_it_is_given():
    source = "policies/roles/app.json"
    plain = json_plain({"deciding": [{"source": source, "index": 0}]})
    assert plain["deciding"][0]["source"] is source
