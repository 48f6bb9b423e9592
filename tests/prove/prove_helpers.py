"""Helpers for the prover's tests: policies written inline, the seed's policies."""
from __future__ import annotations

import pytest

from iamtest import allow_all_policy, parse_policy

V = "2012-10-17"
ACCOUNT = "123456789012"
OUR_VPCE = "vpce-0abc1234def56789"


def policy(kind: str, *statements: dict, source: str = None):
    doc = {"Version": V, "Statement": list(statements)}
    return parse_policy(doc, source=source or f"{kind}.json", kind=kind)


def allow_all(kind: str):
    return allow_all_policy(kind)


#: The seed post's policies (written here, not copied from anywhere).
OWN_BUCKETS_ENDPOINT = {
    "Sid": "AllowOwnBucketsOnly", "Effect": "Allow", "Principal": "*",
    "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
    "Resource": ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*",
                 "arn:aws:s3:::my-logs-bucket", "arn:aws:s3:::my-logs-bucket/*"]}

BUCKET_LOCK = {
    "Sid": "DenyNonVPCEAccess", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*"],
    "Condition": {"StringNotEquals": {"aws:SourceVpce": OUR_VPCE}}}

SEED_ROLES_ENDPOINT = {
    "Sid": "AllowSpecificRolesOnly", "Effect": "Allow",
    "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:role/AppServiceRole",
                          f"arn:aws:iam::{ACCOUNT}:role/DataPipelineRole"]},
    "Action": "s3:*", "Resource": "*"}

FIXED_ROLES_ENDPOINT = [SEED_ROLES_ENDPOINT, {
    "Sid": "AllowServiceRoles", "Effect": "Allow",
    "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:role/OrdersLambdaRole"]},
    "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::my-company-bucket/*"]}]

LAMBDA_ROLE = [
    {"Sid": "ReadConfiguration", "Effect": "Allow", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::my-company-bucket/config/*"},
    {"Sid": "WriteOrderExports", "Effect": "Allow", "Action": "s3:PutObject",
     "Resource": "arn:aws:s3:::my-company-bucket/orders/*"}]

LAMBDA_SESSIONS = f"arn:aws:sts::{ACCOUNT}:assumed-role/OrdersLambdaRole/*"


@pytest.fixture
def seed():
    """Builders for the seed's request paths."""
    class Seed:
        own_buckets_endpoint = staticmethod(lambda: policy("endpoint", OWN_BUCKETS_ENDPOINT))
        bucket = staticmethod(lambda: policy("resource", BUCKET_LOCK))
        seed_roles = staticmethod(lambda: policy("endpoint", SEED_ROLES_ENDPOINT))
        fixed_roles = staticmethod(lambda: policy("endpoint", *FIXED_ROLES_ENDPOINT))
        lambda_role = staticmethod(lambda: policy("identity", *LAMBDA_ROLE))
    return Seed
