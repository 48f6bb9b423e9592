"""The ``iam`` fixture: access tests written in Python.

::

    def test_endpoint_blocks_exfiltration(iam):
        iam.load(identity="allow-all", endpoint="endpoints/s3.json")
        iam.assert_denied(principal="arn:aws:iam::123456789012:role/App",
                          action="s3:PutObject", resource="arn:aws:s3:::attacker/x",
                          resource_account="999999999999", denied_by="endpoint")

Sources are what a file's ``policies`` takes: a path (relative to the test
module's folder), a policy document (dict), ``"allow-all"``, or a
``terraform``/``terraform_plan``/``cloudformation`` reference. Policies are
read and parsed once per session, shared with the ``*.iamtest.yaml`` files.
A failed assertion's message is the evaluator's explanation.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping, Optional

from ..spec.build import Builder
from ..spec.errors import SpecError
from ..spec.evaluate import EFFECT_WORD
from ..spec.loader import display_path
from ..spec.model import DENY_EXPECTATIONS, EXPECTATIONS, LAYERS
from ..spec.schema import check
from ..spec.sources import PolicyLoader
from ..spec.yamlload import Loaded


def _plain(value: Any) -> Any:
    """Paths become strings, tuples lists: the shapes the schema speaks of."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


class IamHelper:
    """Load policies onto a request path, decide requests, assert on decisions."""

    def __init__(self, loader: PolicyLoader, base_dir: Path, origin: str = "<test>"):
        self.loader = loader
        self.base_dir = Path(base_dir)
        self.origin = origin
        self.policies = None

    def load(self, identity=None, resource=None, endpoint=None, boundary=None, session=None,
             scp=None, rcp=None, endpoint_type: str = "interface"):
        """Put policies on the request path (a layer left as None is not on it).

        Returns the PolicySet, also kept for the following ``decide`` calls.
        Raises :class:`~iamtest.spec.SpecError` for a bad source or a missing
        file and :class:`~iamtest.spec.SourceError` for a policy AWS would reject.
        """
        given = dict(identity=identity, resource=resource, endpoint=endpoint, boundary=boundary,
                     session=session, scp=scp, rcp=rcp)
        layers = {k: _plain(v) for k, v in given.items() if v is not None}
        if endpoint_type not in ("interface", "gateway"):
            raise SpecError.at(self.origin, None, "endpoint_type must be one of interface, "
                                                  f"gateway; got `{endpoint_type}`")
        loaded = Loaded(layers, {}, self.origin)
        problems = check(loaded, ref="policies", prefix=("policies",))
        if problems:
            raise SpecError(problems)
        builder = Builder(Loaded({"policies": layers}, {}, self.origin),
                          self.base_dir / "_", self.origin)
        built = builder.layers(layers, ("policies",), "")
        if builder.problems:
            raise SpecError(builder.problems)
        self.policies = self.loader.policy_set(built, endpoint_type)
        return self.policies

    def decide(self, principal: str, action: str, resource: str,
               context: Optional[Mapping[str, Any]] = None, resource_account: Optional[str] = None,
               policies=None):
        """AWS's decision for one request against the loaded policies."""
        from iamtest import decide, make_request

        policies = policies if policies is not None else self.policies
        if policies is None:
            raise RuntimeError("call iam.load(...) before iam.decide(...): no policies are loaded")
        request = make_request(principal, action, resource, resource_account=resource_account,
                               context=dict(context or {}))
        return decide(policies, request)

    @staticmethod
    def explain(decision) -> str:
        from iamtest.explain import render_text

        return render_text(decision, decision.request)

    def assert_decision(self, expect: str, denied_by: Optional[str] = None, **request):
        """Decide and assert ``expect`` (allow, deny, explicit-deny, implicit-deny)."""
        __tracebackhide__ = True  # pytest shows the caller's line, not ours
        if expect not in EXPECTATIONS:
            raise ValueError(f"expect must be one of {', '.join(EXPECTATIONS)}; got {expect!r}")
        if denied_by is not None and (denied_by not in LAYERS or expect not in DENY_EXPECTATIONS):
            raise ValueError(f"denied_by must be a layer ({', '.join(LAYERS)}) with a deny "
                             f"expectation; got {denied_by!r} with {expect!r}")
        decision = self.decide(**request)
        ok = decision.expectation_matches(expect)
        if ok and denied_by is not None and denied_by not in decision.refused_by:
            ok = False
        if not ok:
            wanted = expect + (f", refused by {denied_by}" if denied_by else "")
            got = EFFECT_WORD.get(decision.effect, decision.effect)
            if not decision.allowed:
                got += ", refused by " + (", ".join(decision.refused_by) or "no layer on its own")
            raise AssertionError(f"expected: {wanted}\nactual:   {got}\n{self.explain(decision)}")
        return decision

    def assert_allowed(self, **request):
        """Assert the request is allowed; the message is the explanation."""
        __tracebackhide__ = True  # pytest shows the caller's line, not ours
        return self.assert_decision("allow", **request)

    def assert_denied(self, denied_by: Optional[str] = None, explicit: Optional[bool] = None,
                      **request):
        """Assert the request is denied (``explicit=True``: by an explicit deny,
        ``False``: implicitly), optionally refused by the layer ``denied_by``."""
        __tracebackhide__ = True  # pytest shows the caller's line, not ours
        expect = "deny" if explicit is None else ("explicit-deny" if explicit else "implicit-deny")
        return self.assert_decision(expect, denied_by=denied_by, **request)


def make_helper(request) -> IamHelper:
    from .items import loader_of

    path = Path(str(request.path)) if getattr(request, "path", None) else Path.cwd() / "_"
    return IamHelper(loader_of(request.config), path.parent, display_path(path))
