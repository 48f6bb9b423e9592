"""The bundled example policy repository (``fixtures/``) passes as shipped.

``pytest fixtures/`` is the first command a user runs. These tests run it in a
separate process, exactly as a user would, record every test report, and check
that:

- every access test passes (no failure, no error, no collection error);
- each example file produced the number of tests its cases expand to, so a
  file that silently stops being collected, or a case that silently stops
  expanding, cannot hide;
- nothing is skipped, and the only expected-to-fail test is the documented one;
- the properties are proven (z3 is a dependency of iamtest; what a run
  without it does is tested in tests/pytest_plugin/test_properties.py).

The counts below are the cases' expansions (principal x action x resource)
written out by hand from the files; they change only when a case does.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"

#: tests per access-test file (path relative to fixtures/): cases times the
#: product of the lengths of their principal, action and resource lists.
EXPECTED_TESTS = {
    # 1 x2 + 1 + 1 + 1 + 1 x2 = 7
    "policies/endpoints/default-full-access.iamtest.yaml": 7,
    # 1 x2x2 + 1 x2 + 1 + 1 + 1 + 1 + 1 + 1 + 1 = 13
    "policies/endpoints/s3-own-buckets.iamtest.yaml": 13,
    # 1 x2x2 + 1 + 1 x2 + 1 + 1 + 1 + 1 + 1 x2 = 13
    "policies/endpoints/s3-interface-approved-roles.iamtest.yaml": 13,
    # 1 x2 + 1 + 1 + 1 + 1 + 1 = 7
    "policies/endpoints/s3-gateway-approved-roles.iamtest.yaml": 7,
    # 1 x3x2 + 1 x2 + 1 x3 + 1 + 1 + 1 = 14
    "policies/endpoints/dynamodb-orders-products.iamtest.yaml": 14,
    # 1 + 1 + 1 + 1 + 1 x2 + 1 + 1 = 8
    "policies/endpoints/s3-with-codedeploy.iamtest.yaml": 8,
    # 1 x2 + 1 + 1 x2 + 1 + 1 x2 + 1 x2 + 1 + 1 + 1 + 1 + 1 = 15
    "policies/buckets/my-company-bucket.iamtest.yaml": 15,
    # 1 x2 + 1 + 1 + 1 = 5
    "policies/buckets/my-logs-bucket.iamtest.yaml": 5,
    # 1 x2 + 1 + 1 + 1 + 1 + 1 + 1 x2 + 1 + 1 + 1 + 1 + 1 + 1 = 15
    "policies/org/prod-account.iamtest.yaml": 15,
    # five properties, one test each
    "proofs/perimeter.iamtest.yaml": 5,
}

#: The documented exceptions: (file, the start of the test's name).
EXPECTED_SKIPPED: dict = {}
EXPECTED_XFAILED = {
    ("proofs/perimeter.iamtest.yaml",
     "with the seed's role list the Lambda role can always read its configuration"): 1,
}

# A tiny pytest plugin, loaded into the child run with -p, that writes one
# JSON line per report. Reports carry the node id, the phase and the outcome;
# an expected failure is a skipped report with ``wasxfail``.
RECORDER = textwrap.dedent('''
    import json, os

    _OUT = os.environ["IAMTEST_FIXTURES_REPORT"]

    def _write(row):
        with open(_OUT, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\\n")

    def pytest_collection_modifyitems(items):
        for item in items:
            _write({"kind": "item", "nodeid": item.nodeid, "type": type(item).__name__})

    def pytest_collectreport(report):
        if report.failed:
            _write({"kind": "collect", "nodeid": report.nodeid,
                    "longrepr": str(report.longrepr)[:4000]})

    def pytest_runtest_logreport(report):
        row = {"kind": "test", "nodeid": report.nodeid, "when": report.when,
               "outcome": report.outcome, "wasxfail": hasattr(report, "wasxfail"),
               "location": report.location[0] if report.location else None}
        if report.failed:
            row["longrepr"] = str(report.longrepr)[:4000]
        _write(row)
''')


class Run:
    """The outcome of one ``pytest fixtures/`` run in a child process."""

    def __init__(self, returncode, stdout, stderr, rows):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.rows = rows

    @property
    def property_ids(self):
        """Node ids of the property tests (the plugin's ``PropertyItem``)."""
        return {r["nodeid"] for r in self.rows if r["kind"] == "item" and r["type"] == "PropertyItem"}

    @property
    def collect_errors(self):
        return [r for r in self.rows if r["kind"] == "collect"]

    def outcomes(self):
        """nodeid -> one of passed, failed, error, skipped, xfailed, xpassed."""
        result = {}
        for row in self.rows:
            if row["kind"] != "test":
                continue
            nodeid, when, outcome = row["nodeid"], row["when"], row["outcome"]
            if when == "call":
                if outcome == "skipped" and row["wasxfail"]:
                    result[nodeid] = "xfailed"
                elif outcome == "passed" and row["wasxfail"]:
                    result[nodeid] = "xpassed"
                else:
                    result[nodeid] = outcome
            elif outcome == "failed":          # setup or teardown
                result[nodeid] = "error"
            elif when == "setup" and outcome == "skipped":
                result[nodeid] = "xfailed" if row["wasxfail"] else "skipped"
        return result

    def failures(self, properties=False):
        """Failed reports of case tests (or, with ``properties``, of property tests)."""
        props = self.property_ids
        return [r for r in self.rows if r["kind"] == "test" and r["outcome"] == "failed"
                and (r["nodeid"] in props) == properties]

    def explain(self):
        bad = self.collect_errors + self.failures() + self.failures(properties=True)
        lines = [f"{r['nodeid']}: {r.get('longrepr', '')}" for r in bad]
        return "\n\n".join(lines) + f"\n--- stdout (tail) ---\n{self.stdout[-6000:]}\n{self.stderr[-3000:]}"


def fixture_file(nodeid: str) -> str:
    """The access-test file of a node id, relative to fixtures/."""
    path = nodeid.split("::", 1)[0]
    marker = "fixtures/"
    return path[path.index(marker) + len(marker):] if marker in path else path


def case_name(nodeid: str) -> str:
    return nodeid.split("::")[-1]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    workdir = tmp_path_factory.mktemp("fixtures_run")
    (workdir / "iamtest_fixtures_recorder.py").write_text(RECORDER, encoding="utf-8")
    report = workdir / "reports.jsonl"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "IAMTEST_")) and k != "PYTHONPATH"}
    env["IAMTEST_FIXTURES_REPORT"] = str(report)
    env["PYTHONPATH"] = str(workdir)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "fixtures/", "-q", "-p", "no:cacheprovider",
         "-p", "iamtest_fixtures_recorder"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    rows = []
    if report.exists():
        rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines() if line]
    return Run(proc.returncode, proc.stdout, proc.stderr, rows)


