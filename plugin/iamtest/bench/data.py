"""Deterministic benchmark data: policies, requests with their expected outcome, and repos.

Nothing here is random: every name, statement and request is derived from
its position, so two runs (on any machine, any Python) produce the same
bytes. The expected outcome of every request is known by construction:

* every Allow statement of every generated identity policy covers its own
  resource names (``bench-p007-s03``), so a request for that name is granted
  by exactly that statement and by nothing else;
* statement 18 denies ``kms:ScheduleKeyDeletion`` everywhere and statement 19
  denies every call made without TLS (``aws:SecureTransport`` false);
* the guardrails (bucket policy, VPC endpoint policy, SCP) allow every request
  the generator makes in its base context, so the identity policy decides.

Request kinds, by position ``n`` modulo 20: 12 allowed, 3 for a resource no
statement names, 1 whose condition fails, 1 for an action no statement names
(all implicitly denied), 2 without TLS and 1 key deletion (explicitly denied).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

ACCOUNT = "123456789012"
REGION = "us-east-1"
VPCE = "vpce-0b0e0c0a00000001"
VERSION = "2012-10-17"

#: Context keys every generated request carries (a case may override them).
BASE_CONTEXT: Mapping[str, object] = {
    "aws:RequestedRegion": REGION,
    "aws:SecureTransport": True,
    "aws:SourceIp": "10.1.2.3",
    "aws:SourceVpce": VPCE,
}

#: Statements per generated identity policy; the last two are the Deny statements.
STATEMENTS = 20
ALLOW_STATEMENTS = STATEMENTS - 2

ALLOW, IMPLICIT, EXPLICIT = "allow", "implicit-deny", "explicit-deny"


@dataclass(frozen=True)
class Service:
    """How one service's statements and requests are written."""

    prefix: str
    actions: Tuple[str, ...]     # the Action element (may hold wildcards)
    requested: Tuple[str, ...]   # concrete actions those entries cover
    pattern: str                 # the Resource element, ``{name}`` and ``{acct}`` filled in
    resource: str                # a concrete resource, also with ``{n}``


SERVICES: Tuple[Service, ...] = (
    Service("s3", ("s3:GetObject*", "s3:PutObject"),
            ("s3:GetObject", "s3:GetObjectTagging", "s3:PutObject"),
            "arn:aws:s3:::{name}/*", "arn:aws:s3:::{name}/data/obj-{n}.csv"),
    Service("dynamodb", ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"),
            ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"),
            "arn:aws:dynamodb:us-east-1:{acct}:table/{name}",
            "arn:aws:dynamodb:us-east-1:{acct}:table/{name}"),
    Service("sqs", ("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"),
            ("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"),
            "arn:aws:sqs:*:{acct}:{name}-*", "arn:aws:sqs:us-east-1:{acct}:{name}-{n}"),
    Service("lambda", ("lambda:InvokeFunction",), ("lambda:InvokeFunction",),
            "arn:aws:lambda:us-east-1:{acct}:function:{name}*",
            "arn:aws:lambda:us-east-1:{acct}:function:{name}-{n}"),
    Service("kms", ("kms:Decrypt", "kms:GenerateDataKey*"),
            ("kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"),
            "arn:aws:kms:us-east-1:{acct}:key/{name}-*", "arn:aws:kms:us-east-1:{acct}:key/{name}-{n}"),
    Service("logs", ("logs:CreateLogStream", "logs:PutLogEvents"),
            ("logs:CreateLogStream", "logs:PutLogEvents"),
            "arn:aws:logs:us-east-1:{acct}:log-group:/bench/{name}:*",
            "arn:aws:logs:us-east-1:{acct}:log-group:/bench/{name}:log-stream:s{n}"),
    Service("secretsmanager", ("secretsmanager:GetSecretValue",), ("secretsmanager:GetSecretValue",),
            "arn:aws:secretsmanager:us-east-1:{acct}:secret:{name}-??????",
            "arn:aws:secretsmanager:us-east-1:{acct}:secret:{name}-a{n:05d}"),
    Service("sns", ("sns:Publish",), ("sns:Publish",),
            "arn:aws:sns:us-east-1:{acct}:{name}", "arn:aws:sns:us-east-1:{acct}:{name}"),
)


def role_arn(k: int) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/bench-role-{k:03d}"


def session_arn(k: int, n: int) -> str:
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/bench-role-{k:03d}/session-{n}"


def statement_name(k: int, j: int) -> str:
    """The resource name that only statement ``j`` of policy ``k`` covers."""
    return f"bench-p{k:03d}-s{j:02d}"


def service_of(k: int, j: int) -> Service:
    return SERVICES[(j + k) % len(SERVICES)]


