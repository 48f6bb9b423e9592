"""Prover timings: ``python -m iamtest.prove.bench`` (``--json``, ``--quick``).

:func:`run` returns the distribution of decision times (one property or one
diff each) over three groups of questions, generated here deterministically:

* ``typical``: the seed's perimeter (endpoint + bucket + identity policies),
  the five properties of the example repository, written in code;
* ``large``: 50 statements and 40 wildcard resources per policy, with
  conditions, for properties and for a diff;
* ``diff``: typical ``iamtest diff`` comparisons (a widened endpoint, a
  refactor, a new cross-account grant);

and, when ``fixtures_dir`` (or ``./fixtures``) holds the example repository,
``fixtures``: every property of its access-test files. Nothing here asserts
a timing; the benchmark command reports them.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

V = "2012-10-17"
ACCOUNT = "123456789012"
VPCE = "vpce-0abc1234def56789"


def _policy(kind: str, statements: List[dict], source: str):
    from ..engine.parse import parse_policy
    return parse_policy({"Version": V, "Statement": statements}, source=source, kind=kind)


def _allow_all(kind: str):
    from ..engine.parse import allow_all_policy
    return allow_all_policy(kind)


# -- the seed's perimeter ------------------------------------------------------------------------

def _typical() -> List[Tuple[str, Callable[[], object]]]:
    from ..engine.layers import PolicySet
    from .property import check_property
    ours = ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*",
            "arn:aws:s3:::my-logs-bucket", "arn:aws:s3:::my-logs-bucket/*"]
    endpoint = _policy("endpoint", [{"Effect": "Allow", "Principal": "*",
                                     "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                                     "Resource": ours}], "endpoint.json")
    bucket = _policy("resource", [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ours[:2],
                                   "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE}}}], "bucket.json")
    roles = [f"arn:aws:iam::{ACCOUNT}:role/AppServiceRole", f"arn:aws:iam::{ACCOUNT}:role/DataPipelineRole"]
    seed = _policy("endpoint", [{"Effect": "Allow", "Principal": {"AWS": roles}, "Action": "s3:*",
                                 "Resource": "*"}], "seed.json")
    fixed = _policy("endpoint", [{"Effect": "Allow", "Principal": {"AWS": roles}, "Action": "s3:*", "Resource": "*"},
                                 {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/OrdersLambdaRole"},
                                  "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ours[1]}], "fixed.json")
    lam = _policy("identity", [{"Effect": "Allow", "Action": "s3:GetObject",
                                "Resource": "arn:aws:s3:::my-company-bucket/config/*"}], "lambda.json")
    sessions = f"arn:aws:sts::{ACCOUNT}:assumed-role/OrdersLambdaRole/*"
    read_config = {"principal": sessions, "action": "s3:GetObject",
                   "resource": "arn:aws:s3:::my-company-bucket/config/*", "resource_account": ACCOUNT,
                   "context": {"aws:SourceVpce": VPCE}}
    cases = [
        ("endpoint keeps data in our buckets", PolicySet(identity=(_allow_all("identity"),),
                                                         resource=_allow_all("resource"), endpoint=endpoint),
         {"name": "a", "never": {"action": "s3:*", "resource": {"not": ours}}}),
        ("bucket refuses requests from outside", PolicySet(identity=(_allow_all("identity"),), resource=bucket),
         {"name": "b", "never": {"principal": {"not": f"arn:aws:iam::{ACCOUNT}:root"}, "action": "s3:*",
                                 "resource": ours[:2], "resource_account": ACCOUNT,
                                 "context": {"aws:SourceVpce": {"not": VPCE}}}}),
        ("forgotten Lambda role never passes", PolicySet(identity=(_allow_all("identity"),), endpoint=seed),
         {"name": "c", "never": {"principal": sessions, "action": "s3:*"}}),
        ("fixed list lets Lambda read config", PolicySet(identity=(lam,), resource=bucket, endpoint=fixed),
         {"name": "d", "always": read_config}),
        ("seed list forgets Lambda", PolicySet(identity=(lam,), resource=bucket, endpoint=seed),
         {"name": "e", "always": read_config}),
    ]
    return [(label, (lambda p=prop, s=ps: check_property(p, s))) for label, ps, prop in cases]


# -- 50 statements, 40 wildcard resources --------------------------------------------------------

_ACTIONS = (["s3:Get*", "s3:PutObject"], ["s3:ListBucket"], ["dynamodb:Query", "dynamodb:GetItem"],
            ["sqs:SendMessage"], ["kms:Decrypt", "kms:GenerateDataKey*"])


def _wildcards(n: int = 40) -> List[str]:
    return [f"arn:aws:s3:::team-{i:02d}-*/data/*" for i in range(n)]


def _large_statements(widen: Optional[int] = None) -> List[dict]:
    resources = _wildcards()
    out = []
    for i in range(50):
        res = [resources[(i * 3 + k) % 40] for k in range(3)]
        if widen == i:
            res = ["arn:aws:s3:::*"]
        stmt = {"Sid": f"S{i:02d}", "Effect": "Allow", "Action": _ACTIONS[i % len(_ACTIONS)], "Resource": res}
        if i % 4 == 1:
            stmt["Condition"] = {"StringEquals": {"aws:PrincipalTag/team": f"team-{i % 7}"}}
        elif i % 4 == 2:
            stmt["Condition"] = {"IpAddress": {"aws:SourceIp": f"10.{i}.0.0/16"}}
        elif i % 4 == 3:
            stmt["Condition"] = {"StringLike": {"s3:prefix": [f"home/{i}/*", "shared/*"]}}
        out.append(stmt)
    out.append({"Sid": "DenyNoTls", "Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    return out


def _large() -> List[Tuple[str, Callable[[], object]]]:
    from ..engine.layers import PolicySet
    from .findings import Differ
    from .property import check_property
    identity = _policy("identity", _large_statements(), "large-identity.json")
    endpoint = _policy("endpoint", [{"Sid": f"E{i:02d}", "Effect": "Allow", "Principal": "*", "Action": "s3:*",
                                     "Resource": [r, r.rsplit("/data/", 1)[0]]}
                                    for i, r in enumerate(_wildcards())] +
                       [{"Sid": f"X{i:02d}", "Effect": "Deny", "Principal": "*", "Action": "s3:Delete*",
                         "Resource": _wildcards()[i]} for i in range(10)], "large-endpoint.json")
    ps = PolicySet(identity=(identity,), endpoint=endpoint)
    widened = PolicySet(identity=(_policy("identity", _large_statements(widen=5), "large-identity.json"),),
                        endpoint=endpoint)
    role = f"arn:aws:sts::{ACCOUNT}:assumed-role/App/*"
    not_root = {"not": "arn:*:iam::*:root"}  # the root user has full access in its account
    inside = _wildcards() + [r.rsplit("/data/", 1)[0] for r in _wildcards()]
    return [
        ("50 statements: nothing outside the 40 patterns",
         lambda: check_property({"name": "l1", "never": {"action": "s3:*", "resource": {"not": inside}}}, ps)),
        ("50 statements: never delete",
         lambda: check_property({"name": "l2", "never": {"principal": not_root, "action": "s3:Delete*"}}, ps)),
        ("50 statements: team-07 always readable",
         lambda: check_property({"name": "l3", "always": {
             "principal": role, "action": "s3:GetObject", "resource": "arn:aws:s3:::team-07-x/data/*",
             "resource_account": ACCOUNT}}, ps)),
        ("50 statements: diff of one widened statement",
         lambda: Differ(ps, widened).compare()),
    ]


def _diffs() -> List[Tuple[str, Callable[[], object]]]:
    from ..engine.layers import PolicySet
    from .findings import Differ
    ours = ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*"]
    old = _policy("endpoint", [{"Sid": "Own", "Effect": "Allow", "Principal": "*",
                                "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ours}], "e.json")
    wide = _policy("endpoint", [{"Sid": "Own", "Effect": "Allow", "Principal": "*",
                                 "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ours + ["arn:aws:s3:::partner-*"]}],
                   "e.json")
    refactor = _policy("endpoint", [{"Sid": "Put", "Effect": "Allow", "Principal": "*", "Action": "S3:PUTOBJECT",
                                     "Resource": ours}, {"Sid": "Get", "Effect": "Allow", "Principal": "*",
                                                         "Action": "s3:getobject", "Resource": ours[::-1]}], "e.json")
    bucket_old = _policy("resource", [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                       "Action": "s3:GetObject", "Resource": ours[1]}], "b.json")
    bucket_new = _policy("resource", [{"Effect": "Allow", "Principal": {"AWS": [ACCOUNT, "444455556666"]},
                                       "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ours}], "b.json")
    return [
        ("endpoint widened", lambda: Differ(PolicySet(endpoint=old), PolicySet(endpoint=wide), layer="endpoint").compare()),
        ("endpoint refactored", lambda: Differ(PolicySet(endpoint=old), PolicySet(endpoint=refactor),
                                               layer="endpoint").compare()),
        ("bucket opened to a partner", lambda: Differ(PolicySet(identity=(_allow_all("identity"),), resource=bucket_old),
                                                      PolicySet(identity=(_allow_all("identity"),), resource=bucket_new)
                                                      ).compare()),
    ]


def _fixtures(folder: Path) -> List[Tuple[str, Callable[[], object]]]:
    from ..spec import PolicyLoader, load_spec_file
    from .property import check_property
    loader = PolicyLoader()
    out = []
    for path in sorted(folder.rglob("*.iamtest.yaml")):
        spec = load_spec_file(path)
        for prop in spec.properties:
            ps = loader.policy_set(prop.policies, prop.endpoint_type)
            out.append((f"{path.name}: {prop.name}", (lambda p=prop, s=ps: check_property(p, s))))
    return out


# -- measuring -----------------------------------------------------------------------------------

def _summary(times: List[float]) -> Dict[str, float]:
    ordered = sorted(times)
    n = len(ordered)
    return {"count": n, "min_ms": round(ordered[0], 1), "median_ms": round(statistics.median(ordered), 1),
            "p90_ms": round(ordered[min(n - 1, int(0.9 * n))], 1), "max_ms": round(ordered[-1], 1),
            "under_1s": sum(1 for t in ordered if t < 1000) / n}


def _outcome(answer) -> str:
    """What the question answered: proven / counterexample, or added / no new access."""
    if hasattr(answer, "proven"):
        return "proven" if answer.proven else "counterexample"
    return "added" if answer.added else "no new access"


def run(quick: bool = False, rounds: Optional[int] = None, fixtures_dir: Optional[str] = None) -> dict:
    """Time every question ``rounds`` times; the distribution per group, and per question."""
    from ._z3 import z3mod
    z3 = z3mod()
    rounds = rounds or (1 if quick else 5)
    groups = {"typical": _typical(), "large": _large(), "diff": _diffs()}
    folder = Path(fixtures_dir) if fixtures_dir else Path("fixtures")
    if folder.is_dir():
        groups["fixtures"] = _fixtures(folder)
    report: Dict[str, object] = {"z3_version": z3.get_version_string(), "rounds": rounds, "groups": {}}
    for group, questions in groups.items():
        times: List[float] = []
        each = {}
        for label, ask in questions:
            mine = []
            outcome = None
            for _ in range(rounds):
                start = time.perf_counter()
                answer = ask()
                mine.append((time.perf_counter() - start) * 1000)
                outcome = _outcome(answer)
            times += mine
            each[label] = {"median_ms": round(statistics.median(mine), 1), "outcome": outcome}
        summary = _summary(times)
        summary["questions"] = each
        report["groups"][group] = summary
    return report


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    report = run(quick="--quick" in argv)
    if "--json" in argv:
        print(json.dumps(report, indent=2))
        return 0
    print(f"prover timings (z3 {report['z3_version']}, {report['rounds']} round(s) per question)")
    for group, s in report["groups"].items():
        print(f"  {group:<9} n={s['count']:<3} median {s['median_ms']:>7.1f} ms  p90 {s['p90_ms']:>7.1f} ms  "
              f"max {s['max_ms']:>7.1f} ms  under 1 s: {s['under_1s']:.0%}")
        for label, q in s["questions"].items():
            print(f"      {q['median_ms']:>8.1f} ms  {label} [{q['outcome']}]")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
