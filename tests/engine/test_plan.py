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
