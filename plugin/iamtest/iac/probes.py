"""Judging VPC endpoint and bucket policies by asking the evaluator concrete questions.

Each rule builds requests that a safe policy must refuse (a principal of an
account the policy does not name, a resource in such an account, a request
that does not come through a named endpoint) and asks :func:`iamtest.decide`
about each. A policy is judged by what it allows, never by how it is
written: ``"Action": "*"``, ``"NotAction": "s3:DeleteBucket"``, an allow with
a matching deny, or partial wildcards get the verdict their meaning earns.

Probe values (accounts, bucket names, role names) are chosen so that they do
not appear in the policy: a request the policy does not name is exactly what
the rules are about.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ..engine.decide import decide
from ..engine.layers import PolicySet
from ..engine.request import make_request

PASSED, FAILED, UNKNOWN = "PASSED", "FAILED", "UNKNOWN"

#: The policy AWS attaches to an endpoint created without one (EC2 API
#: CreateVpcEndpoint: "If this parameter is not specified, we attach a default
#: policy that allows full access to the service").
DEFAULT_ENDPOINT_POLICY = {"Version": "2008-10-17", "Statement": [
    {"Sid": "", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}

PROBE = "iamtest-probe"
SYNTHETIC_ACTION = "IamtestProbeAction"  # an action no policy names: matched only by wildcards
_FOREIGN = ("999988887777", "888877776666", "777766665555", "666655554444")
_HOME = ("123412341234", "432143214321", "121212121212")
_ACCOUNT = re.compile(r"(?<!\d)\d{12}(?!\d)")
_VARIABLE = re.compile(r"\$\{[^}]*\}")

#: Data-moving actions probed per service prefix (besides the synthetic one).
SERVICE_ACTIONS = {
    "s3": ("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"),
    "dynamodb": ("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan"),
    "sqs": ("sqs:SendMessage", "sqs:ReceiveMessage"),
    "sns": ("sns:Publish",),
    "kms": ("kms:Decrypt", "kms:Encrypt"),
    "secretsmanager": ("secretsmanager:GetSecretValue",),
    "ssm": ("ssm:GetParameter",),
    "logs": ("logs:PutLogEvents",),
    "ecr": ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"),
    "lambda": ("lambda:InvokeFunction",),
    "execute-api": ("execute-api:Invoke",),
    "sts": ("sts:AssumeRole",),
    "kinesis": ("kinesis:PutRecord", "kinesis:GetRecords"),
}
#: Endpoint service names whose IAM prefix differs from the name's last part.
_SERVICE_PREFIX = {"ecr.api": "ecr", "ecr.dkr": "ecr", "monitoring": "cloudwatch",
                   "s3-global.accesspoint": "s3", "kinesis-streams": "kinesis",
                   "kinesis-firehose": "firehose"}


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one policy: PASSED, FAILED or UNKNOWN, and why in words."""

    result: str
    reason: str


def service_of(service_name: Optional[str]) -> Tuple[Optional[str], str]:
    """(IAM service prefix, Region) of an endpoint service name like ``com.amazonaws.us-east-1.s3``."""
    region = "us-east-1"
    if not service_name:
        return None, region
    match = re.match(r"^(?:[a-z0-9]+\.)*?amazonaws\.([a-z]{2}(?:-[a-z]+)+-\d)\.(.+)$", service_name)
    if not match:
        return None, region
    region, name = match.group(1), match.group(2)
    prefix = _SERVICE_PREFIX.get(name, name.split(".")[0])
    return (prefix if re.fullmatch(r"[a-z0-9-]+", prefix) else None), region


# -- what the policy names -------------------------------------------------------
def _statements(doc: Dict[str, Any]) -> List[Dict[str, Any]]:
    raw = doc.get("Statement", [])
    return [s for s in (raw if isinstance(raw, list) else [raw]) if isinstance(s, dict)]


def _strings(value: Any) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _condition_values(doc: Dict[str, Any], key: str) -> List[str]:
    out: List[str] = []
    for stmt in _statements(doc):
        for block in (stmt.get("Condition") or {}).values():
            if isinstance(block, dict):
                for ckey, values in block.items():
                    if ckey.lower() == key.lower():
                        out += _strings(values)
    return out


def _principal_values(doc: Dict[str, Any]) -> List[str]:
    out: List[str] = []
    for stmt in _statements(doc):
        principal = stmt.get("Principal")
        if isinstance(principal, dict):
            out += _strings(principal.get("AWS"))
    return out


def instantiate(pattern: str) -> str:
    """A concrete value matching an IAM pattern (wildcards and policy variables filled)."""
    return _VARIABLE.sub(PROBE, pattern).replace("*", PROBE).replace("?", "x")


@dataclass(frozen=True)
class Named:
    """What a policy names: accounts, organizations, principals, resources."""

    accounts: Tuple[str, ...]
    home: str
    foreign: str
    principal_arns: Tuple[str, ...]
    principal_orgs: Tuple[str, ...]
    principal_org_paths: Tuple[str, ...]
    resource_orgs: Tuple[str, ...]
    resources: Tuple[str, ...]


