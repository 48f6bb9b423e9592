"""``iamtest diff``: the access a change adds, per policy file and per access-test file.

The working tree is compared with a git revision. Every policy file that
changed is compared on its own layer (its kind comes from the access-test
files that use it, else from its shape); every access-test file whose request
paths use a changed policy is compared on each request path it describes
(the file's policies, and each case's and property's own), as the whole
decision.
"""
from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..engine.layers import PolicySet
from ..engine.model import Location, Policy, PolicyError
from ..engine.parse import parse_policy
from .errors import ProveError
from .findings import Comparison, Differ
from .gitfiles import Repo

LAYER_WORDS = {"identity": "identity policy", "resource": "resource policy", "endpoint": "VPC endpoint policy",
               "boundary": "permissions boundary", "session": "session policy", "scp": "SCP", "rcp": "RCP"}


@dataclass
class Entry:
    """One comparison: a policy file on its layer, or one request path of an access-test file."""

    path: str                  # repository-relative
    what: str                  # "policy" | "access-test"
    label: str                 # "VPC endpoint policy", "case 'x'", "the file's policies"
    status: str = "none"       # "added" | "none" | "error"
    comparison: Optional[Comparison] = None
    error: Optional[str] = None
    note: str = ""

    def to_dict(self) -> dict:
        out: Dict[str, Any] = {"path": self.path, "what": self.what, "label": self.label,
                               "status": self.status}
        if self.note:
            out["note"] = self.note
        if self.error:
            out["error"] = self.error
        if self.comparison is not None:
            c = self.comparison
            out["findings"] = [f.to_dict() for f in c.findings]
            out["more_findings"] = c.more
            out["removes_access"] = c.removed is not None
            if c.removed is not None:
                out["removed_example"] = c.removed.as_dict()
            out["elapsed_ms"] = round(c.elapsed_ms, 1)
        return out


@dataclass
class Report:
    base: str
    commit: str
    root: Path
    entries: List[Entry] = field(default_factory=list)

    @property
    def added(self) -> bool:
        return any(e.status == "added" for e in self.entries)

    @property
    def errors(self) -> int:
        return sum(1 for e in self.entries if e.status == "error")

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else (1 if self.added else 0)

    def to_dict(self) -> dict:
        return {"base": self.base, "commit": self.commit, "added_access": self.added,
                "errors": self.errors, "exit_code": self.exit_code,
                "entries": [e.to_dict() for e in self.entries]}


#: AWS's largest policies (managed policies, bucket policies) are a few tens of kilobytes.
MAX_POLICY_BYTES = 1_000_000


def _empty(source: str) -> Policy:
    """A policy with no statement: what a file that did not exist grants."""
    return Policy(source=source, version="2012-10-17", id=None, statements=(), location=Location(source))


def _layer_set(layer: str, policy: Policy, endpoint_type: str) -> PolicySet:
    if layer == "identity":
        return PolicySet(identity=(policy,))
    if layer in ("scp", "rcp"):
        return PolicySet(**{layer: ((policy,),)})
    return PolicySet(endpoint_type=endpoint_type, **{layer: policy})


def _guess_layer(data: Any) -> str:
    statements = data.get("Statement") if isinstance(data, dict) else None
    items = statements if isinstance(statements, list) else [statements]
    if any(isinstance(s, dict) and ("Principal" in s or "NotPrincipal" in s) for s in items):
        return "resource"
    return "identity"


def _looks_like_policy(text: str, name: str) -> bool:
    """A file that does not load, but whose top level names a ``Statement``: a broken policy
    (rather than, say, a CloudFormation template with tags iamtest does not read)."""
    if name.lower().endswith(".json"):
        return '"Statement"' in text and '"Resources"' not in text
    return re.search(r"^Statement\s*:", text, re.M) is not None


def _is_policy(data: Any) -> bool:
    return isinstance(data, dict) and "Statement" in data


