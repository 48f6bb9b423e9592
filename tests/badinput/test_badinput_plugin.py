"""The bad-input corpus through pytest: one clear error per broken input, never a traceback.

FORMAT.md "Errors": a file that breaks the contract fails collection with its
path, the line of the offending key and what was expected; a policy AWS would
reject fails every case that uses it with the policy's path and line; nothing
is silently allowed or denied. The whole corpus is laid out as one policy
repository and pytest runs once over it, as a user's CI would; the JUnit XML
report then says, file by file, what the user was told.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import pytest

from .expected import ACCEPTED, EXPECTED
from .world import lay_out, stored

# one problem of a collection error: "t.iamtest.yaml:12: sentence"
_PROBLEM = re.compile(r"^(?P<source>\S+):(?P<line>\d+): (?P<message>.+)$")


@dataclass
class Report:
    """What pytest reported for one access-test file."""

    outcomes: List[str] = field(default_factory=list)   # "passed", "failed", "error" per test
    texts: List[str] = field(default_factory=list)      # the failure or error text per test
    errors: List[str] = field(default_factory=list)     # the iamtest.error property per case


@dataclass
class Run:
    code: int
    output: str
    reports: Dict[str, Report]


def _file_of(testcase) -> str:
    # a collection error has no classname and the file as its name; a case's classname is the file
    return testcase.get("classname") or testcase.get("name")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    repo = tmp_path_factory.mktemp("policy-repo")
    lay_out(repo)
    junit = repo.parent / "junit.xml"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "PYTEST_")) and k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--continue-on-collection-errors",
         "-o", "junit_family=xunit2", f"--junitxml={junit}", "."],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    reports: Dict[str, Report] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        report = reports.setdefault(_file_of(case), Report())
        failed = [c for c in case if c.tag in ("failure", "error")]
        report.outcomes.append(failed[0].tag if failed else "passed")
        report.texts.append((failed[0].text or "") if failed else "")
        report.errors += [p.get("value") for p in case.iter("property") if p.get("name") == "iamtest.error"]
    return Run(done.returncode, done.stdout + done.stderr, reports)


def test_the_run_reports_failures_and_nothing_crashes(run):
    assert "INTERNALERROR" not in run.output
    assert "Traceback" not in run.output
    assert run.code == 1, run.output[-3000:]  # tests failed; not 2 (interrupted) or 3 (internal error)


@pytest.mark.parametrize("expected", EXPECTED, ids=[e.name for e in EXPECTED])
def test_each_broken_input_yields_one_error_naming_its_file_and_line(run, expected):
    report = run.reports.get(expected.file)
    assert report is not None, f"{expected.file} was not collected"
    if expected.source is None:
        # a collection error: one report, every problem "FILE:LINE: sentence"
        assert report.outcomes == ["error"], report.texts
        problems = report.texts[0].strip().splitlines()
        assert all(p.startswith(f"{expected.file}:") and _PROBLEM.match(p) for p in problems), problems
        wanted = f"{expected.file}:{expected.line}: {expected.message}"
        assert any(p.startswith(wanted) for p in problems), (wanted, problems)
        return
    # a case that cannot run: one failing test, one error naming the source and its line
    assert report.outcomes == ["failure"], report.texts
    (error,) = report.errors
    where = f"{expected.source}:{expected.line}" if expected.line else expected.source
    assert error.startswith(f"{where}: {expected.message}"), error
    text = report.texts[0]
    assert text.startswith(f"case 'uses {expected.name[len('use-'):]}' at {expected.file}:"), text
    assert "cannot be used:" in text or "cannot be built:" in text, text


@pytest.mark.parametrize("name", ACCEPTED)
def test_inputs_that_are_not_broken_pass(run, name):
    # a byte order mark at the start of a file is allowed, as editors on Windows write it
    assert run.reports[name].outcomes == ["passed"]


def test_every_stored_input_has_an_expectation():
    names = {e.file for e in EXPECTED} | set(ACCEPTED)
    for folder in ("files", "policies", "iac"):
        for _, stored_name in stored(folder):
            stem = stored_name.split(".")[0]
            file = f"{stem}.iamtest.yaml" if folder == "files" else f"use-{stem}.iamtest.yaml"
            assert file in names, f"corpus/{folder}/{stored_name}.txt has no expectation"


def test_nothing_is_collected_from_the_corpus_as_it_is_stored():
    # stored under *.txt so that running this suite never collects the broken files
    corpus = Path(__file__).with_name("corpus")
    stored_names = [p.name for p in corpus.rglob("*") if p.is_file()]
    assert stored_names and all(name.endswith(".txt") for name in stored_names)


_UNREADABLE_LINES = ["locked.iamtest.yaml: cannot read the file: Permission denied",
                     "  p.json: cannot read the file: Permission denied"]


def _unreadable_repo(pytester):
    policy = pytester.path / "p.json"
    policy.write_text('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    spec = pytester.makefile(".iamtest.yaml", locked="cases: []\n")
    pytester.makefile(".iamtest.yaml", uses="policies: {identity: p.json}\ncases:\n  - name: c\n"
                      "    principal: '123456789012'\n    action: s3:GetObject\n    resource: '*'\n"
                      "    expect: allow\n")
    return policy, spec


def test_unreadable_files_are_named_with_the_reason_simulated(pytester):
    # As root (where this suite runs in CI containers) a mode of 000 does not
    # stop a read, so the operating system's refusal is simulated: reading the
    # two files raises the PermissionError an ordinary user would get.
    _unreadable_repo(pytester)
    pytester.makeconftest("""
        import errno, pathlib
        _read = pathlib.Path.read_bytes

        def read_bytes(self):
            if self.name in ("p.json", "locked.iamtest.yaml"):
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return _read(self)

        pathlib.Path.read_bytes = read_bytes
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--continue-on-collection-errors")
    result.assert_outcomes(failed=1, errors=1)
    result.stdout.fnmatch_lines(_UNREADABLE_LINES, consecutive=False)
    assert "Traceback" not in result.stdout.str()


def test_unreadable_files_are_named_with_the_reason(pytester):
    policy, spec = _unreadable_repo(pytester)
    policy.chmod(0)
    spec.chmod(0)
    try:
        if os.access(policy, os.R_OK):
            pytest.skip("this process reads files whatever their mode (it runs as root); the "
                        "corpus's policy-path-is-folder stands for a path that cannot be read")
        result = pytester.runpytest("--continue-on-collection-errors")
    finally:
        policy.chmod(0o644)
        spec.chmod(0o644)
    result.assert_outcomes(failed=1, errors=1)
    result.stdout.fnmatch_lines(_UNREADABLE_LINES, consecutive=False)
