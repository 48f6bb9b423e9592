"""The nearest peer on the same request: ``@cloud-copilot/iam-simulate`` under Node.js.

Used only as an external program (its licence is the AGPL; nothing of it is
copied here). Where ``node`` is on PATH and the package is installed (the
differential tests install it with ``npm ci --prefix tests/differential``),
the four-layer workload of :mod:`.evaluator` is put to it in one Node.js
process, through both of its entry points:

* ``runSimulation``: the validated path (checks the input, the context keys
  against the action, then evaluates);
* ``runUnsafeSimulation``: the unvalidated path. In the pinned version it
  passes no VPC endpoint policies to its evaluator, and it fails with a
  TypeError on any matching statement of a resource policy (it loads that
  policy without the name its analysis reads). So this path gets the same
  requests over identity + SCP only, and iamtest is timed on that same
  two-layer path for its ratio (:func:`two_layer`).

Both are timed like the Python side (best of a few rounds of process CPU
time, cycling through the same requests), and their answers are compared
with the generator's expectations.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List, Optional

from . import data

PACKAGE = ("@cloud-copilot", "iam-simulate")

#: Timing loop, run by ``node -e`` with the package folder as the module root.
_SCRIPT = r"""
const { createRequire } = require("node:module");
const path = require("node:path");
const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const req = createRequire(path.join(input.root, "package.json"));
const sim = req("@cloud-copilot/iam-simulate");
const version = JSON.parse(require("node:fs").readFileSync(
  path.join(input.root, "node_modules", "@cloud-copilot", "iam-simulate", "package.json"), "utf8")).version;
const cases = input.simulations;
const seconds = input.seconds, rounds = input.rounds;
const WORDS = { Allowed: "allow", ExplicitlyDenied: "explicit-deny", ImplicitlyDenied: "implicit-deny" };

function cpu() { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; }

const unsafeCases = cases.map((s) => {
  const c = Object.assign({}, s); delete c.resourcePolicy; delete c.vpcEndpointPolicies; return c;
});

async function oneRound(mode, loops) {
  const start = cpu();
  for (let i = 0; i < loops; i++) {
    if (mode === "validated") { for (const s of cases) await sim.runSimulation(s, {}); }
    else { for (const s of unsafeCases) sim.runUnsafeSimulation(s, {}); }
  }
  return cpu() - start;
}

async function rate(mode) {
  let loops = 1, took = 0;
  for (;;) { took = await oneRound(mode, loops); if (took >= seconds / 5 || loops >= 1 << 16) break; loops *= 2; }
  loops = Math.max(1, Math.floor(loops * seconds / Math.max(took, 1e-9)));
  let best = 0;
  for (let r = 0; r < rounds; r++) best = Math.max(best, loops * cases.length / await oneRound(mode, loops));
  return best;
}

async function answers(mode) {
  const out = [];
  for (const s of (mode === "validated" ? cases : unsafeCases)) {
    try {
      if (mode === "validated") {
        const r = await sim.runSimulation(s, {});
        out.push(r.resultType === "single" ? (WORDS[r.overallResult] || r.overallResult) : "error:" + r.resultType);
      } else {
        const r = sim.runUnsafeSimulation(s, {});
        out.push(WORDS[r] || String(r));
      }
    } catch (e) { out.push("crash:" + String(e).slice(0, 80)); }
  }
  return out;
}

(async () => {
  const result = { version };
  for (const mode of ["validated", "unvalidated"]) {
    result[mode] = { answers: await answers(mode), per_s: await rate(mode) };
  }
  process.stdout.write(JSON.stringify(result));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
"""


def package_root(start: Optional[Path] = None) -> Optional[Path]:
    """The folder whose ``node_modules`` holds the package (tests/differential), if any."""
    here = Path(start) if start else Path.cwd()
    candidates = [here / "tests" / "differential", Path(__file__).resolve().parents[3] / "tests" / "differential"]
    for root in candidates:
        if (root / "node_modules" / PACKAGE[0] / PACKAGE[1] / "package.json").is_file():
            return root
    return None


def unavailable(root: Optional[Path]) -> Optional[str]:
    if shutil.which("node") is None:
        return "Node.js (node) is not on PATH"
    if root is None:
        return "@cloud-copilot/iam-simulate is not installed (npm ci --prefix tests/differential)"
    return None


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    return str(value)


def simulations(workload) -> List[dict]:
    """The workload's requests in the package's ``Simulation`` shape.

    The context is what iamtest evaluates: the request's keys, with the ones
    AWS derives from the caller already filled in (the package derives none).
    """
    bucket, endpoint, scp = data.bucket_policy(), data.endpoint_policy(), data.scp_policy()
    identity = data.identity_policy(0)
    out = []
    for request in workload.requests:
        out.append({
            "request": {"principal": request.principal.text, "action": request.action,
                        "resource": {"resource": request.resource, "accountId": request.resource_account},
                        "contextVariables": {k: _text(v) for k, v in request.context.as_dict().items()}},
            "identityPolicies": [{"name": "role-000", "policy": identity}],
            "serviceControlPolicies": [{"orgIdentifier": "ou-root",
                                        "policies": [{"name": "bench-scp", "policy": scp}]}],
            "resourceControlPolicies": [],
            "resourcePolicy": bucket,
            "vpcEndpointPolicies": [{"name": "bench-s3", "policy": endpoint}],
        })
    return out


def two_layer(workload):
    """The four-layer workload's requests over identity + SCP only (see the module docstring)."""
    from iamtest import PolicySet

    from .evaluator import Workload

    policies = PolicySet(identity=workload.policies.identity, scp=workload.policies.scp)
    return Workload("two_layer", "identity + SCP (the unvalidated peer path)", policies,
                    workload.requests, workload.generated)


def run(workload, seconds: float = 1.0, rounds: int = 3, root: Optional[Path] = None) -> Dict[str, object]:
    """Evaluations per second through both entry points, and agreement with the expectations."""
    root = root or package_root()
    reason = unavailable(root)
    if reason:
        return {"available": False, "reason": reason}
    payload = json.dumps({"root": str(root), "simulations": simulations(workload),
                          "seconds": seconds, "rounds": rounds})
    done = subprocess.run(["node", "-e", _SCRIPT], input=payload, capture_output=True, text=True,
                          cwd=str(root), timeout=600)
    if done.returncode != 0:
        return {"available": False, "reason": f"node failed: {done.stderr.strip()[-400:]}"}
    result = json.loads(done.stdout)
    expected = [g.expect for g in workload.generated]
    out: Dict[str, object] = {"available": True, "version": result.get("version")}
    for mode in ("validated", "unvalidated"):
        answers = result[mode]["answers"]
        out[mode] = {"per_s": result[mode]["per_s"],
                     "agree": sum(a == e for a, e in zip(answers, expected)), "of": len(expected),
                     "answers": sorted(set(answers))}
    return out
