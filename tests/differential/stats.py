"""Counts of what the differential test saw, printed at the end of the run."""
from __future__ import annotations

from collections import Counter


class Stats:
    def __init__(self) -> None:
        self.outcomes: Counter = Counter()
        self.filtered: Counter = Counter()
        self.disagreements = 0

    def total(self) -> int:
        return sum(self.outcomes.values()) + sum(self.filtered.values())

    def lines(self):
        compared = sum(self.outcomes.values())
        yield f"cases compared: {compared}, disagreements: {self.disagreements}"
        for effect, count in sorted(self.outcomes.items()):
            yield f"  both said {effect}: {count}" if "/" not in effect else f"  {effect}: {count}"
        for reason, count in sorted(self.filtered.items()):
            yield f"  left out as a known divergence ({reason}): {count}"


STATS = Stats()
