"""Which resources a request for an action can name.

Service Authorization Reference: "The Resource types column of the Actions
table indicates whether each action supports resource-level permissions. If
there is no value for this column, you must specify all resources ("*") to
which the policy applies in the Resource element of your policy statement.
[...] Required resources are indicated in the table with an asterisk (*)."
"""
import pytest


def test_resource_types_carry_their_arn_formats(catalog):
    types = {t.name: t for t in catalog.resource_types_for_action("s3:GetObject")}
    assert "object" in types
    assert types["object"].arn_formats == ("arn:${Partition}:s3:::${BucketName}/${ObjectName}",)
    assert all(t.service == "s3" for t in types.values())


def test_actions_without_a_resource_type_have_none(catalog):
    assert catalog.resource_types_for_action("s3:ListAllMyBuckets") == []
    assert catalog.resource_types_for_action("ec2:DescribeInstances") == []


def test_required_resource_types_are_marked(catalog):
    table = [t for t in catalog.resource_types_for_action("dynamodb:GetItem") if t.name == "table"]
    assert table and table[0].required


def test_unknown_action_is_a_clear_error(catalog):
    with pytest.raises(ValueError, match="s3:GetObjcet is not a known AWS action"):
        catalog.resource_types_for_action("s3:GetObjcet")
    with pytest.raises(ValueError):
        catalog.resource_may_belong_to_action("s3:GetObjcet", "arn:aws:s3:::b/k")


@pytest.mark.parametrize("action, arn", [
    ("s3:GetObject", "arn:aws:s3:::my-bucket/report.csv"),
    ("s3:GetObject", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap/object/report.csv"),
    ("S3:getobject", "arn:aws:s3:::my-bucket/report.csv"),
    ("s3:ListBucket", "arn:aws:s3:::my-bucket"),
    ("s3:PutBucketPolicy", "arn:aws:s3:::my-bucket"),
    ("iam:PassRole", "arn:aws:iam::123456789012:role/service/OrdersRole"),
    ("sts:AssumeRole", "arn:aws:iam::123456789012:role/App"),
    ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:orders"),
    ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:orders:prod"),
    ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"),
    ("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/ByDate"),
    ("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:orders"),
    ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db/pw-AbCdEf"),
    ("logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders:log-stream:2024/01/01"),
    ("s3:ListAllMyBuckets", "*"),
    ("ec2:DescribeInstances", "*"),
    ("s3:GetObject", "*"),            # its resource types are all optional (no asterisk)
])
def test_resources_an_action_can_name(catalog, action, arn):
    assert catalog.resource_may_belong_to_action(action, arn)


@pytest.mark.parametrize("action, arn, why", [
    ("s3:GetObject", "arn:aws:s3:::my-bucket", "a bucket is not an object"),
    ("s3:ListBucket", "arn:aws:s3:::my-bucket/key", "an object is not a bucket"),
    ("s3:PutObject", "arn:aws:s3:us-east-1:123456789012:my-bucket/key", "S3 object ARNs have no region or account"),
    ("s3:ListAllMyBuckets", "arn:aws:s3:::my-bucket", "no resource type: the resource is *"),
    ("ec2:DescribeInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", "no resource type"),
    ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/index/ByDate", "an index is not a table"),
    ("dynamodb:GetItem", "*", "its table resource is required"),
    ("iam:PassRole", "arn:aws:iam::123456789012:user/Bob", "a user is not a role"),
    ("sqs:SendMessage", "arn:aws:sns:us-east-1:123456789012:orders", "a topic is not a queue"),
])
def test_resources_an_action_cannot_name(catalog, action, arn, why):
    assert not catalog.resource_may_belong_to_action(action, arn), why


def test_a_pattern_is_not_judged(catalog):
    # A resource with wildcards is a set of resources, not one: no verdict against it.
    assert catalog.resource_may_belong_to_action("s3:GetObject", "arn:aws:s3:::my-bucket*")


def test_resource_types_of_an_arn(catalog):
    object_types = [t.name for t in catalog.resource_types_of_arn("arn:aws:s3:::b/k")]
    bucket_types = [t.name for t in catalog.resource_types_of_arn("arn:aws:s3:::b")]
    assert "object" in object_types and "bucket" not in object_types
    assert "bucket" in bucket_types and "object" not in bucket_types
    assert catalog.resource_types_of_arn("arn:aws:nosuchservice:::x") == []
