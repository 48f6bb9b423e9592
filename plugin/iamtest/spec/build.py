"""From a schema-valid document to the model, with the checks the schema cannot make.

Those checks: names unique across cases and properties, `denied_by` only
with a deny expectation, marker names that are not pytest's own, and policy
files that exist. Every problem names the line of the offending key.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from .errors import Problem, SpecError
from .model import (ALLOW_ALL_WORD, DENY_EXPECTATIONS, IAC_KINDS, LEVEL_LAYERS, LIST_LAYERS,
                    CaseSpec, Layers, Pattern, PropertySpec, RequestSet, SourceSpec, SpecFile)
from .pathkind import FILE, FOLDER, path_kind
from .yamlload import Loaded

#: Marker names pytest gives a meaning to; the `skip`/`xfail` keys cover these.
RESERVED_MARKS = {"skip", "skipif", "xfail", "parametrize", "usefixtures", "filterwarnings"}


def as_tuple(value: Any) -> Tuple:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


class Builder:
    """Builds a :class:`SpecFile`; collects every problem before failing."""

    def __init__(self, loaded: Loaded, path: Path, display: str):
        self.loaded = loaded
        self.data = loaded.data
        self.path = path
        self.display = display
        self.base_dir = path.parent
        self.problems: List[Problem] = []

    def problem(self, where: Tuple, message: str) -> None:
        self.problems.append(Problem(self.display, self.loaded.line(where), message))

    # -- sources ----------------------------------------------------------------

    def source(self, value: Any, where: Tuple, owner: str) -> SourceSpec:
        line = self.loaded.line(where)
        if isinstance(value, str):
            if value == ALLOW_ALL_WORD:
                return SourceSpec(ALLOW_ALL_WORD, value, self.display, line, self.base_dir)
            spec = SourceSpec("path", value, self.display, line, self.base_dir)
            kind, why = path_kind(spec.path)
            if kind != FILE:
                what = "is a folder, not a policy file" if kind == FOLDER else why
                self.problem(where, f"{owner}policy file `{value}` {what} "
                                    f"(looked for {spec.path})")
            return spec
        for kind in IAC_KINDS:
            if kind in value:
                return SourceSpec(kind, value, self.display, line, self.base_dir)
        n = len(where)
        inner = {p[n:]: ln for p, ln in self.loaded.locations.items() if p[:n] == where}
        return SourceSpec("inline", value, self.display, line, self.base_dir, inner)

    def layers(self, value: Optional[dict], where: Tuple, owner: str) -> Dict[str, Any]:
        """A `policies` mapping -> layer -> model value (None for a removed layer)."""
        out: Dict[str, Any] = {}
        for layer, spec in (value or {}).items():
            at = where + (layer,)
            if spec is None:
                out[layer] = None
            elif layer in LIST_LAYERS:
                items = spec if isinstance(spec, list) else [spec]
                out[layer] = tuple(self.source(s, at + ((i,) if isinstance(spec, list) else ()),
                                               owner) for i, s in enumerate(items))
            elif layer in LEVEL_LAYERS:
                levels = spec if isinstance(spec, list) else [spec]
                built = []
                for i, level in enumerate(levels):
                    lat = at + ((i,) if isinstance(spec, list) else ())
                    if isinstance(level, list):
                        built.append(tuple(self.source(s, lat + (j,), owner)
                                           for j, s in enumerate(level)))
                    else:
                        built.append((self.source(level, lat, owner),))
                out[layer] = tuple(built)
            else:
                out[layer] = self.source(spec, at, owner)
        return out

    # -- the file -----------------------------------------------------------------

    def build(self) -> SpecFile:
        data = self.data
        file_layers = {k: v for k, v in self.layers(data.get("policies"), ("policies",), "").items()
                       if v is not None}
        file_context = dict(data.get("context") or {})
        file_endpoint = data.get("endpoint_type") or "interface"
        names: Dict[str, Tuple[str, int]] = {}
        cases = []
        for i, raw in enumerate(data.get("cases") or []):
            case = self.case(i, raw, file_layers, file_context, file_endpoint)
            self.unique(names, case.name, case.label, ("cases", i, "name"))
            cases.append(case)
        props = []
        for i, raw in enumerate(data.get("properties") or []):
            prop = self.property(i, raw, file_layers, file_endpoint)
            self.unique(names, prop.name, prop.label, ("properties", i, "name"))
            props.append(prop)
        if self.problems:
            raise SpecError(self.problems)
        return SpecFile(self.path, self.display, file_layers, file_context, file_endpoint,
                        tuple(cases), tuple(props))

    def unique(self, names: Dict, name: str, label: str, where: Tuple) -> None:
        line = self.loaded.line(where)
        if name in names:
            first_label, first_line = names[name]
            self.problem(where, f"{label}: the name is already used by {first_label} "
                                f"(line {first_line}); names must be unique in a file")
        else:
            names[name] = (label, line)

    def merged_layers(self, file_layers: Layers, raw: dict, where: Tuple, owner: str) -> Layers:
        if not raw.get("policies"):
            return file_layers   # nothing to merge: every such case shares the file's (read-only) layers
        merged = dict(file_layers)
        for layer, value in self.layers(raw.get("policies"), where + ("policies",), owner).items():
            if value is None:
                merged.pop(layer, None)
            else:
                merged[layer] = value
        return merged

    def own_lines(self, where: Tuple, raw: dict) -> Dict[str, int]:
        return {k: self.loaded.line(where + (k,)) for k in raw}

    def marks(self, raw: dict, where: Tuple, label: str) -> Tuple[str, ...]:
        marks = as_tuple(raw.get("marks"))
        for mark in marks:
            if mark in RESERVED_MARKS:
                self.problem(where + ("marks",),
                             f"{label}: `marks` cannot use pytest's own marker `{mark}`; "
                             f"use the `skip` or `xfail` key with a reason instead")
        return marks

    def case(self, i: int, raw: dict, file_layers: Layers, file_context: dict,
             file_endpoint: str) -> CaseSpec:
        where = ("cases", i)
        label = f"case {i + 1} '{raw['name']}'"
        context = file_context   # shared (read-only) unless the case changes it
        if raw.get("context"):
            context = dict(file_context)
            context.update(raw["context"])
        expect = raw["expect"]
        denied_by = raw.get("denied_by")
        if denied_by is not None and expect not in DENY_EXPECTATIONS:
            self.problem(where + ("denied_by",),
                         f"{label}: `denied_by` needs a deny expectation "
                         f"(deny, explicit-deny or implicit-deny); `expect` is `{expect}`")
        return CaseSpec(
            file=self.display, index=i + 1, name=raw["name"], line=self.loaded.line(where),
            principals=as_tuple(raw["principal"]), actions=as_tuple(raw["action"]),
            resources=as_tuple(raw["resource"]), resource_account=raw.get("resource_account"),
            context=context,
            policies=self.merged_layers(file_layers, raw, where, f"{label}: "),
            endpoint_type=raw.get("endpoint_type") or file_endpoint,
            expect=expect, denied_by=denied_by, skip=raw.get("skip"), xfail=raw.get("xfail"),
            marks=self.marks(raw, where, label), lines=self.own_lines(where, raw))

    def property(self, i: int, raw: dict, file_layers: Layers, file_endpoint: str) -> PropertySpec:
        where = ("properties", i)
        label = f"property {i + 1} '{raw['name']}'"
        kind = "never" if "never" in raw else "always"
        return PropertySpec(
            file=self.display, index=i + 1, name=raw["name"], line=self.loaded.line(where),
            kind=kind, request_set=request_set(raw[kind]),
            policies=self.merged_layers(file_layers, raw, where, f"{label}: "),
            endpoint_type=raw.get("endpoint_type") or file_endpoint,
            skip=raw.get("skip"), xfail=raw.get("xfail"),
            marks=self.marks(raw, where, label), lines=self.own_lines(where, raw))


def pattern(value: Any) -> Optional[Pattern]:
    if value is None:
        return None
    if isinstance(value, dict):
        return Pattern(as_tuple(value["not"]), negated=True)
    return Pattern(as_tuple(value))


def request_set(raw: dict) -> RequestSet:
    return RequestSet(
        principal=pattern(raw.get("principal")), action=pattern(raw.get("action")),
        resource=pattern(raw.get("resource")),
        resource_account=pattern(raw.get("resource_account")),
        context={k: pattern(v) for k, v in (raw.get("context") or {}).items()})
