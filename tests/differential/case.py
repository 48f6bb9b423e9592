"""One generated test case: policies on every layer plus one request, as plain JSON.

Both evaluators read the same ``Case``: :mod:`adapter` turns it into iamtest's
``PolicySet`` and ``Request`` and into the reference evaluator's simulation
input. Keeping the case as plain documents means a failure prints exactly what
was evaluated, and a case can be pasted into a regression test as is.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Optional, Tuple

#: A fixed moment for every case: ``aws:CurrentTime`` and ``aws:EpochTime`` are
#: always given, so neither evaluator reads the clock.
CURRENT_TIME = "2025-06-15T12:00:00Z"
EPOCH_TIME = "1749988800"


@dataclass(frozen=True)
class Case:
    principal: str  # an IAM ARN, a service principal, or "anonymous"
    action: str
    resource: str
    resource_account: str
    context: dict = field(default_factory=dict)  # keys the caller supplies (not derived ones)
    identity: Tuple[dict, ...] = ()
    resource_policy: Optional[dict] = None
    endpoint: Optional[dict] = None
    endpoint_type: str = "interface"  # or "gateway"
    boundary: Optional[dict] = None
    session: Optional[dict] = None
    scp: Optional[Tuple[Tuple[dict, ...], ...]] = None  # levels, root first
    rcp: Optional[Tuple[Tuple[dict, ...], ...]] = None  # custom RCPs per level (full access is implied)

    def principal_kind(self) -> str:
        return principal_kind(self.principal)

    def principal_account(self) -> Optional[str]:
        return principal_account(self.principal)

    @property
    def same_account(self) -> bool:
        return self.principal_account() == self.resource_account

    def request_context(self) -> dict:
        """The caller-supplied keys plus the fixed clock."""
        ctx = {"aws:CurrentTime": CURRENT_TIME, "aws:EpochTime": EPOCH_TIME}
        ctx.update(self.context)
        return ctx

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=False)

    def policies(self):
        """Every (layer, document) pair of the case."""
        for doc in self.identity:
            yield "identity", doc
        for layer in ("resource_policy", "endpoint", "boundary", "session"):
            doc = getattr(self, layer)
            if doc is not None:
                yield layer.replace("_policy", ""), doc
        for layer in ("scp", "rcp"):
            for level in getattr(self, layer) or ():
                for doc in level:
                    yield layer, doc


def principal_kind(principal: str) -> str:
    """user | role | assumed-role | root | federated-user | service | anonymous."""
    if principal == "anonymous":
        return "anonymous"
    if not principal.startswith("arn:"):
        return "service"
    resource = principal.split(":", 5)[5]
    if resource == "root":
        return "root"
    return resource.split("/", 1)[0]


def principal_account(principal: str) -> Optional[str]:
    if not principal.startswith("arn:"):
        return None
    return principal.split(":", 5)[4]


def derived_context(case: Case) -> dict:
    """The keys AWS puts in the request context from the caller and the resource.

    Written from the "AWS global condition context keys" page and the policy
    variables page's table of principal values, independently of iamtest's own
    derivation, so that a mistake on either side shows up as a disagreement.
    Only keys whose value follows from the ARN alone are listed (``aws:userid``
    of users and roles is a unique id no ARN reveals).
    """
    kind = case.principal_kind()
    keys: dict = {"aws:ResourceAccount": case.resource_account}
    if kind in ("user", "role", "assumed-role", "root", "federated-user"):
        parts = case.principal.split(":", 5)
        partition, account, resource = parts[1], parts[4], parts[5]
        if kind == "assumed-role":
            # "For IAM roles, the request context returns the ARN of the role,
            # not the ARN of the user that assumed the role."
            role_name = resource.split("/")[1]
            arn = f"arn:{partition}:iam::{account}:role/{role_name}"
        else:
            arn = case.principal
        keys["aws:PrincipalArn"] = arn
        keys["aws:PrincipalAccount"] = account
        keys["aws:PrincipalType"] = {
            "user": "User", "role": "AssumedRole", "assumed-role": "AssumedRole",
            "root": "Account", "federated-user": "FederatedUser"}[kind]
        keys["aws:PrincipalIsAWSService"] = "false"
        if kind == "user":
            keys["aws:username"] = resource.rsplit("/", 1)[-1]
    elif kind == "service":
        keys["aws:PrincipalIsAWSService"] = "true"
        keys["aws:PrincipalServiceName"] = case.principal
    elif kind == "anonymous":
        keys["aws:PrincipalType"] = "Anonymous"
    return keys
