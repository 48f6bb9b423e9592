"""--iamtest-checkov: each verdict of iamtest's checkov rules is a test at the file and line.

The contract (issue: "checkov inside the pytest run"): a finding becomes a
test item that passes, fails, or errors for UNKNOWN, reported at the
Terraform/CloudFormation file and line; without checkov the option is a
clear usage error.
"""
from __future__ import annotations

import sys
import textwrap
from xml.etree import ElementTree

import pytest

pytest.importorskip("checkov", reason="checkov is an optional extra")

MAIN_TF = textwrap.dedent("""
    variable "bucket_arn" {}

    resource "aws_vpc_endpoint" "open" {
      vpc_id       = "vpc-1"
      service_name = "com.amazonaws.us-east-1.s3"
    }

    resource "aws_vpc_endpoint" "unreadable" {
      vpc_id       = "vpc-1"
      service_name = "com.amazonaws.us-east-1.s3"
      policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*", Action = "s3:*",
                                         Resource = var.bucket_arn}]})
    }

    resource "aws_s3_bucket_policy" "locked" {
      bucket = "b"
      policy = jsonencode({Statement = [{Effect = "Deny", Principal = "*", Action = "s3:*",
        Resource = ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        Condition = {StringNotEquals = {"aws:SourceVpce" = "vpce-0abc1234def56789"}}}]})
    }
""").lstrip()


@pytest.fixture
def infra(pytester):
    pytester.makefile(".tf", **{"infra/main": MAIN_TF})
    return pytester


def run(pytester, *args):
    """Run pytest in a subprocess (checkov's graph library cannot be imported twice in one
    process) and read each test's outcome and location from its JUnit XML report."""
    result = pytester.runpytest_subprocess(*args, "-p", "no:cacheprovider", "--junitxml=report.xml",
                                         "-o", "junit_family=xunit1")
    out = {}
    for case in ElementTree.parse(str(pytester.path / "report.xml")).getroot().iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        text = "".join(child.get("message", "") + (child.text or "") for child in case)
        out[case.get("name")] = (kinds[0] if kinds else "passed", case.get("file"), case.get("line"), text)
    return result, out


def test_each_verdict_is_an_item_at_the_file_and_line(infra):
    _, got = run(infra, "--iamtest-checkov=infra")
    assert {k: v[0] for k, v in got.items()} == {
        "CKV_IAMT_1 aws_vpc_endpoint.open": "failure",
        "CKV_IAMT_2 aws_vpc_endpoint.open": "failure",
        "CKV_IAMT_3 aws_vpc_endpoint.open": "failure",
        "CKV_IAMT_1 aws_vpc_endpoint.unreadable": "error",
        "CKV_IAMT_2 aws_vpc_endpoint.unreadable": "error",
        "CKV_IAMT_3 aws_vpc_endpoint.unreadable": "error",
        "CKV_IAMT_4 aws_s3_bucket_policy.locked": "passed",
    }
    _, file, line, text = got["CKV_IAMT_1 aws_vpc_endpoint.open"]
    assert (file, line) == ("infra/main.tf", "2")  # 0-based: the resource starts on line 3
    assert "the default policy AWS attaches lets any principal reach any resource" in text
    text = got["CKV_IAMT_1 aws_vpc_endpoint.unreadable"][3]
    assert "UNKNOWN" in text
    assert "cannot resolve var.bucket_arn statically (no default and not set in 'variables')" in text


def test_ini_option_and_skip(infra):
    infra.makeini("[pytest]\niamtest_checkov = infra\niamtest_checkov_skip = CKV_IAMT_2\n    CKV_IAMT_3\n")
    _, got = run(infra)
    assert sorted(got) == ["CKV_IAMT_1 aws_vpc_endpoint.open", "CKV_IAMT_1 aws_vpc_endpoint.unreadable",
                           "CKV_IAMT_4 aws_s3_bucket_policy.locked"]


def test_items_can_be_selected_with_k(infra):
    _, got = run(infra, "--iamtest-checkov=infra", "-k", "CKV_IAMT_4")
    assert list(got) == ["CKV_IAMT_4 aws_s3_bucket_policy.locked"]


def test_missing_checkov_is_a_usage_error(infra, monkeypatch):
    monkeypatch.setitem(sys.modules, "checkov", None)  # `import checkov` now fails
    result = infra.runpytest_inprocess("--iamtest-checkov=infra", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert ("ERROR: --iamtest-checkov: running the checkov rules needs checkov: "
            "pip install 'iamtest[checkov]'") in result.stderr.str()


def test_missing_folder_is_a_usage_error(infra):
    result = infra.runpytest_inprocess("--iamtest-checkov=nowhere", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--iamtest-checkov *nowhere: no such folder or file*"])
