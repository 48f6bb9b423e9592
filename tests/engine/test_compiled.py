"""The compiled form of a policy answers exactly what the statement rule answers.

``iamtest.engine.compiled`` prepares matchers once per policy and skips
statements whose actions name only other services. These tests hold it to
``match_statement`` (the rule as written, statement by statement) over
generated statements, and pin the service index: an ``Action`` entry whose
text before the first colon has no wildcard can only match that service
(IAM matches action names without regard to case).
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest import make_request, parse_policy
from iamtest.engine.compiled import compiled, request_service, service_key
from iamtest.engine.statement import action_matches, match_statement

ACCOUNT = "111122223333"
ACTIONS = ["s3:GetObject", "S3:putobject", "s3:ListBucket", "dynamodb:GetItem", "sqs:SendMessage"]
ACTION_PATTERNS = ["s3:GetObject", "s3:Get*", "S3:*Object", "*", "s3*:Get*", "*:GetItem", "s?:PutObject",
                   "dynamodb:*", "DynamoDB:GetItem", "sqs:Send?essage", "iam:*"]
RESOURCES = ["arn:aws:s3:::alpha/a.txt", "arn:aws:s3:::alpha", "arn:aws:s3:::home/alice/x",
             f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/T", f"arn:aws:sqs:us-east-1:{ACCOUNT}:q:x"]
RESOURCE_PATTERNS = RESOURCES + [
    "*", "arn:aws:s3:::alpha/*", "arn:aws:s3:::*", "arn:aws:s3:::a?pha", "arn:aws:s3:::home/${aws:username}/*",
    "arn:aws:s3:::home/${aws:username, 'bob'}/*", f"arn:aws:sqs:*:{ACCOUNT}:q*", "arn:aws:*:*:*:table/*",
    "arn:aws:s3:::${*}", f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/T"]
PRINCIPALS = [f"arn:aws:iam::{ACCOUNT}:role/App", f"arn:aws:iam::{ACCOUNT}:user/alice",
              f"arn:aws:sts::{ACCOUNT}:assumed-role/App/s1", f"arn:aws:iam::{ACCOUNT}:root",
              "arn:aws:iam::444455556666:role/Other", "anonymous", "lambda.amazonaws.com"]
CONDITIONS = [
    {"StringEquals": {"aws:SourceVpce": "vpce-1"}},
    {"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}},
    {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}},
    {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"Null": {"aws:SourceVpce": "true"}},
    {"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}},
]


@st.composite
def statements(draw, kind):
    s = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    s["NotAction" if draw(st.booleans()) else "Action"] = \
        draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3))
    if kind != "resource" or draw(st.booleans()):
        s["NotResource" if draw(st.integers(0, 3)) == 0 else "Resource"] = \
            draw(st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=3))
    if kind in ("resource", "endpoint"):
        if s["Effect"] == "Deny" and draw(st.integers(0, 3)) == 0:
            s["NotPrincipal"] = {"AWS": draw(st.sampled_from(PRINCIPALS[:5] + [ACCOUNT]))}
        else:
            s["Principal"] = draw(st.one_of(st.just("*"), st.fixed_dictionaries(
                {"AWS": st.sampled_from(PRINCIPALS[:5] + [ACCOUNT])}),
                st.just({"Service": "lambda.amazonaws.com"})))
    cond = {}
    for c in draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)):
        cond.update(c)
    if cond:
        s["Condition"] = cond
    return s


@st.composite
def scenarios(draw):
    kind = draw(st.sampled_from(["identity", "resource", "endpoint", "scp"]))
    version = draw(st.sampled_from(["2012-10-17", "2008-10-17"]))
    doc = {"Version": version, "Statement": draw(st.lists(statements(kind), min_size=1, max_size=5))}
    context = {"aws:SourceVpce": draw(st.sampled_from(["vpce-1", "vpce-3", None])),
               "s3:prefix": draw(st.sampled_from(["home/alice/x", "home/bob/", None])),
               "aws:SecureTransport": draw(st.sampled_from([True, False, None])),
               "aws:SourceIp": draw(st.sampled_from(["10.1.2.3", "192.0.2.1", None])),
               "aws:TagKeys": draw(st.sampled_from([["a"], ["c"], [], None]))}
    request = make_request(draw(st.sampled_from(PRINCIPALS)), draw(st.sampled_from(ACTIONS)),
                           draw(st.sampled_from(RESOURCES)), resource_account=ACCOUNT, context=context)
    return kind, parse_policy(doc, source="p.json", kind=kind), request, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_compiled_statements_answer_what_match_statement_answers(scenario):
    kind, policy, request, gateway, has_boundary = scenario
    if kind != "endpoint":
        gateway = False
    lowered = request.action.lower()
    for cs, stmt in zip(compiled(policy).statements, policy.statements):
        assert cs.statement is stmt
        want = match_statement(policy, stmt, request, kind, gateway, has_boundary)
        assert cs.match(request, lowered, gateway, has_boundary) == want


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_statements_left_out_of_the_service_index_cannot_match_the_action(scenario):
    _, policy, request, _, _ = scenario
    chosen = {id(cs.statement) for cs in compiled(policy).candidates(request_service(request.action))}
    for stmt in policy.statements:
        if id(stmt) not in chosen:
            assert stmt.actions is not None and not action_matches(stmt, request.action)


def test_an_action_entry_names_one_service_only_when_its_service_part_has_no_wildcard():
    assert service_key("s3:GetObject") == "s3"
    assert service_key("S3:Get*") == "s3"          # IAM action names ignore case
    assert service_key("*") is None
    assert service_key("s3*:GetObject") is None    # could be s3 or s3express, ...
    assert service_key("s?:GetObject") is None
    assert service_key("*:GetObject") is None


def test_candidates_keep_the_policy_order_and_include_statements_for_any_service():
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"},
        {"Sid": "B", "Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"},
        {"Sid": "C", "Effect": "Allow", "Action": ["sqs:SendMessage", "S3:Get*"], "Resource": "*"},
        {"Sid": "D", "Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "E", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
    ]}
    cp = compiled(parse_policy(doc))
    assert [cs.statement.sid for cs in cp.candidates("s3")] == ["B", "C", "D", "E"]
    assert [cs.statement.sid for cs in cp.candidates("dynamodb")] == ["A", "B", "D"]
    assert [cs.statement.sid for cs in cp.candidates("kms")] == ["B", "D"]


def test_a_policy_is_compiled_once_and_equal_policies_each_get_their_own_form():
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    first, second = parse_policy(doc, source="a.json"), parse_policy(doc, source="a.json")
    assert compiled(first) is compiled(first)
    assert compiled(second) is not compiled(first)
    assert compiled(second).statements[0].statement is second.statements[0]


def test_the_cache_lets_a_policy_go_when_nothing_else_holds_it():
    import gc
    import weakref

    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    policy = parse_policy(doc)
    compiled(policy)
    ref = weakref.ref(policy)
    del policy
    gc.collect()
    assert ref() is None
