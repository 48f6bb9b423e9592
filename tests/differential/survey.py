"""Long local runs: compare many generated cases and collect every disagreement.

The pytest test stops at the first disagreement and shrinks it; this tool keeps
going, so one long run shows every class of disagreement at once::

    .venv/bin/python -m tests.differential.survey --examples 20000 --seed 1 --out /tmp/diff.jsonl

Each disagreement is written as one JSON line (the case, both answers, the
reference's blocking layers); a summary is printed at the end. The exit status
is 1 when any disagreement was found.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter

from hypothesis import HealthCheck, Phase, given, seed, settings

from .adapter import OracleRejected, iamtest_decision, oracle_decision
from .divergences import known_divergence
from .oracle import Oracle, unavailable_reason
from .reduce import reduce_case
from .strategies import cases


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "iamtest-disagreements.jsonl"))
    parser.add_argument("--reduce", action="store_true", help="shrink each disagreement before writing it")
    args = parser.parse_args(argv)
    reason = unavailable_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    outcomes: Counter = Counter()
    filtered: Counter = Counter()
    found = []
    with Oracle() as oracle, open(args.out, "w", encoding="utf-8") as out:
        @seed(args.seed)
        @settings(max_examples=args.examples, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=cases())
        def run(case):
            divergence = known_divergence(case)
            if divergence:
                filtered[divergence] += 1
                return
            try:
                ours, _ = iamtest_decision(case)
            except ValueError as err:  # PolicyError and RequestError are ValueErrors
                outcomes["iamtest refused"] += 1
                out.write(json.dumps({"iamtest_refused": str(err), "case": json.loads(case.to_json())}) + "\n")
                return
            try:
                theirs, answer = oracle_decision(oracle, case)
            except OracleRejected as err:
                outcomes["reference refused"] += 1
                out.write(json.dumps({"refused": str(err), "case": json.loads(case.to_json())}) + "\n")
                return
            if ours.effect == theirs:
                outcomes[ours.effect] += 1
                return
            outcomes[f"iamtest {ours.effect} / reference {theirs}"] += 1
            found.append(case)

            def same_disagreement(candidate):
                if known_divergence(candidate):
                    return False
                return (iamtest_decision(candidate)[0].effect == ours.effect
                        and oracle_decision(oracle, candidate)[0] == theirs)

            small = reduce_case(case, same_disagreement) if args.reduce else case
            out.write(json.dumps({"iamtest": ours.effect, "reference": theirs,
                                  "blocked_by": answer.get("blockedBy"),
                                  "case": json.loads(small.to_json())}) + "\n")

        run()
    print(f"cases: {sum(outcomes.values()) + sum(filtered.values())}")
    for key, count in sorted(outcomes.items()):
        print(f"  {key}: {count}")
    for key, count in sorted(filtered.items()):
        print(f"  left out ({key}): {count}")
    print(f"disagreements: {len(found)} (written to {args.out})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
