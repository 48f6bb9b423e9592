"""The pytest plugin end to end: generated repos run by pytest in child processes.

Every run goes through a fresh wrapper process that starts pytest, waits for
it and reports the wall time, the CPU time and the peak resident memory of
its children (``resource.getrusage(RUSAGE_CHILDREN)``: with ``-n 2`` that is
the largest single process, the controller or a worker). A fresh wrapper per
run means no earlier run can leak into a figure.

The floor is pytest itself: the same number of trivial tests
(``def test_n(): pass``) in the same layout, with the iamtest plugin blocked
(``-p no:iamtest``) so that importing it counts against iamtest. Runs of the
floor and of iamtest alternate, and each figure is the median of the repeats.
"""
from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from .repo import RepoShape, write_access_repo, write_floor_repo

_WRAPPER = r"""
import json, resource, subprocess, sys, time
cmd, cwd, out = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
start = time.perf_counter()
with open(out, "wb") as fh:
    rc = subprocess.run(cmd, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT).returncode
wall = time.perf_counter() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss}))
"""

_COUNTS = re.compile(r"(\d+) (passed|failed|errors?|skipped|tests? collected|deselected|xfailed|xpassed)")


@dataclass(frozen=True)
class Run:
    """One pytest run as the wrapper saw it."""

    rc: int
    wall: float
    cpu: float
    maxrss_kb: int
    counts: Dict[str, int]
    tail: str


def pytest_command(extra: Sequence[str], floor: bool) -> List[str]:
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    if floor:
        cmd += ["-p", "no:iamtest"]
    return cmd + list(extra) + ["tests"]


def run_once(root: Path, extra: Sequence[str], floor: bool) -> Run:
    """Run pytest once under a fresh wrapper process."""
    with tempfile.NamedTemporaryFile(prefix="iamtest-bench-", suffix=".out", delete=False) as fh:
        out = Path(fh.name)
    try:
        env = dict(os.environ)
        env.pop("PYTEST_ADDOPTS", None)
        env.pop("PYTEST_XDIST_WORKER", None)
        done = subprocess.run([sys.executable, "-c", _WRAPPER, json.dumps(pytest_command(extra, floor)),
                               str(root), str(out)], capture_output=True, text=True, env=env, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        text = out.read_text(encoding="utf-8", errors="replace")
    finally:
        out.unlink(missing_ok=True)
    last = [line for line in text.strip().splitlines() if line.strip()][-1:] or [""]
    counts = {}
    for number, word in _COUNTS.findall(last[0]):
        key = "collected" if "collected" in word else word.rstrip("s") if word.startswith("error") else word
        counts[key] = int(number)
    return Run(figures["rc"], figures["wall"], figures["cpu"], figures["maxrss_kb"], counts, last[0])


@dataclass(frozen=True)
class Summary:
    """Medians over the repeats of one configuration."""

    label: str
    wall: float
    cpu: float
    maxrss_kb: int
    runs: int
    counts: Dict[str, int]
    ok: bool
    tail: str

    def to_dict(self) -> dict:
        return {"label": self.label, "wall_s": round(self.wall, 3), "cpu_s": round(self.cpu, 3),
                "maxrss_mb": round(self.maxrss_kb / 1024, 1), "runs": self.runs,
                "counts": self.counts, "ok": self.ok, "tail": self.tail}


def summarise(label: str, runs: Sequence[Run], expected: int, collect: bool) -> Summary:
    want = "collected" if collect else "passed"
    ok = all(r.rc == 0 and r.counts.get(want) == expected and not r.counts.get("failed") for r in runs)
    return Summary(label, statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
                   int(statistics.median(r.maxrss_kb for r in runs)), len(runs), runs[-1].counts, ok,
                   runs[-1].tail)


def _xdist_available() -> bool:
    try:
        import xdist  # noqa: F401
    except ImportError:
        return False
    return True


def run_all(shape: RepoShape, repeats: int = 3, workdir: Optional[Path] = None,
            progress=lambda message: None) -> Dict[str, object]:
    """Every end-to-end figure for a repo of ``shape``; see the module docstring."""
    own_dir = workdir is None
    base = Path(workdir or tempfile.mkdtemp(prefix="iamtest-bench-"))
    access, floor = base / "access", base / "floor"
    write_access_repo(access, shape)
    write_floor_repo(floor, shape)
    xdist = _xdist_available()
    n0 = ["-n", "0"] if xdist else []
    plan = [("floor", floor, n0, True, False), ("iamtest", access, n0, False, False),
            ("floor_collect", floor, ["--collect-only"], True, True),
            ("iamtest_collect", access, ["--collect-only"], False, True),
            # Reports that read every case's result (what a CI run under GitHub
            # Actions with coverage pays): shown as a figure, not held to a target.
            ("iamtest_coverage", access, n0 + ["--iamtest-coverage"], False, False)]
    if xdist:
        plan.append(("iamtest_n2", access, ["-n", "2"], False, False))
    runs: Dict[str, List[Run]] = {label: [] for label, *_ in plan}
    try:
        for round_ in range(repeats):
            for label, root, extra, is_floor, _ in plan:
                progress(f"pytest {label} (round {round_ + 1} of {repeats})")
                runs[label].append(run_once(root, extra, is_floor))
    finally:
        if own_dir:
            import shutil

            shutil.rmtree(base, ignore_errors=True)
    summaries = {label: summarise(label, runs[label], shape.cases, collect)
                 for label, _, _, _, collect in plan}
    s = summaries
    ratios = {
        "wall": s["iamtest"].wall / s["floor"].wall,
        "cpu": s["iamtest"].cpu / s["floor"].cpu,
        "maxrss": s["iamtest"].maxrss_kb / s["floor"].maxrss_kb,
        "collect_wall": s["iamtest_collect"].wall / s["floor_collect"].wall,
        "collect_cpu": s["iamtest_collect"].cpu / s["floor_collect"].cpu,
        "coverage_wall": s["iamtest_coverage"].wall / s["floor"].wall,
        "coverage_maxrss": s["iamtest_coverage"].maxrss_kb / s["floor"].maxrss_kb,
    }
    if xdist:
        ratios["n2_vs_n0_wall"] = s["iamtest_n2"].wall / s["iamtest"].wall
    return {"shape": {"cases": shape.cases, "policy_files": shape.policy_files,
                      "test_files": shape.test_files},
            "repeats": repeats, "xdist": xdist,
            "runs": {label: summary.to_dict() for label, summary in summaries.items()},
            "ratios": ratios}
