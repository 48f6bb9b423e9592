"""terraform_plan sources: policies from `terraform show -json` output.

Terraform's JSON output format puts planned attribute values under
planned_values.root_module (child modules under child_modules, addressed
module.NAME.TYPE.NAME), data sources read while planning under
prior_state.values, and marks values known only after apply in
resource_changes[].change.after_unknown. tests/iac/data/plan.json follows that
format.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from iamtest.iac import IacError, resolve_source

DATA = Path(__file__).parent / "data"


def plan(address: str, **extra):
    return resolve_source({"terraform_plan": "plan.json", "address": address, **extra}, DATA)


def test_root_module_resource():
    loaded = plan("aws_s3_bucket_policy.company")
    assert loaded.doc["Statement"][0]["Condition"] == {
        "StringNotEquals": {"aws:SourceVpce": "vpce-0abc1234def56789"}}
    assert loaded.source == "plan.json:16 aws_s3_bucket_policy.company.policy"
    assert set(loaded.locations.values()) == {16}


def test_child_module_resource_and_default_attribute():
    endpoint = plan("module.vpc.aws_vpc_endpoint.s3")
    assert endpoint.doc["Statement"][0]["Sid"] == "AllowOwnBucketsOnly"
    assert endpoint.source == "plan.json:45 module.vpc.aws_vpc_endpoint.s3.policy"
    role = plan("module.vpc.aws_iam_role.app")
    assert role.doc["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert role.source.endswith("module.vpc.aws_iam_role.app.assume_role_policy")


def test_data_source_read_while_planning():
    loaded = plan("data.aws_iam_policy_document.ro")
    assert loaded.doc["Statement"][0]["Resource"] == "arn:aws:s3:::my-logs-bucket/*"
    assert loaded.source == "plan.json:103 data.aws_iam_policy_document.ro.json"


def test_attribute_picks_another_value():
    with pytest.raises(IacError) as info:
        plan("module.vpc.aws_vpc_endpoint.s3", attribute="service_name")
    assert str(info.value) == ("plan.json:43: module.vpc.aws_vpc_endpoint.s3.service_name is not "
                               "valid JSON: invalid JSON: expected a value, found `c`")


def test_value_known_only_after_apply_is_an_error():
    with pytest.raises(IacError) as info:
        plan("aws_vpc_endpoint_policy.late")
    assert str(info.value) == ("plan.json:20: cannot resolve aws_vpc_endpoint_policy.late.policy "
                               "statically (known only after apply)")


def test_missing_resource():
    with pytest.raises(IacError) as info:
        plan("aws_vpc_endpoint.nope")
    assert str(info.value) == "plan.json: no resource aws_vpc_endpoint.nope in the plan"


def test_not_a_plan(tmp_path):
    (tmp_path / "other.json").write_text(json.dumps({"Resources": {}}))
    with pytest.raises(IacError) as info:
        resolve_source({"terraform_plan": "other.json", "address": "a.b"}, tmp_path)
    assert str(info.value) == ("other.json:1: not terraform show -json output (no planned_values "
                               "or values)")
