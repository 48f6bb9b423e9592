"""GitHub Actions output under a simulated Actions step (GITHUB_ACTIONS=true, a workspace,
a step summary file).

What GitHub documents for workflow commands: ``::error file=F,line=L,title=T::MESSAGE``
annotates line L of F (a path relative to the repository); the message is
escaped ``%`` -> ``%25``, CR -> ``%0D``, LF -> ``%0A``, and property values
additionally ``:`` -> ``%3A``, ``,`` -> ``%2C``. A step shows at most 10
annotations of each kind, so iamtest prints 9 and a 10th saying how many more.
"""
import shutil

import pytest

from iamtest.report.github import command, escape_data, escape_property


def workflow_commands(result):
    """The lines of a pytester run that are workflow commands."""
    return [line for line in result.outlines if line.startswith("::")]


DELETE_ERROR = (
    "::error file={prefix}gate.iamtest.yaml,line=5,title=deletes 100%25%2C then%3A nothing::"
    "expected allow, got explicit-deny, refused by endpoint. explicitly denied by Deny statement "
    "'DenyDelete' in policies/endpoint.json:11 (endpoint layer). Request: "
    "arn:aws:iam::111122223333:role/App s3:DeleteObject on arn:aws:s3:::own-bucket/100%25.txt.")
BLAME_ERROR = (
    "::error file={prefix}gate.iamtest.yaml,line=17,title=blames the identity layer::"
    "expected deny, refused by identity; the request is implicit-deny, but the identity layer "
    "does not refuse it on its own; the layers that do: endpoint. implicitly denied: no "
    "statement in the endpoint layer allows it. Request: arn:aws:iam::111122223333:role/App "
    "s3:GetObject on arn:aws:s3:::other-bucket/a.txt.")
DENY_NOTICE = (
    "::notice file={prefix}policies/endpoint.json,line=11,title=statement 'DenyDelete' decided "
    "a failing access test::statement 'DenyDelete' (Deny, endpoint layer) decided the failing "
    "access test: 'deletes 100%25, then: nothing'.")


def gate_commands(prefix=""):
    return [line.format(prefix=prefix) for line in (DELETE_ERROR, BLAME_ERROR, DENY_NOTICE)]


# -- escaping, as GitHub documents it ----------------------------------------------


def test_message_escapes_percent_first_then_carriage_return_and_newline():
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"
    assert escape_data("%0A is text") == "%250A is text"


def test_property_values_also_escape_colon_and_comma():
    assert escape_property("a: b, 100%\n") == "a%3A b%2C 100%25%0A"


def test_command_without_a_file_has_no_location_properties():
    assert command("error", "two\nlines") == "::error::two%0Alines"
    assert command("notice", "m", title="t:1") == "::notice title=t%3A1::m"
    assert command("error", "m", file="a,b.yaml", line=3, title="x") == \
        "::error file=a%2Cb.yaml,line=3,title=x::m"


# -- a run under a simulated Actions step --------------------------------------------


def test_each_failure_is_annotated_at_its_case_and_the_deciding_statement_at_its_line(
        pytester, example, actions):
    example("gate")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    assert workflow_commands(result) == gate_commands()


def test_paths_are_relative_to_the_workspace(pytester, example, actions, monkeypatch):
    example("gate")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(pytester.path.parent))
    result = pytester.runpytest()
    assert workflow_commands(result) == gate_commands(prefix=pytester.path.name + "/")


def test_paths_stay_relative_to_the_workspace_when_pytest_runs_in_a_subfolder(
        pytester, example, actions, monkeypatch):
    example("gate")
    sub = pytester.path / "access"
    sub.mkdir()
    shutil.move(str(pytester.path / "gate.iamtest.yaml"), sub / "gate.iamtest.yaml")
    shutil.move(str(pytester.path / "policies"), sub / "policies")
    monkeypatch.chdir(sub)
    result = pytester.runpytest(str(sub))
    assert workflow_commands(result) == gate_commands(prefix="access/")


