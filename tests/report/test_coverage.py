"""Policy coverage (--iamtest-coverage, -json, -fail-under) on a fixture worked out by hand.

examples/coverage.yaml lists, case by case, which statements each request
matches and which decide it (from AWS's evaluation logic: an explicit deny
decides alone; an allowed request is decided by the identity allow and the
endpoint allow it needed; an implicit deny has no deciding statement). From
that table: role.json 2 of 3 statements exercised (66.7%), endpoint.json 2 of
4 (50.0%), 4 of 7 in total (57.1%), 3 statements decided a case. The
``allow-all`` keyword is not a policy file and never counts.
"""
import json

COVERAGE_TEXT = [
    "policies/endpoint.json    2/4   exercised  50.0%  (2 decided)",
    "  :4     statement 'AllowOwnBucket' (Allow): decided 2 cases, matched 3 cases",
    "  :11    statement 'DenyDelete' (Deny): decided 1 case, matched 1 case",
    "  :18    statement 'AllowLegacyList' (Allow): NOT EXERCISED by any case",
    "  :25    statement #4 (Allow): NOT EXERCISED by any case",
    "policies/role.json        2/3   exercised  66.7%  (1 decided)",
    "  :4     statement 'S3Read' (Allow): decided 1 case, matched 2 cases",
    "  :10    statement 'S3Write' (Allow): NOT EXERCISED by any case",
    "  :16    statement 'DeleteScratch' (Allow): matched 1 case, decided none",
    "TOTAL                     4/7   exercised  57.1%  (3 decided)",
]

NOT_EXERCISED = [
    "  policies/endpoint.json:18 statement 'AllowLegacyList' (Allow)",
    "  policies/endpoint.json:25 statement #4 (Allow)",
    "  policies/role.json:10 statement 'S3Write' (Allow)",
]


def _block(lines, first):
    start = lines.index(first)
    return lines[start:start + len(COVERAGE_TEXT)]


