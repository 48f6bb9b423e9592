"""ARN parsing, the Resource element match, and ArnLike/ArnEquals.

Sources: Identify AWS resources with Amazon Resource Names (ARNs); IAM JSON
policy elements: Resource; IAM JSON policy elements: Condition operators (ARN
condition operators); IAM policy elements: Variables and tags.
"""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.engine.arn import (Arn, arn_equals, arn_like, parse_arn, resource_matches,
                                variables_outside_resource_part)
from iamtest.engine.wildcard import EscapedPattern, escape_literal, glob_match


def test_parse_arn_splits_six_parts_and_keeps_colons_in_the_resource():
    arn = parse_arn("arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:s1")
    assert arn == Arn("aws", "logs", "us-east-1", "123456789012", "log-group:app:log-stream:s1")
    assert str(arn) == "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:s1"


def test_parse_arn_allows_empty_region_and_account():
    assert parse_arn("arn:aws:s3:::bucket/key") == Arn("aws", "s3", "", "", "bucket/key")
    assert parse_arn("arn:aws:iam::123456789012:user/Bob").region == ""


@pytest.mark.parametrize("text", ["*", "bucket/key", "arn:aws:s3::bucket", "ARN:aws:s3:::b",
                                  "urn:aws:s3:::b", ""])
def test_parse_arn_returns_none_for_non_arns(text):
    assert parse_arn(text) is None


@pytest.mark.parametrize("resource", ["*", "arn:aws:s3:::bucket", "not-an-arn", ""])
def test_resource_star_alone_matches_everything_including_non_arns(resource):
    assert resource_matches("*", resource)


def test_resource_matching_is_case_sensitive():
    # "In the Resource element, the IAM user name is case sensitive."
    assert resource_matches("arn:aws:iam::123456789012:user/Bob", "arn:aws:iam::123456789012:user/Bob")
    assert not resource_matches("arn:aws:iam::123456789012:user/Bob", "arn:aws:iam::123456789012:user/bob")
    assert not resource_matches("arn:aws:S3:::b", "arn:aws:s3:::b")


def test_resource_wildcards_work_within_a_segment():
    assert resource_matches("arn:aws:iam::123456789012:user/accounting/*",
                            "arn:aws:iam::123456789012:user/accounting/alice")
    assert resource_matches("arn:aws:ec2:us-east-?:*:instance/*",
                            "arn:aws:ec2:us-east-1:123456789012:instance/i-1")
    assert not resource_matches("arn:aws:ec2:us-west-?:*:instance/*",
                                "arn:aws:ec2:us-east-1:123456789012:instance/i-1")


# The worked example of IAM JSON policy elements: Resource.
DOC_PATTERN = "arn:aws:s3:::amzn-s3-demo-bucket/*/test/*"


@pytest.mark.parametrize("key", ["1/test/object.jpg", "1/2/test/object.jpg", "1/2/test/3/object.jpg",
                                 "1/2/3/test/4/object.jpg", "1///test///object.jpg", "1/test/.jpg",
                                 "/test/object.jpg", "1/test/"])
def test_resource_star_spans_slashes_as_the_resource_page_lists(key):
    assert resource_matches(DOC_PATTERN, "arn:aws:s3:::amzn-s3-demo-bucket/" + key)


@pytest.mark.parametrize("key", ["1-test/object.jpg", "test/object.jpg", "1/2/test.jpg"])
def test_resource_page_non_matches_do_not_match(key):
    assert not resource_matches(DOC_PATTERN, "arn:aws:s3:::amzn-s3-demo-bucket/" + key)


def test_resource_trailing_star_of_a_segment_expands_past_colons():
    # "If the * wildcard is the last character of a resource ARN segment, it
    # can expand to match beyond the colon boundaries."
    assert resource_matches("arn:aws:iam::*", "arn:aws:iam::123456789012:role/x")
    assert resource_matches("arn:aws:logs:us-east-1:123456789012:log-group:app*",
                            "arn:aws:logs:us-east-1:123456789012:log-group:app-1:log-stream:s")
    assert resource_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b:c")


def test_resource_star_inside_a_segment_does_not_cross_a_colon():
    pattern = "arn:aws:logs:us-east-1:123456789012:log-group:*-prod:*"
    assert resource_matches(pattern, "arn:aws:logs:us-east-1:123456789012:log-group:a-prod:x")
    assert not resource_matches(pattern, "arn:aws:logs:us-east-1:123456789012:log-group:a:b-prod:x")


