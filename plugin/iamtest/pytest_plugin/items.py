"""Test items: one per case request, one per property.

What reporters can read on an item (same process as the run):

- ``item.iamtest_case``: the :class:`~iamtest.spec.CaseSpec` (``iamtest_property``
  for property items), available from collection on;
- ``item.iamtest_request``: the :class:`~iamtest.spec.CaseRequest` (principal,
  action and resource of this item);
- ``item.iamtest_result``: the :class:`~iamtest.spec.CaseResult` after the run
  (decision, request, policy set, passed, mismatch), ``None`` before or when
  the case could not run;
- ``item.iamtest_error``: the :class:`~iamtest.spec.SourceError` that stopped
  the case (a policy AWS would reject, a request that cannot be built), or ``None``.

On the pytest report of the ``call`` phase (also under pytest-xdist):
``report.iamtest_result`` is ``CaseResult.to_dict()`` as plain JSON values, for
failing cases always and for passing ones when a reporter reads it
(``--iamtest-results``, coverage, SARIF, GitHub output: see hooks.py); and
``report.user_properties`` holds ``iamtest.decision``, ``iamtest.deciding_layers``,
``iamtest.refused_by``, ``iamtest.expect`` (written to JUnit XML as properties).
"""
from __future__ import annotations

import pytest

from ..spec.errors import SourceError
from ..spec.evaluate import run_case
from ..spec.model import CaseRequest, PropertySpec
from . import render
from .catalog_checks import check_request

PROVER_MISSING = "properties need the prover (pip install iamtest[prove])"


class AccessTestFailure(Exception):
    """An access test that failed; its text is the whole report."""

    def __init__(self, text: str):
        self.text = text
        super().__init__(text)


class PropertyUndecided(AccessTestFailure):
    """The prover could not decide a property (no solver, a time limit, a
    construct it cannot encode, or a disagreement with the evaluator). Raised
    during setup, so pytest reports the property as an error, not a pass or a
    failure."""


def loader_of(config):
    from .hooks import LOADER_KEY

    return config.stash[LOADER_KEY]


def explain_enabled(config) -> bool:
    return bool(config.getoption("iamtest_explain", False)) or config.getoption("verbose", 0) >= 2


class _AccessItem(pytest.Item):
    """What case and property items share: failure rendering and location."""

    _spec_line = 1
    _domain = ""

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, AccessTestFailure):
            return excinfo.value.text
        return super().repr_failure(excinfo, style=style)

    def _repr_failure_py(self, excinfo, style=None):
        # pytest renders exceptions raised during setup with this method rather
        # than repr_failure; our own errors are rendered as text there too.
        if isinstance(excinfo.value, AccessTestFailure):
            return excinfo.value.text
        return super()._repr_failure_py(excinfo, style=style)

    def reportinfo(self):
        return self.path, self._spec_line - 1, self._domain


class CaseItem(_AccessItem):
    """One request of one case: decide it and compare with the expectation."""

    def __init__(self, *, case_request: CaseRequest, **kwargs):
        super().__init__(**kwargs)
        self.iamtest_request = case_request
        self.iamtest_case = case_request.case
        self.iamtest_result = None
        self.iamtest_error = None
        self._spec_line = case_request.case.line
        self._domain = f"case '{case_request.id}'"

    def runtest(self) -> None:
        case = self.iamtest_case
        try:
            check_request(self.config, self.iamtest_request, loader_of(self.config))
            result = run_case(self.iamtest_request, loader_of(self.config))
        except SourceError as exc:
            self.iamtest_error = exc
            self.user_properties.append(("iamtest.error", str(exc)))
            raise AccessTestFailure(render.source_error_text(case, exc, self.iamtest_request)) \
                from None
        self.iamtest_result = result
        self.user_properties.extend(_properties(case.expect, case.denied_by, result))
        if not result.passed:
            raise AccessTestFailure(render.failure_text(result))
        if explain_enabled(self.config):
            self.add_report_section("call", "iamtest explanation", render.passing_text(result))


#: The JUnit properties of a case, one tuple of pairs per distinct set of values
#: (pytest keeps every report, and few sets of values recur over many cases).
_PROPERTIES: dict = {}


def _properties(expect: str, denied_by, result) -> tuple:
    decision = result.decision
    key = (expect, denied_by, decision.effect, decision.refused_by,
           tuple(ref.layer for ref in decision.deciding))
    found = _PROPERTIES.get(key)
    if found is None:
        if len(_PROPERTIES) >= 4096:
            _PROPERTIES.clear()
        found = _PROPERTIES[key] = (
            ("iamtest.expect", expect + (f" by {denied_by}" if denied_by else "")),
            ("iamtest.decision", result.actual),
            ("iamtest.deciding_layers", ",".join(result.deciding_layers)),
            ("iamtest.refused_by", ",".join(decision.refused_by)),
        )
    return found


class PropertyItem(_AccessItem):
    """One property: proven by :mod:`iamtest.prove`, never passed without a proof."""

    def __init__(self, *, prop: PropertySpec, **kwargs):
        super().__init__(**kwargs)
        self.iamtest_property = prop
        self.iamtest_result = None
        self.iamtest_error = None
        self._spec_line = prop.line
        self._domain = f"property '{prop.name}'"

    def setup(self) -> None:
        """Prove the property; an undecided one is an error, reported here."""
        prop = self.iamtest_property
        head = f"property '{prop.name}' at {prop.file}:{prop.line}"
        self._head = head
        self._outcome = None
        try:
            from iamtest.prove import ProveError, check_property
        except ImportError as exc:
            raise PropertyUndecided(f"{head}\n{PROVER_MISSING}\n({exc})") from None
        try:
            policies = loader_of(self.config).policy_set(prop.policies, prop.endpoint_type)
        except SourceError as exc:
            self.iamtest_error = exc
            self._outcome = AccessTestFailure(render.source_error_text(prop, exc))
            return
        try:
            self.iamtest_result = check_property(prop, policies)
        except ProveError as exc:
            raise PropertyUndecided(f"{head}\nnot decided: {exc}") from None

    def runtest(self) -> None:
        if self._outcome is not None:
            raise self._outcome
        head = self._head
        result = self.iamtest_result
        if getattr(result, "proven", None) is not True:
            detail = getattr(result, "explanation", None) or getattr(result, "message", None) \
                or str(result)
            raise AccessTestFailure(f"{head}\nnot proven:\n{detail}")
        if explain_enabled(self.config):
            detail = getattr(result, "explanation", None) or "proven for every request in the set"
            self.add_report_section("call", "iamtest explanation", f"{head}\n{detail}")