def test_coverage_report_lists_every_statement_with_its_status_and_the_percentages(
        pytester, example, no_actions):
    example("coverage")
    result = pytester.runpytest("--iamtest-coverage", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    assert result.ret == 0
    assert _block(result.outlines, COVERAGE_TEXT[0]) == COVERAGE_TEXT
    assert "allow-all" not in "\n".join(result.outlines[result.outlines.index(COVERAGE_TEXT[0]):])


def test_coverage_is_the_same_under_xdist(pytester, example, no_actions):
    example("coverage")
    result = pytester.runpytest("--iamtest-coverage", "-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    assert _block(result.outlines, COVERAGE_TEXT[0]) == COVERAGE_TEXT


def test_coverage_json_holds_the_figures_and_each_statement(pytester, example, no_actions):
    example("coverage")
    result = pytester.runpytest("--iamtest-coverage-json=out/coverage.json")
    result.assert_outcomes(passed=4)
    data = json.loads((pytester.path / "out" / "coverage.json").read_text())
    assert data["total"] == {"statements": 7, "exercised": 4, "decided": 3, "percent": 57.1}
    files = {f["file"]: f for f in data["files"]}
    assert set(files) == {"policies/role.json", "policies/endpoint.json"}
    role = files["policies/role.json"]
    assert (role["statements"], role["exercised"], role["decided"], role["percent"]) == (3, 2, 1, 66.7)
    endpoint = files["policies/endpoint.json"]
    assert (endpoint["statements"], endpoint["exercised"], endpoint["decided"],
            endpoint["percent"]) == (4, 2, 2, 50.0)
    by_sid = {d["sid"]: d for d in role["details"] + endpoint["details"]}
    assert {sid: d["status"] for sid, d in by_sid.items()} == {
        "S3Read": "decided", "S3Write": "not exercised", "DeleteScratch": "exercised",
        "AllowOwnBucket": "decided", "DenyDelete": "decided", "AllowLegacyList": "not exercised",
        None: "not exercised"}
    assert by_sid["AllowOwnBucket"]["decided_cases"] == [
        "coverage.iamtest.yaml::reads the own bucket",
        "coverage.iamtest.yaml::the endpoint alone lets a read through"]
    assert by_sid["DeleteScratch"]["matched_cases"] == [
        "coverage.iamtest.yaml::deletes are refused by the endpoint"]
    assert by_sid["DenyDelete"]["line"] == 11 and by_sid["DenyDelete"]["layers"] == ["endpoint"]
    # Nothing printed beyond where the file went: the JSON option alone does not print the table.
    assert COVERAGE_TEXT[0] not in result.outlines


def test_fail_under_passes_at_or_below_the_measured_percentage(pytester, example, no_actions):
    example("coverage")
    result = pytester.runpytest("--iamtest-coverage-fail-under=57")
    assert result.ret == 0
    result.stdout.fnmatch_lines(["iamtest coverage 57.1% reaches the required 57%"])


def test_fail_under_fails_the_run_and_lists_what_no_case_exercised(pytester, example, no_actions):
    example("coverage")
    result = pytester.runpytest("--iamtest-coverage-fail-under=57.2")
    result.assert_outcomes(passed=4)
    assert result.ret == 1
    lines = result.outlines
    head = ("iamtest coverage 57.1% is below the required 57.2%: 3 of 7 policy statements "
            "were not exercised by any case:")
    start = lines.index(head)
    assert lines[start + 1:start + 4] == NOT_EXERCISED


def test_fail_under_also_fails_under_xdist(pytester, example, no_actions):
    example("coverage")
    result = pytester.runpytest("--iamtest-coverage-fail-under=80", "-n", "2")
    result.assert_outcomes(passed=4)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["iamtest coverage 57.1% is below the required 80%*"])


def test_fail_under_with_no_policy_on_any_path_fails_and_says_why(pytester, no_actions):
    pytester.makefile(".iamtest.yaml", only_root="""
        cases:
          - name: the root user reads without any policy
            principal: arn:aws:iam::111122223333:root
            action: s3:GetObject
            resource: arn:aws:s3:::own-bucket/a.txt
            expect: allow
    """)
    result = pytester.runpytest("--iamtest-coverage-fail-under=10")
    result.assert_outcomes(passed=1)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["iamtest coverage: no policy statement was on the request path "
                                 "of any case, so coverage cannot reach the required 10%"])


def test_failing_cases_count_too_and_a_failed_run_keeps_its_exit_status(pytester, example,
                                                                         no_actions):
    example("gate")
    result = pytester.runpytest("--iamtest-coverage-json=c.json", "--iamtest-coverage-fail-under=1")
    result.assert_outcomes(passed=1, failed=2)
    assert result.ret == 1
    data = json.loads((pytester.path / "c.json").read_text())
    details = {d["sid"]: d for f in data["files"] for d in f["details"]}
    # The failing delete case was decided by DenyDelete: a failing case is still a decision.
    assert details["DenyDelete"]["decided_cases"] == [
        "gate.iamtest.yaml::deletes 100%, then: nothing"]


def test_two_inline_policies_in_one_file_are_told_apart_by_line(pytester, no_actions):
    pytester.makefile(".iamtest.yaml", inline="""
        cases:
          - name: first inline policy
            principal: arn:aws:iam::111122223333:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            policies:
              identity:
                - Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]
            expect: allow
          - name: second inline policy
            principal: arn:aws:iam::111122223333:role/App
            action: s3:PutObject
            resource: arn:aws:s3:::b/k
            policies:
              identity:
                - Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]
            expect: deny
    """)
    result = pytester.runpytest("--iamtest-coverage")
    result.assert_outcomes(passed=2)
    # Same file, same index 0, two lines: two statements, one exercised.
    result.stdout.fnmatch_lines(["inline.iamtest.yaml  *1/2 * exercised  50.0%  (1 decided)"])


def test_collect_only_runs_no_case_and_judges_no_coverage(pytester, example, no_actions):
    example("coverage")
    result = pytester.runpytest("--collect-only", "--iamtest-coverage-fail-under=90")
    assert result.ret == 0
    assert not any("iamtest coverage" in line for line in result.outlines)
