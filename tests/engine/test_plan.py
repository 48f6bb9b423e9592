"""A PolicySet's plan makes each statement reference and layer result once.

Decisions are values; sharing their immutable parts between requests must
never change one. The trap: StatementRef equality compares only the layer and
level, so two different statements of one layer compare equal; the plan must
tell them apart by identity, or a decision would name the wrong statement.
"""
from iamtest import PolicySet, decide, make_request, parse_policy
from iamtest.engine.layers import plan_for

ROLE = "arn:aws:iam::111122223333:role/App"
DOC = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ReadA", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
    {"Sid": "ReadB", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
]}


def test_each_request_is_decided_by_its_own_statement_though_the_references_compare_equal():
    policies = PolicySet(identity=(parse_policy(DOC, source="app.json"),))
    first = decide(policies, make_request(ROLE, "s3:GetObject", "arn:aws:s3:::a/x"))
    second = decide(policies, make_request(ROLE, "s3:GetObject", "arn:aws:s3:::b/x"))
    assert [r.statement.sid for r in first.deciding] == ["ReadA"]
    assert [r.statement.sid for r in second.deciding] == ["ReadB"]
    assert first.deciding[0] == second.deciding[0]          # equal as values: same layer and level
    assert first.layers[0] is not second.layers[0]
    assert first.to_dict()["deciding"][0]["sid"] == "ReadA"
    assert second.to_dict()["deciding"][0]["sid"] == "ReadB"


def test_requests_that_match_the_same_statements_share_the_parts_of_their_decisions():
    policies = PolicySet(identity=(parse_policy(DOC, source="app.json"),))
    first = decide(policies, make_request(ROLE, "s3:GetObject", "arn:aws:s3:::a/x"))
    again = decide(policies, make_request(ROLE, "s3:GetObject", "arn:aws:s3:::a/y"))
    assert again.layers[0] is first.layers[0] and again.deciding[0] is first.deciding[0]
    assert again.request.resource == "arn:aws:s3:::a/y" and again.summary == first.summary


def test_a_plan_belongs_to_one_policy_set_object():
    policy = parse_policy(DOC, source="app.json")
    one, other = PolicySet(identity=(policy,)), PolicySet(identity=(policy,))
    assert plan_for(one) is plan_for(one)
    assert plan_for(other) is not plan_for(one)
    decision = decide(other, make_request(ROLE, "s3:GetObject", "arn:aws:s3:::a/x"))
    assert plan_for(other).owns(decision.layers[0]) and not plan_for(one).owns(decision.layers[0])


def test_a_remembered_outcome_is_the_one_computed_from_scratch():
    # Many requests through one PolicySet (outcomes remembered by its plan)
    # against each request alone through a fresh PolicySet (nothing remembered).
    from itertools import product

    bucket = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Sid": "Mine", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:*",
         "Resource": "arn:aws:s3:::a/*"},
        {"Sid": "NoTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::a/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}, source="bucket.json", kind="resource")
    identity = parse_policy(DOC, source="app.json")
    scp = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}, source="scp.json", kind="scp")

    def policy_set():
        return PolicySet(identity=(identity,), resource=bucket, scp=((scp,),))

    requests = [make_request(who, action, resource, resource_account=account,
                             context={"aws:SecureTransport": tls})
                for who, action, resource, account, tls in product(
                    [ROLE, "arn:aws:iam::444455556666:role/Other", "lambda.amazonaws.com", "anonymous"],
                    ["s3:GetObject", "s3:PutObject"],
                    ["arn:aws:s3:::a/x", "arn:aws:s3:::b/x"], ["111122223333", "444455556666"], [True, False])]
    shared = policy_set()
    together = [decide(shared, r) for r in requests + requests]
    for request, decision in zip(requests + requests, together):
        alone = decide(policy_set(), request)
        assert decision.to_dict() == alone.to_dict()
    assert len(plan_for(shared).outcomes) < len(requests)   # outcomes were remembered and reused
