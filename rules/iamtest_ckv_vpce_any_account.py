"""CKV_IAMT_3: VPC endpoint policy admits only principals of the accounts and organization it names.

FAILED when a principal of an account the policy does not name (outside the organization it
names) may use the endpoint on the resources the policy names.
"""
from checkov.cloudformation.checks.resource.base_resource_check import (
    BaseResourceCheck as CloudFormationResourceCheck,
)
from checkov.common.models.enums import CheckCategories
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from iamtest.iac.checkov_support import cloudformation_endpoint_result, terraform_endpoint_result
from iamtest.iac.rules_logic import endpoint_any_account

ID = "CKV_IAMT_3"
NAME = "VPC endpoint policy admits only principals of the accounts and organization it names"
CATEGORIES = [CheckCategories.IAM, CheckCategories.NETWORKING]


class TerraformCheck(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(name=NAME, id=ID, categories=CATEGORIES, supported_resources=["aws_vpc_endpoint", "aws_vpc_endpoint_policy"])

    def scan_resource_conf(self, conf):
        return terraform_endpoint_result(self, conf, endpoint_any_account)


class CloudFormationCheck(CloudFormationResourceCheck):
    def __init__(self) -> None:
        super().__init__(name=NAME, id=ID, categories=CATEGORIES, supported_resources=["AWS::EC2::VPCEndpoint"])

    def scan_resource_conf(self, conf):
        return cloudformation_endpoint_result(self, conf, endpoint_any_account)


terraform_check = TerraformCheck()
cloudformation_check = CloudFormationCheck()
