"""pytest hooks: options, collection of access-test files, the ``iam`` fixture.

Kept small and cheap to import: the evaluator is imported only when a test
runs, so a project that never uses access tests pays nothing for the plugin.
"""
from __future__ import annotations

import pytest

from ..spec.evaluate import CaseResult
from ..spec.loader import is_spec_file
from ..spec.sources import PolicyLoader
from .plain import Shared, case_result_plain, json_plain

#: Reports over the run (GitHub Actions output, coverage, SARIF) live in their own plugin.
pytest_plugins = ["iamtest.report.plugin", "iamtest.pytest_plugin.checkov_items"]

#: The session's policy loader (each policy file read and parsed once per session).
LOADER_KEY = pytest.StashKey[PolicyLoader]()
#: Equal parts of the case results on the run's reports, held once (see plain.py).
SHARED_KEY = pytest.StashKey[Shared]()
#: Whether passing cases carry their result on their reports too (failing ones always
#: do): set by --iamtest-results and by the reporters that read them (report/plugin.py).
EVERY_RESULT_KEY = pytest.StashKey[bool]()
#: Whether collection froze the garbage collector's view of what it built.
FROZE_KEY = pytest.StashKey[bool]()
EXPLAIN_SECTION = "iamtest explanation"


def pytest_addoption(parser):
    group = parser.getgroup("iamtest", "access tests for AWS policies")
    group.addoption("--iamtest-explain", action="store_true", dest="iamtest_explain",
                    default=False,
                    help="show the evaluator's explanation for passing access tests too "
                         "(also shown with -vv)")
    group.addoption("--iamtest-results", action="store_true", dest="iamtest_results",
                    default=False,
                    help="put the result of every access test on its pytest report, passing "
                         "ones too, for reporters of your own (failing ones always carry it; "
                         "coverage, SARIF and GitHub output turn this on themselves)")


def pytest_configure(config):
    config.stash[LOADER_KEY] = PolicyLoader()
    if config.getoption("iamtest_results", False):
        config.stash[EVERY_RESULT_KEY] = True
    config.add_cleanup(lambda: _unfreeze(config))
    config.addinivalue_line("markers", "iamtest: an access test from a *.iamtest.yaml file")


def pytest_collect_file(file_path, parent):
    if is_spec_file(file_path.name):
        from .collect import IamTestFile

        return IamTestFile.from_parent(parent, path=file_path)
    return None


def _unfreeze(config) -> None:
    """Hand what collection froze back to the garbage collector. A cleanup
    registered while configuring runs after pytest's own end-of-run collection."""
    if config.stash.get(FROZE_KEY, False):
        import gc

        gc.unfreeze()
        config.stash[FROZE_KEY] = False


def pytest_collection_finish(session):
    """Leave what collection built out of the cyclic garbage collector's walks.

    Items, cases, policies and their compiled matchers live until the session
    ends; every full collection during the run would walk all of them again
    (at 10,000 cases, about a tenth of the run). ``gc.freeze`` moves the objects
    alive now to a generation the collector skips; they are handed back to it
    when pytest is done (:func:`_unfreeze`). Done only in a session that runs
    access tests.
    """
    from .items import CaseItem

    if any(isinstance(item, CaseItem) for item in session.items):
        import gc

        gc.freeze()
        session.config.stash[FROZE_KEY] = True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    result = getattr(item, "iamtest_result", None)
    if call.when == "call" and result is not None and hasattr(result, "to_dict"):
        config = item.config
        passed = getattr(result, "passed", False)
        if passed is True and not config.stash.get(EVERY_RESULT_KEY, False):
            return report   # nobody reads it: pytest keeps every report for the whole run
        # Plain JSON values only: reports travel between processes under xdist.
        shared = config.stash.get(SHARED_KEY, None)
        if shared is None:
            shared = config.stash[SHARED_KEY] = Shared()
        if isinstance(result, CaseResult):
            report.iamtest_result = case_result_plain(result, shared)
        else:
            report.iamtest_result = json_plain(result.to_dict(), shared)
    return report


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
