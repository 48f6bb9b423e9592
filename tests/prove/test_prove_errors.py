"""The prover never passes a property it did not prove.

Unknown answers and time limits are errors; constructs it cannot encode are
errors naming them; a counterexample the concrete evaluator disagrees with is
an internal error; without z3 the message says how to install it.
"""
from __future__ import annotations

import sys

import pytest

from iamtest import PolicySet
from iamtest.prove import (ProveError, ProverUnavailable, ReplayMismatch, SolverUnknown, UnsupportedConstruct,
                           check_property)

from prove_helpers import allow_all, policy


def _hard_policy():
    # Policy variables inside StringLike patterns need real string reasoning: slow for the solver.
    stmts = [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::bucket-{i}",
              "Condition": {"StringLike": {"s3:prefix": [f"home/${{aws:username}}/{i}/*",
                                                         f"team-{i}/*${{aws:userid}}"]}}}
             for i in range(20)]
    return PolicySet(identity=(policy("identity", *stmts),))


def test_a_time_limit_is_an_error_never_a_pass():
    prop = {"name": "hard", "never": {"action": "s3:ListBucket", "context": {"s3:prefix": {"not": "home/*"}}}}
    with pytest.raises(SolverUnknown) as info:
        check_property(prop, _hard_policy(), timeout_ms=1)
    assert "nothing is proven" in str(info.value) and "within 1 ms" in str(info.value)


def test_a_construct_the_prover_cannot_encode_is_named():
    # StringEqualsIgnoreCase against a policy variable would need case folding of a request value.
    stmt = {"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEqualsIgnoreCase": {"aws:PrincipalTag/owner": "${aws:username}"}}}
    policies = PolicySet(identity=(policy("identity", stmt, source="roles/owner.json"),))
    with pytest.raises(UnsupportedConstruct) as info:
        check_property({"name": "x", "never": {"action": "s3:GetObject"}}, policies)
    message = str(info.value)
    assert "StringEqualsIgnoreCase" in message and "roles/owner.json" in message and "docs/prove.md" in message


def test_a_key_read_as_text_and_as_a_number_is_refused():
    stmt = {"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringLike": {"aws:MultiFactorAuthAge": "3*"},
                          "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}
    policies = PolicySet(identity=(policy("identity", stmt),))
    with pytest.raises(UnsupportedConstruct, match="aws:MultiFactorAuthAge"):
        check_property({"name": "x", "never": {}}, policies)


def test_a_counterexample_the_evaluator_disagrees_with_is_an_internal_error(monkeypatch):
    # The replay decides every counterexample again; if the concrete evaluator said otherwise the
    # prover would be wrong, and the test must error loudly rather than report a failure.
    import iamtest.prove.concrete as concrete

    real = concrete.decide

    class Flipped:
        def __init__(self, decision):
            self.allowed = not decision.allowed
            self.effect = "ImplicitDeny" if decision.allowed else "Allow"
            self.summary = "flipped for the test"

    monkeypatch.setattr(concrete, "decide", lambda policies, request: Flipped(real(policies, request)))
    policies = PolicySet(identity=(allow_all("identity"),), resource=allow_all("resource"),
                         endpoint=allow_all("endpoint"))
    with pytest.raises(ReplayMismatch) as info:
        check_property({"name": "leak", "never": {"action": "s3:PutObject"}}, policies)
    assert "INTERNAL ERROR" in str(info.value) and "disagree" in str(info.value)


def test_without_z3_the_error_says_how_to_install_it(monkeypatch):
    import iamtest.prove._z3 as lazy
    monkeypatch.setattr(lazy, "_Z3", None)
    monkeypatch.setitem(sys.modules, "z3", None)  # import z3 now fails
    with pytest.raises(ProverUnavailable) as info:
        check_property({"name": "x", "never": {}}, PolicySet(identity=(allow_all("identity"),)))
    assert "pip install iamtest[prove]" in str(info.value)
    assert isinstance(info.value, ImportError) and isinstance(info.value, ProveError)


def test_a_malformed_request_set_is_an_error():
    with pytest.raises(ProveError, match="unknown request-set field"):
        check_property({"name": "x", "never": {"actions": "s3:*"}}, PolicySet(identity=(allow_all("identity"),)))
    with pytest.raises(ProveError, match="exactly one of"):
        check_property({"name": "x", "never": {}, "always": {}}, PolicySet(identity=(allow_all("identity"),)))
