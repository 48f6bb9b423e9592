"""Policy sources -> parsed policies -> the PolicySet of a case, read once per session.

:class:`PolicyLoader` caches every document by its resolved file (or, for an
inline document, by its place in the access-test file; for infrastructure
code, by the reference), every parsed policy by (document, kind), and every
PolicySet by the policies on it: however many cases name a policy, it is
read, parsed and compiled once. Failures are
cached too, so every case that uses a broken policy fails with the same
message without reading it again.
"""
from __future__ import annotations

import json
import threading
from typing import Any, Dict, Hashable, Tuple

from .errors import SourceError
from .loader import display_path, load_policy_document
from .model import ALLOW_ALL_WORD, IAC_KINDS, LAYERS, LEVEL_LAYERS, LIST_LAYERS, Layers, SourceSpec
from .yamlload import Loaded

#: The kind passed to the policy parser for each layer.
LAYER_KIND = {"identity": "identity", "resource": "resource", "endpoint": "endpoint",
              "boundary": "boundary", "session": "session", "scp": "scp", "rcp": "rcp"}


class PolicyLoader:
    """Loads and parses policy sources, each once. Safe to share between threads."""

    def __init__(self) -> None:
        self._documents: Dict[Hashable, Any] = {}   # key -> Loaded | SourceError
        self._policies: Dict[Hashable, Any] = {}    # (key, kind) -> Policy | SourceError
        self._sets: Dict[Hashable, Any] = {}        # ids of the policies per layer -> PolicySet
        self._by_layers: Dict[Hashable, Any] = {}   # (id of a layers mapping, endpoint type) -> (it, PolicySet)
        self._usable: Dict[int, Any] = {}           # id of a layers mapping -> (it, usable policies)
        self._lock = threading.RLock()
        self.reads = 0     # how many documents were read from disk or IaC (for tests)
        self.parses = 0    # how many times a document was parsed into a Policy

    # -- documents ------------------------------------------------------------

    @staticmethod
    def key(source: SourceSpec) -> Hashable:
        if source.kind == "path":
            return ("path", str(source.path))
        if source.kind == "inline":
            return ("inline", source.spec_file, source.line)
        if source.kind == ALLOW_ALL_WORD:
            return (ALLOW_ALL_WORD,)
        return (source.kind, str(source.base_dir), json.dumps(source.value, sort_keys=True))

    def document(self, source: SourceSpec) -> Loaded:
        """The policy document of a path, inline or IaC source, with its lines."""
        key = self.key(source)
        with self._lock:
            if key not in self._documents:
                try:
                    self._documents[key] = self._read(source)
                except SourceError as exc:
                    self._documents[key] = exc
            found = self._documents[key]
        if isinstance(found, SourceError):
            raise found
        return found

    def _read(self, source: SourceSpec) -> Loaded:
        self.reads += 1
        if source.kind == "path":
            return load_policy_document(source.path, display_path(source.path))
        if source.kind == "inline":
            return Loaded(source.value, dict(source.locations), source.spec_file)
        if source.kind in IAC_KINDS:
            return _resolve_iac(source)
        raise SourceError(f"`{source.kind}` has no document", source.spec_file, source.line)

    # -- policies ---------------------------------------------------------------

    def policy(self, source: SourceSpec, kind: str):
        """The parsed policy of a source for a layer kind. Raises SourceError."""
        key = (self.key(source), kind)
        with self._lock:
            if key not in self._policies:
                try:
                    self._policies[key] = self._parse(source, kind)
                except SourceError as exc:
                    self._policies[key] = exc
            found = self._policies[key]
        if isinstance(found, SourceError):
            raise found
        return found

    def _parse(self, source: SourceSpec, kind: str):
        from iamtest import PolicyError, allow_all_policy, parse_policy

        self.parses += 1
        try:
            if source.kind == ALLOW_ALL_WORD:
                return allow_all_policy(kind)
            loaded = self.document(source)
            return parse_policy(loaded.data, source=loaded.source, locations=loaded.locations,
                                kind=kind)
        except PolicyError as exc:
            raise SourceError(exc.message, exc.source, exc.line) from None

    def policy_set(self, layers: Layers, endpoint_type: str = "interface"):
        """The engine's PolicySet for merged layers. Raises SourceError."""
        # Cases of one file mostly share one (read-only) layers mapping: remember
        # its answer by identity (the entry holds the mapping, so no id is reused).
        memo = (id(layers), endpoint_type)
        with self._lock:
            known = self._by_layers.get(memo)
        if known is not None and known[0] is layers:
            return known[1]
        found = self._policy_set(layers, endpoint_type)
        with self._lock:
            self._by_layers[memo] = (layers, found)
        return found

    def policies_in(self, layers: Layers) -> Tuple[Tuple[Any, str], ...]:
        """(policy, kind) for every source of merged layers that can be used, in layer
        order; a source that cannot is left out (deciding the case reports it)."""
        with self._lock:
            known = self._usable.get(id(layers))
        if known is not None and known[0] is layers:
            return known[1]
        out = []
        for layer, source in sources_in(layers):
            kind = LAYER_KIND[layer]
            try:
                out.append((self.policy(source, kind), kind))
            except SourceError:
                continue
        found = tuple(out)
        with self._lock:
            self._usable[id(layers)] = (layers, found)
        return found

    def _policy_set(self, layers: Layers, endpoint_type: str):
        from iamtest import PolicyError, PolicySet

        values: Dict[str, Any] = {}
        for layer, spec in layers.items():
            kind = LAYER_KIND[layer]
            if layer in LIST_LAYERS:
                values[layer] = tuple(self.policy(s, kind) for s in spec)
            elif layer in LEVEL_LAYERS:
                values[layer] = tuple(tuple(self.policy(s, kind) for s in level) for level in spec)
            else:
                values[layer] = self.policy(spec, kind)
        # One PolicySet per combination of parsed policies: the policies are
        # cached above and kept for the session, so their ids identify them.
        key = (endpoint_type,) + tuple((layer, _ids(value)) for layer, value in values.items())
        with self._lock:
            found = self._sets.get(key)
        if found is not None:
            return found
        try:
            found = PolicySet(endpoint_type=endpoint_type, **values)
        except PolicyError as exc:
            raise SourceError(exc.message, exc.source, exc.line) from None
        with self._lock:
            return self._sets.setdefault(key, found)


