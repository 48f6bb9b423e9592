"""Evaluator throughput: decisions per second on one core, for three policy shapes.

* ``single``: one identity policy (20 statements) on the request path;
* ``four_layer``: identity, resource (bucket), VPC endpoint and one SCP level,
  every one with conditions, S3 requests only;
* ``large``: 50 identity policies of 20 statements each (1,000 statements).

Policies are parsed once and requests built once before timing, as the
pytest plugin does per session; :func:`request_throughput` times building
requests (``make_request``) separately. Each figure is the best of a few
timed rounds of this process's CPU time (``time.process_time``: what one core
spends, not disturbed by other processes waiting for it), every round
cycling through a fixed list of requests of every kind (allowed, implicitly
and explicitly denied).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

from . import data

@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    policies: object          # iamtest.PolicySet
    requests: Tuple           # iamtest.Request
    generated: Tuple[data.GenRequest, ...]


def _fixed_now():
    import datetime as dt

    return dt.datetime(2025, 1, 15, 12, 0, 0, tzinfo=dt.timezone.utc)


def build_requests(generated: Sequence[data.GenRequest]) -> Tuple:
    from iamtest import make_request

    now = _fixed_now()
    resource_account = data.ACCOUNT
    return tuple(make_request(g.principal, g.action, g.resource, resource_account=resource_account,
                              context=g.full_context(), now=now) for g in generated)


def _identity(k: int):
    from iamtest import parse_policy

    return parse_policy(data.identity_policy(k), source=f"role-{k:03d}.json", kind="identity")


def single_workload(count: int = 200) -> Workload:
    from iamtest import PolicySet

    generated = tuple(data.requests_for(1, count))
    return Workload("single", "(a) one identity policy, 20 statements",
                    PolicySet(identity=(_identity(0),)), build_requests(generated), generated)


def guardrails():
    """The parsed bucket, endpoint and SCP policies of the four-layer path."""
    from iamtest import parse_policy

    return (parse_policy(data.bucket_policy(), source="bench-buckets.json", kind="resource"),
            parse_policy(data.endpoint_policy(), source="bench-s3.json", kind="endpoint"),
            parse_policy(data.scp_policy(), source="bench-scp.json", kind="scp"))


def four_layer_workload(count: int = 200) -> Workload:
    from iamtest import PolicySet

    bucket, endpoint, scp = guardrails()
    generated = tuple(data.requests_for(1, count, services=("s3",)))
    policies = PolicySet(identity=(_identity(0),), resource=bucket, endpoint=endpoint, scp=((scp,),))
    return Workload("four_layer", "(b) identity + bucket + endpoint + SCP, with conditions",
                    policies, build_requests(generated), generated)


def large_workload(count: int = 200, policies: int = 50) -> Workload:
    from iamtest import PolicySet

    parsed = tuple(_identity(k) for k in range(policies))
    generated = tuple(data.requests_for(policies, count))
    return Workload("large", f"(c) {policies} identity policies of 20 statements",
                    PolicySet(identity=parsed), build_requests(generated), generated)


def workloads(count: int = 200) -> List[Workload]:
    return [single_workload(count), four_layer_workload(count), large_workload(count)]


def check(workload: Workload) -> List[str]:
    """Requests whose decision differs from the generator's expectation (should be none)."""
    from iamtest import decide

    wrong = []
    for g, request in zip(workload.generated, workload.requests):
        decision = decide(workload.policies, request)
        if not decision.expectation_matches(g.expect):
            wrong.append(f"{workload.name}: {g.kind} {request.describe()}: expected {g.expect}, "
                         f"got {decision.effect}")
    return wrong


def _best_rate(run: Callable[[int], None], per_call: int, seconds: float, rounds: int) -> float:
    """Calls per second: the best of ``rounds`` rounds of about ``seconds`` each."""
    loops = 1
    while True:  # calibrate: enough loops for a round to last ~seconds / 5
        start = time.process_time()
        run(loops)
        took = time.process_time() - start
        if took >= seconds / 5 or loops >= 1 << 20:
            break
        loops *= 2
    loops = max(1, int(loops * (seconds / max(took, 1e-9))))
    best = 0.0
    for _ in range(rounds):
        start = time.process_time()
        run(loops)
        took = time.process_time() - start
        best = max(best, loops * per_call / took)
    return best


def decide_throughput(workload: Workload, seconds: float = 1.0, rounds: int = 3) -> float:
    """``decide`` calls per second over the workload's requests."""
    from iamtest import decide

    policies, requests = workload.policies, workload.requests

    def run(loops: int) -> None:
        for _ in range(loops):
            for request in requests:
                decide(policies, request)

    return _best_rate(run, len(requests), seconds, rounds)


def request_throughput(workload: Workload, seconds: float = 1.0, rounds: int = 3) -> float:
    """``make_request`` + ``decide`` per second (what one access-test case costs the engine)."""
    from iamtest import decide, make_request

    policies = workload.policies
    args = [(g.principal, g.action, g.resource, g.full_context()) for g in workload.generated]

    def run(loops: int) -> None:
        for _ in range(loops):
            for principal, action, resource, context in args:
                decide(policies, make_request(principal, action, resource, data.ACCOUNT, context))

    return _best_rate(run, len(args), seconds, rounds)


def run_all(seconds: float = 1.0, rounds: int = 3, count: int = 200) -> Dict[str, dict]:
    """Every evaluator figure: name -> {title, decide_per_s, request_and_decide_per_s, wrong}."""
    out = {}
    for workload in workloads(count):
        out[workload.name] = {
            "title": workload.title,
            "requests": len(workload.requests),
            "wrong": check(workload),
            "decide_per_s": decide_throughput(workload, seconds, rounds),
            "request_and_decide_per_s": request_throughput(workload, seconds, rounds),
        }
    return out
