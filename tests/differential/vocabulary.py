"""The small, realistic world the generated cases live in.

Three accounts in two organizations, a few callers of every kind, S3 buckets
and objects and DynamoDB tables, and for every condition key the values a
policy may name and a request may carry. Values overlap on purpose so that
conditions match about as often as they fail.
"""
from __future__ import annotations

A, B, C = "111111111111", "222222222222", "333333333333"
ACCOUNTS = (A, B, C)
ORG_OF = {A: "o-aaaa1111", B: "o-aaaa1111", C: "o-cccc3333"}

# ---------------------------------------------------------------- principals

def users(acct):
    return (f"arn:aws:iam::{acct}:user/alice", f"arn:aws:iam::{acct}:user/ops/bob")


def roles(acct):
    return (f"arn:aws:iam::{acct}:role/App", f"arn:aws:iam::{acct}:role/team/Deployer")


def sessions(acct):
    return (f"arn:aws:sts::{acct}:assumed-role/App/session-1", f"arn:aws:sts::{acct}:assumed-role/Deployer/ci")


def root(acct):
    return f"arn:aws:iam::{acct}:root"


def federated(acct):
    return f"arn:aws:sts::{acct}:federated-user/carol"


SERVICES = ("lambda.amazonaws.com", "cloudtrail.amazonaws.com")

# ------------------------------------------------------------------ requests

BUCKETS = ("data-bucket", "logs-bucket")
KEYS = ("reports/2024/q1.csv", "public/index.html", "alice/notes.txt")
TABLES = ("Orders", "Users")
REGION = "us-east-1"

#: request action -> the kind of resource it acts on
OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketPolicy")
TABLE_ACTIONS = ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query")

# -------------------------------------------------------- policy action patterns

ACTION_PATTERNS = (
    "*", "s3:*", "s3:Get*", "s3:*Object", "s3:List*", "s3:GetObject", "s3:PutObject",
    "s3:ListBucket", "s3:Get?bject", "S3:getobject", "dynamodb:*", "dynamodb:Get*",
    "dynamodb:GetItem", "dynamodb:*Item", "dynamodb:Query", "ec2:RunInstances", "sqs:*",
)

# ------------------------------------------------------ policy resource patterns

def resource_patterns():
    out = ["*", "arn:aws:s3:::*", "arn:aws:s3:::*-bucket/*", "arn:aws:s3:::data-?ucket/*",
           "arn:aws:dynamodb:*:*:table/*", f"arn:aws:dynamodb:{REGION}:*:table/Orders",
           f"arn:aws:dynamodb:{REGION}:{A}:table/Ord*", "arn:aws:sqs:*:*:queue"]
    for bucket in BUCKETS:
        out += [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*", f"arn:aws:s3:::{bucket}/reports/*"]
    out += [f"arn:aws:s3:::data-bucket/{key}" for key in KEYS]
    out += ["arn:aws:s3:::data-bucket/*/q1.csv", "arn:aws:s3:::Data-bucket/*", "arn:aws:s3:::*/public/*",
            "arn:aws:s3:::logs-bucket/alice/notes.tx?"]
    for acct in (A, B):
        out += [f"arn:aws:dynamodb:{REGION}:{acct}:table/{t}" for t in TABLES]
    return tuple(out)


RESOURCE_PATTERNS = resource_patterns()

#: Resource patterns with policy variables (only ever placed in Version 2012-10-17 policies;
#: AWS substitutes variables only in the resource part of an ARN).
VARIABLE_RESOURCES = (
    "arn:aws:s3:::data-bucket/${aws:username}/*",
    "arn:aws:s3:::data-bucket/${aws:PrincipalTag/team}/*",
    "arn:aws:dynamodb:us-east-1:*:table/${aws:username}",
)

# --------------------------------------------------------------- condition keys

VPCES = ("vpce-1a2b3c4d", "vpce-9f8e7d6c")
VPCS = ("vpc-0aa11bb2", "vpc-0cc33dd4")
IPS = ("10.1.2.3", "192.0.2.10", "203.0.113.77", "2001:db8::1", "2001:db8:0:0:0:0:0:2")
CIDRS = ("10.0.0.0/8", "10.1.2.0/24", "192.0.2.10/32", "192.0.2.10", "203.0.113.0/25", "203.0.113.128/25",
         "2001:db8::/32", "2001:db8::1/128", "0.0.0.0/0")
TIMES = ("2024-01-01T00:00:00Z", "2025-06-15T12:00:00Z", "2025-06-15T12:00:01Z", "2026-01-01T00:00:00Z",
         "2025-06-15")
TEAMS = ("red", "blue", "Red")
TAG_KEYS = ("env", "team", "owner", "Env")
PREFIXES = ("reports/", "public/", "alice/", "")
ORG_IDS = ("o-aaaa1111", "o-cccc3333")
MFA_AGES = ("300", "3600", "86400", "3600.0")

#: key -> (value family, multivalued in the request context)
KEYS_INFO = {
    "aws:SourceVpce": ("string", False),
    "aws:SourceVpc": ("string", False),
    "aws:PrincipalArn": ("arn", False),
    "aws:PrincipalAccount": ("string", False),
    "aws:PrincipalOrgID": ("string", False),
    "aws:PrincipalType": ("string", False),
    "aws:SourceIp": ("ip", False),
    "aws:CurrentTime": ("date", False),
    "aws:PrincipalTag/team": ("string", False),
    "aws:TagKeys": ("string", True),
    "s3:prefix": ("string", False),
    "aws:SecureTransport": ("bool", False),
    "aws:MultiFactorAuthAge": ("numeric", False),
    "aws:username": ("string", False),
    "aws:PrincipalIsAWSService": ("bool", False),
    "aws:PrincipalServiceName": ("string", False),
    "aws:SourceAccount": ("string", False),
}

#: Keys a generated request may carry itself (derived ones come from the principal).
CALLER_KEYS = ("aws:SourceVpce", "aws:SourceVpc", "aws:PrincipalOrgID", "aws:SourceIp",
               "aws:PrincipalTag/team", "aws:TagKeys", "s3:prefix", "aws:SecureTransport",
               "aws:MultiFactorAuthAge", "aws:SourceAccount")

OPERATORS = {
    "string": ("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
               "StringLike", "StringNotLike"),
    "arn": ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "StringEquals", "StringLike",
            "StringNotLike"),
    "ip": ("IpAddress", "NotIpAddress"),
    "date": ("DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
             "DateGreaterThanEquals"),
    "bool": ("Bool",),
    "numeric": ("NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
                "NumericGreaterThan", "NumericGreaterThanEquals"),
}

NEGATED = frozenset(op for ops in OPERATORS.values() for op in ops if "Not" in op)
