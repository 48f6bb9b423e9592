"""The reusable action (action.yml) and its steps (iamtest.report.action).

The action is a composite: actions/setup-python, pip install of the action's
own checkout, then two Python steps whose inputs arrive as environment
variables. GitHub itself cannot run here, so these tests read action.yml and
run the steps' code with the environment the action would give them.
"""
import sys
from pathlib import Path

import pytest
import yaml

from iamtest.report.action import diff_verdict, main, pytest_command

REPO = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
INPUTS = {"paths", "python-version", "extras", "pytest-args", "coverage-fail-under", "sarif",
          "diff-base", "allow-new-access", "working-directory"}


def test_every_input_is_documented_with_a_default():
    assert set(ACTION["inputs"]) == INPUTS
    for name, spec in ACTION["inputs"].items():
        assert len(spec["description"]) > 20, name
        assert "default" in spec and spec["required"] is False, name


def test_the_steps_set_up_python_install_from_the_action_path_and_run_the_module():
    steps = ACTION["runs"]["steps"]
    assert ACTION["runs"]["using"] == "composite"
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert steps[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    assert steps[1]["env"]["IAMTEST_SOURCE"] == "${{ github.action_path }}"
    assert "pip install" in steps[1]["run"]
    assert steps[2]["run"] == "python -m iamtest.report.action test"
    assert steps[3]["run"] == "python -m iamtest.report.action diff"
    assert steps[3]["if"] == "${{ !cancelled() && inputs.diff-base != '' }}"


def test_inputs_reach_the_scripts_only_through_the_environment():
    # Inputs written into a script would be run as shell code (GitHub's hardening guide).
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]
        for value in step.get("env", {}).values():
            name = value.removeprefix("${{ inputs.").removesuffix(" }}")
            assert name in INPUTS or value == "${{ github.action_path }}"


def test_the_test_step_builds_the_pytest_command_from_the_inputs():
    cmd = pytest_command({"IAMTEST_PATHS": "policies  proofs", "IAMTEST_FAIL_UNDER": "80",
                          "IAMTEST_SARIF": "out/iamtest.sarif",
                          "IAMTEST_PYTEST_ARGS": '-m "perimeter and not slow" -n 2'})
    assert cmd == [sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                   "--iamtest-coverage", "--iamtest-coverage-fail-under=80",
                   "--iamtest-sarif=out/iamtest.sarif", "-m", "perimeter and not slow", "-n", "2",
                   "policies", "proofs"]
    assert pytest_command({}) == [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "."]


def test_the_test_step_returns_pytests_status(capsys):
    seen = []
    status = main(["test"], {"IAMTEST_PATHS": "fixtures"}, run=lambda cmd: seen.append(cmd) or 1)
    assert status == 1 and seen[0][-1] == "fixtures"
    assert capsys.readouterr().out.startswith("iamtest: ")


def test_bad_inputs_fail_the_step_with_an_annotation(capsys):
    assert main(["test"], {"IAMTEST_FAIL_UNDER": "eighty"}, run=lambda cmd: 0) == 2
    assert capsys.readouterr().out == (
        "::error title=iamtest action input::coverage-fail-under must be a number; got 'eighty'\n")
    assert main(["diff"], {"IAMTEST_DIFF_BASE": "main", "IAMTEST_ALLOW_NEW_ACCESS": "maybe"},
                run=lambda cmd: 0) == 2
    assert main(["nothing"], {}, run=lambda cmd: 0) == 2


@pytest.mark.parametrize("status, allow, expected", [
    (0, False, 0), (0, True, 0),       # no new access
    (1, False, 1),                     # new access: fails the step
    (1, True, 0),                      # new access, acknowledged
    (2, False, 2), (2, True, 2),       # diff could not compare: always fails
])
def test_diff_exit_1_fails_the_step_unless_new_access_is_allowed(status, allow, expected):
    assert diff_verdict(status, allow)[0] == expected


def test_the_diff_step_runs_iamtest_diff_on_the_base_and_paths(capsys):
    seen = []
    env = {"IAMTEST_DIFF_BASE": "abc123", "IAMTEST_PATHS": "policies",
           "IAMTEST_ALLOW_NEW_ACCESS": "false"}
    assert main(["diff"], env, run=lambda cmd: seen.append(cmd) or 1) == 1
    assert seen == [[sys.executable, "-m", "iamtest", "diff", "abc123", "policies"]]
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("::error title=iamtest diff::This change adds access")
    env["IAMTEST_ALLOW_NEW_ACCESS"] = "true"
    assert main(["diff"], env, run=lambda cmd: 1) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        "::notice title=iamtest diff::This change adds access (listed above); accepted")


def test_the_test_step_really_runs_the_access_tests(pytester, example, no_actions, monkeypatch):
    example("coverage")
    import subprocess

    monkeypatch.chdir(pytester.path)
    status = main(["test"], {"IAMTEST_PATHS": ".", "IAMTEST_FAIL_UNDER": "50",
                             "IAMTEST_SARIF": "r/iamtest.sarif"}, run=subprocess.call)
    assert status == 0
    assert (pytester.path / "r" / "iamtest.sarif").is_file()
    status = main(["test"], {"IAMTEST_PATHS": ".", "IAMTEST_FAIL_UNDER": "60"},
                  run=subprocess.call)
    assert status == 1   # 57.1% is below 60%


WORKFLOW = REPO / "fixtures" / ".github" / "workflows" / "iamtest.yml"


def test_the_example_workflow_uses_only_the_actions_inputs():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["iamtest"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    gate = next(step for step in steps if step.get("name") == "Access tests")
    assert set(gate["with"]) <= INPUTS
    assert gate["with"]["diff-base"] == "${{ github.event.pull_request.base.sha }}"
    upload = steps[-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == gate["with"]["sarif"]


def test_the_example_workflow_passes_on_the_example_repository(monkeypatch, no_actions, tmp_path):
    """The test step with the example's inputs, run in fixtures/: the example repository
    meets its own coverage threshold and writes its SARIF."""
    import subprocess

    gate = next(step for step in yaml.safe_load(WORKFLOW.read_text())["jobs"]["iamtest"]["steps"]
                if step.get("name") == "Access tests")
    monkeypatch.chdir(REPO / "fixtures")
    sarif = tmp_path / "iamtest.sarif"
    env = {"IAMTEST_PATHS": gate["with"]["paths"],
           "IAMTEST_FAIL_UNDER": gate["with"]["coverage-fail-under"], "IAMTEST_SARIF": str(sarif)}
    assert main(["test"], env, run=subprocess.call) == 0
    assert sarif.is_file()
