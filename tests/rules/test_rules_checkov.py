"""The checkov rules, run by checkov itself over the fixture infrastructure code.

Each fixture folder or template holds resources named for the verdict a rule
must give: pass_*/Pass* pass, fail_*/Fail* fail, unknown_*/Unknown* cannot be
read statically and must be UNKNOWN (checkov leaves those out of its report;
iamtest.iac.checkov_support keeps them). The test runs checkov's own runners
with the rules folder as an external checks directory and compares the sets.

What AWS does that the fixtures encode (AWS PrivateLink guide, "Control access
to VPC endpoints using endpoint policies"; EC2 API CreateVpcEndpoint): an
endpoint created without a policy gets a default policy allowing full access;
an endpoint is a Gateway endpoint unless its type says otherwise; a gateway
endpoint grants principals only through aws:PrincipalArn.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

checkov = pytest.importorskip("checkov", reason="checkov is an optional extra")

from iamtest import checkov_rules_dir  # noqa: E402
from iamtest.iac import checkov_support  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "fixtures" / "terraform"
CLOUDFORMATION = REPO / "fixtures" / "cloudformation"


def run(framework: str, target: Path, check_id: str):
    """(passed, failed, unknown) resource names of one rule over one fixture."""
    from checkov.runner_filter import RunnerFilter

    checkov_support.UNKNOWN_RESULTS.clear()
    runner_filter = RunnerFilter(framework=[framework], checks=[check_id])
    rules = [str(checkov_rules_dir())]
    if framework == "terraform":
        from checkov.terraform.runner import Runner
        report = Runner().run(root_folder=str(target), external_checks_dir=rules, runner_filter=runner_filter)
    elif framework == "terraform_plan":
        from checkov.terraform.plan_runner import Runner
        report = Runner().run(root_folder=None, files=[str(target)], external_checks_dir=rules,
                              runner_filter=runner_filter)
    else:
        from checkov.cloudformation.runner import Runner
        report = Runner().run(root_folder=None, files=[str(target)], external_checks_dir=rules,
                              runner_filter=runner_filter)

    def name(resource: str) -> str:
        return re.split(r"[.]", resource)[-1]

    passed = {name(r.resource): r for r in report.passed_checks if r.check_id == check_id}
    failed = {name(r.resource): r for r in report.failed_checks if r.check_id == check_id}
    unknown = {name(u["resource"]): u for u in checkov_support.UNKNOWN_RESULTS if u["check_id"] == check_id}
    return passed, failed, unknown


def expected(names, prefix: str):
    return {n for n in names if n.lower().startswith(prefix)}


def declared_terraform(folder: Path):
    text = "".join(p.read_text() for p in folder.glob("*.tf"))
    return set(re.findall(r'^resource "aws_(?:vpc_endpoint|vpc_endpoint_policy|s3_bucket_policy)" "(\w+)"',
                          text, re.M))


def declared_cloudformation(template: Path):
    text = template.read_text()
    return set(re.findall(r"^  (\w+):\n    Type: AWS::(?:EC2::VPCEndpoint|S3::BucketPolicy)", text, re.M))


CASES = [
    ("CKV_IAMT_1", "vpce_full_access"),
    ("CKV_IAMT_2", "vpce_exfiltration"),
    ("CKV_IAMT_3", "vpce_any_account"),
    ("CKV_IAMT_4", "s3_bucket_vpce_lock"),
]


@pytest.mark.parametrize("check_id, fixture", CASES)
def test_terraform_fixture_verdicts(check_id, fixture):
    folder = TERRAFORM / fixture
    passed, failed, unknown = run("terraform", folder, check_id)
    names = declared_terraform(folder)
    assert expected(names, "pass_") and expected(names, "fail_")
    assert set(passed) == expected(names, "pass_")
    assert set(failed) == expected(names, "fail_")
    assert not unknown
    for record in list(passed.values()) + list(failed.values()):
        assert record.details and record.details[0], "every finding carries its reason"


@pytest.mark.parametrize("check_id, fixture", CASES)
def test_cloudformation_fixture_verdicts(check_id, fixture):
    template = CLOUDFORMATION / f"{fixture}.yaml"
    passed, failed, unknown = run("cloudformation", template, check_id)
    names = declared_cloudformation(template)
    assert expected(names, "pass") and expected(names, "fail")
    assert set(passed) == expected(names, "pass")
    assert set(failed) == expected(names, "fail")
    assert not unknown
    for record in list(passed.values()) + list(failed.values()):
        assert record.guideline, "the reason is reported (CloudFormation reports no details)"


@pytest.mark.parametrize("check_id", ["CKV_IAMT_1", "CKV_IAMT_2", "CKV_IAMT_3", "CKV_IAMT_4"])
def test_unresolvable_terraform_is_unknown_never_passed(check_id):
    folder = TERRAFORM / "unresolvable"
    passed, failed, unknown = run("terraform", folder, check_id)
    kind = "s3_bucket_policy" if check_id == "CKV_IAMT_4" else "vpc_endpoint"
    names = set(re.findall(rf'^resource "aws_{kind}" "(\w+)"', (folder / "main.tf").read_text(), re.M))
    assert names and names == expected(names, "unknown_")
    assert not passed and not failed
    assert set(unknown) == names
    reasons = {n: u["reason"] for n, u in unknown.items()}
    if check_id != "CKV_IAMT_4":
        assert "cannot resolve var.bucket_arn statically (no default and not set in 'variables')" in \
            reasons["unknown_variable_without_default"]
        assert 'file("${path.module}/endpoint-policy.json")' in reasons["unknown_file"]
        assert "data.aws_caller_identity.current.account_id" in reasons["unknown_caller_account"]
    else:
        assert "aws_s3_bucket.data.arn" in reasons["unknown_bucket_arn_after_apply"]


def test_unresolvable_cloudformation_is_unknown_never_passed():
    template = CLOUDFORMATION / "unresolvable.yaml"
    passed, failed, unknown = run("cloudformation", template, "CKV_IAMT_1")
    assert not passed and not failed
    assert set(unknown) == {"UnknownParameterWithoutDefault", "UnknownImportValue",
                            "UnknownSubstitutionLeftAsText", "UnknownQueueArn"}
    assert "no Default and not set in 'parameters'" in unknown["UnknownParameterWithoutDefault"]["reason"]
    assert "${Bucket} is left as text" in unknown["UnknownSubstitutionLeftAsText"]["reason"]
    assert "Queue.Arn is known only after deployment" in unknown["UnknownQueueArn"]["reason"]


def test_plan_fixture_verdicts():
    passed, failed, unknown = run("terraform_plan", TERRAFORM / "plan" / "plan.json", "CKV_IAMT_1")
    assert set(passed) == {"pass_own_buckets"}
    assert set(failed) == {"fail_no_policy", "fail_attached_full_access"}
    assert set(unknown) == {"unknown_policy_after_apply"}
    assert "known only after apply" in unknown["unknown_policy_after_apply"]["reason"]
    assert "default policy AWS attaches" in failed["fail_no_policy"].details[0]


def test_reasons_name_the_request_that_got_through():
    _, failed, _ = run("terraform", TERRAFORM / "vpce_exfiltration", "CKV_IAMT_2")
    reason = failed["fail_approved_roles_any_bucket"].details[0]
    assert reason.startswith("the endpoint policy lets requests reach resources outside the accounts")
    assert "arn:aws:iam::123456789012:role/AppServiceRole s3:" in reason
    _, failed, _ = run("terraform", TERRAFORM / "vpce_any_account", "CKV_IAMT_3")
    assert "cannot name the principal 'arn:aws:iam::123456789012:role/AppServiceRole'" in \
        failed["fail_approved_roles_on_gateway"].details[0]


def test_module_resources_are_judged_with_their_callers_inputs():
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.runner import Runner

    report = Runner().run(root_folder=str(TERRAFORM / "module_inputs"),
                          external_checks_dir=[str(checkov_rules_dir())],
                          runner_filter=RunnerFilter(framework=["terraform"], checks=["CKV_IAMT_2"]))
    assert {r.resource for r in report.passed_checks} == {"module.own.aws_vpc_endpoint.this"}
    assert {r.resource for r in report.failed_checks} == {"module.open.aws_vpc_endpoint.this"}
