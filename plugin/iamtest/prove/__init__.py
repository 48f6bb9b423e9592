"""Proofs over all requests: properties, and the access a change adds.

The symbolic back-end compiles a :class:`~iamtest.PolicySet` into a z3 formula
over a symbolic request that mirrors :func:`iamtest.decide`; see
docs/prove.md. z3 is imported on first use: without it, calls raise
:class:`ProverUnavailable` (``pip install iamtest[prove]``).

    from iamtest.prove import check_property
    result = check_property(prop_spec, policy_set)   # PropertySpec, or a mapping as in a file
    result.proven, result.case, result.explanation
"""
from .errors import ProveError, ProverUnavailable, ReplayMismatch, SolverUnknown, UnsupportedConstruct
from .property import PropertyResult, check_property

__all__ = ["ProveError", "ProverUnavailable", "PropertyResult", "ReplayMismatch", "SolverUnknown",
           "UnsupportedConstruct", "check_property"]
