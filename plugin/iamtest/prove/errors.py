"""What the prover raises when it cannot answer, or when it disagrees with itself.

Every one of these is an error, never a pass: a property is proven only by an
``unsat`` answer from the solver, and every counterexample is replayed through
the concrete evaluator before it is shown.
"""
from __future__ import annotations

from typing import Optional


class ProveError(Exception):
    """The prover could not decide a question; the message says why."""


class ProverUnavailable(ProveError, ImportError):
    """z3 is not installed."""

    def __init__(self, detail: str = ""):
        tail = f" ({detail})" if detail else ""
        super().__init__("proofs need the z3 solver, which is not installed: "
                         f"pip install iamtest[prove]{tail}")


class UnsupportedConstruct(ProveError):
    """A policy construct the symbolic back-end cannot encode exactly.

    ``where`` names the policy file and line (or the property) holding it.
    """

    def __init__(self, what: str, where: Optional[str] = None):
        self.what = what
        self.where = where
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}cannot prove with {what}: the prover does not encode it exactly "
                         f"(see docs/prove.md, \"What the prover cannot encode\")")


class SolverUnknown(ProveError):
    """The solver answered unknown or ran out of time."""

    def __init__(self, question: str, reason: str, timeout_ms: Optional[int] = None):
        self.question = question
        self.reason = reason
        self.timeout_ms = timeout_ms
        limit = f" within {timeout_ms} ms" if timeout_ms is not None and "timeout" in reason else ""
        super().__init__(f"the solver could not decide {question}{limit} ({reason}); "
                         f"nothing is proven")


class ReplayMismatch(ProveError):
    """The symbolic back-end and the concrete evaluator disagree: a bug in iamtest."""

    def __init__(self, detail: str):
        super().__init__("INTERNAL ERROR: the prover and the concrete evaluator disagree on a "
                         "request; this is a bug in iamtest, please report it with the policies.\n"
                         + detail)
