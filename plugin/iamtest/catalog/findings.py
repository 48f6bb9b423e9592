"""Findings: what a check reports, and the catalog of every kind of finding.

The kinds live in ``findings.json`` beside this module (id, title, severity,
description), so documentation and tests read the same list. A
:class:`Finding` is one occurrence: its kind's id and severity, a message
about this policy or case, and where it was written.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

from ..engine.model import Location

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class FindingKind:
    id: str
    title: str
    severity: str
    applies_to: str
    description: str


def _load_kinds() -> Dict[str, FindingKind]:
    raw = json.loads(Path(__file__).with_name("findings.json").read_text(encoding="utf-8"))
    kinds = {}
    for entry in raw["findings"]:
        kind = FindingKind(entry["id"], entry["title"], entry["severity"], entry["applies_to"],
                           entry["description"])
        if kind.severity not in SEVERITIES:
            raise ValueError(f"findings.json: {kind.id}: unknown severity {kind.severity!r}")
        if kind.id in kinds:
            raise ValueError(f"findings.json: {kind.id} is listed twice")
        kinds[kind.id] = kind
    return kinds


#: Every kind of finding, by id.
FINDINGS: Dict[str, FindingKind] = _load_kinds()


@dataclass(frozen=True)
class Finding:
    """One problem found in a case or a policy."""

    id: str
    severity: str
    message: str
    location: Optional[Location] = None

    @property
    def kind(self) -> FindingKind:
        return FINDINGS[self.id]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message} [{self.id}]"

    def to_dict(self) -> dict:
        loc = self.location
        return {"id": self.id, "severity": self.severity, "message": self.message,
                "source": loc.source if loc else None, "line": loc.line if loc else None}


def finding(kind_id: str, message: str, location: Optional[Location] = None) -> Finding:
    """A finding of a catalogued kind (its severity comes from the catalog)."""
    return Finding(kind_id, FINDINGS[kind_id].severity, message, location)
