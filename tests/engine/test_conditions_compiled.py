"""A compiled condition clause answers exactly what ``evaluate_clause`` answers.

``compile_clause`` prepares a clause once (value sets, wildcard, ARN and IP
matchers) for the evaluator's fast path. The rules (absent keys, IfExists,
Null, ForAllValues/ForAnyValue, negated operators as the NOR of their values,
multivalued keys without a set operator, policy variables) are those of
``evaluate_clause``, which the other condition tests pin to AWS's pages; here
every operator family is held to it over generated clauses and contexts.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.conditions.compiled import compile_clause
from iamtest.engine.model import ConditionClause, Context, Location

KEY = "aws:Sample"
# Per operator, policy values that exercise it (wildcards, case, CIDR forms, variables...).
FAMILIES = {
    "StringEquals": ["prod", "Prod", "${aws:username}", "a*"],
    "StringNotEquals": ["prod", "dev", "${aws:username, 'bob'}"],
    "StringEqualsIgnoreCase": ["PROD", "dev"],
    "StringNotEqualsIgnoreCase": ["PROD", "dev"],
    "StringLike": ["prod", "pr*", "p?od", "*", "home/${aws:username}/*", "${*}x"],
    "StringNotLike": ["pr*", "d?v", "${aws:username}"],
    "ArnLike": ["arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:user/a?ice", "*", "arn:aws:s3:::b"],
    "ArnNotEquals": ["arn:aws:iam::111122223333:role/App", "arn:aws:iam::${aws:PrincipalAccount}:role/*"],
    "NumericLessThan": ["10", "2.5", "1e1"],
    "NumericNotEquals": ["10", "0"],
    "DateGreaterThan": ["2024-01-01T00:00:00Z", "1700000000"],
    "DateNotEquals": ["2024-01-01T00:00:00Z"],
    "Bool": ["true", "false", "TRUE", "maybe", "${aws:username}"],
    "BinaryEquals": ["cHJvZA==", "prod"],
    "IpAddress": ["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"],
    "NotIpAddress": ["10.0.0.0/8", "::1"],
    "Null": ["true", "false", " True "],
}
REQUEST_VALUES = ["prod", "PROD", "dev", "pr", "home/alice/x", "arn:aws:iam::111122223333:role/App",
                  "arn:aws:iam::444455556666:user/alice", "arn:aws:s3:::b", "10", "2", "1e1", "x",
                  "2024-06-01T00:00:00Z", "1600000000", "true", "False", "cHJvZA==", "10.1.2.3",
                  "192.0.2.7", "2001:db8::5", "not-an-ip", "", "*x", " true ", " 10.1.2.3 "]
# Request values close to each operator's policy values (drawn half the time).
NEAR = {
    "Bool": ["true", " true ", "TRUE", "false", "yes"],
    "IpAddress": ["10.1.2.3", " 10.1.2.3 ", "2001:db8::5", "::ffff:10.1.2.3", "300.1.1.1"],
    "NotIpAddress": ["10.1.2.3", " ::1 ", "192.0.2.1"],
    "StringEqualsIgnoreCase": ["prod", "Dev", "PRODUCTION"],
    "StringNotEqualsIgnoreCase": ["prod", "Dev", "PRODUCTION"],
    "StringLike": ["prod", "prx", "pxod", "home/alice/", "*x", "${*}x"],
    "NumericLessThan": ["9.99", "10", " 2 ", "-1", "1E1"],
    "BinaryEquals": ["cHJvZA==", "prod", " cHJvZA== "],
}


@st.composite
def cases(draw):
    base = draw(st.sampled_from(sorted(FAMILIES)))
    prefix = "" if base == "Null" else draw(st.sampled_from(["", "ForAnyValue:", "ForAllValues:"]))
    suffix = "" if base == "Null" else draw(st.sampled_from(["", "IfExists"]))
    operator = prefix + base + suffix
    values = tuple(draw(st.lists(st.sampled_from(FAMILIES[base]), min_size=1, max_size=3)))
    parsed_base, set_op, if_exists = parse_operator(operator)
    clause = ConditionClause(operator, parsed_base, set_op, if_exists, KEY, values, Location("test"))
    shape = draw(st.sampled_from(["absent", "single", "list"]))
    context = {"aws:username": draw(st.sampled_from(["alice", None])),
               "aws:PrincipalAccount": draw(st.sampled_from(["111122223333", None]))}
    values_for = st.sampled_from(REQUEST_VALUES)
    if base in NEAR:
        values_for = st.one_of(st.sampled_from(NEAR[base]), values_for)
    if shape == "single":
        context[draw(st.sampled_from([KEY, KEY.lower()]))] = draw(values_for)
    elif shape == "list":
        context[KEY] = draw(st.lists(values_for, max_size=3))
    return clause, Context.of(context), draw(st.booleans())


@settings(max_examples=1500, deadline=None)
@given(cases())
def test_a_compiled_clause_matches_exactly_when_evaluate_clause_does(case):
    clause, context, variables = case
    assert compile_clause(clause, variables)(context) == evaluate_clause(clause, context, variables).matched


def test_every_documented_operator_family_is_exercised():
    # The generated cases cover each family the registry knows (Null has no prefix or suffix).
    from iamtest.engine.conditions.registry import OPERATORS

    families = {OPERATORS[name].family for name in FAMILIES}
    assert families == {op.family for op in OPERATORS.values()}