def test_without_a_workspace_paths_are_relative_to_the_rootdir(pytester, example, actions,
                                                               monkeypatch):
    example("gate")
    monkeypatch.delenv("GITHUB_WORKSPACE")
    result = pytester.runpytest()
    assert workflow_commands(result) == gate_commands()


def test_outside_actions_nothing_is_printed_or_written(pytester, example, no_actions, tmp_path):
    example("gate")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=2)
    assert workflow_commands(result) == []


def test_off_silences_it_on_actions_and_on_forces_it_elsewhere(pytester, example, actions,
                                                               monkeypatch):
    example("gate")
    result = pytester.runpytest("--iamtest-github=off")
    assert workflow_commands(result) == []
    assert actions.read_text() == ""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name)
    result = pytester.runpytest("--iamtest-github=on")
    assert workflow_commands(result) == gate_commands()
    assert actions.read_text() == ""   # no summary file named: none written


def test_under_xdist_the_controller_prints_the_same_lines_once(pytester, example, actions):
    example("gate")
    serial = pytester.runpytest()
    serial_summary = actions.read_text()
    actions.write_text("")
    parallel = pytester.runpytest("-n", "2")
    parallel.assert_outcomes(passed=1, failed=2)
    assert workflow_commands(parallel) == workflow_commands(serial) == gate_commands()
    assert actions.read_text() == serial_summary


def test_a_file_that_breaks_the_format_is_annotated_at_the_offending_line(pytester, actions):
    pytester.makefile(".iamtest.yaml", broken="""
        cases:
          - name: no expectation
            principal: arn:aws:iam::111122223333:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
    """)
    result = pytester.runpytest()
    assert workflow_commands(result) == [
        "::error file=broken.iamtest.yaml,line=2,title=invalid access-test file::"
        "case 1 'no expectation': missing required key `expect`"]


def test_a_case_stopped_by_a_rejected_policy_points_at_the_policy_line(pytester, example, actions):
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
    result = pytester.runpytest("rejected.iamtest.yaml")
    result.assert_outcomes(failed=1)
    reason = "statement 'Typo': `Effect` must be \"Allow\" or \"Deny\"; got 'Alow'"
    assert workflow_commands(result) == [
        "::error file=rejected.iamtest.yaml,line=4,title=uses a policy AWS rejects::"
        f"the case could not run: {reason} (policies/bad.json:6)",
        "::notice file=policies/bad.json,line=6,title=policy or request that cannot be used::"
        f"this stopped 'uses a policy AWS rejects': {reason}"]


# -- the per-step cap -------------------------------------------------------------------

ACTIONS = ["GetObject", "PutObject", "DeleteObject", "ListBucket", "GetObjectAcl", "PutObjectAcl",
           "GetBucketPolicy", "PutBucketPolicy", "GetObjectTagging", "PutObjectTagging",
           "DeleteObjectTagging", "GetBucketLocation"]


def _twelve_denied_cases(pytester):
    """12 failing cases, each explicitly denied by its own statement of one inline policy."""
    statements = "\n".join(
        f"          - {{Sid: Deny{name}, Effect: Deny, Action: \"s3:{name}\", Resource: \"*\"}}"
        for name in ACTIONS)
    cases = "\n".join(
        f"  - name: case {i:02d} {name}\n"
        f"    principal: arn:aws:iam::111122223333:role/App\n"
        f"    action: s3:{name}\n"
        f"    resource: \"*\"\n"
        f"    expect: allow\n"
        for i, name in enumerate(ACTIONS, 1))
    text = ("policies:\n  identity:\n    - allow-all\n    - Statement:\n" + statements +
            "\ncases:\n" + cases)
    (pytester.path / "many.iamtest.yaml").write_text(text)


