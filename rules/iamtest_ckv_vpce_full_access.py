"""CKV_IAMT_1: VPC endpoint policy does not let any principal reach any resource.

FAILED when the endpoint has no policy (AWS then attaches a full-access default) or when a
principal of an account the policy does not name may use an action it does not name on a
resource in an account it does not name. Judged by asking the evaluator, so Action "*",
NotAction lists, partial wildcards and Deny statements count for what they allow.
"""
from checkov.cloudformation.checks.resource.base_resource_check import (
    BaseResourceCheck as CloudFormationResourceCheck,
)
from checkov.common.models.enums import CheckCategories
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from iamtest.iac.checkov_support import cloudformation_endpoint_result, terraform_endpoint_result
from iamtest.iac.rules_logic import endpoint_full_access

ID = "CKV_IAMT_1"
NAME = "VPC endpoint policy does not let any principal reach any resource"
CATEGORIES = [CheckCategories.IAM, CheckCategories.NETWORKING]


class TerraformCheck(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(name=NAME, id=ID, categories=CATEGORIES, supported_resources=["aws_vpc_endpoint", "aws_vpc_endpoint_policy"])

    def scan_resource_conf(self, conf):
        return terraform_endpoint_result(self, conf, endpoint_full_access)


class CloudFormationCheck(CloudFormationResourceCheck):
    def __init__(self) -> None:
        super().__init__(name=NAME, id=ID, categories=CATEGORIES, supported_resources=["AWS::EC2::VPCEndpoint"])

    def scan_resource_conf(self, conf):
        return cloudformation_endpoint_result(self, conf, endpoint_full_access)


terraform_check = TerraformCheck()
cloudformation_check = CloudFormationCheck()
