"""Fuzzing the evaluator: the policy parser, requests, condition evaluation, decisions.

A policy AWS would reject is a PolicyError naming the element; a request
iamtest cannot evaluate is a RequestError; everything the parser accepts can
be decided and explained for every request the request builder accepts.
"""
from hypothesis import given
from hypothesis import strategies as st

from iamtest import KINDS, PolicyError, PolicySet, RequestError, decide, make_request, parse_policy
from iamtest.engine.conditions import evaluate_clause, parse_operator, validate_values
from iamtest.engine.conditions.compiled import compile_clause
from iamtest.engine.model import ConditionClause, Context, Location, scalar_text
from iamtest.explain import render_text

from .budget import budget
from .strategies import CONDITION_VALUE, CONTEXT, KEYS, OPERATOR, policies, requests

_LEVELS = ("scp", "rcp")


def _parse(doc, kind):
    try:
        return parse_policy(doc, "p.json", {(): 1}, kind=kind)
    except PolicyError as error:
        assert error.source == "p.json" and error.message
        return None


def _request(fields):
    try:
        return make_request(**fields)
    except RequestError as error:
        assert str(error)
        return None


@budget(120)
@given(policies(), st.sampled_from(KINDS))
def test_any_document_parses_or_is_a_policy_error(doc, kind):
    _parse(doc, kind)


@budget(60)
@given(requests())
def test_any_request_builds_or_is_a_request_error(fields):
    _request(fields)


@budget(100)
@given(st.lists(st.tuples(policies(), st.sampled_from(KINDS)), min_size=1, max_size=4),
       st.sampled_from(["interface", "gateway"]), requests())
def test_what_parses_is_decided_and_explained_for_every_request(docs, endpoint_type, fields):
    layers = {}
    for doc, kind in docs:
        policy = _parse(doc, kind)
        if policy is None:
            continue
        if kind == "identity":
            layers["identity"] = layers.get("identity", ()) + (policy,)
        elif kind in _LEVELS:
            layers[kind] = layers.get(kind, ()) + ((policy,),)
        else:
            layers[kind] = policy
    request = _request(fields)
    if request is None:
        return
    try:
        policies = PolicySet(endpoint_type=endpoint_type, **layers)
    except PolicyError as error:  # a gateway endpoint policy naming a principal AWS refuses there
        assert error.message
        return
    decision = decide(policies, request)
    assert decision.effect in ("Allow", "ExplicitDeny", "ImplicitDeny")
    assert render_text(decision, request).startswith(f"decision: {decision.effect}")
    decision.to_dict()


@budget(150)
@given(OPERATOR, st.sampled_from(KEYS) | st.text(max_size=6), CONDITION_VALUE, CONTEXT,
       st.booleans())
def test_any_condition_clause_is_refused_or_evaluates_the_same_on_both_paths(
        operator, key, value, context, variables):
    try:
        base, set_operator, if_exists = parse_operator(operator)
    except ValueError as error:  # the parser turns it into a PolicyError with the line
        assert str(error)
        return
    values = tuple(scalar_text(v) for v in (value if isinstance(value, list) else [value]))
    if not values or validate_values(base, values):
        return  # refused by the parser with its line (test above)
    clause = ConditionClause(operator, base, set_operator, if_exists, key, values,
                             Location("p.json", 1))
    ctx = Context.of(context)
    slow = evaluate_clause(clause, ctx, variables)
    assert slow.reason
    assert compile_clause(clause, variables)(ctx) == slow.matched