def _ids(value):
    """The ids of the policies in a layer value (a policy, or nested tuples of them)."""
    return tuple(_ids(v) for v in value) if isinstance(value, tuple) else id(value)


def sources_in(layers: Layers) -> Tuple[Tuple[str, SourceSpec], ...]:
    """(layer, source) for every source of merged layers, in layer order."""
    out = []
    for layer in LAYERS:
        if layer not in layers:
            continue
        spec = layers[layer]
        if layer in LIST_LAYERS:
            out += [(layer, s) for s in spec]
        elif layer in LEVEL_LAYERS:
            out += [(layer, s) for level in spec for s in level]
        else:
            out.append((layer, spec))
    return tuple(out)


def _resolve_iac(source: SourceSpec) -> Loaded:
    """Read a Terraform / plan / CloudFormation reference through :mod:`iamtest.iac`."""
    try:
        from iamtest.iac import IacError, resolve_source
    except ImportError as exc:
        raise SourceError(f"`{source.kind}` sources need the infrastructure-code readers, "
                          f"which could not be loaded ({exc})", source.spec_file,
                          source.line) from None
    try:
        found = resolve_source(dict(source.value), source.base_dir)
    except IacError as exc:
        message = exc.message
        if exc.line is None:  # say where the reference is written, at least
            where = f"{source.spec_file}:{source.line}" if source.line else source.spec_file
            message += f" (named at {where})"
        raise SourceError(message, exc.path, exc.line) from None
    return Loaded(found.doc, dict(found.locations or {}), found.source or source.describe())
