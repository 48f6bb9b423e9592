"""pytest hooks of the reports: GitHub Actions output, coverage, SARIF.

Loaded by the core plugin (``pytest_plugins`` in :mod:`iamtest.pytest_plugin.hooks`).

Where each hook runs under pytest-xdist:

- in the process that runs the test (a worker): ``pytest_runtest_makereport``
  and ``pytest_make_collect_report`` put plain JSON values on the reports
  (which access test, the statements of its policies, what stopped it);
- in the controlling process: ``pytest_runtest_logreport`` and
  ``pytest_collectreport`` gather the reports; ``pytest_sessionfinish`` writes
  the files and decides the coverage threshold; ``pytest_terminal_summary``
  prints. Workers write and print nothing.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .records import RunRecords, policy_inventory

RECORDS_KEY = pytest.StashKey[RunRecords]()
SENT_KEY = pytest.StashKey[set]()
OUTPUT_KEY = pytest.StashKey[list]()
ITEM_INFO_KEY = pytest.StashKey[object]()
REPORTING_KEY = pytest.StashKey[bool]()
_UNSET = object()


def pytest_addoption(parser):
    group = parser.getgroup("iamtest")
    group.addoption("--iamtest-coverage", action="store_true", dest="iamtest_coverage",
                    default=False,
                    help="report which policy statements the access tests exercise: per policy "
                         "file, each statement decided, exercised or not, and the percentages")
    group.addoption("--iamtest-coverage-json", dest="iamtest_coverage_json", metavar="PATH",
                    default=None, help="write the policy coverage report as JSON to PATH")
    group.addoption("--iamtest-coverage-fail-under", dest="iamtest_coverage_fail_under",
                    metavar="N", type=float, default=None,
                    help="fail the run when fewer than N percent of the policy statements "
                         "are exercised by a case")
    group.addoption("--iamtest-sarif", dest="iamtest_sarif", metavar="PATH", default=None,
                    help="write failing access tests and unexercised policy statements as "
                         "SARIF 2.1.0 to PATH (for GitHub code scanning)")
    group.addoption("--iamtest-github", dest="iamtest_github", default="auto",
                    choices=("auto", "on", "off"),
                    help="GitHub Actions annotations and job summary: auto (when "
                         "GITHUB_ACTIONS=true, the default), on, or off")


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def reporting(config) -> bool:
    """Whether any report of this plugin is asked for. When none is, the plugin
    gathers nothing: pytest keeps every report for the whole run, so what is put
    on them for nobody is memory spent on every test."""
    return bool(_github_enabled(config) or config.getoption("iamtest_coverage", False)
                or config.getoption("iamtest_coverage_json", None)
                or config.getoption("iamtest_coverage_fail_under", None) is not None
                or config.getoption("iamtest_sarif", None))


def pytest_configure(config):
    from ..pytest_plugin.hooks import EVERY_RESULT_KEY

    config.stash[RECORDS_KEY] = RunRecords()
    config.stash[SENT_KEY] = set()
    config.stash[OUTPUT_KEY] = []
    config.stash[REPORTING_KEY] = on = reporting(config)
    if on:
        config.stash[EVERY_RESULT_KEY] = True   # coverage reads passing cases too


# -- in the process that runs the tests ------------------------------------------


def _item_info(item):
    case = getattr(item, "iamtest_case", None)
    if case is not None:
        request = getattr(item, "iamtest_request", None)
        return {"kind": "case", "file": case.file, "line": case.line, "case": case.name,
                "id": request.id if request is not None else case.name,
                "expect": case.expect, "denied_by": case.denied_by}
    prop = getattr(item, "iamtest_property", None)
    if prop is not None:
        return {"kind": "property", "file": prop.file, "line": prop.line, "case": prop.name,
                "id": prop.name, "expect": prop.kind}
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if item.config.stash.get(REPORTING_KEY, True):
        _mark_report(item, call, report)
    return report


def _mark_report(item, call, report) -> None:
    # One dict per item, shared by its setup, call and teardown reports (pytest
    # keeps every report; the values do not change between phases).
    info = item.stash.get(ITEM_INFO_KEY, _UNSET)
    if info is _UNSET:
        info = item.stash[ITEM_INFO_KEY] = _item_info(item)
    if info is None:
        return
    report.iamtest_item = info
    if call.when != "call":
        return
    result = getattr(item, "iamtest_result", None)
    policies = getattr(result, "policies", None)
    if policies is not None and hasattr(policies, "policies"):
        report.iamtest_policies = policy_inventory(policies, item.config.stash[SENT_KEY])
    error = getattr(item, "iamtest_error", None)
    if error is not None:
        report.iamtest_error = {"message": getattr(error, "message", str(error)),
                                "file": getattr(error, "source", None),
                                "line": getattr(error, "line", None)}


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    call = getattr(report, "call", None)
    excinfo = getattr(call, "excinfo", None)
    if not report.failed or excinfo is None:
        return
    from ..spec.errors import SpecError

    if isinstance(excinfo.value, SpecError):
        report.iamtest_problems = [{"file": p.source, "line": p.line, "message": p.message}
                                   for p in excinfo.value.problems]


# -- in the controlling process ----------------------------------------------------


class _Gatherer:
    """Registered per session so the report hooks can reach the config's records."""

    def __init__(self, records: RunRecords):
        self.records = records

    def pytest_runtest_logreport(self, report):
        self.records.add_test_report(report)

    def pytest_collectreport(self, report):
        self.records.add_collect_report(report)


