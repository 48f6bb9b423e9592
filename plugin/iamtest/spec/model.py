"""The access-test model: what a ``*.iamtest.yaml`` file says, checked and resolved.

Values here are built by :mod:`iamtest.spec.build` from a file that passed the
schema. Paths are resolved against the file's folder; file-level
``policies``, ``context`` and ``endpoint_type`` are already merged into each
case (case overrides layer by layer and key by key; ``null`` removes).
Treat every value as read-only.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

#: The layers a file may name, in the order the format lists them.
LAYERS = ("identity", "resource", "endpoint", "boundary", "session", "scp", "rcp")
#: Layers that take a list of sources / a list of levels of sources.
LIST_LAYERS = ("identity",)
LEVEL_LAYERS = ("scp", "rcp")
EXPECTATIONS = ("allow", "deny", "explicit-deny", "implicit-deny")
DENY_EXPECTATIONS = ("deny", "explicit-deny", "implicit-deny")

ALLOW_ALL_WORD = "allow-all"
IAC_KINDS = ("terraform", "terraform_plan", "cloudformation")


@dataclass(frozen=True, eq=False)
class SourceSpec:
    """Where one policy comes from.

    ``kind``: ``"path"`` (``value`` is the path as written, ``path`` the
    resolved file), ``"inline"`` (``value`` is the document; ``locations``
    holds its lines in the access-test file), ``"allow-all"``, or one of
    ``"terraform"``, ``"terraform_plan"``, ``"cloudformation"`` (``value`` is
    the reference mapping, resolved by :mod:`iamtest.iac`).
    """

    kind: str
    value: Any
    spec_file: str          # the access-test file naming this source (as displayed)
    line: Optional[int]     # the line that names it
    base_dir: Path          # the access-test file's folder
    locations: Mapping = field(default_factory=dict)

    @property
    def path(self) -> Optional[Path]:
        if self.kind != "path":
            return None
        return _resolved(self.base_dir, self.value)

    def describe(self) -> str:
        """A short human name: the path as written, `allow-all`, or the reference."""
        if self.kind == "path":
            return str(self.value)
        if self.kind == ALLOW_ALL_WORD:
            return ALLOW_ALL_WORD
        if self.kind == "inline":
            return f"inline policy at {self.spec_file}:{self.line}"
        target = self.value.get("address") or self.value.get("resource") or ""
        return f"{self.kind} {self.value.get(self.kind)} {target}".strip()


@lru_cache(maxsize=4096)
def _resolved(base_dir: Path, value: str) -> Path:
    """``base_dir / value``, resolved. Memoised: the policy loader asks for the
    path of every source of every case, and resolving touches the file system."""
    # os.path.realpath, not Path.resolve: on a symbolic link loop the latter
    # raises RuntimeError (Python 3.11); the former stops at the loop, whose
    # path is then no file and the builder reports it.
    return Path(os.path.realpath(base_dir / value))


#: layer -> value: a tuple of SourceSpec for identity, a SourceSpec for
#: resource/endpoint/boundary/session, a tuple of levels (each a tuple of
#: SourceSpec) for scp/rcp. A layer not in the mapping is not on the path.
Layers = Dict[str, Any]


@dataclass(frozen=True)
class Pattern:
    """A request-set field of a property: any of ``values`` (IAM wildcards),
    or none of them when ``negated``."""

    values: Tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, eq=False)
class RequestSet:
    """The requests a property speaks about. ``None`` fields are unconstrained;
    in ``context`` a ``None`` pattern means the key is absent."""

    principal: Optional[Pattern] = None
    action: Optional[Pattern] = None
    resource: Optional[Pattern] = None
    resource_account: Optional[Pattern] = None
    context: Mapping[str, Optional[Pattern]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class CaseSpec:
    """One case of a file, with file-level settings merged in."""

    file: str                     # the access-test file, as displayed
    index: int                    # 1-based position among the file's cases
    name: str
    line: int                     # where the case starts
    principals: Tuple[str, ...]
    actions: Tuple[str, ...]
    resources: Tuple[str, ...]
    resource_account: Optional[str]
    context: Mapping[str, Any]    # merged; a None value means the key is absent
    policies: Layers              # merged; removed layers are not in it
    endpoint_type: str
    expect: str
    denied_by: Optional[str]
    skip: Optional[str]
    xfail: Optional[str]
    marks: Tuple[str, ...]
    lines: Mapping[str, int] = field(default_factory=dict)  # key -> line of the case's own keys

    @property
    def label(self) -> str:
        return f"case {self.index} '{self.name}'"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    def expand(self) -> Tuple["CaseRequest", ...]:
        """One request per principal × action × resource, each with its id."""
        dims = (self.principals, self.actions, self.resources)
        labels = [_labels(values, kind) if len(values) > 1 else None
                  for values, kind in zip(dims, ("principal", "action", "resource"))]
        out = []
        for i, principal in enumerate(self.principals):
            for j, action in enumerate(self.actions):
                for k, resource in enumerate(self.resources):
                    parts = [lab[n] for lab, n in zip(labels, (i, j, k)) if lab is not None]
                    suffix = f"[{'-'.join(parts)}]" if parts else ""
                    out.append(CaseRequest(self, principal, action, resource, suffix))
        return tuple(out)


@dataclass(frozen=True, eq=False)
class CaseRequest:
    """One concrete request of a case (a case expands into one or more)."""

    case: CaseSpec
    principal: str
    action: str
    resource: str
    suffix: str = ""  # "" or "[s3:PutObject]"

    @property
    def id(self) -> str:
        return self.case.name + self.suffix


@dataclass(frozen=True, eq=False)
class PropertySpec:
    """One property: ``kind`` ``"never"`` or ``"always"`` over ``request_set``."""

    file: str
    index: int
    name: str
    line: int
    kind: str
    request_set: RequestSet
    policies: Layers
    endpoint_type: str
    skip: Optional[str]
    xfail: Optional[str]
    marks: Tuple[str, ...]
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"property {self.index} '{self.name}'"


@dataclass(frozen=True, eq=False)
class SpecFile:
    """A checked access-test file."""

    path: Path
    display: str
    policies: Layers
    context: Mapping[str, Any]
    endpoint_type: str
    cases: Tuple[CaseSpec, ...]
    properties: Tuple[PropertySpec, ...]


# -- readable ids for expanded cases ---------------------------------------------------

def _arn_tail(value: str) -> str:
    parts = value.split(":", 5)
    if value.startswith("arn:") and len(parts) == 6 and parts[5]:
        return parts[5]
    return value


def _arn_compact(value: str) -> str:
    if not value.startswith("arn:"):
        return value
    text = value[4:]
    while "::" in text:
        text = text.replace("::", ":")
    return text


def _labels(values: Tuple[str, ...], kind: str) -> Tuple[str, ...]:
    """Short labels for the values of one expanded field, unique among themselves.

    Actions are short already; ARNs lose everything up to their resource part
    (``role/App``, ``bucket/key``); where that is ambiguous, the partition,
    service and account come back (without empty fields, so no ``::`` that
    would break pytest node ids); as a last resort a position is added.
    """
    for shorten in ((lambda v: v) if kind == "action" else _arn_tail, _arn_compact):
        labels = tuple(shorten(v) for v in values)
        if len(set(labels)) == len(labels):
            return labels
    return tuple(f"{_arn_compact(v)}#{n + 1}" for n, v in enumerate(values))
