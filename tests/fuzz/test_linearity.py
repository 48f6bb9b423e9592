"""Wildcard matching stays bounded: 64-star patterns against 100 KB values.

IAM patterns are user input, and so are request values in a test file; a
backtracking matcher takes exponential time on ``a*a*a*...b`` against
``aaaa...``. The engine's matchers place each star's segment leftmost in one
scan (iamtest.engine.wildcard), so the work is counted here rather than timed:
the number of segment matchers run, for each place a pattern meets a value
(a plain wildcard, the Resource element, ArnLike and StringLike conditions),
all through ``decide``. A separate run in a child process checks the same
requests finish at all (its time limit only catches a hang).
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from iamtest import PolicySet, decide, make_request, parse_policy
from iamtest.engine.wildcard import GlobMatcher, compile_glob

STARS = 64
VALUE_SIZE = 100_000
PATTERN = "a" + "*a" * STARS + "b"           # the classic exponential case for backtracking
VALUE = "a" * VALUE_SIZE                      # ... on a value that almost matches


@pytest.fixture
def matcher_runs(monkeypatch):
    """How many times a compiled wildcard matcher was run (each run is one scan per star)."""
    runs = [0]
    original = GlobMatcher.__call__

    def counting(self, value, counter=None):
        runs[0] += 1
        return original(self, value, counter)

    monkeypatch.setattr(GlobMatcher, "__call__", counting)
    return runs


def test_a_wildcard_scans_the_value_once_per_star():
    counter = [0]
    assert compile_glob(PATTERN)(VALUE, counter) is False
    # one probe for each fixed segment: first, last, then each middle one found leftmost
    assert counter[0] <= STARS + 2
    assert compile_glob(PATTERN)(VALUE + "b") is True


def _decide(statement, resource="*", context=None):
    doc = {"Version": "2012-10-17", "Statement": [dict(statement, Effect="Allow", Action="s3:GetObject")]}
    policies = PolicySet(identity=(parse_policy(doc, "p.json"),))
    request = make_request("arn:aws:iam::123456789012:role/App", "s3:GetObject", resource,
                           resource_account="123456789012", context=context or {})
    return decide(policies, request).effect


def test_string_like_runs_one_matcher_for_a_100kb_value(matcher_runs):
    statement = {"Resource": "*", "Condition": {"StringLike": {"aws:UserAgent": PATTERN}}}
    assert _decide(statement, context={"aws:UserAgent": VALUE}) == "ImplicitDeny"
    assert matcher_runs[0] <= 1
    assert _decide(statement, context={"aws:UserAgent": VALUE + "b"}) == "Allow"


def test_arn_like_runs_one_matcher_per_arn_component(matcher_runs):
    statement = {"Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::" + PATTERN}}}
    value = "arn:aws:s3:::" + VALUE
    assert _decide(statement, context={"aws:SourceArn": value}) == "ImplicitDeny"
    assert matcher_runs[0] <= 6
    assert _decide(statement, context={"aws:SourceArn": value + "b"}) == "Allow"


def test_a_resource_pattern_runs_one_matcher_per_segment_pair(matcher_runs):
    # Stars that do not end an ARN segment keep the segment rule: each pattern
    # segment is tried against the value segments it may start at. The work is
    # bounded by (pattern segments) x (value segments), never exponential.
    pattern = "arn:aws:s3:::" + "a*:*a:" * (STARS // 2) + "b"
    value = "arn:aws:s3:::" + "aaaa:" * (VALUE_SIZE // 5)
    assert _decide({"Resource": pattern}, resource=value) == "ImplicitDeny"
    pattern_segments, value_segments = pattern.count(":") + 1, value.count(":") + 1
    assert matcher_runs[0] <= pattern_segments * value_segments
    # with no colon after the stars: one run per segment of the pattern
    matcher_runs[0] = 0
    assert _decide({"Resource": "arn:aws:s3:::" + PATTERN}, resource="arn:aws:s3:::" + VALUE) \
        == "ImplicitDeny"
    assert matcher_runs[0] <= 6


_CHILD = textwrap.dedent('''
    from iamtest import PolicySet, decide, make_request, parse_policy
    STARS, SIZE = 64, 100_000
    pattern, value = "a" + "*a" * STARS + "b", "a" * SIZE
    cases = [
        ({"Resource": "arn:aws:s3:::" + pattern}, "arn:aws:s3:::" + value, {}),
        ({"Resource": "arn:aws:s3:::" + "a*:*a:" * (STARS // 2) + "b"},
         "arn:aws:s3:::" + "a:" * (SIZE // 2), {}),
        ({"Resource": "arn:aws:s3:::" + "?*:" * STARS + "b"}, "arn:aws:s3:::" + "ab:" * (SIZE // 3), {}),
        ({"Resource": "*", "Condition": {"StringLike": {"aws:UserAgent": pattern}}}, "*",
         {"aws:UserAgent": value}),
        ({"Resource": "*", "Condition": {"StringLike": {"aws:UserAgent": "*?a?" * STARS + "b"}}}, "*",
         {"aws:UserAgent": value}),
        ({"Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": "arn:*:*:*:*:" + pattern}}}, "*",
         {"aws:SourceArn": "arn:aws:s3:::" + value}),
    ]
    for statement, resource, context in cases:
        doc = {"Version": "2012-10-17",
               "Statement": [dict(statement, Effect="Allow", Action="s3:GetObject")]}
        request = make_request("arn:aws:iam::123456789012:role/App", "s3:GetObject", resource,
                               resource_account="123456789012", context=context)
        effect = decide(PolicySet(identity=(parse_policy(doc, "p.json"),)), request).effect
        assert effect == "ImplicitDeny", (statement, effect)
    print("decided", len(cases))
''')


def test_the_adversarial_requests_finish_in_a_child_process():
    # The limit is far above the few seconds this takes; it exists to turn a
    # hang (exponential backtracking) into a failure instead of a stuck run.
    done = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "decided 6"
