"""pytest hooks: options, collection of access-test files, the ``iam`` fixture.

Kept small and cheap to import: the evaluator is imported only when a test
runs, so a project that never uses access tests pays nothing for the plugin.
"""
from __future__ import annotations

import pytest

from ..spec.loader import is_spec_file
from ..spec.sources import PolicyLoader
from .plain import Shared, json_plain

#: Reports over the run (GitHub Actions output, coverage, SARIF) live in their own plugin.
pytest_plugins = ["iamtest.report.plugin", "iamtest.pytest_plugin.checkov_items"]

#: The session's policy loader (each policy file read and parsed once per session).
LOADER_KEY = pytest.StashKey[PolicyLoader]()
#: Equal parts of the case results on the run's reports, held once (see plain.py).
SHARED_KEY = pytest.StashKey[Shared]()
EXPLAIN_SECTION = "iamtest explanation"


def pytest_addoption(parser):
    group = parser.getgroup("iamtest", "access tests for AWS policies")
    group.addoption("--iamtest-explain", action="store_true", dest="iamtest_explain",
                    default=False,
                    help="show the evaluator's explanation for passing access tests too "
                         "(also shown with -vv)")


def pytest_configure(config):
    config.stash[LOADER_KEY] = PolicyLoader()
    config.addinivalue_line("markers", "iamtest: an access test from a *.iamtest.yaml file")


def pytest_collect_file(file_path, parent):
    if is_spec_file(file_path.name):
        from .collect import IamTestFile

        return IamTestFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    result = getattr(item, "iamtest_result", None)
    if call.when == "call" and result is not None and hasattr(result, "to_dict"):
        report = outcome.get_result()
        # Plain JSON values only: reports travel between processes under xdist.
        shared = item.config.stash.get(SHARED_KEY, None)
        if shared is None:
            shared = item.config.stash[SHARED_KEY] = Shared()
        report.iamtest_result = json_plain(result.to_dict(), shared)


def pytest_terminal_summary(terminalreporter, config):
    from .items import explain_enabled

    if not explain_enabled(config):
        return
    shown = False
    for report in terminalreporter.stats.get("passed", []):
        texts = [text for title, text in getattr(report, "sections", ())
                 if title.endswith(EXPLAIN_SECTION) or EXPLAIN_SECTION in title]
        if not texts:
            continue
        if not shown:
            terminalreporter.write_sep("=", "access decisions of passing tests")
            shown = True
        terminalreporter.write_sep("-", report.nodeid)
        for text in texts:
            terminalreporter.write_line(text)


@pytest.fixture
def iam(request):
    """Load policies, decide requests and assert on decisions from Python tests."""
    from .fixture import make_helper

    return make_helper(request)
