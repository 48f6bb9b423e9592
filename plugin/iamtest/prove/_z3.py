"""The one place that imports z3, lazily, so iamtest runs without it."""
from __future__ import annotations

from .errors import ProverUnavailable

_Z3 = None


def z3mod():
    """The z3 module; :class:`ProverUnavailable` when it is not installed."""
    global _Z3
    if _Z3 is None:
        try:
            import z3  # noqa: WPS433 - optional dependency, imported on first use
        except ImportError as exc:
            raise ProverUnavailable(str(exc)) from None
        _Z3 = z3
    return _Z3
