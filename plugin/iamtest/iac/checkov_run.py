"""Run iamtest's checkov rules in this process and return every verdict, UNKNOWN included.

checkov's reports hold PASSED, FAILED and SKIPPED records only; the rules
keep their UNKNOWN verdicts in :data:`iamtest.iac.checkov_support.UNKNOWN_RESULTS`,
which this module merges back so a caller sees every resource a rule looked at.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

from .rules_dir import RULE_PREFIX, checkov_rules_dir

FRAMEWORKS = ("terraform", "terraform_plan", "cloudformation")


class CheckovMissing(RuntimeError):
    """checkov is not installed."""


@dataclass(frozen=True)
class RuleResult:
    check_id: str
    check_name: str
    resource: str
    file: Path
    line: Optional[int]
    result: str  # PASSED | FAILED | UNKNOWN
    reason: str


def _require_checkov() -> None:
    try:
        found = importlib.util.find_spec("checkov") is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise CheckovMissing("running the checkov rules needs checkov: pip install 'iamtest[checkov]'")


def _runner(framework: str):
    if framework == "terraform":
        from checkov.terraform.runner import Runner
    elif framework == "terraform_plan":
        from checkov.terraform.plan_runner import Runner
    else:
        from checkov.cloudformation.runner import Runner
    return Runner()


def run_rules(target: Path, skip: Sequence[str] = (), frameworks: Iterable[str] = FRAMEWORKS) -> List[RuleResult]:
    """Every verdict of iamtest's rules on the infrastructure code under ``target`` (a folder or file)."""
    _require_checkov()
    from checkov.runner_filter import RunnerFilter

    from . import checkov_support

    target = Path(target).resolve()
    rules = [str(checkov_rules_dir())]
    results: List[RuleResult] = []
    for framework in frameworks:
        checkov_support.UNKNOWN_RESULTS.clear()
        runner_filter = RunnerFilter(framework=[framework], checks=[f"{RULE_PREFIX}*"],
                                     skip_checks=list(skip))
        if target.is_dir():
            report = _runner(framework).run(root_folder=str(target), external_checks_dir=rules,
                                            runner_filter=runner_filter)
        else:
            report = _runner(framework).run(root_folder=None, files=[str(target)],
                                            external_checks_dir=rules, runner_filter=runner_filter)
        for outcome, records in (("PASSED", report.passed_checks), ("FAILED", report.failed_checks)):
            for record in records:
                reason = (record.details or [None])[0] or record.guideline or ""
                lines = record.file_line_range or [None]
                results.append(RuleResult(record.check_id, record.check_name, record.resource,
                                          Path(record.file_abs_path), lines[0], outcome, reason))
        for unknown in checkov_support.UNKNOWN_RESULTS:
            results.append(RuleResult(unknown["check_id"], unknown["check_name"], unknown["resource"],
                                      Path(unknown["abs_file"] or target), unknown["line"], "UNKNOWN",
                                      unknown["reason"]))
    checkov_support.UNKNOWN_RESULTS.clear()
    return results
