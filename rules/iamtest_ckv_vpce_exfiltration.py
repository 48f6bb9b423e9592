"""CKV_IAMT_2: VPC endpoint policy keeps requests within the accounts and organization it names.

FAILED when a principal the policy admits may reach a resource in an account the policy does
not name, for the endpoint's service (for S3: get, put, list or delete objects in another
account's bucket): the path by which data leaves through the endpoint.
"""
from checkov.cloudformation.checks.resource.base_resource_check import (
    BaseResourceCheck as CloudFormationResourceCheck,
)
from checkov.common.models.enums import CheckCategories
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from iamtest.iac.checkov_support import cloudformation_endpoint_result, terraform_endpoint_result
from iamtest.iac.rules_logic import endpoint_exfiltration

ID = "CKV_IAMT_2"
NAME = "VPC endpoint policy keeps requests within the accounts and organization it names"
CATEGORIES = [CheckCategories.IAM, CheckCategories.NETWORKING]


class TerraformCheck(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(name=NAME, id=ID, categories=CATEGORIES, supported_resources=["aws_vpc_endpoint", "aws_vpc_endpoint_policy"])

    def scan_resource_conf(self, conf):
        return terraform_endpoint_result(self, conf, endpoint_exfiltration)


class CloudFormationCheck(CloudFormationResourceCheck):
    def __init__(self) -> None:
        super().__init__(name=NAME, id=ID, categories=CATEGORIES, supported_resources=["AWS::EC2::VPCEndpoint"])

    def scan_resource_conf(self, conf):
        return cloudformation_endpoint_result(self, conf, endpoint_exfiltration)


terraform_check = TerraformCheck()
cloudformation_check = CloudFormationCheck()
