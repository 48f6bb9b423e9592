"""The four policy rules, each a function from a policy document to a :class:`Finding`.

Pure: no checkov here. ``rules/`` wraps these for checkov and the pytest
integration runs them through checkov.

* :func:`endpoint_full_access` — a principal of an account the policy does not
  name can use an action it does not name on a resource in an account it does
  not name: the endpoint filters nothing.
* :func:`endpoint_exfiltration` — a principal the policy admits can reach a
  resource in an account the policy does not name (the path to an attacker's
  bucket).
* :func:`endpoint_any_account` — a principal of an account the policy does not
  name is let through to the resources it names.
* :func:`bucket_requires_endpoint` — a bucket policy accepts a request that
  comes neither through a VPC endpoint nor from a VPC it names.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..engine.layers import PolicySet
from ..engine.model import PolicyError
from ..engine.parse import allow_all_policy, parse_policy
from .probes import (DEFAULT_ENDPOINT_POLICY, FAILED, PASSED, PROBE, Finding, Probe, merge_context,
                     actions_for, first_allowed, foreign_resources, home_resources, insiders, named,
                     outsider, outsiders, service_of)

#: A public address (TEST-NET-3, RFC 5737) for requests from the internet.
INTERNET_IP = "203.0.113.10"


def _endpoint_policies(doc: Optional[Dict[str, Any]], gateway: bool, source: str,
                       locations: Optional[dict]):
    """(PolicySet, wording) for an endpoint policy, or (None, Finding) when AWS would reject it."""
    default = doc is None
    try:
        policy = parse_policy(DEFAULT_ENDPOINT_POLICY if default else doc, source=source,
                              locations=None if default else locations, kind="endpoint")
        # The identity and resource layers allow everything, so the decision is
        # the endpoint policy's alone (the `allow-all` isolation of FORMAT.md).
        policies = PolicySet(identity=(allow_all_policy("identity"),),
                             resource=allow_all_policy("resource"), endpoint=policy,
                             endpoint_type="gateway" if gateway else "interface")
    except PolicyError as err:
        return None, Finding(FAILED, f"the endpoint policy is not valid for a "
                             f"{'gateway' if gateway else 'interface'} endpoint: {err}")
    prefix = ("the endpoint has no policy, and the default policy AWS attaches "
              if default else "the endpoint policy ")
    return policies, prefix


def endpoint_full_access(doc: Optional[Dict[str, Any]], *, gateway: bool, service_name: Optional[str],
                         source: str = "<endpoint policy>", locations: Optional[dict] = None) -> Finding:
    policies, prefix = _endpoint_policies(doc, gateway, source, locations)
    if policies is None:
        return prefix
    names = named(doc)
    service, region = service_of(service_name)
    principal, context = outsider(names)
    probes = [Probe(principal, action, arn, owner, merge_context(context))
              for action in actions_for(service) if action.endswith("ProbeAction")
              for arn, owner in foreign_resources(action, names, region)]
    hit = first_allowed(policies, probes)
    if hit:
        return Finding(FAILED, f"{prefix}lets any principal reach any resource: it allows "
                       f"{hit.describe()}, an action, principal and resource it does not name")
    return Finding(PASSED, "a principal of an account the policy does not name cannot use an "
                   "action it does not name on a resource in such an account")


def endpoint_exfiltration(doc: Optional[Dict[str, Any]], *, gateway: bool, service_name: Optional[str],
                          source: str = "<endpoint policy>", locations: Optional[dict] = None) -> Finding:
    policies, prefix = _endpoint_policies(doc, gateway, source, locations)
    if policies is None:
        return prefix
    names = named(doc)
    service, region = service_of(service_name)
    probes = [Probe(principal, action, arn, owner, merge_context(context))
              for principal, context in insiders(names)
              for action in actions_for(service)
              for arn, owner in foreign_resources(action, names, region)]
    hit = first_allowed(policies, probes)
    if hit:
        return Finding(FAILED, f"{prefix}lets requests reach resources outside the accounts and "
                       f"organization it names: it allows {hit.describe()}")
    return Finding(PASSED, "no principal the policy admits reaches a resource in an account it "
                   "does not name")


def endpoint_any_account(doc: Optional[Dict[str, Any]], *, gateway: bool, service_name: Optional[str],
                         source: str = "<endpoint policy>", locations: Optional[dict] = None) -> Finding:
    policies, prefix = _endpoint_policies(doc, gateway, source, locations)
    if policies is None:
        return prefix
    names = named(doc)
    service, region = service_of(service_name)
    probes = [Probe(principal, action, arn, owner, merge_context(context))
              for principal, context in outsiders(names)
              for action in actions_for(service)
              for arn, owner in home_resources(action, names, region)]
    hit = first_allowed(policies, probes)
    if hit:
        return Finding(FAILED, f"{prefix}admits principals of any account: it allows "
                       f"{hit.describe()}, whose account it does not name")
    return Finding(PASSED, "a principal of an account the policy does not name is refused on "
                   "the resources it names")


_BUCKET_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject")


def bucket_requires_endpoint(doc: Dict[str, Any], *, source: str = "<bucket policy>",
                             locations: Optional[dict] = None) -> Finding:
    try:
        policy = parse_policy(doc, source=source, locations=locations, kind="resource")
    except PolicyError as err:
        return Finding(FAILED, f"the bucket policy is not valid: {err}")
    names = named(doc)
    buckets: List[str] = []
    for pattern in names.resources:
        arn = pattern.replace("${", "").split("/", 1)[0].rstrip("*")
        if arn.startswith("arn:") and arn.split(":")[2:3] == ["s3"] and arn.count(":") == 5 and \
                arn.split(":")[5]:
            buckets.append(arn)
    buckets = list(dict.fromkeys(buckets)) or [f"arn:aws:s3:::{PROBE}-bucket"]
    with_identity = PolicySet(identity=(allow_all_policy("identity"),), resource=policy)
    without_identity = PolicySet(resource=policy)
    callers = [(principal, context) for principal, context in insiders(names)]
    outside = [
        ("from the internet", {"aws:SourceIp": INTERNET_IP}),
        ("through an endpoint the policy does not name",
         {"aws:SourceVpce": f"vpce-0{PROBE.replace('-', '')}0", "aws:SourceVpc": f"vpc-0{PROBE.replace('-', '')}0",
          "aws:VpcSourceIp": "10.0.0.10"}),
    ]
    for how, network in outside:
        probes = [Probe(principal, action, bucket if action == "s3:ListBucket" else f"{bucket}/{PROBE}",
                        names.home, merge_context(context, network))
                  for principal, context in callers for action in _BUCKET_ACTIONS for bucket in buckets]
        hit = first_allowed(with_identity, probes)
        if hit is None:
            hit = first_allowed(without_identity, [
                Probe("anonymous", p.action, p.resource, p.resource_account, merge_context(network))
                for p in probes])
        if hit:
            return Finding(FAILED, f"the bucket policy accepts requests that do not come through a "
                           f"VPC endpoint or VPC it names: {hit.describe()}, {how}, is allowed")
    return Finding(PASSED, "requests from the internet and through other endpoints are refused")
