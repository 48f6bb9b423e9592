"""The case result on a pytest report is plain JSON, as the JSON round trip made it.

Reports travel between processes under pytest-xdist, so ``report.iamtest_result``
must hold only JSON values. ``json_plain`` builds that without copying strings
and, with a ``Shared`` table, with one dict for equal leaf dicts across reports;
it must return exactly what ``json.loads(json.dumps(value, default=str))``
returns, for the values a case result holds and for anything else.
"""
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.pytest_plugin.plain import Shared, json_plain

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=5), st.sampled_from([Decimal("1.5"), b"x", object]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(st.one_of(st.text(max_size=3), st.integers(), st.booleans(), st.none()), inner, max_size=3)),
    max_leaves=12)


@settings(max_examples=500, deadline=None)
@given(st.lists(values, min_size=1, max_size=4))
def test_json_plain_returns_what_the_json_round_trip_returns(batch):
    shared = Shared()
    for value in batch:
        expected = json.loads(json.dumps(value, default=str))
        for got in (json_plain(value), json_plain(value, shared)):
            assert got == expected
            assert json.dumps(got) == json.dumps(expected)   # same types and key order too


def test_json_plain_keeps_the_strings_it_is_given():
    source = "policies/roles/app.json"
    plain = json_plain({"deciding": [{"source": source, "index": 0}]})
    assert plain["deciding"][0]["source"] is source


def test_equal_leaf_dicts_of_different_reports_are_one_object():
    shared = Shared()
    ref = {"layer": "identity", "source": "a.json", "index": 0, "line": 4}
    first = json_plain({"case": "one", "deciding": [dict(ref)], "layers": [{"allows": [dict(ref)]}]}, shared)
    second = json_plain({"case": "two", "deciding": [dict(ref)], "layers": [{"allows": [dict(ref)]}]}, shared)
    assert first["deciding"][0] is second["deciding"][0] is first["layers"][0]["allows"][0]
    assert first["layers"][0] is second["layers"][0]   # a dict of shared dicts is shared too
    assert first is not second                          # a dict holding a dict is not a leaf


def test_values_json_tells_apart_are_never_shared():
    shared = Shared()
    pairs = [({"v": True}, {"v": 1}), ({"v": 0.0}, {"v": -0.0}), ({"v": 1}, {"v": 1.0})]
    for a, b in pairs:
        pa, pb = json_plain(a, shared), json_plain(b, shared)
        assert pa is not pb and json.dumps(pa) == json.dumps(a) and json.dumps(pb) == json.dumps(b)


def _fixture_results():
    """Every case request of the bundled example repository, decided."""
    from pathlib import Path

    from iamtest.spec import PolicyLoader, SourceError, load_spec_file, run_case

    root = Path(__file__).resolve().parents[2] / "fixtures"
    loader = PolicyLoader()
    results = []
    for path in sorted(root.rglob("*.iamtest.yaml")):
        for case in load_spec_file(path).cases:
            for request in case.expand():
                try:
                    results.append(run_case(request, loader))
                except SourceError:
                    pass   # a case that fails on purpose with a policy error: no result
    return results


def test_a_case_result_on_a_report_is_its_json_round_trip():
    """The converter that reuses what earlier cases converted gives each case exactly
    ``json.loads(json.dumps(result.to_dict()))``, whatever came before it, and its
    recurring parts are one object across reports."""
    from iamtest.pytest_plugin.plain import case_result_plain

    results = _fixture_results()
    assert len(results) > 100
    shared = Shared()
    plains = []
    for _round in range(2):   # the second round meets only values converted before
        for result in results:
            expected = json.loads(json.dumps(result.to_dict(), default=str))
            got = case_result_plain(result, shared)
            assert json.dumps(got) == json.dumps(expected)
            plains.append(got)
    first, again = plains[0], plains[len(results)]
    assert first is not again and first["decision"] is not again["decision"]
    assert first["decision"]["layers"][0] is again["decision"]["layers"][0]
    assert first["decision"]["request"]["context"] is again["decision"]["request"]["context"]