def test_more_than_ten_failures_keep_nine_and_say_how_many_were_left_out(pytester, actions):
    _twelve_denied_cases(pytester)
    result = pytester.runpytest()
    result.assert_outcomes(failed=12)
    lines = workflow_commands(result)
    errors = [line for line in lines if line.startswith("::error")]
    notices = [line for line in lines if line.startswith("::notice")]
    assert len(errors) == 10 and len(notices) == 10
    assert [e.split(",title=")[1].split("::")[0] for e in errors[:9]] == [
        f"case {i:02d} {name}" for i, name in enumerate(ACTIONS[:9], 1)]
    assert errors[9] == ("::error title=iamtest%3A 3 more failing access tests::3 more failing "
                         "access tests are not annotated: GitHub shows 10 error annotations per "
                         "step. Every one is in the job summary and the log.")
    assert notices[9] == ("::notice title=iamtest%3A 3 more deciding statements::3 more deciding "
                          "statements are not annotated: GitHub shows 10 notice annotations per "
                          "step. Every one is in the job summary and the log.")
    assert "statement 'DenyGetObject' (Deny, identity layer) decided the failing access test: " \
           "'case 01 GetObject'." in notices[0]
    assert ("iamtest: 3 failing access tests were not annotated (GitHub shows 10 error "
            "annotations per step); see the job summary") in result.outlines
    summary = actions.read_text()
    assert all(f"case {i:02d} {name}" in summary for i, name in enumerate(ACTIONS, 1))


def test_exactly_ten_failures_are_all_annotated(pytester, actions):
    _twelve_denied_cases(pytester)
    result = pytester.runpytest("-k", "not DeleteObjectTagging and not GetBucketLocation")
    result.assert_outcomes(failed=10, deselected=2)
    errors = [line for line in workflow_commands(result) if line.startswith("::error")]
    assert len(errors) == 10 and all("more failing" not in e for e in errors)


# -- properties ---------------------------------------------------------------------------


def test_a_failing_property_is_annotated_with_its_counterexample(pytester, actions):
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
    result = pytester.runpytest("--iamtest-coverage")
    result.assert_outcomes(failed=1)
    error, notice = workflow_commands(result)
    assert error.startswith(
        "::error file=prop.iamtest.yaml,line=5,title=nothing is ever written::not proven: some "
        "request in the set is allowed. Counterexample: arn:aws:iam::111122223333:role/App "
        "s3:PutObject on ")
    assert error.endswith(" is allowed. allowed: granted by identity; no explicit deny and every "
                          "guardrail on the path allows.")
    assert notice == (
        "::notice file=prop.iamtest.yaml,line=3,title=statement 'Write' decided a failing access "
        "test::statement 'Write' (Allow, identity layer) decided the failing access test: "
        "'nothing is ever written'.")
    # A counterexample is not a case: it does not count as coverage.
    assert "no policy statement was on the request path of any case" in result.outlines
    assert "| nothing is ever written | 5 | never | failed | **failed** |" in actions.read_text()


def test_a_statement_read_from_terraform_is_annotated_in_the_tf_file(pytester, actions):
    (pytester.path / "infra").mkdir()
    (pytester.path / "infra" / "main.tf").write_text(
        'resource "aws_vpc_endpoint" "s3" {\n'
        '  policy = jsonencode({\n'
        '    Version = "2012-10-17"\n'
        '    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", '
        'Resource = "*" }]\n'
        '  })\n'
        '}\n')
    pytester.makefile(".iamtest.yaml", tf="""
        policies:
          identity: allow-all
          endpoint: {terraform: infra, address: aws_vpc_endpoint.s3}
        cases:
          - name: reads through the endpoint
            principal: arn:aws:iam::111122223333:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            expect: deny
    """)
    result = pytester.runpytest("--iamtest-coverage")
    result.assert_outcomes(failed=1)
    # The policy's name is "infra/main.tf:2 aws_vpc_endpoint.s3.policy"; the annotation
    # goes to the file, on the statement's line in it.
    assert workflow_commands(result)[1] == (
        "::notice file=infra/main.tf,line=4,title=statement #1 decided a failing access test::"
        "statement #1 (Allow, endpoint layer) decided the failing access test: "
        "'reads through the endpoint'.")
    result.stdout.fnmatch_lines(["infra/main.tf:2 aws_vpc_endpoint.s3.policy  *1/1 * 100.0%*"])
