"""What the checkov rules in ``rules/`` share: read the scanned resource's policy, judge it, report.

A rule file is a thin checkov class that calls one of the ``*_result``
functions here with a rule from :mod:`iamtest.iac.rules_logic`. The finding's
reason goes to checkov's ``details``. A policy that cannot be read
statically is UNKNOWN, never PASSED: checkov leaves UNKNOWN results out of
its report, so each one is also logged as a warning and kept in
:data:`UNKNOWN_RESULTS` for callers that run checkov in-process (the pytest
integration turns them into errors).
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List

from ..engine.model import PolicyError
from .checkov_locate import relative_file, scanned_path
from .checkov_subjects import Subject, cloudformation_subject, terraform_subject
from .probes import FAILED, PASSED, UNKNOWN, Finding
from .rules_logic import bucket_requires_endpoint

LOG = logging.getLogger("iamtest.checkov")

#: UNKNOWN verdicts of this process: dicts with check_id, check_name, file (as checkov shows
#: it), abs_file (or None), line, resource and reason.
UNKNOWN_RESULTS: List[Dict[str, Any]] = []

EndpointRule = Callable[..., Finding]


def _first_line(conf: Dict[str, Any]) -> Any:
    for part in (conf, conf.get("Properties")):
        if isinstance(part, dict):
            for key in ("__start_line__", "__startline__"):
                if isinstance(part.get(key), int):
                    return part[key]
    return None


def _report(check: Any, conf: Dict[str, Any], finding: Finding, in_guideline: bool = False):
    from checkov.common.models.enums import CheckResult

    check.details.append(finding.reason)
    if in_guideline:
        # checkov's CloudFormation runner does not copy `details` into its report;
        # the guideline, read right after this scan for this resource, is shown.
        check.guideline = finding.reason
    if finding.result == PASSED:
        return CheckResult.PASSED
    if finding.result == FAILED:
        return CheckResult.FAILED
    where = relative_file(check)
    address = conf.get("__address__")
    resource = str(address[0] if isinstance(address, list) else address) if address else \
        ".".join(str(check.entity_path).split(":", 1)[-1].rsplit(":", 1))
    located = scanned_path(check, str(address[0] if isinstance(address, list) else address)
                           if address else None)
    UNKNOWN_RESULTS.append({"check_id": check.id, "check_name": check.name, "file": where,
                            "abs_file": str(located[0]) if located else None,
                            "line": _first_line(conf), "resource": resource, "reason": finding.reason})
    LOG.warning("%s on %s (%s): UNKNOWN: %s", check.id, resource, where, finding.reason)
    return CheckResult.UNKNOWN


def endpoint_finding(subject: Subject, rule: EndpointRule) -> Finding:
    """The rule's verdict on an endpoint subject, with gateway or interface semantics."""
    if subject.error:
        return Finding(UNKNOWN, f"the policy cannot be read statically: {subject.error}")
    kinds = ("gateway", "interface") if subject.endpoint_type is None else (subject.endpoint_type,)
    if kinds[0] not in ("gateway", "interface"):
        return Finding(UNKNOWN, f"{subject.endpoint_type} endpoints take no endpoint policy: "
                       "nothing to judge")
    findings = []
    for kind in kinds:
        try:
            findings.append(rule(subject.doc, gateway=kind == "gateway",
                                 service_name=subject.service_name, source=subject.source or "<policy>",
                                 locations=subject.locations))
        except (PolicyError, ValueError) as err:
            return Finding(UNKNOWN, f"the policy could not be evaluated: {err}")
    if len({f.result for f in findings}) == 1:
        return findings[0]
    return Finding(UNKNOWN, "the verdict depends on whether the endpoint is a gateway or an "
                   "interface endpoint, which cannot be read statically: as a gateway endpoint: "
                   f"{findings[0].reason}; as an interface endpoint: {findings[1].reason}")


def bucket_finding(subject: Subject) -> Finding:
    if subject.error:
        return Finding(UNKNOWN, f"the policy cannot be read statically: {subject.error}")
    if subject.doc is None:
        return Finding(FAILED, "the bucket policy resource sets no policy")
    try:
        return bucket_requires_endpoint(subject.doc, source=subject.source, locations=subject.locations)
    except (PolicyError, ValueError) as err:
        return Finding(UNKNOWN, f"the policy could not be evaluated: {err}")


def terraform_endpoint_result(check: Any, conf: Dict[str, Any], rule: EndpointRule):
    return _report(check, conf, endpoint_finding(terraform_subject(check, conf), rule))


def cloudformation_endpoint_result(check: Any, conf: Dict[str, Any], rule: EndpointRule):
    return _report(check, conf, endpoint_finding(
        cloudformation_subject(check, conf, "PolicyDocument"), rule), in_guideline=True)


def terraform_bucket_result(check: Any, conf: Dict[str, Any]):
    return _report(check, conf, bucket_finding(terraform_subject(check, conf)))


def cloudformation_bucket_result(check: Any, conf: Dict[str, Any]):
    return _report(check, conf, bucket_finding(cloudformation_subject(check, conf, "PolicyDocument")),
                   in_guideline=True)
