"""Condition keys: global, cross-service, OIDC provider and service keys.

IAM JSON policy elements: Condition: "Context key names are not
case-sensitive. For example, including the aws:SourceIP context key is
equivalent to testing for AWS:SourceIp."
"""
import pytest


@pytest.mark.parametrize("key", [
    "aws:SourceVpce", "aws:sourcevpce", "AWS:SourceIp", "aws:PrincipalOrgID", "aws:PrincipalArn",
    "aws:SecureTransport", "aws:CalledVia", "aws:VpceOrgID", "aws:ResourceAccount", "aws:userid",
])
def test_global_keys_are_known_for_every_service(catalog, key):
    assert catalog.condition_key_known(key, "s3")
    assert catalog.condition_key_known(key, "ec2")
    assert catalog.condition_key_known(key)


@pytest.mark.parametrize("key", ["aws:RequestTag/Dept", "aws:ResourceTag/cost-center", "aws:PrincipalTag/team",
                                 "AWS:principaltag/Team"])
def test_tag_keys_take_any_tag_name(catalog, key):
    assert catalog.condition_key_known(key, "s3")


@pytest.mark.parametrize("key", ["aws:RequestTag/", "aws:PrincipalTag", "aws:SourceVpcee", "aws:Nope"])
def test_incomplete_or_made_up_global_keys_are_unknown(catalog, key):
    assert not catalog.condition_key_known(key, "s3")
    assert not catalog.condition_key_known(key)


def test_service_keys_belong_to_their_service(catalog):
    assert catalog.condition_key_known("s3:prefix", "s3")
    assert catalog.condition_key_known("S3:Prefix", "s3")
    assert catalog.condition_key_known("ec2:InstanceType", "ec2")
    assert not catalog.condition_key_known("ec2:InstanceType", "s3")
    assert catalog.condition_key_known("ec2:InstanceType")          # some service has it
    assert "ec2" in catalog.services_with_key("ec2:InstanceType")


def test_service_keys_with_a_placeholder_part(catalog):
    # The reference writes s3:ExistingObjectTag/<key> and kms:EncryptionContext:${EncryptionContextKey}.
    assert catalog.condition_key_known("s3:ExistingObjectTag/classification", "s3")
    assert catalog.condition_key_known("s3:RequestObjectTag/team", "s3")
    assert not catalog.condition_key_known("s3:ExistingObjectTag/", "s3")
    assert catalog.condition_key_known("kms:EncryptionContext:aws:s3:arn", "kms")


def test_documented_cross_service_keys_are_known_everywhere(catalog):
    # "Cross-service condition keys are a type of global condition key that include a
    # prefix matching the name of the service, such as ec2: or lambda:, but are
    # available across other services."
    for key in ["ec2:SourceInstanceArn", "lambda:SourceFunctionArn", "glue:RoleAssumedBy"]:
        assert catalog.condition_key_known(key, "s3"), key


def test_saml_keys_of_role_permission_policies_are_known_everywhere(catalog):
    for key in ["saml:sub", "saml:sub_type", "saml:namequalifier"]:
        assert catalog.condition_key_known(key, "s3"), key
    assert catalog.condition_key_known("saml:aud", "sts")


@pytest.mark.parametrize("key", [
    "token.actions.githubusercontent.com:sub", "token.actions.githubusercontent.com:aud",
    "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub",
    "accounts.google.com:oaud", "cognito-identity.amazonaws.com:amr", "graph.facebook.com:app_id",
])
def test_oidc_provider_keys_are_known(catalog, key):
    assert catalog.condition_key_known(key, "sts")


def test_a_misspelled_oidc_claim_is_unknown(catalog):
    assert not catalog.condition_key_known("oidc.eks.us-east-1.amazonaws.com/id/ABC:sbu", "sts")


def test_keys_of_a_service_are_listed_as_the_reference_writes_them(catalog):
    keys = catalog.condition_keys_for_service("s3")
    assert "s3:prefix" in keys
    assert "s3:ExistingObjectTag/<key>" in keys
    assert catalog.condition_keys_for_service("s4") == []


def test_global_keys_are_listed(catalog):
    keys = catalog.global_condition_keys()
    assert "aws:SourceVpce" in keys and "aws:RequestTag/${TagKey}" in keys


def test_did_you_mean_for_condition_keys(catalog):
    assert catalog.suggest_condition_key("aws:SourceVPCe2")[0] == "aws:SourceVpce"
    assert "s3:prefix" in catalog.suggest_condition_key("s3:prefx", ["s3"])
