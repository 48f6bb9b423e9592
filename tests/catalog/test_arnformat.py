"""ARN formats of the Service Authorization Reference read as patterns.

ARN parts (IAM User Guide, "IAM identifiers"): arn:partition:service:region:
account-id:resource. A ${...} placeholder in the first five parts is one part
(no colon); in the resource part it is any non-empty text, except names AWS
documents without "/" (S3 bucket names: "Bucket names can consist only of
lowercase letters, numbers, periods (.), and hyphens (-).").
"""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamtest.catalog.arnformat import arn_fits, compile_format

BUCKET = "arn:${Partition}:s3:::${BucketName}"
OBJECT = "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
ROLE = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
FUNCTION = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"
TABLE = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"


@pytest.mark.parametrize("fmt, arn", [
    (BUCKET, "arn:aws:s3:::my-bucket"),
    (BUCKET, "arn:aws-cn:s3:::my-bucket"),
    (BUCKET, "arn:aws-us-gov:s3:::my.bucket-1"),
    (OBJECT, "arn:aws:s3:::my-bucket/key"),
    (OBJECT, "arn:aws:s3:::my-bucket/deep/path/key.txt"),
    (ROLE, "arn:aws:iam::123456789012:role/App"),
    (ROLE, "arn:aws:iam::123456789012:role/path/to/App"),
    (FUNCTION, "arn:aws:lambda:us-east-1:123456789012:function:orders"),
    (FUNCTION, "arn:aws:lambda:us-east-1:123456789012:function:orders:prod"),  # qualified ARN
    (TABLE, "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders"),
])
def test_resources_of_the_type_fit(fmt, arn):
    assert arn_fits(fmt, arn)


@pytest.mark.parametrize("fmt, arn, why", [
    (BUCKET, "arn:aws:s3:::my-bucket/key", "a bucket name has no slash: this is an object"),
    (OBJECT, "arn:aws:s3:::my-bucket", "an object needs a key after the bucket"),
    (OBJECT, "arn:aws:s3:::my-bucket/", "the key is not empty"),
    (BUCKET, "arn:aws:s3:us-east-1:123456789012:my-bucket", "bucket ARNs have no region or account"),
    (BUCKET, "arn:aws:sqs:::my-bucket", "another service"),
    (ROLE, "arn:aws:iam::123456789012:user/App", "a user is not a role"),
    (ROLE, "arn:aws:iam::123456789012:role/", "the role name is not empty"),
    (TABLE, "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/index/ByDate", "that is an index"),
    (FUNCTION, "arn:aws:lambda:us:east:1:123456789012:function:f", "a region holds no colon"),
    (BUCKET, "my-bucket", "not an ARN"),
    (BUCKET, "", "empty"),
])
def test_other_resources_do_not_fit(fmt, arn, why):
    assert not arn_fits(fmt, arn), why


def test_placeholders_of_the_first_parts_may_be_empty():
    # IAM formats write the region as an empty part; a format with ${Region}
    # still accepts a global resource written with an empty region.
    assert arn_fits("arn:${Partition}:dynamodb::${Account}:global-table/${GlobalTableName}",
                    "arn:aws:dynamodb::123456789012:global-table/G")
    assert arn_fits("arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}",
                    "arn:aws:s3::123456789012:accesspoint/ap")


def test_matching_is_case_sensitive_like_arns():
    assert not arn_fits(BUCKET, "ARN:AWS:S3:::my-bucket")


def test_long_adversarial_input_is_answered():
    # Many placeholders separated by literals and an input that almost fits:
    # an automaton answers this without backtracking.
    fmt = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Version}/durable-execution/${ExecutionName}/${ExecutionId}"
    head = "arn:aws:lambda:us-east-1:123456789012:function:" + "a:1/" * 5000
    assert not arn_fits(fmt, head + "durable-execution/x")      # no ExecutionId part
    assert arn_fits(fmt, head + "durable-execution/x/y")


def test_compiled_formats_are_reused():
    assert compile_format(BUCKET) is compile_format(BUCKET)


def _regex_reading(fmt: str) -> "re.Pattern":
    """The module's rule written out as a regular expression: in the first five
    parts a placeholder is any text without ``:``; in the resource part any
    non-empty text (without ``/`` for the names in NO_SLASH)."""
    import re

    from iamtest.catalog.arnformat import NO_SLASH

    def part(text, in_resource):
        out, pos = "", 0
        for m in re.finditer(r"\$\{([^}]*)\}", text):
            out += re.escape(text[pos:m.start()])
            if not in_resource:
                out += "[^:]*"
            else:
                out += "[^/]+" if m.group(1) in NO_SLASH else ".+"
            pos = m.end()
        return out + re.escape(text[pos:])

    parts = fmt.split(":", 5)
    if len(parts) < 6:
        body = part(fmt, True)
    else:
        body = ":".join(part(p, i == 5) for i, p in enumerate(parts))
    return re.compile(body, re.DOTALL)


_FORMAT_PIECES = st.sampled_from(["arn", ":", "${Partition}", "${Region}", "${Account}", "s3",
                                  "${BucketName}", "/", "${ObjectName}", "log-group", "${Name}",
                                  "*", "-", "a"])
_ARN_PIECES = st.sampled_from(["arn", ":", "aws", "us-east-1", "123456789012", "s3", "/",
                               "log-group", "a", "-", "b/c", "", "*"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FORMAT_PIECES, max_size=14).map("".join),
       st.lists(st.lists(_ARN_PIECES, max_size=14).map("".join), min_size=1, max_size=8),
       st.booleans())
def test_the_automaton_answers_as_the_rule_written_as_a_regex(fmt, arns, tiny_table):
    """The lazily built automaton (and its fallback when its table is full) says
    that an ARN fits exactly when the documented rule does."""
    from iamtest.catalog import arnformat

    expected = _regex_reading(fmt)
    compiled = arnformat.ArnFormat(fmt)
    bounds = (arnformat._MAX_STATES, arnformat._MAX_STEPS)
    try:
        if tiny_table:
            arnformat._MAX_STATES, arnformat._MAX_STEPS = 2, 3
        for arn in arns + arns:   # the second time through, the remembered steps answer
            assert compiled.fits(arn) == bool(expected.fullmatch(arn)), (fmt, arn)
    finally:
        arnformat._MAX_STATES, arnformat._MAX_STEPS = bounds
