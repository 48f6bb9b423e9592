"""Terraform sources: the policy attribute of a resource, read as Terraform would build it.

Each test writes a small module, resolves a source the way an access-test file
names it, and checks the document AWS would receive and the lines it points at.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from iamtest.iac import IacError, resolve_source


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def resolve(tmp_path: Path, address: str, **extra):
    return resolve_source({"terraform": "infra", "address": address, **extra}, tmp_path)


def test_jsonencode_policy_with_variable_default(tmp_path):
    write(tmp_path, "infra/variables.tf", """
        variable "bucket" {
          default = "my-company-bucket"
        }
    """)
    write(tmp_path, "infra/main.tf", """
        resource "aws_vpc_endpoint" "s3" {
          vpc_id       = "vpc-1"
          service_name = "com.amazonaws.us-east-1.s3"
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Sid       = "AllowOwnBucketsOnly"
              Effect    = "Allow"
              Principal = "*"
              Action    = ["s3:GetObject", "s3:PutObject"]
              Resource  = ["arn:aws:s3:::${var.bucket}", "arn:aws:s3:::${var.bucket}/*"]
            }]
          })
        }
    """)
    loaded = resolve(tmp_path, "aws_vpc_endpoint.s3")
    assert loaded.doc == {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowOwnBucketsOnly", "Effect": "Allow", "Principal": "*",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*"],
        }],
    }
    assert loaded.source == "infra/main.tf:4 aws_vpc_endpoint.s3.policy"
    assert loaded.locations[("Statement", 0)] == 6
    assert loaded.locations[("Statement", 0, "Effect")] == 8
    assert loaded.locations[("Statement", 0, "Resource", 1)] == 11


def test_variables_in_the_source_override_defaults_and_tfvars(tmp_path):
    write(tmp_path, "infra/main.tf", """
        variable "bucket" {
          default = "from-default"
        }
        variable "account" {}
        resource "aws_s3_bucket_policy" "b" {
          bucket = "x"
          policy = jsonencode({
            Statement = [{
              Effect = "Deny", Principal = "*", Action = "s3:*"
              Resource = "arn:aws:s3:::${var.bucket}/*"
              Condition = { StringNotEquals = { "aws:PrincipalAccount" = var.account } }
            }]
          })
        }
    """)
    write(tmp_path, "infra/terraform.tfvars", 'account = "111122223333"\n')
    loaded = resolve(tmp_path, "aws_s3_bucket_policy.b")
    statement = loaded.doc["Statement"][0]
    assert statement["Resource"] == "arn:aws:s3:::from-default/*"
    assert statement["Condition"] == {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}
    loaded = resolve(tmp_path, "aws_s3_bucket_policy.b",
                     variables={"bucket": "given", "account": "444455556666"})
    statement = loaded.doc["Statement"][0]
    assert statement["Resource"] == "arn:aws:s3:::given/*"
    assert statement["Condition"]["StringNotEquals"]["aws:PrincipalAccount"] == "444455556666"


def test_auto_tfvars_win_over_terraform_tfvars(tmp_path):
    write(tmp_path, "infra/main.tf", """
        variable "bucket" {}
        resource "aws_s3_bucket_policy" "b" {
          policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*",
                                             Action = "s3:GetObject", Resource = var.bucket}]})
        }
    """)
    write(tmp_path, "infra/terraform.tfvars", 'bucket = "a"\n')
    write(tmp_path, "infra/prod.auto.tfvars.json", json.dumps({"bucket": "b"}))
    assert resolve(tmp_path, "aws_s3_bucket_policy.b").doc["Statement"][0]["Resource"] == "b"


def test_heredoc_json_keeps_its_lines(tmp_path):
    write(tmp_path, "infra/main.tf", """
        locals {
          bucket = "my-logs-bucket"
        }
        resource "aws_vpc_endpoint" "s3" {
          policy = <<-EOT
            {
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": "*",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::${local.bucket}/*"
                }
              ]
            }
          EOT
        }
    """)
    loaded = resolve(tmp_path, "aws_vpc_endpoint.s3")
    assert loaded.doc["Statement"][0]["Resource"] == "arn:aws:s3:::my-logs-bucket/*"
    assert loaded.locations[("Statement", 0)] == 8
    assert loaded.locations[("Statement", 0, "Action")] == 11
    assert loaded.source == "infra/main.tf:5 aws_vpc_endpoint.s3.policy"


def test_escaped_interpolation_is_an_iam_policy_variable(tmp_path):
    # $${...} is Terraform's escape for a literal ${...}: IAM's policy variable syntax.
    write(tmp_path, "infra/main.tf", """
        resource "aws_iam_policy" "p" {
          policy = jsonencode({Statement = [{Effect = "Allow", Action = "s3:*",
                   Resource = "arn:aws:s3:::home/$${aws:username}/*"}]})
        }
    """)
    loaded = resolve(tmp_path, "aws_iam_policy.p")
    assert loaded.doc["Statement"][0]["Resource"] == "arn:aws:s3:::home/${aws:username}/*"


def test_escaped_terraform_reference_left_as_text_is_an_error(tmp_path):
    write(tmp_path, "infra/main.tf", """
        resource "aws_iam_policy" "p" {
          policy = jsonencode({Statement = [{Effect = "Allow", Action = "s3:*",
                   Resource = "arn:aws:s3:::$${var.bucket}/*"}]})
        }
    """)
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "aws_iam_policy.p")
    assert str(info.value) == (
        "infra/main.tf:3: ${var.bucket} is left as text in Statement/0/Resource: it is not an "
        "IAM policy variable and would not be substituted")


def test_default_attribute_per_resource_type(tmp_path):
    write(tmp_path, "infra/main.tf", """
        resource "aws_iam_role" "r" {
          name = "App"
          assume_role_policy = jsonencode({Statement = [{Effect = "Allow",
            Principal = {Service = "lambda.amazonaws.com"}, Action = "sts:AssumeRole"}]})
        }
        resource "aws_organizations_policy" "scp" {
          content = jsonencode({Statement = [{Effect = "Deny", Action = "s3:*", Resource = "*"}]})
        }
    """)
    role = resolve(tmp_path, "aws_iam_role.r")
    assert role.doc["Statement"][0]["Action"] == "sts:AssumeRole"
    assert role.source.endswith("aws_iam_role.r.assume_role_policy")
    scp = resolve(tmp_path, "aws_organizations_policy.scp")
    assert scp.doc["Statement"][0]["Effect"] == "Deny"
    assert scp.source.endswith("aws_organizations_policy.scp.content")


def test_attribute_picks_another_attribute(tmp_path):
    write(tmp_path, "infra/main.tf", """
        resource "custom_thing" "x" {
          access = jsonencode({Statement = [{Effect = "Allow", Action = "s3:*", Resource = "*"}]})
        }
    """)
    loaded = resolve(tmp_path, "custom_thing.x", attribute="access")
    assert loaded.doc["Statement"][0]["Action"] == "s3:*"


def test_a_file_path_reads_its_whole_folder(tmp_path):
    write(tmp_path, "infra/variables.tf", 'variable "b" {\n  default = "bk"\n}\n')
    write(tmp_path, "infra/main.tf", """
        resource "aws_s3_bucket_policy" "p" {
          policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*",
                   Action = "s3:GetObject", Resource = "arn:aws:s3:::${var.b}/*"}]})
        }
    """)
    loaded = resolve_source({"terraform": "infra/main.tf", "address": "aws_s3_bucket_policy.p"},
                            tmp_path)
    assert loaded.doc["Statement"][0]["Resource"] == "arn:aws:s3:::bk/*"


def test_literal_attribute_of_another_resource(tmp_path):
    write(tmp_path, "infra/main.tf", """
        resource "aws_s3_bucket" "company" {
          bucket = "my-company-bucket"
        }
        resource "aws_s3_bucket_policy" "p" {
          bucket = aws_s3_bucket.company.id
          policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*",
                   Action = "s3:GetObject", Resource = "arn:aws:s3:::${aws_s3_bucket.company.bucket}/*"}]})
        }
    """)
    loaded = resolve(tmp_path, "aws_s3_bucket_policy.p")
    assert loaded.doc["Statement"][0]["Resource"] == "arn:aws:s3:::my-company-bucket/*"


def test_expressions_functions_and_for(tmp_path):
    write(tmp_path, "infra/main.tf", """
        variable "buckets" {
          default = ["a", "b"]
        }
        variable "strict" {
          default = true
        }
        locals {
          arns    = flatten([for b in var.buckets : ["arn:aws:s3:::${b}", "arn:aws:s3:::${b}/*"]])
          actions = var.strict ? ["s3:GetObject"] : ["s3:*"]
          n       = 1 + 2 * 3
        }
        resource "aws_iam_policy" "p" {
          policy = jsonencode({
            Statement = [{
              Effect   = "Allow"
              Action   = concat(local.actions, [format("s3:%s", "ListBucket")])
              Resource = local.arns
              Condition = {
                NumericLessThan = { "s3:max-keys" = tostring(local.n) }
                StringEquals    = { "aws:PrincipalTag/team" = upper(join("-", ["a", "b"])) }
              }
            }]
          })
        }
    """)
    statement = resolve(tmp_path, "aws_iam_policy.p").doc["Statement"][0]
    assert statement["Action"] == ["s3:GetObject", "s3:ListBucket"]
    assert statement["Resource"] == ["arn:aws:s3:::a", "arn:aws:s3:::a/*",
                                     "arn:aws:s3:::b", "arn:aws:s3:::b/*"]
    # Terraform: * binds tighter than +, so 1 + 2 * 3 is 7
    assert statement["Condition"]["NumericLessThan"]["s3:max-keys"] == "7"
    assert statement["Condition"]["StringEquals"]["aws:PrincipalTag/team"] == "A-B"


def test_conditional_binds_loosest(tmp_path):
    # `a == b ? x : y` is `(a == b) ? x : y` in Terraform.
    write(tmp_path, "infra/main.tf", """
        variable "env" {
          default = "prod"
        }
        resource "aws_iam_policy" "p" {
          policy = jsonencode({Statement = [{Effect = var.env == "prod" ? "Deny" : "Allow",
                   Action = "s3:*", Resource = "*"}]})
        }
    """)
    assert resolve(tmp_path, "aws_iam_policy.p").doc["Statement"][0]["Effect"] == "Deny"


def test_count_and_for_each_instances(tmp_path):
    write(tmp_path, "infra/main.tf", """
        resource "aws_s3_bucket_policy" "each" {
          for_each = toset(["logs", "data"])
          policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*",
                   Action = "s3:GetObject", Resource = "arn:aws:s3:::${each.key}/*"}]})
        }
        resource "aws_s3_bucket_policy" "counted" {
          count  = 2
          policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*",
                   Action = "s3:GetObject", Resource = "arn:aws:s3:::b${count.index}/*"}]})
        }
    """)
    assert resolve(tmp_path, 'aws_s3_bucket_policy.each["logs"]').doc["Statement"][0]["Resource"] \
        == "arn:aws:s3:::logs/*"
    assert resolve(tmp_path, "aws_s3_bucket_policy.counted[1]").doc["Statement"][0]["Resource"] \
        == "arn:aws:s3:::b1/*"
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "aws_s3_bucket_policy.each")
    assert str(info.value) == ('infra/main.tf:1: aws_s3_bucket_policy.each has for_each: '
                               'address an instance (keys: "data", "logs")')
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "aws_s3_bucket_policy.counted[2]")
    assert str(info.value) == "infra/main.tf:6: aws_s3_bucket_policy.counted has count = 2: no instance [2]"


def test_splat_and_dynamic_principals(tmp_path):
    write(tmp_path, "infra/main.tf", """
        variable "roles" {
          default = [{name = "AppServiceRole"}, {name = "DataPipelineRole"}]
        }
        locals {
          names = var.roles[*].name
        }
        data "aws_iam_policy_document" "p" {
          statement {
            actions   = ["s3:GetObject"]
            resources = ["*"]
            dynamic "principals" {
              for_each = toset(local.names)
              iterator = role
              content {
                type        = "AWS"
                identifiers = ["arn:aws:iam::123456789012:role/${role.value}"]
              }
            }
          }
        }
    """)
    statement = resolve(tmp_path, "data.aws_iam_policy_document.p").doc["Statement"][0]
    assert statement["Principal"] == {"AWS": ["arn:aws:iam::123456789012:role/AppServiceRole",
                                              "arn:aws:iam::123456789012:role/DataPipelineRole"]}


def test_windows_line_endings(tmp_path):
    text = ('resource "aws_iam_policy" "p" {\r\n  policy = <<-EOT\r\n    {"Statement": '
            '[{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}\r\n  EOT\r\n}\r\n')
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_bytes(text.encode())
    loaded = resolve(tmp_path, "aws_iam_policy.p")
    assert loaded.doc["Statement"][0]["Action"] == "s3:*"
    assert loaded.locations[("Statement", 0)] == 3


def test_resource_in_a_local_module_gets_its_callers_inputs(tmp_path):
    write(tmp_path, "infra/modules/endpoint/main.tf", """
        variable "buckets" {}
        resource "aws_vpc_endpoint" "this" {
          policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*", Action = "s3:*",
                                             Resource = var.buckets}]})
        }
    """)
    write(tmp_path, "infra/main.tf", """
        locals {
          names = ["logs", "data"]
        }
        module "endpoint" {
          source   = "./modules/endpoint"
          for_each = toset(local.names)
          buckets  = ["arn:aws:s3:::my-${each.key}-bucket/*"]
        }
    """)
    loaded = resolve(tmp_path, 'module.endpoint["logs"].aws_vpc_endpoint.this')
    assert loaded.doc["Statement"][0]["Resource"] == ["arn:aws:s3:::my-logs-bucket/*"]
    assert loaded.source == ('infra/modules/endpoint/main.tf:3 '
                             'module.endpoint["logs"].aws_vpc_endpoint.this.policy')