class RepoDiff:
    def __init__(self, base: str, paths: Sequence[str] = (), cwd: Optional[Path] = None,
                 timeout_ms: Optional[int] = None, max_findings: int = 5):
        self.cwd = Path(cwd or Path.cwd()).resolve()
        self.repo = Repo(self.cwd)
        self.base = base
        self.commit = self.repo.commit(base)
        self.paths = self.repo.relative(paths, self.cwd) if paths else ["."]
        self.timeout_ms = timeout_ms
        self.max_findings = max_findings
        self.report = Report(base, self.commit, self.repo.root)

    # -- documents -------------------------------------------------------------------------

    def _load(self, path: Path, display: str):
        from ..spec.loader import load_policy_document
        return load_policy_document(path, display)

    def run(self) -> Report:
        from ..spec.loader import is_spec_file
        root = self.repo.root
        with tempfile.TemporaryDirectory(prefix="iamtest-diff-") as tmp:
            old_root = Path(tmp)
            self.repo.materialize(self.commit, old_root)
            self.old_root = old_root
            new_files = [p for p in self.repo.worktree_files(self.paths)]
            old_files = [p for p in self.repo.files_at(self.commit, self.paths)]
            names = sorted(set(new_files) | set(old_files))
            candidates = [n for n in names if n.lower().endswith((".json", ".yaml", ".yml"))]
            specs = [n for n in candidates if is_spec_file(n)]
            kinds = self._kinds([n for n in self.repo.worktree_files() if is_spec_file(n)])
            for name in candidates:
                if not is_spec_file(name):
                    self._policy_file(name, kinds)
            for name in specs:
                if (root / name).is_file():
                    self._spec_file(name)
        return self.report

    def _kinds(self, spec_names: Sequence[str]) -> Dict[str, Tuple[str, str]]:
        """Repository-relative policy path -> (layer, endpoint type), from the access-test files."""
        from ..spec.loader import load_spec_file
        from ..spec.sources import sources_in
        from ..spec.errors import SpecError
        out: Dict[str, Tuple[str, str]] = {}
        for name in spec_names:
            try:
                spec = load_spec_file(self.repo.root / name)
            except (SpecError, OSError):
                continue  # reported when the file itself is compared
            scopes = [(spec.policies, spec.endpoint_type)] + [(c.policies, c.endpoint_type) for c in spec.cases] \
                + [(p.policies, p.endpoint_type) for p in spec.properties]
            for layers, endpoint_type in scopes:
                for layer, source in sources_in(layers):
                    if source.kind == "path" and source.path is not None:
                        try:
                            rel = str(source.path.relative_to(self.repo.root))
                        except ValueError:
                            continue
                        out.setdefault(rel, (layer, endpoint_type))
        return out

    # -- one policy file ---------------------------------------------------------------------

    def _read(self, root: Path, name: str):
        path = root / name
        if not path.is_file():
            return None
        return self._load(path, name)

    def _policy_file(self, name: str, kinds: Dict[str, Tuple[str, str]]) -> None:
        from ..spec.errors import SourceError
        for root in (self.repo.root, self.old_root):
            path = root / name
            if path.is_file() and path.stat().st_size > MAX_POLICY_BYTES:
                return  # far larger than any policy AWS accepts: not a policy document
        docs = []
        for root in (self.repo.root, self.old_root):
            try:
                docs.append(self._read(root, name))
            except SourceError as exc:
                if _looks_like_policy((root / name).read_text("utf-8", "replace"), name):
                    self.report.entries.append(Entry(name, "policy", "policy", "error", error=str(exc)))
                return
        new, old = docs
        new_is = new is not None and _is_policy(new.data)
        old_is = old is not None and _is_policy(old.data)
        if not (new_is or old_is):
            return
        if new_is and old_is and json.dumps(new.data, sort_keys=True) == json.dumps(old.data, sort_keys=True):
            return  # unchanged
        layer, endpoint_type = kinds.get(name) or (_guess_layer((new or old).data), "interface")
        entry = Entry(name, "policy", LAYER_WORDS[layer])
        self.report.entries.append(entry)
        if not new_is:
            entry.note = "deleted: it grants nothing any more"
            return
        try:
            new_policy = parse_policy(new.data, source=name, locations=new.locations, kind=layer)
            if old_is:
                old_policy = parse_policy(old.data, source=name, locations=old.locations, kind=layer)
            else:
                old_policy = _empty(name)
                entry.note = "new file: compared with no policy"
            differ = Differ(_layer_set(layer, old_policy, endpoint_type), _layer_set(layer, new_policy, endpoint_type),
                            layer=layer, timeout_ms=self.timeout_ms, where=name)
            entry.comparison = differ.compare(self.max_findings)
            entry.status = "added" if entry.comparison.added else "none"
        except (PolicyError, ProveError, ValueError) as exc:
            entry.status, entry.error = "error", str(exc)

    # -- one access-test file ----------------------------------------------------------------

    def _spec_file(self, name: str) -> None:
        from ..spec.errors import SourceError, SpecError
        from ..spec.loader import load_spec_file
        from ..spec.sources import PolicyLoader
        try:
            spec = load_spec_file(self.repo.root / name, name)
        except SpecError as exc:
            self.report.entries.append(Entry(name, "access-test", "the file", "error", error=str(exc)))
            return
        old_spec = None
        if (self.old_root / name).is_file():
            try:
                old_spec = load_spec_file(self.old_root / name, name)
            except SpecError:
                old_spec = None
        new_loader, old_loader = PolicyLoader(), PolicyLoader()
        scopes = [("the file's policies", spec.policies, spec.endpoint_type)]
        scopes += [(f"case '{c.name}'", c.policies, c.endpoint_type) for c in spec.cases]
        scopes += [(f"property '{p.name}'", p.policies, p.endpoint_type) for p in spec.properties]
        old_scopes = {}
        if old_spec is not None:
            old_scopes["the file's policies"] = (old_spec.policies, old_spec.endpoint_type)
            old_scopes.update({f"case '{c.name}'": (c.policies, c.endpoint_type) for c in old_spec.cases})
            old_scopes.update({f"property '{p.name}'": (p.policies, p.endpoint_type) for p in old_spec.properties})
        seen = set()
        for label, layers, endpoint_type in scopes:
            if not layers:
                continue
            try:
                new_print = self._fingerprint(new_loader, layers) + (endpoint_type,)
                if label in old_scopes:
                    old_layers, old_type = old_scopes[label]
                else:
                    old_layers, old_type = self._to_old(layers), endpoint_type
                old_print = self._fingerprint(old_loader, old_layers) + (old_type,)
                if new_print == old_print or (new_print, old_print) in seen:
                    continue
                seen.add((new_print, old_print))
                entry = Entry(name, "access-test", label)
                self.report.entries.append(entry)
                new_ps = new_loader.policy_set(layers, endpoint_type)
                old_ps = old_loader.policy_set(old_layers, old_type)
                differ = Differ(old_ps, new_ps, timeout_ms=self.timeout_ms, where=f"{name}: {label}")
                entry.comparison = differ.compare(self.max_findings)
                entry.status = "added" if entry.comparison.added else "none"
            except (SourceError, PolicyError, ProveError, ValueError) as exc:
                entry = Entry(name, "access-test", label, "error", error=str(exc))
                self.report.entries.append(entry)

    def _fingerprint(self, loader, layers) -> tuple:
        from ..spec.sources import sources_in
        out = []
        for layer, source in sources_in(layers):
            if source.kind == "allow-all":
                out.append((layer, "allow-all"))
            else:
                out.append((layer, json.dumps(loader.document(source).data, sort_keys=True)))
        return tuple(out)

    def _to_old(self, layers) -> dict:
        from ..spec.model import IAC_KINDS

        """The same request path, each source as it was at the base revision (a
        source that did not exist then is left out)."""
        def old(source):  # noqa: C901 - one case per source kind
            if source.kind in ("allow-all",):
                return source
            if source.kind == "inline":
                return None
            try:
                rel_dir = source.base_dir.resolve().relative_to(self.repo.root)
            except ValueError:
                return source
            moved = replace(source, base_dir=self.old_root / rel_dir)
            if source.kind == "path" and not moved.path.is_file():
                return None
            if source.kind in IAC_KINDS and not (moved.base_dir / str(source.value.get(source.kind))).exists():
                return None  # the infrastructure code did not exist at the base revision
            return moved

        out: Dict[str, Any] = {}
        for layer, value in layers.items():
            if layer == "identity":
                out[layer] = tuple(s for s in (old(v) for v in value) if s is not None)
            elif layer in ("scp", "rcp"):
                levels = tuple(tuple(s for s in (old(v) for v in level) if s is not None) for level in value)
                levels = tuple(lvl for lvl in levels if lvl)
                if levels:
                    out[layer] = levels
            else:
                moved = old(value)
                if moved is not None:
                    out[layer] = moved
        return out
