"""What collection built is kept out of the garbage collector's walks while access
tests run, and handed back when pytest is done (hooks.py, docs/performance.md)."""
import gc

PROBE = """
    import gc
    seen = []
    def pytest_runtest_call(item):
        seen.append(gc.get_freeze_count())
    def pytest_sessionfinish(session):
        session.config._frozen_during_run = list(seen)
"""


def _frozen_counts(pytester):
    reprec = pytester.inline_run("-p", "no:cacheprovider")
    config = reprec.getcalls("pytest_sessionfinish")[0].session.config
    return reprec, config._frozen_during_run


def test_a_session_with_access_tests_freezes_what_collection_built_and_unfreezes_it(pytester, example):
    example("passing")
    pytester.makeconftest(PROBE)
    before = gc.get_freeze_count()
    reprec, counts = _frozen_counts(pytester)
    assert len(reprec.getreports("pytest_runtest_logreport")) > 3 and not reprec.getfailures()
    assert counts and all(count > before for count in counts)
    assert gc.get_freeze_count() == before   # nothing stays frozen after the run


def test_a_session_without_access_tests_leaves_the_collector_alone(pytester):
    pytester.makepyfile("def test_one():\n    pass\n")
    pytester.makeconftest(PROBE)
    before = gc.get_freeze_count()
    reprec, counts = _frozen_counts(pytester)
    reprec.assertoutcome(passed=1)
    assert counts == [before]
