"""The benchmark's generated data: deterministic, valid, and with the right expectations.

The benchmark is only meaningful if what it times is what a real run does:
policies IAM would accept, requests the AWS catalog knows, access-test files
that follow the format, and cases that pass. Each request's expectation is
known by construction (iamtest.bench.data); here the evaluator's decision is
held to it for all three policy shapes, and a small generated repository is
run by pytest. No timing is asserted anywhere.
"""
import ast
import json
from collections import Counter

import pytest

from iamtest import parse_policy
from iamtest.bench import data, evaluator
from iamtest.bench.repo import RepoShape, floor_text, spec_text, write_access_repo, write_floor_repo
from iamtest.spec import load_spec_file


def test_the_same_arguments_give_the_same_policies_and_requests():
    assert json.dumps(data.identity_policy(7)) == json.dumps(data.identity_policy(7))
    assert data.requests_for(5, 60) == data.requests_for(5, 60)
    assert data.identity_policy(7) != data.identity_policy(8)


def test_writing_a_repo_twice_gives_the_same_bytes(tmp_path):
    shape = RepoShape(cases=120, policy_files=8, test_files=4)
    first = write_access_repo(tmp_path / "a", shape)
    second = write_access_repo(tmp_path / "b", shape)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(first) == len(second) == 4
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_every_generated_policy_is_one_iam_accepts_for_its_kind():
    for k in range(3):
        policy = parse_policy(data.identity_policy(k), kind="identity")
        assert len(policy.statements) == data.STATEMENTS
    parse_policy(data.bucket_policy(), kind="resource")
    parse_policy(data.endpoint_policy(), kind="endpoint")
    parse_policy(data.scp_policy(), kind="scp")


def test_every_twenty_requests_hold_twelve_allows_five_implicit_and_three_explicit_denies():
    for services in (None, ("s3",)):
        counts = Counter(r.expect for r in data.requests_for(3, 20, services=services, first=40))
        assert counts == {data.ALLOW: 12, data.IMPLICIT: 5, data.EXPLICIT: 3}


@pytest.mark.parametrize("build", [evaluator.single_workload, evaluator.four_layer_workload,
                                   evaluator.large_workload])
def test_the_evaluator_decides_what_the_generator_expects(build):
    # Allowed: exactly one Allow statement names the resource and its conditions
    # hold; implicitly denied: no statement names the resource or action, or its
    # condition fails; explicitly denied: a Deny statement matches.
    workload = build(count=120)
    assert evaluator.check(workload) == []
    assert {g.kind for g in workload.generated} >= {"allow", "unnamed-resource", "unnamed-action", "no-tls"}


def test_four_layer_requests_are_s3_requests_through_every_layer():
    workload = evaluator.four_layer_workload(count=40)
    assert {g.service for g in workload.generated} == {"s3"}
    assert workload.policies.named() == ("identity", "resource", "endpoint", "scp")


def test_the_aws_catalog_finds_nothing_to_report_in_the_generated_data():
    # The plugin runs the catalog checks on every case; the benchmark measures
    # the ordinary path, where they find nothing.
    from iamtest.catalog.checks import check_case, check_policy

    for k in range(2):
        assert check_policy(parse_policy(data.identity_policy(k), kind="identity"), "identity") == []
    assert check_policy(parse_policy(data.bucket_policy(), kind="resource"), "resource") == []
    assert check_policy(parse_policy(data.endpoint_policy(), kind="endpoint"), "endpoint") == []
    for g in data.requests_for(2, 40):
        assert check_case(g.action, g.resource, None) == [], (g.action, g.resource)


def test_repo_shape_spreads_the_cases_over_the_files():
    shape = RepoShape(cases=1003, policy_files=10, test_files=7)
    sizes = [shape.cases_in(f) for f in range(7)]
    assert sum(sizes) == 1003 and max(sizes) - min(sizes) <= 1
    assert [shape.first_case(f) for f in range(7)] == [sum(sizes[:f]) for f in range(7)]
    assert shape.roles == 7   # ten policy files: seven roles and the three guardrails


def test_access_test_files_follow_the_format_and_floor_files_hold_as_many_tests(tmp_path):
    shape = RepoShape(cases=90, policy_files=6, test_files=3)
    specs = write_access_repo(tmp_path / "access", shape)
    floors = write_floor_repo(tmp_path / "floor", shape)
    assert len(list((tmp_path / "access" / "policies").rglob("*.json"))) == 6
    for f, (spec_path, floor_path) in enumerate(zip(specs, floors)):
        spec = load_spec_file(spec_path)
        assert [len(c.expand()) for c in spec.cases] == [1] * shape.cases_in(f)
        tree = ast.parse(floor_path.read_text())
        assert len([n for n in tree.body if isinstance(n, ast.FunctionDef)]) == shape.cases_in(f)
        assert spec_path.parent.relative_to(tmp_path / "access") == floor_path.parent.relative_to(tmp_path / "floor")
        assert spec_text(shape, f) == spec_path.read_text()
        assert floor_text(shape, f) == floor_path.read_text()


def test_a_generated_repo_passes_under_pytest(pytester):
    shape = RepoShape(cases=60, policy_files=5, test_files=3)
    write_access_repo(pytester.path, shape)
    result = pytester.runpytest("-p", "no:cacheprovider", "tests")
    result.assert_outcomes(passed=60)


def test_the_wrapper_reports_the_outcome_of_a_child_pytest_run(tmp_path):
    from iamtest.bench.plugin_run import run_once

    shape = RepoShape(cases=12, policy_files=4, test_files=2)
    write_access_repo(tmp_path / "access", shape)
    write_floor_repo(tmp_path / "floor", shape)
    access = run_once(tmp_path / "access", [], floor=False)
    floor = run_once(tmp_path / "floor", [], floor=True)
    collected = run_once(tmp_path / "access", ["--collect-only"], floor=False)
    assert (access.rc, access.counts.get("passed")) == (0, 12)
    assert (floor.rc, floor.counts.get("passed")) == (0, 12)
    assert collected.counts.get("collected") == 12
    assert access.maxrss_kb > 0 and floor.maxrss_kb > 0
