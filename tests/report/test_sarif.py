"""SARIF 2.1.0 (--iamtest-sarif): validated against the OASIS JSON schema (test data,
see data/README.md) and checked for what GitHub code scanning needs: a ruleId,
a message, locations relative to the repository with region.startLine, and
stable partialFingerprints."""
import json
from pathlib import Path

import jsonschema
import pytest

SCHEMA = json.loads((Path(__file__).with_name("data") / "sarif-schema-2.1.0.json").read_text())


def validate(log):
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def run_sarif(pytester, *args):
    pytester.runpytest("--iamtest-sarif=reports/iamtest.sarif", *args)
    return json.loads((pytester.path / "reports" / "iamtest.sarif").read_text())


def where(result):
    physical = result["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical.get("region", {}).get("startLine")


def test_the_schema_is_the_sarif_2_1_0_schema_and_it_rejects_a_bad_log():
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    with pytest.raises(jsonschema.ValidationError):
        validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})   # driver needs a name


def test_failing_cases_and_unexercised_statements_are_results_at_their_lines(
        pytester, example, no_actions):
    example("gate")
    log = run_sarif(pytester)
    validate(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "iamtest"
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == ["iamtest/expectation-not-met", "iamtest/test-could-not-run",
                     "iamtest/statement-not-exercised"]
    summary = [(r["ruleId"], r["level"], *where(r)) for r in run["results"]]
    assert summary == [
        ("iamtest/expectation-not-met", "error", "gate.iamtest.yaml", 5),
        ("iamtest/expectation-not-met", "error", "gate.iamtest.yaml", 17),
        ("iamtest/statement-not-exercised", "note", "policies/endpoint.json", 18),
        ("iamtest/statement-not-exercised", "note", "policies/endpoint.json", 25),
        ("iamtest/statement-not-exercised", "note", "policies/role.json", 10),
    ]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    delete = run["results"][0]
    assert delete["message"]["text"].startswith(
        "case 'deletes 100%, then: nothing': expected allow, got explicit-deny, refused by endpoint.")
    related = delete["relatedLocations"]
    assert [(r["physicalLocation"]["artifactLocation"]["uri"],
             r["physicalLocation"]["region"]["startLine"], r["message"]["text"]) for r in related] == [
        ("policies/endpoint.json", 11,
         "statement 'DenyDelete' (Deny, endpoint layer) decided this request")]
    assert run["results"][2]["message"]["text"] == (
        "statement 'AllowLegacyList' (Allow, endpoint layer) is not exercised: no access-test "
        "case's request matches it")


def test_fingerprints_are_stable_across_runs_and_distinct(pytester, example, no_actions):
    example("gate")
    first = run_sarif(pytester)["runs"][0]["results"]
    second = run_sarif(pytester)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["iamtestResult/v1"] for r in first]
    assert prints == [r["partialFingerprints"]["iamtestResult/v1"] for r in second]
    assert len(set(prints)) == len(prints)


def test_under_xdist_the_log_is_the_same(pytester, example, no_actions):
    example("gate")
    serial = run_sarif(pytester)
    parallel = run_sarif(pytester, "-n", "2")
    assert parallel == serial


def test_uris_are_relative_to_the_workspace(pytester, example, actions, monkeypatch):
    example("gate")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(pytester.path.parent))
    log = run_sarif(pytester)
    validate(log)
    assert where(log["runs"][0]["results"][0]) == (f"{pytester.path.name}/gate.iamtest.yaml", 5)


def test_a_case_that_could_not_run_and_a_broken_file(pytester, example, no_actions):
    example("gate")
    (pytester.path / "policies" / "bad.json").write_text(
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Typo",\n'
        '      "Effect": "Alow",\n      "Action": "s3:GetObject",\n      "Resource": "*"\n'
        '    }\n  ]\n}\n')
    pytester.makefile(".iamtest.yaml", rejected="""
        policies:
          identity: [policies/bad.json]
        cases:
          - name: uses a policy AWS rejects
            principal: arn:aws:iam::111122223333:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            expect: allow
    """)
    log = run_sarif(pytester, "rejected.iamtest.yaml")
    validate(log)
    (result,) = log["runs"][0]["results"]   # the rejected policy is never on a path: no coverage
    assert (result["ruleId"], *where(result)) == ("iamtest/test-could-not-run",
                                                 "rejected.iamtest.yaml", 4)
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "policies/bad.json"
    assert result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 6

    pytester.makefile(".iamtest.yaml", broken="""
        cases:
          - name: no expectation
            principal: arn:aws:iam::111122223333:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
    """)
    log = run_sarif(pytester, "broken.iamtest.yaml")
    validate(log)
    (result,) = log["runs"][0]["results"]
    assert (result["ruleId"], *where(result)) == ("iamtest/test-could-not-run",
                                                 "broken.iamtest.yaml", 2)
    assert result["message"]["text"] == ("invalid access-test file: case 1 'no expectation': "
                                         "missing required key `expect`")


def test_a_clean_fully_covered_run_writes_a_valid_log_without_results(pytester, no_actions):
    pytester.makefile(".iamtest.yaml", clean="""
        policies:
          identity:
            - Statement: [{Sid: Read, Effect: Allow, Action: "s3:GetObject", Resource: "*"}]
        cases:
          - name: reads
            principal: arn:aws:iam::111122223333:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            expect: allow
    """)
    log = run_sarif(pytester)
    validate(log)
    assert log["runs"][0]["results"] == []


def test_a_property_with_a_counterexample_is_an_unmet_expectation(pytester, no_actions):
    pytest.importorskip("z3", reason="properties need the prover (the prove extra)")
    pytester.makefile(".iamtest.yaml", prop="""
        policies:
          identity:
            - Statement: [{Sid: Write, Effect: Allow, Action: "s3:PutObject", Resource: "*"}]
        properties:
          - name: nothing is ever written
            never:
              principal: arn:aws:iam::111122223333:role/App
              action: "s3:Put*"
    """)
    log = run_sarif(pytester)
    validate(log)
    (result,) = log["runs"][0]["results"]   # a counterexample does not make coverage
    assert (result["ruleId"], *where(result)) == ("iamtest/expectation-not-met",
                                                 "prop.iamtest.yaml", 5)
    assert result["message"]["text"].startswith(
        "property 'nothing is ever written': not proven: some request in the set is allowed.")
    related = result["relatedLocations"][0]["physicalLocation"]
    assert (related["artifactLocation"]["uri"], related["region"]["startLine"]) == \
        ("prop.iamtest.yaml", 3)
