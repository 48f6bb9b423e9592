"""The reference evaluator, run as one long-lived Node.js process.

The package ``@cloud-copilot/iam-simulate`` (pinned in ``package.json`` next to
this file) is an independent implementation of AWS policy evaluation. It is
installed at test time with ``npm ci --prefix tests/differential`` and only
ever called through ``oracle_runner.mjs``, which speaks JSON lines: one
simulation in, one answer out. Starting Node.js costs far more than one
evaluation, so a test session starts the runner once and sends every case to
the same process.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "oracle_runner.mjs"
PACKAGE = "@cloud-copilot/iam-simulate"
INSTALL_HINT = "npm ci --prefix tests/differential"


class OracleError(RuntimeError):
    """The runner died, answered out of turn, or crashed on an input."""


def pinned_version() -> str:
    """The exact version ``package.json`` pins (the lock file pins its dependencies)."""
    manifest = json.loads((HERE / "package.json").read_text(encoding="utf-8"))
    return manifest["dependencies"][PACKAGE]


def installed_version() -> Optional[str]:
    manifest = HERE / "node_modules" / "@cloud-copilot" / "iam-simulate" / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def unavailable_reason() -> Optional[str]:
    """Why the differential tests cannot run here, or ``None`` when they can."""
    if shutil.which("node") is None:
        return "Node.js (`node`) is not on PATH; the differential tests need it to run the reference evaluator"
    have = installed_version()
    if have is None:
        if shutil.which("npm") is None:
            return f"{PACKAGE} is not installed and `npm` is not on PATH to install it"
        return f"{PACKAGE} is not installed; run `{INSTALL_HINT}`"
    want = pinned_version()
    if have != want:
        return f"{PACKAGE} {have} is installed but package.json pins {want}; run `{INSTALL_HINT}`"
    return None


class Oracle:
    """A running ``oracle_runner.mjs``: send a simulation, get its answer."""

    def __init__(self) -> None:
        self._proc: Optional[subprocess.Popen] = None
        self._next_id = 0
        self._stderr: list = []
        self.version: Optional[str] = None
        self.asked = 0

    def start(self) -> "Oracle":
        self._proc = subprocess.Popen(
            ["node", str(RUNNER)], cwd=str(HERE), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        hello = self._read()
        if not hello.get("ready"):
            raise OracleError(f"the reference runner did not start: {hello!r}")
        self.version = hello.get("version")
        return self

    def _drain_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line)
            del self._stderr[:-50]

    def _read(self) -> dict:
        assert self._proc is not None and self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            code = self._proc.poll()
            raise OracleError(f"the reference runner exited (code {code}); stderr:\n{''.join(self._stderr)}")
        return json.loads(line)

    def ask(self, simulation: dict) -> dict:
        """Evaluate one simulation; returns the runner's answer object."""
        if self._proc is None:
            self.start()
        assert self._proc is not None and self._proc.stdin is not None
        self._next_id += 1
        ident = self._next_id
        self._proc.stdin.write(json.dumps({"id": ident, "simulation": simulation}) + "\n")
        self._proc.stdin.flush()
        answer = self._read()
        if answer.get("id") != ident:
            raise OracleError(f"answer out of turn: sent id {ident}, got {answer!r}")
        if answer.get("resultType") == "crash":
            raise OracleError(f"the reference evaluator crashed: {answer.get('message')}")
        self.asked += 1
        return answer

    def close(self) -> None:
        if self._proc is None:
            return
        proc, self._proc = self._proc, None
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> "Oracle":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