def test_resource_question_mark_does_not_match_a_colon():
    assert not resource_matches("arn:aws:s3:::a?b", "arn:aws:s3:::a:b")
    assert resource_matches("arn:aws:s3:::a?b", "arn:aws:s3:::a-b")


def test_resource_segment_count_must_line_up_without_a_trailing_star():
    assert not resource_matches("arn:aws:sqs:us-east-2:123456789012:queue1",
                                "arn:aws:sqs:us-east-2:123456789012:queue1:extra")
    assert not resource_matches("arn:aws:s3:::*", "*")


def test_resource_escaped_pattern_keeps_a_literal_star():
    pat = EscapedPattern("arn:aws:s3:::bucket/" + escape_literal("a*") + "/*")
    assert resource_matches(pat, "arn:aws:s3:::bucket/a*/x")
    assert not resource_matches(pat, "arn:aws:s3:::bucket/abc/x")


DOC_ARN_PATTERN = "arn:aws:someservice:*:111122223333:finance/*"
DOC_ARN_VALUE = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"


def test_arn_like_checks_each_of_the_six_components_separately():
    # The Condition operators page: StringLike succeeds, ArnLike fails,
    # because "the first asterisk matches only us-east-2".
    assert glob_match(DOC_ARN_PATTERN, DOC_ARN_VALUE)
    assert not arn_like(DOC_ARN_PATTERN, DOC_ARN_VALUE)


def test_arn_like_resource_component_may_contain_colons():
    assert arn_like("arn:aws:logs:*:*:log-group:*", "arn:aws:logs:us-east-1:1:log-group:a:log-stream:b")
    assert arn_like("arn:aws:sns:us-east-1:123456789012:topic", "arn:aws:sns:us-east-1:123456789012:topic")


@pytest.mark.parametrize("pattern,value", [
    ("arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:role/Admin"),
    ("arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/Admin"),
    ("arn:aws:iam::12345678901?:role/Admin", "arn:aws:iam::123456789012:role/Admin"),
    (DOC_ARN_PATTERN, DOC_ARN_VALUE),
    ("arn:aws:iam::123456789012:role/admin", "arn:aws:iam::123456789012:role/Admin"),
])
def test_arn_equals_behaves_identically_to_arn_like(pattern, value):
    # "The ArnEquals and ArnLike condition operators behave identically."
    assert arn_equals(pattern, value) == arn_like(pattern, value)


def test_arn_like_is_case_sensitive():
    assert not arn_like("arn:aws:iam::123456789012:role/admin", "arn:aws:iam::123456789012:role/Admin")


def test_arn_like_value_that_is_not_an_arn_does_not_match():
    assert not arn_like("arn:aws:iam::*:role/*", "role/Admin")


def test_arn_like_short_pattern_is_read_as_a_plain_wildcard():
    # Undocumented; iamtest matches a pattern of fewer than six components
    # over the whole value, so "*" matches any value.
    assert arn_like("*", "arn:aws:s3:::bucket")
    assert arn_like("*", "anything")
    assert arn_like("arn:aws:s3:::*", "arn:aws:s3:::bucket/key")


def test_variables_before_the_fifth_colon_are_flagged():
    # "You can't use a variable to replace parts of the ARN before the fifth colon"
    assert variables_outside_resource_part("arn:aws:s3:${aws:RequestedRegion}::b")
    assert not variables_outside_resource_part("arn:aws:s3:::bucket/${aws:username}/*")


def _resource_reference(pattern: str, value: str) -> bool:
    # The documented rule as a regular expression (safe: inputs are tiny):
    # a "*" ending a colon segment matches anything, other wildcards stay in
    # their segment.
    out = []
    for i, c in enumerate(pattern):
        if c == "*":
            trailing = i + 1 == len(pattern) or pattern[i + 1] == ":"
            out.append(".*" if trailing else "[^:]*")
        elif c == "?":
            out.append("[^:]")
        else:
            out.append(re.escape(c))
    return re.fullmatch("".join(out), value, re.DOTALL) is not None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="a*?:", min_size=1, max_size=7), st.text(alphabet="ab:", max_size=8))
def test_resource_matching_agrees_with_the_documented_rule_written_as_a_regex(pattern, value):
    if pattern == "*":
        return  # "*" alone matches everything, ARN or not
    assert resource_matches(pattern, value) == _resource_reference(pattern, value)
