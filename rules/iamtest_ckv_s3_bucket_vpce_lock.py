"""CKV_IAMT_4: S3 bucket policy refuses requests that do not come through a named VPC endpoint or VPC.

The bucket side of the bidirectional lock, for buckets meant to be reached only through VPC
endpoints: FAILED when a principal of the bucket's account with full IAM permissions, a principal
the policy names, or an anonymous caller is allowed to read, write, list or delete from the
internet or through an endpoint the policy does not name. Select it with --check CKV_IAMT_4,
or leave it out with --skip-check CKV_IAMT_4.
"""
from checkov.cloudformation.checks.resource.base_resource_check import (
    BaseResourceCheck as CloudFormationResourceCheck,
)
from checkov.common.models.enums import CheckCategories
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from iamtest.iac.checkov_support import cloudformation_bucket_result, terraform_bucket_result

ID = "CKV_IAMT_4"
NAME = "S3 bucket policy refuses requests that do not come through a named VPC endpoint or VPC"
CATEGORIES = [CheckCategories.IAM, CheckCategories.NETWORKING]


class TerraformCheck(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(name=NAME, id=ID, categories=CATEGORIES, supported_resources=["aws_s3_bucket_policy"])

    def scan_resource_conf(self, conf):
        return terraform_bucket_result(self, conf)


class CloudFormationCheck(CloudFormationResourceCheck):
    def __init__(self) -> None:
        super().__init__(name=NAME, id=ID, categories=CATEGORIES, supported_resources=["AWS::S3::BucketPolicy"])

    def scan_resource_conf(self, conf):
        return cloudformation_bucket_result(self, conf)


terraform_check = TerraformCheck()
cloudformation_check = CloudFormationCheck()
