"""The Markdown job summary appended to $GITHUB_STEP_SUMMARY: totals, a table per
access-test file, each failure with its explanation; kept under GitHub's 1 MiB
per-step limit."""
from types import SimpleNamespace

from iamtest.report.records import RunRecords
from iamtest.report.summary import cell, fenced, render

GATE_HEAD = [
    "## iamtest: access tests",
    "",
    "**Failed.** 3 access tests: 2 failed, 1 passed",
    "",
    "#### `gate.iamtest.yaml`: 1 of 3 without failure",
    "",
    "| case | line | expected | actual | result |",
    "|---|---:|---|---|---|",
    "| deletes 100%, then: nothing | 5 | allow | explicit-deny, refused by endpoint | **failed** |",
    "| reads the own bucket | 11 | allow | allow | passed |",
    "| blames the identity layer | 17 | deny, refused by identity | implicit-deny, refused by "
    "endpoint | **failed** |",
    "",
    "### Failures",
    "",
    "#### deletes 100%, then: nothing (`gate.iamtest.yaml:5`)",
    "",
    "expected allow, got explicit-deny, refused by endpoint. explicitly denied by Deny statement "
    "'DenyDelete' in policies/endpoint.json:11 (endpoint layer). Request: "
    "arn:aws:iam::111122223333:role/App s3:DeleteObject on arn:aws:s3:::own-bucket/100%.txt.",
    "",
    "<details><summary>full explanation</summary>",
    "",
    "```text",
    "case 'deletes 100%, then: nothing' at gate.iamtest.yaml:5",
]


def test_summary_is_appended_with_totals_tables_and_failures(pytester, example, actions):
    example("gate")
    actions.write_text("an earlier step's line without a newline")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=2)
    lines = actions.read_text().splitlines()
    assert lines[0] == "an earlier step's line without a newline"
    assert lines[1] == ""
    assert lines[2:2 + len(GATE_HEAD)] == GATE_HEAD
    text = "\n".join(lines)
    # The second failure, with the full explanation pytest shows, closed fence and details.
    assert "#### blames the identity layer (`gate.iamtest.yaml:17`)" in text
    assert "the request is denied, but the identity layer does not refuse it on its own; " \
           "the layers that do: endpoint" in text
    assert text.count("<details>") == 2 and text.count("</details>") == 2
    assert text.count("```text") == 2 and text.count("\n```\n") == 2
    assert "Policy coverage" not in text   # only with a coverage option


def test_summary_has_the_coverage_table_when_coverage_is_asked_for(pytester, example, actions):
    example("coverage")
    result = pytester.runpytest("--iamtest-coverage")
    result.assert_outcomes(passed=4)
    text = actions.read_text()
    assert "**Passed.** 4 access tests: 4 passed" in text
    assert "### Failures" not in text
    assert "\n".join([
        "| policy file | exercised | decided | % |",
        "|---|---:|---:|---:|",
        "| `policies/endpoint.json` | 2/4 | 2 | 50.0% |",
        "| `policies/role.json` | 2/3 | 1 | 66.7% |",
        "",
        "Not exercised by any case:",
        "",
        "- `policies/endpoint.json:18` statement 'AllowLegacyList' (Allow)",
        "- `policies/endpoint.json:25` statement #4 (Allow)",
        "- `policies/role.json:10` statement 'S3Write' (Allow)",
    ]) in text


def test_summary_says_when_coverage_is_below_the_threshold(pytester, example, actions):
    example("coverage")
    result = pytester.runpytest("--iamtest-coverage-fail-under=90")
    assert result.ret == 1
    assert ("**iamtest coverage 57.1% is below the required 90%: 3 of 7 policy statements were "
            "not exercised by any case:**") in actions.read_text()


def test_skipped_and_expected_failures_show_their_expectation(pytester, actions):
    pytester.makefile(".iamtest.yaml", marks="""
        cases:
          - name: later
            principal: arn:aws:iam::111122223333:root
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            expect: deny
            skip: not decided yet
    """)
    result = pytester.runpytest()
    result.assert_outcomes(skipped=1)
    assert "| later | 2 | deny |  | skipped |" in actions.read_text()


# -- the pieces -----------------------------------------------------------------------------


def test_cells_cannot_break_the_table_or_inject_html():
    assert cell("a | b\nc <script>") == "a \\| b c &lt;script&gt;"


def test_a_fence_is_longer_than_any_backtick_run_inside():
    assert fenced("plain") == "```text\nplain\n```"
    assert fenced("has ```` four") == "`````text\nhas ```` four\n`````"


def _report(nodeid, line, outcome="failed", text="x" * 2000):
    return SimpleNamespace(
        nodeid=nodeid, when="call", passed=outcome == "passed", failed=outcome == "failed",
        skipped=False, longreprtext=text if outcome == "failed" else "", longrepr=None,
        iamtest_item={"kind": "case", "file": "big.iamtest.yaml", "line": line,
                      "case": nodeid, "id": nodeid, "expect": "allow"})


def test_a_summary_past_the_budget_drops_passing_rows_then_cuts_explanations():
    records = RunRecords()
    for n in range(1000):
        records.add_test_report(_report(f"pass {n:04d}", n + 1, "passed"))
    for n in range(40):
        records.add_test_report(_report(f"fail {n:02d}", 1000 + n))
    text = render(records, budget=40_000)
    assert len(text.encode()) <= 40_000
    assert "| pass 0000 |" not in text
    assert "1000 passing, skipped or expected-to-fail rows left out" in text
    assert all(f"| fail {n:02d} |" in text for n in range(40))   # every failure keeps its row
    shown = text.count("#### fail ")
    assert 0 < shown < 40
    assert f"{40 - shown} more failures are not shown here" in text


def test_a_small_summary_keeps_everything():
    records = RunRecords()
    records.add_test_report(_report("pass", 1, "passed"))
    records.add_test_report(_report("fail", 2, text="why"))
    text = render(records)
    assert "| pass | 1 | allow |  | passed |" in text and "#### fail" in text
    assert "not shown here" not in text and "left out" not in text
