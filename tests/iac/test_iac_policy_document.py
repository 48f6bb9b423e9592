"""``data "aws_iam_policy_document"`` rendered as the AWS provider renders it.

The provider (internal/service/iam policy_document_data_source.go and
iam_policy_model.go) writes every statement's Sid (empty when unset), defaults
effect to Allow and version to 2012-10-17, writes a one-element string set as a
string and larger sets in reverse lexical order, turns a single
`principals { type = "*", identifiers = ["*"] }` into "Principal": "*", merges
principals of one type and condition values of one test and variable, and
replaces `&{` with `${` in resources, principals and condition values.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from iamtest.iac import IacError, resolve_source


def render(tmp_path: Path, body: str, address: str = "data.aws_iam_policy_document.p", **extra):
    folder = tmp_path / "infra"
    folder.mkdir(exist_ok=True)
    (folder / "main.tf").write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return resolve_source({"terraform": "infra", "address": address, **extra}, tmp_path)


def test_statement_elements_as_the_provider_writes_them(tmp_path):
    loaded = render(tmp_path, """
        data "aws_iam_policy_document" "p" {
          statement {
            sid     = "Own"
            actions = ["s3:PutObject", "s3:GetObject", "s3:GetObject"]
            resources = ["arn:aws:s3:::b/home/&{aws:username}/*"]
            principals {
              type        = "AWS"
              identifiers = ["arn:aws:iam::123456789012:role/A"]
            }
            principals {
              type        = "AWS"
              identifiers = ["arn:aws:iam::123456789012:role/B", "arn:aws:iam::123456789012:role/C"]
            }
            condition {
              test     = "StringEquals"
              variable = "aws:SourceVpce"
              values   = ["vpce-1", "vpce-2"]
            }
            condition {
              test     = "StringEquals"
              variable = "aws:SourceVpce"
              values   = ["vpce-3", "vpce-4"]
            }
          }
          statement {
            effect        = "Deny"
            not_actions   = ["s3:GetObject"]
            not_resources = ["arn:aws:s3:::b/*"]
            principals {
              type        = "*"
              identifiers = ["*"]
            }
          }
        }
    """)
    assert loaded.doc == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Own", "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:GetObject"],
                "Resource": "arn:aws:s3:::b/home/${aws:username}/*",
                "Principal": {"AWS": ["arn:aws:iam::123456789012:role/A",
                                      "arn:aws:iam::123456789012:role/C",
                                      "arn:aws:iam::123456789012:role/B"]},
                "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2", "vpce-3", "vpce-4"]}},
            },
            {
                "Sid": "", "Effect": "Deny", "NotAction": "s3:GetObject",
                "NotResource": "arn:aws:s3:::b/*", "Principal": "*",
            },
        ],
    }
    assert loaded.source == "infra/main.tf:1 data.aws_iam_policy_document.p"
    assert loaded.locations[("Statement", 0)] == 2
    assert loaded.locations[("Statement", 0, "Action")] == 4
    assert loaded.locations[("Statement", 0, "Principal", "AWS", 2)] == 12
    assert loaded.locations[("Statement", 0, "Condition", "StringEquals", "aws:SourceVpce")] == 16
    assert loaded.locations[("Statement", 1, "Effect")] == 26


def test_resource_referring_to_the_document_json(tmp_path):
    loaded = render(tmp_path, """
        variable "vpce" {
          default = "vpce-0abc1234def56789"
        }
        data "aws_iam_policy_document" "lock" {
          statement {
            sid       = "DenyNonVPCEAccess"
            effect    = "Deny"
            actions   = ["s3:*"]
            resources = ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*"]
            principals {
              type        = "*"
              identifiers = ["*"]
            }
            condition {
              test     = "StringNotEquals"
              variable = "aws:SourceVpce"
              values   = [var.vpce]
            }
          }
        }
        resource "aws_s3_bucket_policy" "company" {
          bucket = "my-company-bucket"
          policy = data.aws_iam_policy_document.lock.json
        }
    """, address="aws_s3_bucket_policy.company")
    statement = loaded.doc["Statement"][0]
    assert statement["Resource"] == ["arn:aws:s3:::my-company-bucket/*", "arn:aws:s3:::my-company-bucket"]
    assert statement["Condition"] == {"StringNotEquals": {"aws:SourceVpce": "vpce-0abc1234def56789"}}
    assert loaded.source == "infra/main.tf:23 aws_s3_bucket_policy.company.policy"
    # the document is in the same file: its statements point at the data block
    assert loaded.locations[("Statement", 0)] == 5
    assert loaded.locations[("Statement", 0, "Effect")] == 7


def test_document_in_another_file_points_at_the_reference(tmp_path):
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "policies.tf").write_text(textwrap.dedent("""
        data "aws_iam_policy_document" "p" {
          statement {
            actions   = ["s3:GetObject"]
            resources = ["*"]
          }
        }
    """).lstrip("\n"))
    loaded = render(tmp_path, """
        resource "aws_iam_policy" "x" {
          policy = data.aws_iam_policy_document.p.json
        }
    """, address="aws_iam_policy.x")
    assert loaded.source == "infra/main.tf:2 aws_iam_policy.x.policy"
    assert set(loaded.locations.values()) == {2}


def test_source_and_override_documents_merge_by_sid(tmp_path):
    loaded = render(tmp_path, """
        data "aws_iam_policy_document" "base" {
          statement {
            sid       = "Read"
            actions   = ["s3:GetObject"]
            resources = ["*"]
          }
          statement {
            sid       = "Write"
            actions   = ["s3:PutObject"]
            resources = ["*"]
          }
        }
        data "aws_iam_policy_document" "p" {
          source_policy_documents   = [data.aws_iam_policy_document.base.json]
          override_policy_documents = [jsonencode({Statement = [{Sid = "Write", Effect = "Deny",
                                                  Action = "s3:PutObject", Resource = "*"}]})]
          statement {
            sid       = "Read"
            actions   = ["s3:ListBucket"]
            resources = ["*"]
          }
          statement {
            actions   = ["s3:GetBucketPolicy"]
            resources = ["*"]
          }
        }
    """)
    statements = loaded.doc["Statement"]
    assert [(s["Sid"], s["Effect"], s["Action"]) for s in statements] == [
        ("Read", "Allow", "s3:ListBucket"),   # the document's own Read replaces the source's
        ("Write", "Deny", "s3:PutObject"),    # the override replaces Write
        ("", "Allow", "s3:GetBucketPolicy"),  # no Sid: appended
    ]


def test_dynamic_statement_blocks_expand_in_place(tmp_path):
    loaded = render(tmp_path, """
        variable "buckets" {
          default = {logs = "my-logs-bucket", data = "my-company-bucket"}
        }
        data "aws_iam_policy_document" "p" {
          dynamic "statement" {
            for_each = var.buckets
            content {
              sid       = statement.key
              actions   = ["s3:GetObject"]
              resources = ["arn:aws:s3:::${statement.value}/*"]
            }
          }
        }
    """)
    assert [(s["Sid"], s["Resource"]) for s in loaded.doc["Statement"]] == [
        ("data", "arn:aws:s3:::my-company-bucket/*"), ("logs", "arn:aws:s3:::my-logs-bucket/*")]


@pytest.mark.parametrize("body, message", [
    ('statement {\n  effect = "Maybe"\n  actions = ["s3:*"]\n}\n',
     "infra/main.tf:3: effect 'Maybe' must be Allow or Deny"),
    ('statement {\n  sid = "a-b"\n}\n', "infra/main.tf:3: sid 'a-b' must be alphanumeric"),
    ('statement {\n  sid = "A"\n}\nstatement {\n  sid = "A"\n}\n',
     "infra/main.tf:5: duplicate Sid 'A' (also at line 2)"),
    ('statement {\n  resources = [var.missing]\n}\n',
     "infra/main.tf:3: var.missing is not declared (no variable 'missing' block in infra/)"),
])
def test_document_errors(tmp_path, body, message):
    with pytest.raises(IacError) as info:
        render(tmp_path, 'data "aws_iam_policy_document" "p" {\n' + body + "}\n")
    assert str(info.value) == message
