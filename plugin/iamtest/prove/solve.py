"""Running z3: sat gives a model, unsat a proof, anything else an error."""
from __future__ import annotations

import time
from typing import Iterable, Optional, Tuple

from ._z3 import z3mod
from .errors import SolverUnknown

DEFAULT_TIMEOUT_MS = 10_000


class Query:
    """One satisfiability question with a time limit; records its duration."""

    def __init__(self, constraints: Iterable, question: str, timeout_ms: Optional[int] = None):
        z3 = self.z3 = z3mod()
        self.question = question
        self.timeout_ms = DEFAULT_TIMEOUT_MS if timeout_ms is None else int(timeout_ms)
        self.solver = z3.Solver()
        self.solver.set("timeout", max(1, self.timeout_ms))
        self.solver.add(*list(constraints))
        self.elapsed_ms = 0.0

    def check(self, *extra) -> Optional[object]:
        """The model when satisfiable, ``None`` when unsatisfiable (proven)."""
        z3 = self.z3
        start = time.perf_counter()
        answer = self.solver.check(*extra)
        self.elapsed_ms += (time.perf_counter() - start) * 1000
        if answer == z3.sat:
            return self.solver.model()
        if answer == z3.unsat:
            return None
        raise SolverUnknown(self.question, self.solver.reason_unknown() or "unknown", self.timeout_ms)

    def add(self, *constraints) -> None:
        self.solver.add(*constraints)

    def refine(self, preferences: Iterable, budget_ms: int = 300) -> Tuple[object, int]:
        """Add each preference that keeps the query satisfiable (readable examples).

        Returns the last model and how many preferences were kept. Each try has
        a short time limit; a try that times out is simply dropped.
        """
        z3 = self.z3
        model = self.solver.model()
        kept = 0
        depth = 0
        for pref in preferences:
            self.solver.push()
            self.solver.add(pref)
            self.solver.set("timeout", budget_ms)
            start = time.perf_counter()
            answer = self.solver.check()
            self.elapsed_ms += (time.perf_counter() - start) * 1000
            if answer == z3.sat:
                model = self.solver.model()
                kept += 1
                depth += 1
            else:
                self.solver.pop()
        for _ in range(depth):
            self.solver.pop()
        self.solver.set("timeout", max(1, self.timeout_ms))
        return model, kept