def test_every_access_test_in_the_example_repository_passes(run):
    assert not run.collect_errors, run.explain()
    assert not run.failures(), run.explain()


def test_the_example_repository_has_properties_and_access_tests(run):
    props = {fixture_file(n) for n in run.property_ids}
    assert props == {"proofs/perimeter.iamtest.yaml"}, run.explain()
    assert len(run.property_ids) == EXPECTED_TESTS["proofs/perimeter.iamtest.yaml"]


def test_with_the_prover_every_property_holds_and_the_whole_run_passes(run):
    assert not run.failures(properties=True), run.explain()
    outcomes = run.outcomes()
    proven = [n for n in run.property_ids if outcomes.get(n) == "passed"]
    assert len(proven) == 4, run.explain()
    assert run.returncode == 0, run.explain()


def test_each_example_file_runs_the_tests_its_cases_expand_to(run):
    outcomes = run.outcomes()
    ran = Counter(fixture_file(nodeid) for nodeid in outcomes)
    mine = {name: ran.get(name, 0) for name in EXPECTED_TESTS}
    assert mine == EXPECTED_TESTS, run.explain()
    assert sum(mine.values()) == 102


def test_only_the_documented_cases_are_skipped_or_expected_to_fail(run):
    outcomes = run.outcomes()

    def tally(kind):
        found = Counter()
        for nodeid, outcome in outcomes.items():
            if outcome == kind:
                found[(fixture_file(nodeid), case_name(nodeid))] += 1
        return found

    def grouped(found, expected):
        result = Counter()
        for (path, name), count in found.items():
            key = next(((p, start) for (p, start) in expected if p == path and name.startswith(start)),
                       (path, name))
            result[key] += count
        return dict(result)

    in_scope = set(EXPECTED_TESTS)
    skipped = Counter({k: v for k, v in tally("skipped").items() if k[0] in in_scope})
    xfailed = Counter({k: v for k, v in tally("xfailed").items() if k[0] in in_scope})
    assert grouped(skipped, EXPECTED_SKIPPED) == EXPECTED_SKIPPED, run.explain()
    assert grouped(xfailed, EXPECTED_XFAILED) == EXPECTED_XFAILED, run.explain()
    assert not [n for n, o in outcomes.items() if o == "xpassed"], run.explain()


def test_every_other_example_case_passed(run):
    outcomes = run.outcomes()
    props = run.property_ids
    cases = [n for n in outcomes if fixture_file(n) in EXPECTED_TESTS and n not in props]
    passed = [n for n in cases if outcomes[n] == "passed"]
    # every case test (properties are counted apart)
    expected = (sum(EXPECTED_TESTS.values()) - EXPECTED_TESTS["proofs/perimeter.iamtest.yaml"]
                - sum(EXPECTED_SKIPPED.values()))
    assert len(cases) == 97, run.explain()
    assert len(passed) == expected == 97, run.explain()


def test_the_xfail_property_fails_for_its_documented_reason():
    """Run with --runxfail: the property about the seed's role list must fail
    with a counterexample that is a request of the forgotten Lambda role,
    refused by the endpoint, not with some other error."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "IAMTEST_"))}
    name = "with the seed's role list the Lambda role can always read its configuration"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", f"fixtures/proofs/perimeter.iamtest.yaml::{name}",
         "-q", "-p", "no:cacheprovider", "--runxfail"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
    )
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "1 failed" in out, out
    assert "counterexample:" in out, out
    assert "principal: arn:aws:sts::123456789012:assumed-role/OrdersLambdaRole/" in out, out
    assert "refused by: endpoint" in out, out