def pytest_sessionstart(session):
    config = session.config
    if not _is_worker(config) and config.stash.get(REPORTING_KEY, True):
        config.pluginmanager.register(_Gatherer(config.stash[RECORDS_KEY]), "iamtest-report-gatherer")


def _github_enabled(config) -> bool:
    mode = config.getoption("iamtest_github", "auto")
    return mode == "on" or (mode == "auto" and os.environ.get("GITHUB_ACTIONS") == "true")


def _write(path: str, text: str, config) -> Path:
    target = Path(path)
    if not target.is_absolute():
        target = Path(config.invocation_params.dir) / target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _append(path: str, text: str) -> None:
    """Append after a blank line (what an earlier command wrote may not end its line)."""
    with open(path, "a+b") as handle:
        handle.seek(0, os.SEEK_END)
        prefix = b""
        if handle.tell():
            handle.seek(-1, os.SEEK_END)
            prefix = b"\n" if handle.read(1) == b"\n" else b"\n\n"
        handle.write(prefix + text.encode("utf-8"))


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if _is_worker(config) or not config.stash.get(REPORTING_KEY, True):
        return
    from . import github, sarif, summary
    from .coverage import compute_coverage
    from .paths import Paths

    records = config.stash[RECORDS_KEY]
    out = config.stash[OUTPUT_KEY]
    paths = Paths.for_run(config.invocation_params.dir, config.rootpath)
    coverage = compute_coverage(records)
    wants_coverage = config.getoption("iamtest_coverage", False)
    threshold = config.getoption("iamtest_coverage_fail_under", None)
    json_path = config.getoption("iamtest_coverage_json", None)
    sarif_path = config.getoption("iamtest_sarif", None)

    if wants_coverage:
        out.append(("sep", "iamtest coverage: policy statements exercised by access-test cases"))
        out += [("line", line) for line in coverage.text_lines()]
    if json_path:
        target = _write(json_path, json.dumps(coverage.to_dict(), indent=2) + "\n", config)
        out.append(("line", f"iamtest coverage JSON written to {target}"))
    if sarif_path:
        from iamtest import __version__

        log = sarif.build(records, coverage, paths, __version__)
        target = _write(sarif_path, json.dumps(log, indent=2) + "\n", config)
        out.append(("line", f"iamtest SARIF written to {target}"))
    failed_threshold = None
    if threshold is not None and not config.getoption("collectonly", False):
        failed_threshold = coverage.fail_under_message(threshold)
        if failed_threshold:
            out.append(("sep", "iamtest coverage below the threshold"))
            out += [("line", line) for line in failed_threshold.splitlines()]
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        else:
            out.append(("line", f"iamtest coverage {coverage.percent}% reaches the required "
                                f"{threshold:g}%"))
    if _github_enabled(config):
        commands, log_lines = github.annotations(records, paths)
        out += [("raw", line) for line in commands] + [("line", line) for line in log_lines]
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file and (records.tests or records.file_problems):
            extra = coverage.markdown_lines() if (wants_coverage or threshold is not None) else []
            if failed_threshold:
                extra = [f"**{failed_threshold.splitlines()[0]}**", ""] + extra
            _append(summary_file, summary.render(records, extra))
    if config.pluginmanager.get_plugin("terminalreporter") is None:
        for _kind, text in out:
            print(text)
        out.clear()


def pytest_terminal_summary(terminalreporter, config):
    out = config.stash.get(OUTPUT_KEY, [])
    for kind, text in out:
        if kind == "sep":
            terminalreporter.write_sep("-", text)
        else:
            terminalreporter.write_line(text)
    out.clear()
