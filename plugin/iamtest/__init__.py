"""iamtest: pytest for AWS access policies.

The public facade. Parse policies, describe the request path, build a
request, and ask for AWS's decision with its reasons::

    from iamtest import parse_policy, PolicySet, make_request, decide
    decision = decide(PolicySet(identity=(parse_policy(doc),)),
                      make_request("arn:aws:iam::123456789012:role/App", "s3:GetObject",
                               "arn:aws:s3:::bucket/key"))
    decision.effect   # "Allow" | "ExplicitDeny" | "ImplicitDeny"
"""
from .engine.decide import ALLOWED, EXPECTATIONS, EXPLICIT_DENY, IMPLICIT_DENY, Decision, decide
from .engine.layers import LAYERS, LayerResult, PolicySet, StatementRef
from .engine.model import Context, Location, Policy, PolicyError, Statement
from .engine.parse import ALLOW_ALL, KINDS, allow_all_policy, parse_policy
from .engine.request import Principal, Request, RequestError, make_request, parse_principal

__version__ = "0.1.0"


def checkov_rules_dir():
    """The folder to pass to ``checkov --external-checks-dir``."""
    from .iac.rules_dir import checkov_rules_dir as _dir
    return _dir()


__all__ = [
    "ALLOWED", "ALLOW_ALL", "EXPECTATIONS", "EXPLICIT_DENY", "IMPLICIT_DENY", "KINDS", "LAYERS",
    "Context", "Decision", "LayerResult", "Location", "Policy", "PolicyError", "PolicySet", "Principal",
    "Request", "RequestError", "Statement", "StatementRef", "allow_all_policy", "checkov_rules_dir",
    "decide", "make_request", "parse_policy", "parse_principal",
]
