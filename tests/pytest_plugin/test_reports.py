"""What a run reports: the failure text, explanations on demand, JUnit XML,
pytest-xdist, and the results reporters read (issue: failure reports)."""
import json
import xml.etree.ElementTree as ET


def block(result, name):
    """The lines of one failure section of the terminal report."""
    lines = result.stdout.lines
    start = next(i for i, line in enumerate(lines) if line.startswith("_") and f" {name} " in line)
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith(("_", "=")) ), len(lines))
    return lines[start + 1:end]


def test_a_wrong_decision_reports_case_expectation_decision_and_explanation(pytester, example):
    example("failing")
    result = pytester.runpytest()
    result.assert_outcomes(failed=3, passed=1)
    lines = block(result, "case 'app reads the attacker bucket'")
    assert lines[:7] == [
        "case 'app reads the attacker bucket' at failing.iamtest.yaml:5",
        "expected: allow",
        "actual:   implicit-deny, refused by endpoint",
        "policies:",
        "  identity: policies/app-role.json",
        "  endpoint: policies/s3-endpoint.json (interface endpoint)",
        "",
    ]
    # then the evaluator's explanation: the decision, the request, and per layer
    # its verdict with the statement (file:line) that decided or came closest
    text = "\n".join(lines[7:])
    assert text.startswith("decision: ImplicitDeny")
    assert ("request: arn:aws:iam::123456789012:role/AppServiceRole -> s3:GetObject on "
            "arn:aws:s3:::attacker-bucket/secret.txt") in text
    assert "Allow statement 'AppUsesS3' in policies/app-role.json:4 applies" in text
    assert "closest: statement 'OnlyOurBucket' (policies/s3-endpoint.json:4): Resource" in text


def test_a_denied_by_mismatch_names_the_layers_that_did_refuse(pytester, example):
    example("failing")
    result = pytester.runpytest()
    assert block(result, "case 'blamed on the wrong layer'")[:4] == [
        "case 'blamed on the wrong layer' at failing.iamtest.yaml:11",
        "expected: deny, refused by identity",
        "actual:   implicit-deny, refused by endpoint",
        "the request is denied, but the identity layer does not refuse it on its own; "
        "the layers that do: endpoint",
    ]
    assert block(result, "case 'blamed on a layer that is not there'")[3] == (
        "the request is denied, but `boundary` is not on this case's request path "
        "(no boundary policy is named)")


def test_expanded_cases_name_their_combination(pytester, example):
    path = example("failing")
    path.write_text(path.read_text().replace(
        "action: s3:GetObject\n    resource: arn:aws:s3:::attacker-bucket/secret.txt\n    expect: allow",
        "action: [s3:GetObject, s3:PutObject]\n    resource: arn:aws:s3:::attacker-bucket/secret.txt\n"
        "    expect: allow", 1))
    result = pytester.runpytest()
    assert block(result, "case 'app reads the attacker bucket[s3:PutObject]'")[0] == \
        "case 'app reads the attacker bucket' [s3:PutObject] at failing.iamtest.yaml:5"


def test_passing_cases_stay_quiet_unless_explanations_are_asked_for(pytester, example):
    example("passing")
    quiet = pytester.runpytest()
    assert "decision: Allow" not in quiet.stdout.str()
    for args in (["--iamtest-explain"], ["-vv"]):
        result = pytester.runpytest(*args)
        result.assert_outcomes(passed=4, skipped=1, xfailed=1)
        result.stdout.fnmatch_lines([
            "*= access decisions of passing tests =*",
            "*- passing.iamtest.yaml::app reads the company bucket -*",
            "case 'app reads the company bucket' at passing.iamtest.yaml:11",
            "expected: allow",
            "actual:   allow",
            "decision: Allow*",
        ])


def test_junit_xml_has_one_testcase_per_case_with_our_text_and_properties(pytester, example):
    example("failing")
    pytester.runpytest("--junitxml=out.xml")
    root = ET.parse(pytester.path / "out.xml").getroot()
    cases = {tc.get("name"): tc for tc in root.iter("testcase")}
    assert sorted(cases) == sorted(["app reads the attacker bucket", "blamed on the wrong layer",
                                    "blamed on a layer that is not there", "passes"])
    failure = cases["app reads the attacker bucket"].find("failure")
    message = failure.get("message")
    assert message.startswith("case 'app reads the attacker bucket' at failing.iamtest.yaml:5\n"
                              "expected: allow\nactual:   implicit-deny, refused by endpoint\n")
    # pytest shortens long messages in the attribute; the element holds the whole text
    assert "closest: statement 'OnlyOurBucket'" in failure.text
    assert failure.text.startswith(message.split("\n[+")[0])
    props = {p.get("name"): p.get("value") for p in cases["passes"].iter("property")}
    assert props == {"iamtest.expect": "allow", "iamtest.decision": "allow",
                     "iamtest.deciding_layers": "identity,endpoint", "iamtest.refused_by": ""}
    props = {p.get("name"): p.get("value") for p in cases["blamed on the wrong layer"].iter("property")}
    assert props["iamtest.expect"] == "deny by identity"
    assert props["iamtest.decision"] == "implicit-deny"
    assert props["iamtest.refused_by"] == "endpoint"


