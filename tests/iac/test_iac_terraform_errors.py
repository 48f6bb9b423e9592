"""Terraform values that cannot be known without running Terraform are errors, never text.

The contract (FORMAT.md, "A source is one of"): a value that cannot be resolved
statically is an error naming the file, line and expression; it is never used
as literal text (where it would then match like a pattern).
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from iamtest.iac import IacError, resolve_source


def error_for(tmp_path: Path, body: str, address: str = "aws_vpc_endpoint.s3", **extra) -> IacError:
    folder = tmp_path / "infra"
    folder.mkdir(exist_ok=True)
    (folder / "main.tf").write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    with pytest.raises(IacError) as info:
        resolve_source({"terraform": "infra", "address": address, **extra}, tmp_path)
    return info.value


POLICY_WITH = """
    variable "bucket_arn" {{}}
    resource "aws_s3_bucket" "b" {{}}
    data "aws_caller_identity" "me" {{}}
    resource "aws_vpc_endpoint" "s3" {{
      vpc_id = "vpc-1"
      policy = jsonencode({{
        Statement = [{{
          Effect = "Allow", Principal = "*", Action = "s3:GetObject"
          Resource = {expr}
        }}]
      }})
    }}
"""


@pytest.mark.parametrize("expr, message", [
    ("var.bucket_arn",
     "cannot resolve var.bucket_arn statically (no default and not set in 'variables')"),
    ('"${var.bucket_arn}/*"',
     "cannot resolve var.bucket_arn statically (no default and not set in 'variables')"),
    ("aws_s3_bucket.b.arn",
     "cannot resolve aws_s3_bucket.b.arn statically (not set in the configuration: known only "
     "after apply)"),
    ('"arn:aws:s3:::${data.aws_caller_identity.me.account_id}"',
     "cannot resolve data.aws_caller_identity.me.account_id statically (data sources are read "
     "at plan time)"),
    ('file("bucket.txt")', 'cannot resolve file("bucket.txt") statically (file() reads a file)'),
    ('templatefile("p.tpl", {})',
     'cannot resolve templatefile("p.tpl", {}) statically (templatefile() reads a file)'),
    ("module.buckets.arn",
     "cannot resolve module.buckets.arn statically (module outputs are not read from "
     "configuration; use a terraform_plan source)"),
    ('"%{ if true }x%{ endif }"',
     "cannot resolve %{if true} statically (template directives are not evaluated)"),
    ("timestamp()", "cannot resolve timestamp() statically (timestamp() depends on the time)"),
    ("cidrsubnet(\"10.0.0.0/8\", 8, 1)",
     'cannot resolve cidrsubnet("10.0.0.0/8", 8, 1) statically (the function cidrsubnet() is not '
     "evaluated)"),
])
def test_unresolvable_expression_names_file_line_and_expression(tmp_path, expr, message):
    error = error_for(tmp_path, POLICY_WITH.format(expr=expr))
    assert str(error) == f"infra/main.tf:9: {message}"
    assert (error.path, error.line) == ("infra/main.tf", 9)
    assert error.expression and error.expression in message


def test_undeclared_variable(tmp_path):
    error = error_for(tmp_path, POLICY_WITH.format(expr="var.nope"))
    assert str(error) == ("infra/main.tf:9: var.nope is not declared (no variable 'nope' block in "
                          "infra/)")


def test_variables_naming_an_undeclared_variable(tmp_path):
    error = error_for(tmp_path, POLICY_WITH.format(expr='"x"'), variables={"bucket": "x"})
    assert str(error) == ("infra: 'variables' sets bucket, which the module does not declare "
                          "(declared: bucket_arn)")


def test_missing_resource_and_missing_attribute(tmp_path):
    error = error_for(tmp_path, 'resource "aws_vpc_endpoint" "s3" {\n  vpc_id = "v"\n}\n')
    assert str(error) == "infra/main.tf:1: aws_vpc_endpoint.s3 sets no policy attribute"
    error = error_for(tmp_path, 'resource "aws_vpc_endpoint" "s3" {}\n', address="aws_vpc_endpoint.other")
    assert str(error) == "infra: no resource aws_vpc_endpoint.other in infra/"


def test_module_from_a_registry_points_to_plans(tmp_path):
    error = error_for(tmp_path, 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n',
                      address="module.vpc.aws_vpc_endpoint.s3")
    assert str(error) == ("infra/main.tf:2: module.vpc comes from 'terraform-aws-modules/vpc/aws': "
                          "only local modules are read (use a terraform_plan source)")


def test_module_input_that_cannot_be_resolved(tmp_path):
    (tmp_path / "infra" / "modules" / "ep").mkdir(parents=True)
    (tmp_path / "infra" / "modules" / "ep" / "main.tf").write_text(textwrap.dedent("""
        variable "bucket" {}
        resource "aws_vpc_endpoint" "this" {
          policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*", Action = "s3:*",
                                             Resource = var.bucket}]})
        }
    """).lstrip())
    error = error_for(tmp_path, """
        resource "aws_s3_bucket" "b" {}
        module "ep" {
          source = "./modules/ep"
          bucket = aws_s3_bucket.b.arn
        }
    """, address="module.ep.aws_vpc_endpoint.this")
    assert str(error) == ("infra/modules/ep/main.tf:4: cannot resolve var.bucket statically (its "
                          "module input: infra/main.tf:4: cannot resolve aws_s3_bucket.b.arn "
                          "statically (not set in the configuration: known only after apply))")


def test_reference_cycle(tmp_path):
    error = error_for(tmp_path, """
        locals {
          a = local.b
          b = local.a
        }
        resource "aws_vpc_endpoint" "s3" {
          policy = local.a
        }
    """)
    assert str(error) == "infra/main.tf:3: reference cycle: local.a -> local.b -> local.a"


def test_invalid_json_in_a_heredoc(tmp_path):
    error = error_for(tmp_path, """
        resource "aws_vpc_endpoint" "s3" {
          policy = <<EOF
        {
          "Statement": [
            {"Effect": "Allow",}
          ]
        }
        EOF
        }
    """)
    assert str(error) == ("infra/main.tf:5: aws_vpc_endpoint.s3.policy is not valid JSON: invalid "
                          "JSON: expected a key in double quotes (JSON does not allow a trailing comma)")


def test_invalid_hcl_syntax(tmp_path):
    error = error_for(tmp_path, 'resource "aws_vpc_endpoint" "s3" {\n  policy = = 1\n}\n')
    assert str(error) == "infra/main.tf:2: invalid HCL syntax"


def test_missing_path(tmp_path):
    with pytest.raises(IacError) as info:
        resolve_source({"terraform": "nowhere", "address": "a.b"}, tmp_path)
    assert str(info.value) == "nowhere: no such Terraform file or folder"


def test_unknown_key_in_the_source(tmp_path):
    with pytest.raises(IacError) as info:
        resolve_source({"terraform": "infra", "address": "a.b", "vars": {}}, tmp_path)
    assert str(info.value) == ("infra: unknown key(s) vars in a terraform source (expected address "
                               "and optionally attribute, variables)")
