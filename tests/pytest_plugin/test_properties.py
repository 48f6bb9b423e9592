"""Property items (FORMAT.md "Properties"): each property is one test that
passes only with a proof, fails with a counterexample, and errors ("the test
errors and says why") when the prover cannot decide or is missing: never a
pass without a proof."""
import sys
import types

import pytest

PROPERTY_FILE = """\
policies:
  identity: allow-all
  endpoint: policies/s3-endpoint.json
properties:
  - name: nothing is written outside our bucket
    never:
      action: "s3:Put*"
      resource: {not: "arn:aws:s3:::my-company-bucket/*"}
cases:
  - name: a case next to it
    principal: arn:aws:iam::123456789012:role/App
    action: s3:GetObject
    resource: arn:aws:s3:::my-company-bucket/x
    expect: allow
"""


@pytest.fixture
def prop_file(pytester, example):
    example("passing")
    (pytester.path / "passing.iamtest.yaml").unlink()
    (pytester.path / "props.iamtest.yaml").write_text(PROPERTY_FILE)


def test_without_the_prover_a_property_errors_with_the_install_hint(pytester, prop_file, monkeypatch):
    monkeypatch.setitem(sys.modules, "iamtest.prove", None)  # as if not installed
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([
        "property 'nothing is written outside our bucket' at props.iamtest.yaml:5",
        "properties need the prover (pip install iamtest[prove])",
    ])


class FakeProveError(Exception):
    pass


def fake_prover(monkeypatch, result):
    seen = []
    module = types.ModuleType("iamtest.prove")
    module.ProveError = FakeProveError

    def check_property(prop, policies):
        seen.append((prop, policies))
        if isinstance(result, Exception):
            raise result
        return result

    module.check_property = check_property
    monkeypatch.setitem(sys.modules, "iamtest.prove", module)
    return seen


def test_a_proven_property_passes_and_gets_its_spec_and_policy_set(pytester, prop_file, monkeypatch):
    seen = fake_prover(monkeypatch, types.SimpleNamespace(proven=True, explanation="proven"))
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)
    (prop, policies), = seen
    assert prop.kind == "never" and prop.name == "nothing is written outside our bucket"
    assert prop.request_set.resource.negated
    assert policies.endpoint is not None and len(policies.identity) == 1


def test_an_unproven_property_fails_with_the_provers_explanation(pytester, prop_file, monkeypatch):
    fake_prover(monkeypatch, types.SimpleNamespace(proven=False, explanation="counterexample: ..."))
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["property 'nothing is written outside our bucket' at props.iamtest.yaml:5",
                                 "not proven:", "counterexample: ..."])


def test_a_result_that_does_not_say_proven_never_passes(pytester, prop_file, monkeypatch):
    fake_prover(monkeypatch, object())
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)


def test_a_property_the_prover_cannot_decide_is_an_error_that_says_why(pytester, prop_file, monkeypatch):
    fake_prover(monkeypatch, FakeProveError("the solver gave no answer within 10000 ms"))
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["property 'nothing is written outside our bucket' at props.iamtest.yaml:5",
                                 "not decided: the solver gave no answer within 10000 ms"])
    result.stdout.no_fnmatch_line("*Traceback*")
