"""``python -m iamtest.bench``: run every benchmark and print the figures with the targets.

Options: ``--quick`` (a smaller repo, shorter rounds: about a minute),
``--json`` (the whole report as JSON on stdout), ``--repeats N`` (runs per
pytest configuration), ``--cases N`` (cases in the generated repo),
``--skip-plugin``, ``--skip-node``, ``--skip-prover``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from typing import Dict, List, Optional

from . import evaluator, node
from .repo import RepoShape

#: The targets of the benchmark (docs/performance.md): (figure, comparison, bound).
TARGETS = {
    "single": ("evaluations/s, one identity policy", ">=", 100_000),
    "four_layer": ("evaluations/s, four layers", ">=", 30_000),
    "wall": ("plugin wall time / pytest floor", "<=", 1.5),
    "maxrss": ("plugin peak memory / pytest floor", "<=", 1.5),
    "collect_wall": ("collection time / floor's collection", "<=", 2.0),
}


def machine() -> Dict[str, object]:
    """What the figures were measured on."""
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            memory = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {"cpu": cpu, "cores": usable, "memory_gb": memory, "system": platform.platform(),
            "python": platform.python_version(), "load_at_start": load}


def _prover(quick: bool) -> Dict[str, object]:
    try:
        from iamtest.prove import bench as prove_bench
    except ImportError as exc:
        return {"available": False, "reason": f"the prover is not installed ({exc})"}
    runner = getattr(prove_bench, "run", None)
    if runner is None:
        return {"available": False, "reason": "iamtest.prove.bench has no run()"}
    try:
        report = runner(quick=quick)
    except Exception as exc:  # a broken optional part must not stop the other figures
        return {"available": False, "reason": f"{type(exc).__name__}: {exc}"}
    return {"available": True, **report}


def verdicts(report: Dict[str, object]) -> Dict[str, dict]:
    """Each target with the measured value and whether it is met."""
    out = {}
    figures = dict((name, info["decide_per_s"]) for name, info in report.get("evaluator", {}).items())
    ratios = (report.get("plugin") or {}).get("ratios", {})
    figures.update(ratios)
    for name, (label, op, bound) in TARGETS.items():
        value = figures.get(name)
        met = None if value is None else (value >= bound if op == ">=" else value <= bound)
        out[name] = {"label": label, "target": f"{op} {bound:g}", "value": value, "met": met}
    return out


def run(args) -> Dict[str, object]:
    started = time.perf_counter()
    progress = (lambda message: None) if args.json else \
        (lambda message: print(f"  ... {message}", file=sys.stderr, flush=True))
    report: Dict[str, object] = {"machine": machine(), "quick": args.quick}
    seconds, rounds = (0.3, 2) if args.quick else (1.0, 3)

    progress("evaluator throughput")
    report["evaluator"] = evaluator.run_all(seconds=seconds, rounds=rounds)
    four = evaluator.four_layer_workload()
    if not args.skip_node:
        progress("@cloud-copilot/iam-simulate under Node.js")
        peer = node.run(four, seconds=seconds, rounds=rounds)
        if peer.get("available"):
            two = evaluator.decide_throughput(node.two_layer(four), seconds, rounds)
            peer["iamtest_four_layer_per_s"] = report["evaluator"]["four_layer"]["decide_per_s"]
            peer["iamtest_two_layer_per_s"] = two
            peer["ratio_validated"] = peer["iamtest_four_layer_per_s"] / peer["validated"]["per_s"]
            peer["ratio_unvalidated"] = two / peer["unvalidated"]["per_s"]
        report["node"] = peer
    if not args.skip_prover:
        progress("prover timings (iamtest.prove.bench)")
        report["prover"] = _prover(args.quick)
    if not args.skip_plugin:
        cases = args.cases or (2_000 if args.quick else 10_000)
        repeats = args.repeats or (1 if args.quick else 3)
        shape = RepoShape(cases=cases, policy_files=50, test_files=50)
        from . import plugin_run

        report["plugin"] = plugin_run.run_all(shape, repeats=repeats, progress=progress)
    report["targets"] = verdicts(report)
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def _rate(value: float) -> str:
    return f"{value:>10,.0f}/s"


def render(report: Dict[str, object]) -> str:
    m = report["machine"]
    lines = [f"iamtest benchmarks{' (quick)' if report.get('quick') else ''}",
             f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}; "
             f"{m['system']}; load at start {m.get('load_at_start')}", "",
             "evaluator (decide calls per second of one core's CPU time, best of rounds)"]
    for info in report["evaluator"].values():
        bad = f"  [{len(info['wrong'])} decisions differ from the expectation!]" if info["wrong"] else ""
        lines.append(f"  {info['title']:<58}{_rate(info['decide_per_s'])}   with make_request "
                     f"{_rate(info['request_and_decide_per_s'])}{bad}")
    peer = report.get("node")
    if peer is not None:
        lines += ["", "the same four-layer requests through @cloud-copilot/iam-simulate (Node.js)"]
        if not peer.get("available"):
            lines.append(f"  not run: {peer['reason']}")
        else:
            v, u = peer["validated"], peer["unvalidated"]
            lines.append(f"  {'runSimulation (validated), four layers':<58}{_rate(v['per_s'])}   "
                         f"iamtest is {peer['ratio_validated']:.1f}x  (agrees {v['agree']}/{v['of']})")
            lines.append(f"  {'runUnsafeSimulation, identity + SCP':<58}{_rate(u['per_s'])}   "
                         f"iamtest is {peer['ratio_unvalidated']:.1f}x  (agrees {u['agree']}/{u['of']})")
            lines.append(f"  (iam-simulate {peer['version']}; iamtest on identity + SCP: "
                         f"{peer['iamtest_two_layer_per_s']:,.0f}/s)")
    prover = report.get("prover")
    if prover is not None:
        lines += ["", "prover (iamtest.prove.bench: time per question)"]
        if not prover.get("available"):
            lines.append(f"  not run: {prover['reason']}")
        else:
            for group, s in prover.get("groups", {}).items():
                lines.append(f"  {group:<10} n={s['count']:<3} median {s['median_ms']:>8.1f} ms   "
                             f"p90 {s['p90_ms']:>8.1f} ms   max {s['max_ms']:>8.1f} ms")
    plugin = report.get("plugin")
    if plugin is not None:
        shape = plugin["shape"]
        lines += ["", f"pytest end to end: {shape['cases']:,} cases over {shape['policy_files']} policy files "
                      f"in {shape['test_files']} files, against {shape['cases']:,} trivial tests "
                      f"(median of {plugin['repeats']} runs)"]
        for label, r in plugin["runs"].items():
            flag = "" if r["ok"] else f"   UNEXPECTED: {r['tail']}"
            lines.append(f"  {label:<16} wall {r['wall_s']:>7.2f} s   cpu {r['cpu_s']:>7.2f} s   "
                         f"peak {r['maxrss_mb']:>6.1f} MB{flag}")
        ratios = plugin["ratios"]
        lines.append(f"  ratios: wall {ratios['wall']:.2f}x, cpu {ratios['cpu']:.2f}x, "
                     f"peak memory {ratios['maxrss']:.2f}x, collection {ratios['collect_wall']:.2f}x "
                     f"(cpu {ratios['collect_cpu']:.2f}x)"
                     + (f", -n 2 / -n 0 wall {ratios['n2_vs_n0_wall']:.2f}x" if "n2_vs_n0_wall" in ratios else ""))
        if "coverage_wall" in ratios:
            lines.append(f"  with --iamtest-coverage (every case's result on its report): wall "
                         f"{ratios['coverage_wall']:.2f}x, peak memory {ratios['coverage_maxrss']:.2f}x "
                         f"the floor")
    lines += ["", "targets"]
    for info in report["targets"].values():
        value = info["value"]
        shown = "not measured" if value is None else (f"{value:,.0f}" if value > 100 else f"{value:.2f}")
        state = {True: "met", False: "NOT met", None: "-"}[info["met"]]
        lines.append(f"  {info['label']:<42} {info['target']:<10} measured {shown:<12} {state}")
    lines.append(f"\n({report['seconds']} s)")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m iamtest.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller repo and shorter rounds (about a minute)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--cases", type=int, default=None, help="cases in the generated repo (10,000)")
    parser.add_argument("--repeats", type=int, default=None, help="runs per pytest configuration (3)")
    parser.add_argument("--skip-plugin", action="store_true", help="no pytest runs")
    parser.add_argument("--skip-node", action="store_true", help="no Node.js comparison")
    parser.add_argument("--skip-prover", action="store_true", help="no prover timings")
    args = parser.parse_args(argv)
    report = run(args)
    print(json.dumps(report, indent=2, default=str) if args.json else render(report))
    return 0
