"""Reports over a run of access tests: what a pull request's reviewer and CI see.

Data flows one way: the pytest plugin's reports (plain JSON values, so they
cross pytest-xdist workers) -> :class:`~iamtest.report.records.RunRecords` ->
reporters: GitHub Actions annotations and job summary (:mod:`.github`),
policy coverage (:mod:`.coverage`), SARIF 2.1.0 (:mod:`.sarif`).

Only :mod:`.plugin` imports pytest; the rest works on the records alone.
"""
from .coverage import Coverage, compute_coverage
from .records import RunRecords, TestRecord

__all__ = ["Coverage", "RunRecords", "TestRecord", "compute_coverage"]
