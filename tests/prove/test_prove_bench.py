"""The prover benchmark asks questions whose answers are known: it must get them right.

(Timings are reported by the benchmark command, never asserted here.)
"""
from __future__ import annotations

from iamtest.prove import bench


def test_benchmark_questions_have_their_known_answers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./fixtures: only the generated groups
    report = bench.run(quick=True)
    groups = report["groups"]
    assert set(groups) == {"typical", "large", "diff"}
    outcomes = {label: q["outcome"] for g in groups.values() for label, q in g["questions"].items()}
    assert outcomes == {
        # the seed's perimeter: the endpoint keeps data in, the bucket keeps outsiders out, the
        # seed's role list forgets the Lambda role and the fixed list lets it read its configuration
        "endpoint keeps data in our buckets": "proven",
        "bucket refuses requests from outside": "proven",
        "forgotten Lambda role never passes": "proven",
        "fixed list lets Lambda read config": "proven",
        "seed list forgets Lambda": "counterexample",
        # 50 statements over 40 wildcard bucket patterns behind an endpoint allowing only those
        "50 statements: nothing outside the 40 patterns": "proven",
        "50 statements: never delete": "proven",
        "50 statements: team-07 always readable": "counterexample",
        "50 statements: diff of one widened statement": "added",
        "endpoint widened": "added",
        "endpoint refactored": "no new access",
        "bucket opened to a partner": "added",
    }
    for group in groups.values():
        assert group["count"] == len(group["questions"]) and group["min_ms"] <= group["max_ms"]
