"""The AWS catalog checks on each case request (iamtest.catalog, docs/catalog.md).

Before a case is decided: an action that is not an AWS action, or a policy
AWS would refuse as a VPC endpoint policy, fails the case (a deny expected
for a request AWS never makes would pass vacuously); doubtful requests and
policy text are reported as ``IamtestWarning``, which
``-W error::iamtest.catalog.warnings.IamtestWarning`` turns into failures.
"""
from __future__ import annotations

import pytest

from ..spec.errors import SourceError
from ..spec.evaluate import CaseError
from ..spec.model import CaseRequest
from ..spec.sources import PolicyLoader

_CHECKER = pytest.StashKey[object]()
#: Findings about the request itself (the rest are about a policy).
_REQUEST_FINDINGS = ("unknown-action", "resource-not-of-action", "catalog-unavailable")


def _failure(findings, case) -> SourceError:
    first = findings[0]
    loc = first.location
    source, line = (loc.source, loc.line) if loc else (case.file, case.line)
    text = "\n  ".join([f"{first.message} [{first.id}]"] + [str(f) for f in findings[1:]])
    cls = CaseError if first.id in _REQUEST_FINDINGS else SourceError
    return cls(text, source, line)


def check_request(config, cr: CaseRequest, loader: PolicyLoader) -> None:
    """Run the catalog checks for one case request. Raises SourceError/CaseError to fail it."""
    from iamtest import Location
    from iamtest.catalog.session import CatalogChecker
    from iamtest.catalog.warnings import IamtestWarning

    checker = config.stash.get(_CHECKER, None)
    if checker is None:
        checker = config.stash[_CHECKER] = CatalogChecker()
    case = cr.case
    policies = loader.policies_in(case.policies)   # a source that cannot be used: deciding reports it
    try:
        errors = checker.check(cr.action, cr.resource, Location(case.file, case.line_of("action")),
                               Location(case.file, case.line_of("resource")), policies)
    except IamtestWarning as promoted:  # a warnings filter made it an error
        raise _failure([promoted.finding], case) from None
    if errors:
        raise _failure(errors, case)
