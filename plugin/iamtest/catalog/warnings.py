"""The warning category for iamtest's findings, and how to emit one.

``IamtestWarning`` is a ``UserWarning``, so pytest shows it in its warnings
summary and ``-W error::iamtest.catalog.warnings.IamtestWarning`` (or a
``filterwarnings`` entry) turns every such warning into an error.
"""
from __future__ import annotations

import warnings as _warnings

from .findings import Finding


class IamtestWarning(UserWarning):
    """A problem in a policy or an access test that does not stop it from running.

    ``finding`` is the :class:`~iamtest.catalog.findings.Finding` it reports
    (also when a warnings filter turned it into an exception).
    """

    finding = None


def emit(finding: Finding, category: type = IamtestWarning) -> None:
    """Issue ``finding`` as a warning attributed to its file and line.

    The warning carries the policy or test file as its filename, so pytest's
    summary points there rather than at iamtest's own code.
    """
    loc = finding.location
    filename = loc.source if loc else "<iamtest>"
    lineno = (loc.line or 0) if loc else 0
    warning = category(f"{finding.message} [{finding.id}]")
    warning.finding = finding
    _warnings.warn_explicit(warning, category, filename, lineno, module=filename)
