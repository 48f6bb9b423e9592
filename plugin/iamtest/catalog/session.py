"""The catalog checks over a whole test run: each policy checked once.

A test runner (the pytest plugin) keeps one :class:`CatalogChecker` per run
and calls :meth:`CatalogChecker.check` for every case request. Warning
findings are issued as :class:`~iamtest.catalog.warnings.IamtestWarning`
(for every case they concern, so ``-W error::...IamtestWarning`` fails each
of them); the ``catalog-unavailable`` notice is issued once per run. Error
findings are returned for the runner to fail the case with.
"""
from __future__ import annotations

import threading
from typing import Dict, Iterable, List, Optional, Tuple

from ..engine.arn import parse_arn
from ..engine.model import Location, Policy
from .checks import BUCKET_POLICY, bucket_policy_findings, check_case, check_policy
from .findings import Finding
from .warnings import emit


def _is_s3_resource(resource: Optional[str]) -> bool:
    arn = parse_arn(resource)
    return arn is not None and arn.service == "s3"


class CatalogChecker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._policies: Dict[int, Tuple[Policy, List[Finding]]] = {}
        self._notice_sent = False

    def policy_findings(self, policy: Policy, kind: str) -> List[Finding]:
        """``check_policy`` for one policy, computed once per policy object and kind."""
        key = (id(policy), kind)
        with self._lock:
            cached = self._policies.get(key)
        if cached is not None and cached[0] is policy:
            return cached[1]
        found = bucket_policy_findings(policy) if kind == BUCKET_POLICY else check_policy(policy, kind)
        with self._lock:
            self._policies[key] = (policy, found)  # keeps the policy alive: ids stay unique
        return found

    def check(self, action: str, resource: Optional[str], action_location: Optional[Location],
              resource_location: Optional[Location],
              policies: Iterable[Tuple[Policy, str]] = ()) -> List[Finding]:
        """Run the checks for one request; issue its warnings; return its errors."""
        found = check_case(action, resource, action_location, resource_location=resource_location)
        on_s3 = _is_s3_resource(resource)
        for policy, kind in policies:
            found += self.policy_findings(policy, kind)
            if on_s3 and kind == "resource":
                found += self.policy_findings(policy, BUCKET_POLICY)
        errors = []
        for item in found:
            if item.is_error:
                errors.append(item)
                continue
            if item.id == "catalog-unavailable":
                with self._lock:
                    if self._notice_sent:
                        continue
                    self._notice_sent = True
            emit(item)
        return errors
