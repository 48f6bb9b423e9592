"""One small case for every known divergence between the reference and the AWS documentation.

``PINNED`` lists, per class: the case, what AWS documents (and so what iamtest
must answer), what the reference answers, and how the test harness handles
the class (filtered at run time, avoided by the generator, or put in the
reference's form by the adapter). docs/differential.md has the same table with
the documentation quotes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .case import Case

A, B = "111111111111", "222222222222"
ALICE = f"arn:aws:iam::{A}:user/alice"
SESSION = f"arn:aws:sts::{A}:assumed-role/App/s1"
OBJECT = "arn:aws:s3:::data-bucket/alice/notes.txt"
V2012 = "2012-10-17"


def allow(action="s3:GetObject", resource="*", version=V2012, **extra):
    doc = {"Statement": [{"Effect": "Allow", "Action": action, "Resource": resource, **extra}]}
    if version:
        doc = {"Version": version, **doc}
    return doc


@dataclass(frozen=True)
class Pinned:
    name: str
    case: Case
    aws: str  # iamtest's answer: what the documentation says, or iamtest's reading where it is silent
    reference: str  # what the reference answers: an effect, or "refused"
    handling: str  # "filtered", "not generated" or "adapted"
    filter_name: Optional[str] = None  # the divergences.CLASSES entry, for filtered classes


PINNED = (
    Pinned(
        "session policy and a resource policy naming the session ARN",
        Case(SESSION, "s3:GetObject", OBJECT, A,
             identity=(allow("s3:*"),),
             resource_policy={"Version": V2012, "Statement": [{
                 "Effect": "Allow", "Principal": {"AWS": SESSION}, "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::data-bucket/*"}]},
             session=allow("dynamodb:*")),
        aws="Allow", reference="ImplicitDeny", handling="filtered",
        filter_name="session policy and a resource policy naming the session"),
    Pinned(
        "unresolvable policy variable under a negated condition operator",
        Case(SESSION, "s3:GetObject", OBJECT, A, context={"aws:PrincipalTag/team": "red"},
             identity=(allow(Condition={"StringNotEquals": {"aws:PrincipalTag/team": "${aws:username}"}}),)),
        aws="Allow", reference="ImplicitDeny", handling="filtered",
        filter_name="unresolved variable under a negated operator"),
    Pinned(
        "unresolvable policy variable in NotResource",
        Case(SESSION, "s3:GetObject", OBJECT, A,
             identity=({"Version": V2012, "Statement": [{
                 "Effect": "Allow", "Action": "s3:GetObject",
                 "NotResource": "arn:aws:s3:::data-bucket/${aws:username}/*"}]},)),
        aws="Allow", reference="ImplicitDeny", handling="filtered",
        filter_name="unresolved variable in NotResource"),
    Pinned(
        "epoch-second policy date against an ISO 8601 request time",
        Case(ALICE, "s3:GetObject", OBJECT, A,
             identity=(allow(Condition={"DateLessThan": {"aws:CurrentTime": "1800000000"}}),)),
        aws="Allow", reference="ImplicitDeny", handling="not generated"),
    Pinned(
        "policy variable under Version 2008-10-17",
        Case(ALICE, "s3:GetObject", OBJECT, A,
             identity=(allow(resource="arn:aws:s3:::data-bucket/${aws:username}/*", version="2008-10-17"),)),
        aws="ImplicitDeny", reference="Allow", handling="not generated"),
    Pinned(
        "policy variable in a policy without Version",
        Case(ALICE, "s3:GetObject", OBJECT, A,
             identity=(allow(resource="arn:aws:s3:::data-bucket/${aws:username}/*", version=None),)),
        aws="ImplicitDeny", reference="Allow", handling="not generated"),
    Pinned(
        "the account root user's full access",
        Case(f"arn:aws:iam::{A}:root", "dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/Orders", A),
        aws="Allow", reference="ImplicitDeny", handling="adapted"),
    Pinned(
        "context keys derived from the principal",
        Case(ALICE, "s3:GetObject", OBJECT, A,
             identity=(allow(Condition={"ArnEquals": {"aws:PrincipalArn": ALICE}}),)),
        aws="Allow", reference="ImplicitDeny", handling="adapted"),
    Pinned(
        "interface endpoint policy naming a principal",
        Case(ALICE, "s3:GetObject", OBJECT, A, identity=(allow(),),
             endpoint={"Version": V2012, "Statement": [{
                 "Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "s3:*", "Resource": "*"}]}),
        aws="Allow", reference="refused", handling="not generated"),
    Pinned(
        "NotPrincipal naming the user but not its account",
        Case(ALICE, "s3:GetObject", OBJECT, A, identity=(allow(),),
             resource_policy={"Version": V2012, "Statement": [{
                 "Effect": "Deny", "NotPrincipal": {"AWS": ALICE}, "Action": "s3:*", "Resource": "*"}]}),
        aws="ExplicitDeny", reference="Allow", handling="filtered",
        filter_name="NotPrincipal naming part of the caller's chain"),
    Pinned(
        "NotPrincipal naming the account but not the user",
        Case(ALICE, "s3:GetObject", OBJECT, B, identity=(allow(),),
             resource_policy={"Version": V2012, "Statement": [
                 {"Effect": "Allow", "Principal": {"AWS": A}, "Action": "s3:*", "Resource": "*"},
                 {"Effect": "Deny", "NotPrincipal": {"AWS": A}, "Action": "s3:*", "Resource": "*"}]}),
        aws="ExplicitDeny", reference="Allow", handling="filtered",
        filter_name="NotPrincipal naming part of the caller's chain"),
    Pinned(
        "0.0.0.0/0 in an IP address condition",
        Case(ALICE, "s3:GetObject", OBJECT, A, context={"aws:SourceIp": "10.1.2.3"},
             identity=(allow(Condition={"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),)),
        aws="Allow", reference="ImplicitDeny", handling="filtered",
        filter_name="0.0.0.0/0 in an IP address condition"),
    Pinned(
        "bucket owner's root user calling GetBucketPolicy through a denying bucket policy",
        Case(f"arn:aws:iam::{A}:root", "s3:GetBucketPolicy", "arn:aws:s3:::data-bucket", A,
             resource_policy={"Version": V2012, "Statement": [{
                 "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}),
        aws="Allow", reference="ExplicitDeny", handling="filtered",
        filter_name="bucket owner's root user and bucket-policy actions"),
    Pinned(
        "IPv6 caller under NotIpAddress with an IPv4 range",
        Case(ALICE, "s3:GetObject", OBJECT, A, context={"aws:SourceIp": "2001:db8::1"},
             identity=(allow(Condition={"NotIpAddress": {"aws:SourceIp": "192.0.2.10"}}),)),
        aws="Allow", reference="ImplicitDeny", handling="filtered",
        filter_name="IPv6 caller under NotIpAddress with IPv4 ranges"),
    Pinned(
        "ARN operator value with fewer than six parts",
        Case(ALICE, "s3:GetObject", OBJECT, A,
             identity=(allow(Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::1111*"}}),)),
        aws="Allow", reference="ImplicitDeny", handling="filtered",
        filter_name="ARN operator value with fewer than six parts"),
)
