"""One question to the solver: policy sets over one shared symbolic request."""
from __future__ import annotations

from typing import List, Optional, Sequence

from ..engine.layers import PolicySet
from ..engine.request import FEDERATED, ROLE, SESSION, USER
from ._z3 import z3mod
from .compile import Compiled, compile_policy_set, partitions_of, policies_of
from .keys import plan_for
from .patterns import Patterns, alphabet_of
from .requestset import SetEncoder, SetSpec, property_keys
from .symbolic import SymRequest


class Question:
    """Policy sets (one for a property, two for a diff) and an optional request set.

    Build every formula you need with :attr:`req` before reading
    :attr:`domain`: the domain defines the memberships used so far.
    """

    def __init__(self, policy_sets: Sequence[PolicySet], spec: Optional[SetSpec] = None,
                 where: str = "property", extra_texts: Sequence[str] = ()):
        self.z3 = z3mod()
        self.policy_sets = list(policy_sets)
        self.spec = spec or SetSpec()
        policies = [p for ps in self.policy_sets for p in policies_of(ps)]
        self.plan = plan_for(policies, property_keys(self.spec), list(self.spec.texts()) + list(extra_texts))
        if self.spec.action is not None:
            self.plan.actions.extend(self.spec.action.values)
        self.texts = list(self.plan.texts)
        self.pats = Patterns(alphabet_of(self.texts))
        self.req = SymRequest(self.plan, self.pats, partitions_of(self.texts))
        self.compiled: List[Compiled] = [compile_policy_set(self.req, ps) for ps in self.policy_sets]
        self.in_set = SetEncoder(self.req, where).formula(self.spec)
        self.wishes = self._preferences()
        self._domain = None

    @property
    def domain(self) -> list:
        if self._domain is None:
            self._domain = self.req.finish()
        return list(self._domain)

    def _preferences(self) -> list:
        """Soft wishes that make examples read like real requests (tried one by one)."""
        z3, req = self.z3, self.req
        return [
            z3.Implies(req.is_iam, req.named(req.partition, "aws")),
            z3.Implies(req.res_form != 0, req.named(req.res_parts[0], "aws")),
            z3.Implies(req.is_kind(USER, ROLE), req.named(req.path, "/")),
            z3.Implies(req.is_kind(USER), req.named(req.name, "ExampleUser")),
            z3.Implies(req.is_kind(ROLE, SESSION), req.named(req.name, "ExampleRole")),
            z3.Implies(req.is_kind(FEDERATED), req.named(req.name, "example")),
            z3.Implies(req.is_kind(SESSION), req.named(req.session, "session")),
        ]

    def preferences(self) -> list:
        self.domain  # noqa: B018 - defines the memberships the wishes use
        return list(self.wishes)
