"""endpoint_type_of: the endpoint kind the infrastructure code fixes.

AWS (EC2 API CreateVpcEndpoint, and the Terraform provider's
vpc_endpoint_type) makes an endpoint a Gateway endpoint unless its type says
otherwise.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from iamtest.iac import endpoint_type_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.mark.parametrize("spec, expected", [
    ({"terraform": "terraform/vpce_full_access", "address": "aws_vpc_endpoint.fail_no_policy"}, "gateway"),
    ({"terraform": "terraform/vpce_full_access", "address": "aws_vpc_endpoint.pass_own_buckets"}, "gateway"),
    ({"terraform": "terraform/vpce_full_access", "address": "aws_vpc_endpoint.pass_approved_roles_interface"},
     "interface"),
    ({"terraform": "terraform/vpce_full_access", "address": "aws_vpc_endpoint_policy.fail_attached_full_access"},
     "interface"),
    ({"terraform": "terraform/vpce_any_account", "address": "aws_vpc_endpoint_policy.pass_deny_outside_org"},
     None),
    ({"terraform": "terraform/s3_bucket_vpce_lock", "address": "aws_s3_bucket_policy.fail_no_lock"}, None),
    ({"terraform_plan": "terraform/plan/plan.json", "address": "module.vpc.aws_vpc_endpoint.pass_own_buckets"},
     "gateway"),
    ({"terraform_plan": "terraform/plan/plan.json", "address": "aws_vpc_endpoint_policy.fail_attached_full_access"},
     "interface"),
    ({"cloudformation": "cloudformation/vpce_full_access.yaml", "resource": "FailNoPolicy"}, "gateway"),
    ({"cloudformation": "cloudformation/vpce_full_access.yaml", "resource": "FailNotAction"}, "interface"),
    ({"cloudformation": "cloudformation/s3_bucket_vpce_lock.yaml", "resource": "PassDenyNonVpce"}, None),
])
def test_endpoint_type_of(spec, expected):
    assert endpoint_type_of(spec, FIXTURES) == expected