def named(*docs: Optional[Dict[str, Any]]) -> Named:
    text = json.dumps([d for d in docs if d])
    accounts = tuple(dict.fromkeys(_ACCOUNT.findall(text)))
    docs_ = [d for d in docs if d]
    gather = lambda f: tuple(dict.fromkeys(v for d in docs_ for v in f(d)))  # noqa: E731
    return Named(
        accounts=accounts,
        home=accounts[0] if accounts else next(a for a in _HOME if a not in text),
        foreign=next(a for a in _FOREIGN if a not in text),
        principal_arns=gather(lambda d: _principal_values(d) + _condition_values(d, "aws:PrincipalArn")
                              + _condition_values(d, "aws:PrincipalAccount")),
        principal_orgs=gather(lambda d: _condition_values(d, "aws:PrincipalOrgID")),
        principal_org_paths=gather(lambda d: _condition_values(d, "aws:PrincipalOrgPaths")),
        resource_orgs=gather(lambda d: _condition_values(d, "aws:ResourceOrgID")),
        resources=gather(lambda d: [r for s in _statements(d)
                                    for r in _strings(s.get("Resource")) + _strings(s.get("NotResource"))]),
    )


# -- probe requests ------------------------------------------------------------------
@dataclass(frozen=True)
class Probe:
    principal: str
    action: str
    resource: str
    resource_account: Optional[str]
    context: Tuple[Tuple[str, Any], ...] = ()

    def describe(self) -> str:
        where = f" (account {self.resource_account})" if self.resource_account and \
            self.resource_account not in self.resource else ""
        ctx = "".join(f", {k}={v}" for k, v in self.context if v is not None)
        return f"{self.principal} {self.action} on {self.resource}{where}{ctx}"


def _role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/{PROBE}"


def insiders(names: Named) -> List[Tuple[str, Dict[str, Any]]]:
    """Principals the policy names (with its organization), and a role of the home account."""
    context: Dict[str, Any] = {}
    if names.principal_orgs:
        context["aws:PrincipalOrgID"] = instantiate(names.principal_orgs[0])
    if names.principal_org_paths:
        context["aws:PrincipalOrgPaths"] = [instantiate(names.principal_org_paths[0])]
    out: List[str] = []
    for value in names.principal_arns:
        if value == "*":
            continue
        if re.fullmatch(r"\d{12}", value):
            out += [_role(value), f"arn:aws:iam::{value}:root"]
        elif value.startswith("arn:"):
            arn = instantiate(value)
            out.append(arn)
            if arn.endswith(":root"):
                out.append(_role(arn.split(":")[4]))
    out.append(_role(names.home))
    return [(p, context) for p in dict.fromkeys(out)]


def outsider(names: Named) -> Tuple[str, Dict[str, Any]]:
    """A role of an account the policy does not name, outside any organization it names."""
    return _role(names.foreign), {}


def outsiders(names: Named) -> List[Tuple[str, Dict[str, Any]]]:
    """The principals the policy names, moved to an account it does not name, and a plain role there.

    A pattern such as ``arn:aws:iam::*:role/AppServiceRole`` admits that role
    name in every account; moving each named principal to a foreign account
    finds it.
    """
    out: List[str] = []
    for value in names.principal_arns:
        parts = value.split(":", 5)
        if value.startswith("arn:") and len(parts) == 6:
            parts[4] = names.foreign
            out.append(instantiate(":".join(parts)))
    out.append(_role(names.foreign))
    return [(p, {}) for p in dict.fromkeys(out)]


def actions_for(service: Optional[str]) -> List[str]:
    services = [service] if service else list(SERVICE_ACTIONS)
    out: List[str] = []
    for svc in services:
        out += list(SERVICE_ACTIONS.get(svc, ())) + [f"{svc}:{SYNTHETIC_ACTION}"]
    return out


def foreign_resources(action: str, names: Named, region: str) -> List[Tuple[str, str]]:
    """(ARN, owning account) of resources in an account the policy does not name."""
    svc = action.split(":")[0]
    account = names.foreign
    if svc == "s3":
        bucket = f"arn:aws:s3:::{PROBE}-{account}"
        return [(bucket, account), (f"{bucket}/{PROBE}", account)]
    if svc == "dynamodb":
        return [(f"arn:aws:dynamodb:{region}:{account}:table/{PROBE}", account)]
    return [(f"arn:aws:{svc}:{region}:{account}:{PROBE}", account)]


def home_resources(action: str, names: Named, region: str) -> List[Tuple[str, str]]:
    """(ARN, owning account) of resources the policy names, made concrete, plus one of the home account."""
    svc = action.split(":")[0]
    out: List[Tuple[str, str]] = []
    for pattern in names.resources:
        arn = instantiate(pattern) if pattern != "*" else ""
        parts = arn.split(":", 5)
        if len(parts) == 6 and parts[2] in (svc, PROBE):
            owner = parts[4] if re.fullmatch(r"\d{12}", parts[4]) else names.home
            out.append((arn, owner))
    if svc == "s3":
        out += [(f"arn:aws:s3:::{PROBE}-{names.home}", names.home),
                (f"arn:aws:s3:::{PROBE}-{names.home}/{PROBE}", names.home)]
    elif svc == "dynamodb":
        out.append((f"arn:aws:dynamodb:{region}:{names.home}:table/{PROBE}", names.home))
    else:
        out.append((f"arn:aws:{svc}:{region}:{names.home}:{PROBE}", names.home))
    return list(dict.fromkeys(out))


def first_allowed(policies: PolicySet, probes: Iterable[Probe]) -> Optional[Probe]:
    for probe in probes:
        request = make_request(probe.principal, probe.action, probe.resource,
                               resource_account=probe.resource_account, context=dict(probe.context))
        if decide(policies, request).allowed:
            return probe
    return None


def merge_context(*parts: Dict[str, Any]) -> Tuple[Tuple[str, Any], ...]:
    merged: Dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return tuple(sorted(merged.items()))
