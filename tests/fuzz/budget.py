"""How long the fuzzers run, and which exceptions count as a clean refusal.

In the normal test run each fuzz test tries a few dozen inputs, the same ones
every time (``derandomize``), so the suite stays fast and repeatable. For a
long run, set ``IAMTEST_FUZZ_EXAMPLES``; the inputs are then random and new
on every run (see docs/robustness.md for the command and the figures of the
last long run)::

    IAMTEST_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/fuzz -p no:cacheprovider \\
        -n 2 --hypothesis-show-statistics
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from iamtest.engine.model import PolicyError
from iamtest.engine.request import RequestError
from iamtest.iac.errors import IacError
from iamtest.spec.errors import SourceError, SpecError

_LONG = os.environ.get("IAMTEST_FUZZ_EXAMPLES")

def budget(weight: int = 40) -> settings:
    """The settings of one fuzz test. ``weight`` is its share: 40 is one
    ``IAMTEST_FUZZ_EXAMPLES`` in a long run; a normal run tries a quarter of
    ``weight`` inputs."""
    count = max(1, int(_LONG) * weight // 40) if _LONG else max(5, weight // 4)
    return settings(max_examples=count, deadline=None, derandomize=not _LONG,
                    database=None if not _LONG else settings.default.database,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])


#: Our own errors: each names the file (or source) and, where there is one, the line.
OWN_ERRORS = (SpecError, SourceError, PolicyError, RequestError, IacError)
