"""Properties AWS's evaluation logic guarantees, checked over generated policies.

* An explicit deny overrides any allow, so adding a Deny statement can never
  turn a deny into an allow.
* Allow statements in a grant layer only add permissions, so adding one can
  never turn an allow into a deny.
* Statements and policies are unordered: their order never matters.
* Action names are case-insensitive.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest import PolicySet, decide, make_request, parse_policy

ACCOUNTS = ["111122223333", "444455556666"]
ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "dynamodb:GetItem"]
ACTION_PATTERNS = ACTIONS + ["s3:*", "s3:Get*", "*", "s3:*Object", "dynamodb:*"]
RESOURCES = ["arn:aws:s3:::alpha/a.txt", "arn:aws:s3:::beta/b.txt", "arn:aws:s3:::alpha"]
RESOURCE_PATTERNS = RESOURCES + ["*", "arn:aws:s3:::alpha/*", "arn:aws:s3:::*", "arn:aws:s3:::b?ta/*"]
PRINCIPALS = [f"arn:aws:iam::{a}:role/App" for a in ACCOUNTS] + \
    [f"arn:aws:sts::{ACCOUNTS[0]}:assumed-role/App/s1", f"arn:aws:iam::{ACCOUNTS[0]}:user/alice",
     f"arn:aws:iam::{ACCOUNTS[0]}:root", "anonymous", "lambda.amazonaws.com"]
VPCES = ["vpce-1", "vpce-2"]

conditions = st.one_of(
    st.just(None),
    st.fixed_dictionaries({"StringEquals": st.fixed_dictionaries({"aws:SourceVpce": st.sampled_from(VPCES)})}),
    st.fixed_dictionaries({"StringNotEquals": st.fixed_dictionaries({"aws:SourceVpce": st.sampled_from(VPCES)})}),
    st.fixed_dictionaries({"StringEquals": st.fixed_dictionaries(
        {"aws:PrincipalAccount": st.sampled_from(ACCOUNTS)})}),
)


@st.composite
def statements(draw, with_principal, effect=None):
    s = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    s["NotAction" if draw(st.booleans()) and s["Effect"] == "Deny" else "Action"] = \
        draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=2))
    s["Resource"] = draw(st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2))
    if with_principal:
        s["Principal"] = draw(st.one_of(st.just("*"), st.fixed_dictionaries(
            {"AWS": st.sampled_from(ACCOUNTS + PRINCIPALS[:4])})))
    cond = draw(conditions)
    if cond:
        s["Condition"] = cond
    return s


def policy(stmts, kind):
    return parse_policy({"Version": "2012-10-17", "Statement": stmts}, source=f"{kind}.json", kind=kind)


@st.composite
def scenarios(draw):
    layers = {
        "identity": draw(st.lists(statements(False), max_size=3)),
        "resource": draw(st.one_of(st.none(), st.lists(statements(True), min_size=1, max_size=3))),
        "endpoint": draw(st.one_of(st.none(), st.lists(statements(True), min_size=1, max_size=2))),
        "boundary": draw(st.one_of(st.none(), st.lists(statements(False), min_size=1, max_size=2))),
        "scp": draw(st.one_of(st.none(), st.lists(statements(False), min_size=1, max_size=2))),
    }
    request = dict(principal=draw(st.sampled_from(PRINCIPALS)), action=draw(st.sampled_from(ACTIONS)),
                   resource=draw(st.sampled_from(RESOURCES)), resource_account=draw(st.sampled_from(ACCOUNTS)),
                   context={"aws:SourceVpce": draw(st.sampled_from(VPCES + [None]))})
    return layers, request


def build(layers, order=lambda x: x):
    def one(kind):
        stmts = layers[kind]
        return None if stmts is None else policy(order(list(stmts)), kind)
    identity = layers["identity"]
    return PolicySet(identity=(policy(order(list(identity)), "identity"),) if identity else (),
                     resource=one("resource"), endpoint=one("endpoint"), boundary=one("boundary"),
                     scp=None if layers["scp"] is None else ((one("scp"),),))


def run(layers, request):
    return decide(build(layers), make_request(**request))


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.sampled_from(["identity", "resource", "endpoint", "boundary", "scp"]), st.data())
def test_adding_a_deny_statement_never_turns_a_deny_into_an_allow(scenario, layer, data):
    layers, request = scenario
    before = run(layers, request)
    extra = data.draw(statements(layer in ("resource", "endpoint"), effect="Deny"))
    changed = dict(layers, **{layer: list(layers[layer] or []) + [extra]})
    after = run(changed, request)
    if not before.allowed:
        assert not after.allowed
    if before.effect == "ExplicitDeny":
        assert after.effect == "ExplicitDeny"


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.sampled_from(["identity", "resource"]), st.data())
def test_adding_an_allow_to_a_grant_layer_never_turns_an_allow_into_a_deny(scenario, layer, data):
    layers, request = scenario
    before = run(layers, request)
    extra = data.draw(statements(layer == "resource", effect="Allow"))
    changed = dict(layers, **{layer: list(layers[layer] or []) + [extra]})
    after = run(changed, request)
    if before.allowed:
        assert after.allowed


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_statement_order_never_matters(scenario):
    layers, request = scenario
    forward = decide(build(layers), make_request(**request))
    backward = decide(build(layers, order=lambda x: x[::-1]), make_request(**request))
    assert forward.effect == backward.effect
    assert forward.refused_by == backward.refused_by


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_identity_policy_order_never_matters(scenario):
    layers, request = scenario
    stmts = layers["identity"]
    split = PolicySet(identity=tuple(policy([s], "identity") for s in stmts))
    reverse = PolicySet(identity=tuple(policy([s], "identity") for s in reversed(stmts)))
    r = make_request(**request)
    assert decide(split, r).effect == decide(reverse, r).effect


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.sampled_from([str.lower, str.upper, str.swapcase]))
def test_action_case_never_matters(scenario, change):
    layers, request = scenario
    a = run(layers, request)
    b = run(layers, dict(request, action=change(request["action"])))
    assert a.effect == b.effect
