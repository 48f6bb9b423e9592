"""Errors raised while reading access-test files and the policies they name.

Every error carries the file and the line it is about, so pytest, the CLI
and editors can point at the right place. Messages are sentences a person
understands; they never show parser or schema internals.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Tuple


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what was expected."""

    source: str
    line: Optional[int]
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


class SpecError(Exception):
    """An access-test file that breaks the format (fails collection).

    ``problems`` lists every problem found, sorted by line; ``source``,
    ``line`` and ``message`` describe the first one.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems: Tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.source, p.line or 0)))
        if not self.problems:
            raise ValueError("SpecError needs at least one problem")
        first = self.problems[0]
        self.source = first.source
        self.line = first.line
        self.message = first.message
        super().__init__(str(self))

    @classmethod
    def at(cls, source: str, line: Optional[int], message: str) -> "SpecError":
        return cls([Problem(source, line, message)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class SourceError(Exception):
    """A policy source that cannot be used: unreadable, malformed, or one AWS
    would reject. It fails every case that uses the source, not collection.
    """

    def __init__(self, message: str, source: str, line: Optional[int] = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"
