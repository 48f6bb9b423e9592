"""check_case: no access test may pass vacuously on a request AWS never makes.

Every policy denies an action that does not exist, so a case on
s3:GetObjcet expecting deny passes without testing anything: that is an
error. A resource that cannot be a resource of the action is a warning.
"""
from iamtest import Location
from iamtest.catalog import check_case

HERE = Location("tests/s3.iamtest.yaml", 12)


def test_a_misspelled_action_is_an_error_with_did_you_mean():
    [f] = check_case("s3:GetObjcet", "arn:aws:s3:::b/k", HERE)
    assert f.id == "unknown-action" and f.severity == "error" and f.is_error
    assert f.message.startswith("s3:GetObjcet is not an AWS action (did you mean s3:GetObject")
    assert f.location == HERE
    assert str(f).startswith("tests/s3.iamtest.yaml:12: s3:GetObjcet is not an AWS action")


def test_an_unknown_service_is_named():
    [f] = check_case("s4:GetObject", "arn:aws:s3:::b/k")
    assert f.id == "unknown-action"
    assert "no AWS service has the prefix s4" in f.message
    assert "s3:GetObject" in f.message


def test_a_pattern_or_a_bare_name_is_not_one_action():
    for action in ["s3:Get*", "GetObject", "s3:", 42]:
        [f] = check_case(action, "*")
        assert f.id == "unknown-action", action
        assert "service:Action" in f.message


def test_action_case_does_not_matter():
    assert check_case("S3:getobject", "arn:aws:s3:::b/k") == []


def test_a_bucket_for_an_object_action_is_a_warning():
    [f] = check_case("s3:GetObject", "arn:aws:s3:::my-bucket", HERE)
    assert f.id == "resource-not-of-action" and f.severity == "warning" and not f.is_error
    assert "arn:aws:s3:::my-bucket cannot be a resource of s3:GetObject" in f.message
    assert "arn:${Partition}:s3:::${BucketName}/${ObjectName}" in f.message
    assert "it fits s3 bucket" in f.message


def test_an_arn_for_an_action_without_resource_type_is_a_warning():
    [f] = check_case("s3:ListAllMyBuckets", "arn:aws:s3:::my-bucket")
    assert f.id == "resource-not-of-action"
    assert "acts on no resource type" in f.message


def test_star_for_an_action_with_a_required_resource_is_a_warning():
    [f] = check_case("dynamodb:GetItem", "*")
    assert f.id == "resource-not-of-action"
    assert "needs a resource of type table" in f.message


def test_sound_requests_have_no_finding():
    assert check_case("s3:GetObject", "arn:aws:s3:::my-company-bucket/report.csv") == []
    assert check_case("s3:ListAllMyBuckets", "*") == []
    assert check_case("sts:AssumeRole", "arn:aws:iam::123456789012:role/App") == []


def test_no_resource_skips_the_resource_check():
    assert check_case("s3:GetObject", None) == []
    assert [f.id for f in check_case("s3:GetObjcet", None)] == ["unknown-action"]