def _condition(k: int, j: int) -> Optional[dict]:
    """Conditions the base context satisfies; which one depends on ``j``."""
    cond: Dict[str, dict] = {}
    if j % 4 == 1:
        cond["StringEquals"] = {"aws:RequestedRegion": REGION}
    elif j % 4 == 2:
        cond["Bool"] = {"aws:SecureTransport": "true"}
    elif j % 4 == 3:
        cond["IpAddress"] = {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}
    if j % 5 == 4:
        cond["ArnLike"] = {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/bench-role-*"}
    return cond or None


def identity_policy(k: int) -> dict:
    """Identity policy ``k``: 18 Allow statements, each for its own names, and two Denies."""
    statements = []
    for j in range(ALLOW_STATEMENTS):
        svc = service_of(k, j)
        name = statement_name(k, j)
        stmt = {"Sid": f"Use{svc.prefix.capitalize()}{j:02d}", "Effect": "Allow",
                "Action": list(svc.actions),
                "Resource": [svc.pattern.format(name=name, acct=ACCOUNT),
                             svc.pattern.format(name=name + "-archive", acct=ACCOUNT)]}
        cond = _condition(k, j)
        if cond:
            stmt["Condition"] = cond
        statements.append(stmt)
    statements.append({"Sid": "NoKeyDeletion", "Effect": "Deny", "Action": "kms:ScheduleKeyDeletion",
                       "Resource": "*"})
    statements.append({"Sid": "TlsOnly", "Effect": "Deny", "Action": "*", "Resource": "*",
                       "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    return {"Version": VERSION, "Statement": statements}


def bucket_policy() -> dict:
    """A bucket policy over every bench bucket: delegates to the account, denies without TLS
    and outside the endpoint (except break-glass roles)."""
    buckets = ["arn:aws:s3:::bench-*", "arn:aws:s3:::bench-*/*"]
    return {"Version": VERSION, "Statement": [
        {"Sid": "OwnAccount", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "s3:*", "Resource": buckets},
        {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": buckets,
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "ThroughTheEndpoint", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": buckets,
         "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE},
                       "ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/breakglass-*"}}},
    ]}


def endpoint_policy() -> dict:
    """An interface endpoint policy: only this account's principals; no bucket deletion."""
    return {"Version": VERSION, "Statement": [
        {"Sid": "OwnPrincipals", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}},
        {"Sid": "NoBucketDeletion", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket",
         "Resource": "*"},
    ]}


def scp_policy() -> dict:
    """An SCP: full access, two regions only (global services exempt), no leaving."""
    return {"Version": VERSION, "Statement": [
        {"Sid": "FullAccess", "Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "TwoRegions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "organizations:*"],
         "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": [REGION, "eu-west-1"]}}},
        {"Sid": "StayInTheOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization",
         "Resource": "*"},
    ]}


@dataclass(frozen=True)
class GenRequest:
    """One generated request and what AWS decides for it."""

    principal: str
    action: str
    resource: str
    context: Mapping[str, object] = field(default_factory=dict)   # overrides of BASE_CONTEXT
    expect: str = ALLOW
    policy: int = 0          # the identity policy that decides
    statement: Optional[int] = None   # the statement that decides, if one does
    kind: str = "allow"      # which of the request kinds (see the module docstring)

    @property
    def service(self) -> str:
        return self.action.split(":", 1)[0]

    def full_context(self) -> Dict[str, object]:
        merged = dict(BASE_CONTEXT)
        merged.update(self.context)
        return {k: v for k, v in merged.items() if v is not None}


def _allow_statements(k: int, services: Optional[Tuple[str, ...]]) -> List[int]:
    return [j for j in range(ALLOW_STATEMENTS)
            if services is None or service_of(k, j).prefix in services]


def make_request(k: int, n: int, services: Optional[Tuple[str, ...]] = None) -> GenRequest:
    """Request ``n`` against identity policy ``k`` (see the module docstring for the mix).

    ``services`` limits the requests to statements of those services (the
    four-layer benchmark asks only S3).
    """
    who = session_arn(k, n) if n % 3 == 0 else role_arn(k)
    slot = n % 20
    choices = _allow_statements(k, services)
    j = choices[(n // 20 + n) % len(choices)]
    svc = service_of(k, j)
    action = svc.requested[n % len(svc.requested)]
    name = statement_name(k, j) + ("-archive" if n % 7 == 0 else "")
    resource = svc.resource.format(name=name, acct=ACCOUNT, n=n)
    if slot < 12:
        return GenRequest(who, action, resource, {}, ALLOW, k, j, "allow")
    if slot < 15:
        other = svc.resource.format(name=f"bench-x{n:06d}", acct=ACCOUNT, n=n)
        return GenRequest(who, action, other, {}, IMPLICIT, k, None, "unnamed-resource")
    if slot == 15:
        conditioned = [c for c in choices if c % 4 in (1, 3)]
        if conditioned:
            j = conditioned[n % len(conditioned)]
            svc = service_of(k, j)
            action = svc.requested[0]
            resource = svc.resource.format(name=statement_name(k, j), acct=ACCOUNT, n=n)
            ctx = {"aws:RequestedRegion": "eu-west-1"} if j % 4 == 1 else {"aws:SourceIp": "172.16.0.9"}
            return GenRequest(who, action, resource, ctx, IMPLICIT, k, None, "failed-condition")
        return GenRequest(who, action, resource.replace("bench-p", "bench-q", 1), {}, IMPLICIT, k, None,
                          "unnamed-resource")
    if slot == 16:
        if services is not None and "s3" in services:
            return GenRequest(who, "s3:DeleteObject", resource, {}, IMPLICIT, k, None, "unnamed-action")
        return GenRequest(who, "iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/bench-{n}", {}, IMPLICIT,
                          k, None, "unnamed-action")
    if slot < 19:
        return GenRequest(who, action, resource, {"aws:SecureTransport": False}, EXPLICIT, k,
                          STATEMENTS - 1, "no-tls")
    if services is not None and "kms" not in services:
        return GenRequest(who, action, resource, {"aws:SecureTransport": False}, EXPLICIT, k,
                          STATEMENTS - 1, "no-tls")
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/bench-key-{n}"
    return GenRequest(who, "kms:ScheduleKeyDeletion", key, {}, EXPLICIT, k, STATEMENTS - 2, "key-deletion")


def requests_for(policies: int, count: int, services: Optional[Tuple[str, ...]] = None,
                 first: int = 0) -> List[GenRequest]:
    """``count`` requests spread over ``policies`` identity policies (round robin)."""
    return [make_request((first + n) % policies, first + n, services) for n in range(count)]
