"""checkov inside the pytest run: ``--iamtest-checkov=DIR`` (or the ``iamtest_checkov`` ini option).

For each folder named, iamtest's checkov rules run in-process over its
Terraform, plan JSON and CloudFormation files, and every verdict becomes a
test item located at the infrastructure file and the resource's line: PASSED
passes, FAILED fails with the rule's reason, UNKNOWN (a policy that cannot be
read statically) is an error, never a pass. ``--iamtest-checkov-skip=ID``
(or ``iamtest_checkov_skip``) leaves a rule out, such as CKV_IAMT_4 for
buckets that are not meant to be reached only through endpoints.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List

import pytest

MARKER = "iamtest_checkov"


class CheckovFinding(Exception):
    """A FAILED verdict of a rule."""


def pytest_addoption(parser):
    group = parser.getgroup("iamtest")
    group.addoption("--iamtest-checkov", action="append", dest="iamtest_checkov", default=[],
                    metavar="DIR", help="run iamtest's checkov rules over the infrastructure code in "
                    "DIR; each verdict is a test (repeatable; needs the checkov extra)")
    group.addoption("--iamtest-checkov-skip", action="append", dest="iamtest_checkov_skip",
                    default=[], metavar="ID", help="leave the checkov rule ID out (repeatable)")
    parser.addini("iamtest_checkov", type="linelist", default=[],
                  help="folders of infrastructure code to run iamtest's checkov rules over "
                       "(relative to the ini file)")
    parser.addini("iamtest_checkov_skip", type="linelist", default=[],
                  help="checkov rule ids to leave out")


def pytest_configure(config):
    config.addinivalue_line("markers", f"{MARKER}: a verdict of one of iamtest's checkov rules")


def _folders(config) -> List[Path]:
    base = Path(config.inipath).parent if config.inipath else Path(config.rootpath)
    folders = [Path(config.invocation_params.dir) / p for p in config.getoption("iamtest_checkov") or []]
    folders += [base / p for p in config.getini("iamtest_checkov") or []]
    return list(dict.fromkeys(p.resolve() for p in folders))


class CheckovFile(pytest.File):
    """An infrastructure file the rules looked at; its items are set by the caller."""

    def collect(self):  # pragma: no cover - items are attached directly
        return []


class CheckovItem(pytest.Item):
    def __init__(self, *, result, **kwargs):
        super().__init__(**kwargs)
        self.result = result
        self.add_marker(MARKER)

    def setup(self):
        if self.result.result == "UNKNOWN":
            # A failure during setup is reported as an error; pytrace=False shows only the text.
            pytest.fail(self.message("UNKNOWN (the rule could not judge this resource)"), pytrace=False)

    def runtest(self):
        if self.result.result == "FAILED":
            raise CheckovFinding(self.result.reason)

    def message(self, verdict: str) -> str:
        r = self.result
        where = f"{r.file}:{r.line}" if r.line else str(r.file)
        return f"{r.check_id} {r.check_name}\n{r.resource} at {where}: {verdict}\n{r.reason}"

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckovFinding):
            return self.message("FAILED")
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        line = (self.result.line - 1) if self.result.line else None
        return self.path, line, f"{self.result.check_id} {self.result.resource}"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    folders = _folders(config)
    if not folders:
        return
    from ..iac.checkov_run import CheckovMissing, run_rules

    skip = list(config.getoption("iamtest_checkov_skip") or []) + list(config.getini("iamtest_checkov_skip") or [])
    files: Dict[Path, CheckovFile] = {}
    for folder in folders:
        if not folder.exists():
            raise pytest.UsageError(f"--iamtest-checkov {folder}: no such folder or file")
        try:
            results = run_rules(folder, skip=skip)
        except CheckovMissing as err:
            raise pytest.UsageError(f"--iamtest-checkov: {err}") from None
        for result in sorted(results, key=lambda r: (str(r.file), r.line or 0, r.check_id, r.resource)):
            parent = files.get(result.file)
            if parent is None:
                nodeid = Path(os.path.relpath(result.file, config.rootpath)).as_posix()
                parent = files[result.file] = CheckovFile.from_parent(session, path=result.file,
                                                                      nodeid=nodeid)
            items.append(CheckovItem.from_parent(parent, name=f"{result.check_id} {result.resource}",
                                                 result=result))
