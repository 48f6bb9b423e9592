"""iamtest and an independent evaluator must give the same answer to every generated case.

The reference is ``@cloud-copilot/iam-simulate`` (see docs/differential.md).
Hypothesis writes policies on every layer and a request; both evaluators
decide; any difference in the effect (Allow, ExplicitDeny, ImplicitDeny) fails
with both answers, the policies, the request and iamtest's explanation.

Cases in a class where the reference is known to depart from the AWS
documentation are left out and counted (divergences.py); iamtest's behaviour
on each class is pinned in test_known_divergences.py.

Budget: ``IAMTEST_DIFF_EXAMPLES`` (default 400, with a fixed seed so CI runs
the same cases every time). ``IAMTEST_DIFF_SEED`` picks another seed for a
long local run.
"""
from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, assume, given, seed, settings

from .adapter import iamtest_decision, oracle_decision, to_simulation
from .divergences import known_divergence
from .stats import STATS
from .strategies import cases

EXAMPLES = int(os.environ.get("IAMTEST_DIFF_EXAMPLES", "400"))
SEED = os.environ.get("IAMTEST_DIFF_SEED")


def explain(decision, request) -> str:
    try:
        from iamtest.explain import render_text
        return render_text(decision, request)
    except Exception as err:  # the explanation is a courtesy; the verdicts are the test
        return f"(no explanation: {err})"


def disagreement_report(case, ours, request, theirs, answer) -> str:
    derived = {k: v for k, v in sorted(request.context.as_dict().items())}
    return "\n".join([
        f"iamtest says {ours.effect}, the reference says {theirs}",
        "",
        "case (policies and request):",
        case.to_json(),
        "",
        "request context as iamtest built it:",
        json.dumps(derived, indent=2, default=str),
        "",
        "reference input context:",
        json.dumps(to_simulation(case)["request"]["contextVariables"], indent=2),
        f"reference blocked by: {answer.get('blockedBy')}",
        "",
        "iamtest's explanation:",
        explain(ours, request),
    ])


def _settings(test):
    common = dict(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    if SEED is not None:
        return seed(int(SEED))(settings(**common)(test))
    return settings(derandomize=True, **common)(test)


@_settings
@given(case=cases())
def test_iamtest_agrees_with_the_reference_evaluator(oracle, case):
    divergence = known_divergence(case)
    if divergence:
        STATS.filtered[divergence] += 1
        assume(False)
    ours, request = iamtest_decision(case)
    theirs, answer = oracle_decision(oracle, case)
    if ours.effect != theirs:
        STATS.disagreements += 1
        raise AssertionError(disagreement_report(case, ours, request, theirs, answer))
    STATS.outcomes[ours.effect] += 1
