"""Fixtures for the differential tests: one reference-evaluator process per session.

Every test that needs the reference takes the ``oracle`` fixture; when Node.js
or the pinned package is missing, those tests are skipped with the reason and
the command that installs it (``npm ci --prefix tests/differential``).
"""
from __future__ import annotations

import pytest

from .oracle import Oracle, unavailable_reason
from .stats import STATS


@pytest.fixture(scope="session")
def oracle():
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    runner = Oracle().start()
    yield runner
    runner.close()


def pytest_terminal_summary(terminalreporter):
    if STATS.total():
        terminalreporter.write_sep("-", "differential testing against the reference evaluator")
        for line in STATS.lines():
            terminalreporter.write_line(line)