def test_junit_xunit1_points_at_the_case_line(pytester, example):
    example("failing")
    pytester.runpytest("--junitxml=out.xml", "-o", "junit_family=xunit1")
    root = ET.parse(pytester.path / "out.xml").getroot()
    cases = {tc.get("name"): tc for tc in root.iter("testcase")}
    # pytest writes the 0-based line of the item's location; `passes` starts on line 25
    assert (cases["passes"].get("file"), cases["passes"].get("line")) == ("failing.iamtest.yaml", "24")


def test_works_under_xdist_with_the_same_reports(pytester, example):
    example("failing", "passing")
    pytester.makeconftest("""
        import json
        def pytest_runtest_logreport(report):
            if report.when == "call" and hasattr(report, "iamtest_result"):
                with open("results.jsonl", "a") as out:
                    out.write(json.dumps([report.nodeid, report.iamtest_result["actual"],
                                          report.iamtest_result["passed"]]) + "\\n")
    """)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "--iamtest-results")
    result.assert_outcomes(failed=3, passed=5, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines(["case 'blamed on the wrong layer' at failing.iamtest.yaml:11",
                                 "expected: deny, refused by identity"])
    rows = [json.loads(line) for line in (pytester.path / "results.jsonl").read_text().splitlines()]
    got = {nodeid: (actual, passed) for nodeid, actual, passed in rows}
    assert got["failing.iamtest.yaml::passes"] == ("allow", True)
    assert got["failing.iamtest.yaml::blamed on the wrong layer"] == ("implicit-deny", False)
    assert got["passing.iamtest.yaml::exfiltration is blocked[s3:PutObject]"] == ("implicit-deny", True)


def test_passing_cases_carry_their_result_only_when_a_reporter_reads_it(pytester, example):
    """pytest keeps every report for the whole run: a passing case's result goes on its
    report only with --iamtest-results or a report that reads it (coverage here);
    a failing case's result is always there."""
    example("failing")
    pytester.makeconftest("""
        import json
        def pytest_runtest_logreport(report):
            if report.when == "call":
                with open("carried.jsonl", "a") as out:
                    result = getattr(report, "iamtest_result", None)
                    out.write(json.dumps([report.nodeid, result and result["passed"]]) + "\\n")
    """)
    carried = pytester.path / "carried.jsonl"
    for args, passing in (((), None), (("--iamtest-results",), True),
                          (("--iamtest-coverage",), True)):
        if carried.exists():
            carried.unlink()
        pytester.runpytest_subprocess("-p", "no:cacheprovider", *args).assert_outcomes(
            failed=3, passed=1)
        got = dict(json.loads(line) for line in carried.read_text().splitlines())
        assert got["failing.iamtest.yaml::passes"] is passing, args
        assert got["failing.iamtest.yaml::blamed on the wrong layer"] is False, args


def test_results_are_kept_on_the_item_for_reporters(pytester, example):
    example("failing")
    pytester.makeconftest("""
        seen = {}
        def pytest_runtest_teardown(item):
            result = item.iamtest_result
            seen[item.name] = (result.passed, result.mismatch, result.decision.effect,
                               result.case.expect, result.request_spec.action)
        def pytest_sessionfinish(session):
            session.config._iamtest_seen = seen
    """)
    reprec = pytester.inline_run()
    seen = reprec.getcalls("pytest_sessionfinish")[0].session.config._iamtest_seen
    assert seen == {
        "app reads the attacker bucket": (False, "expect", "ImplicitDeny", "allow", "s3:GetObject"),
        "blamed on the wrong layer": (False, "denied_by", "ImplicitDeny", "deny", "s3:GetObject"),
        "blamed on a layer that is not there": (False, "denied_by", "ImplicitDeny", "deny", "s3:GetObject"),
        "passes": (True, None, "Allow", "allow", "s3:GetObject"),
    }
