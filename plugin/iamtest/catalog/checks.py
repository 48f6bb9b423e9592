"""Checks that keep access tests honest: actions, resources, condition keys.

A misspelled action (``s3:GetObjcet``) is denied by every policy, so a case
expecting ``deny`` passes without testing anything; a misspelled condition
key is absent from every request, so the condition silently changes what a
statement does. These checks compare cases and policies with AWS's Service
Authorization Reference (through :mod:`iamtest.catalog.catalog`) and report
:class:`~iamtest.catalog.findings.Finding` values; they never raise for bad
input and never decide anything about access.

Without the data package every check returns one ``catalog-unavailable``
finding: it says the checks did not run, never that the input is fine.
"""
from __future__ import annotations

from typing import Iterable, List, Optional, Set

from ..engine.model import Location, Policy, Statement
from ..engine.request import is_service_principal
from .arnformat import has_wildcard
from .catalog import Catalog, ResourceType, split_action
from .default import get_catalog
from .endpoint import check_endpoint_policy
from .findings import Finding, finding
from .source import CatalogUnavailable


def _did_you_mean(options: Iterable[str]) -> str:
    options = list(options)
    if not options:
        return ""
    return f" (did you mean {' or '.join(options)}?)"


def _unavailable(exc: Exception, what: str, location: Optional[Location]) -> Finding:
    return finding("catalog-unavailable", f"{what} did not run: {exc}", location)


def _catalog(catalog: Optional[Catalog]) -> Catalog:
    return catalog if catalog is not None else get_catalog()


# ------------------------------------------------------------------- cases

def check_case(action: str, resource: Optional[str], location: Optional[Location] = None,
               catalog: Optional[Catalog] = None,
               resource_location: Optional[Location] = None) -> List[Finding]:
    """Findings for one concrete request of an access test.

    * ``unknown-action`` (error) when ``action`` is not an AWS action, with
      the closest known actions;
    * ``resource-not-of-action`` (warning) when ``resource`` cannot be a
      resource of the action (``None`` skips the resource check).

    ``location`` is where the action is written; ``resource_location``
    (default: ``location``) where the resource is.
    """
    try:
        return _case_findings(_catalog(catalog), action, resource, location, resource_location)
    except CatalogUnavailable as exc:
        return [_unavailable(exc, "the action and resource checks", location)]


def _case_findings(cat: Catalog, action, resource, location, resource_location) -> List[Finding]:
    text = action if isinstance(action, str) else repr(action)
    prefix, name = split_action(text)
    if not prefix or not name or has_wildcard(text):
        return [finding("unknown-action",
                        f"{text} is not an AWS action: a case names one action as service:Action", location)]
    canonical = cat.canonical_action(text)
    if canonical is None:
        why = "" if cat.service_exists(prefix) else f": no AWS service has the prefix {prefix}"
        return [finding("unknown-action",
                        f"{text} is not an AWS action{why}{_did_you_mean(cat.suggest_action(text))}", location)]
    if resource is None or cat.resource_may_belong_to_action(canonical, resource):
        return []
    return [finding("resource-not-of-action", _resource_message(cat, canonical, resource),
                    resource_location or location)]


def _describe_types(types: List[ResourceType]) -> str:
    parts = []
    for t in types:
        formats = " or ".join(t.arn_formats) if t.arn_formats else "no documented ARN format"
        parts.append(f"{t.name}{' (required)' if t.required else ''}: {formats}")
    return "; ".join(parts)


def _resource_message(cat: Catalog, action: str, resource: str) -> str:
    types = cat.resource_types_for_action(action)
    if not types:
        return (f"{action} acts on no resource type, so its resource is \"*\" "
                f"(AWS: \"you must specify all resources (\\\"*\\\")\"); the case names {resource}")
    if resource == "*":
        required = [t for t in types if t.required]
        return (f"{action} needs a resource of type {', '.join(t.name for t in required)}; "
                f"\"*\" is for actions without a resource ({_describe_types(required)})")
    looks = cat.resource_types_of_arn(resource)
    tail = ""
    if looks:
        tail = f"; it fits {' and '.join(f'{t.service} {t.name}' for t in looks)}"
    return f"{resource} cannot be a resource of {action}, which acts on {_describe_types(types)}{tail}"


# ---------------------------------------------------------------- policies

#: The kind under which :class:`~iamtest.catalog.session.CatalogChecker` asks for
#: the findings of a resource-layer policy used for an Amazon S3 resource.
BUCKET_POLICY = "bucket"


def bucket_policy_findings(policy: Policy) -> List[Finding]:
    """``bucket-policy-statement-without-resource`` for each statement of a policy
    used as an S3 bucket policy that has neither Resource nor NotResource."""
    return [finding("bucket-policy-statement-without-resource",
                    f"{s.label} of {policy.source} has no Resource, but the policy is the bucket "
                    f"policy of an S3 request; a bucket policy statement names the bucket and object "
                    f"ARNs it covers (only a role trust policy has no Resource), and iamtest reads "
                    f"this one as applying to every resource", s.location)
            for s in policy.statements if s.resources is None and s.not_resources is None]


def check_policy(policy: Policy, kind: str = "identity", text: Optional[str] = None,
                 catalog: Optional[Catalog] = None) -> List[Finding]:
    """Findings for one parsed policy of the given kind.

    * ``action-pattern-matches-nothing`` for each Action/NotAction entry no
      known action matches;
    * ``unknown-condition-key`` / ``condition-key-of-other-service`` for
      condition keys that no request to the statement's actions carries;
    * for ``kind == "endpoint"``, the rules AWS applies to VPC endpoint
      policies (:mod:`iamtest.catalog.endpoint`); ``text`` is the document
      as written, used for the size limit when known.
    """
    out: List[Finding] = []
    try:
        cat = _catalog(catalog)
        for stmt in policy.statements:
            out += _statement_findings(cat, stmt)
    except CatalogUnavailable as exc:
        out = [_unavailable(exc, "the action and condition-key checks", policy.location)]
    if kind == "endpoint":
        out += check_endpoint_policy(policy, text)
    out += _service_principal_findings(policy)
    return out


def _service_principal_findings(policy: Policy) -> List[Finding]:
    out: List[Finding] = []
    for stmt in policy.statements:
        for element, spec in (("Principal", stmt.principal), ("NotPrincipal", stmt.not_principal)):
            for value in (spec.service if spec is not None else ()):
                if not is_service_principal(value):
                    out.append(finding(
                        "service-principal-names-no-caller",
                        f"{element} Service {value!r} in {stmt.label} is not an AWS service principal "
                        f"(such as lambda.amazonaws.com): it names no caller", stmt.location))
    return out


def _statement_findings(cat: Catalog, stmt: Statement) -> List[Finding]:
    out: List[Finding] = []
    negated = stmt.actions is None
    element = "NotAction" if negated else "Action"
    services: Set[str] = set()
    unbounded = negated  # NotAction reaches every service
    for pattern in (stmt.not_actions if negated else stmt.actions) or ():
        if pattern == "*":
            unbounded = True
            continue
        if not cat.any_action_matches(pattern):
            out.append(finding("action-pattern-matches-nothing",
                               f"{element} {pattern} in {stmt.label} matches no known AWS action"
                               f"{_pattern_hint(cat, pattern)}", stmt.location))
            continue
        if not negated:
            prefix = split_action(pattern)[0]
            if prefix and not has_wildcard(prefix):
                services.add(prefix.lower())
            else:
                services |= {split_action(a)[0].lower() for a in cat.actions_matching(pattern)}
    for clause in stmt.conditions:
        problem = _key_finding(cat, stmt, clause.key, None if unbounded else services, clause.location)
        if problem is not None:
            out.append(problem)
    return out


def _pattern_hint(cat: Catalog, pattern: str) -> str:
    prefix, _ = split_action(pattern)
    if not prefix:
        return ": an action is written service:Action"
    if not has_wildcard(prefix) and not cat.service_exists(prefix):
        hint = cat.suggest_action(pattern) if not has_wildcard(pattern) else cat.suggest_service(prefix)
        return f": no AWS service has the prefix {prefix}{_did_you_mean(hint)}"
    if has_wildcard(pattern):
        return ""
    return _did_you_mean(cat.suggest_action(pattern))


def _key_finding(cat: Catalog, stmt: Statement, key: str, services: Optional[Set[str]],
                 location: Location) -> Optional[Finding]:
    """A finding for a condition key no request to the statement's actions carries, else None.

    ``services`` None means the statement can match actions of any service
    (``*``, NotAction); an empty set means none of its actions is known, and
    only global keys are then checked.
    """
    if cat.global_key(key):
        return None
    where = f"condition key {key} in {stmt.label}"
    if key.lower().startswith("aws:"):
        return finding("unknown-condition-key",
                       f"{where} is not a global condition key{_did_you_mean(cat.suggest_condition_key(key))}",
                       location)
    if services is None:
        if cat.condition_key_known(key):
            return None
        return finding("unknown-condition-key",
                       f"{where} is not a condition key of any AWS service"
                       f"{_did_you_mean(cat.suggest_condition_key(key))}", location)
    if not services or any(cat.condition_key_known(key, s) for s in services):
        return None
    own = key.partition(":")[0]
    owners = [own] if cat.condition_key_known(key, own) and cat.service_exists(own) else cat.services_with_key(key)
    listed = ", ".join(sorted(services))
    if owners:
        return finding("condition-key-of-other-service",
                       f"{where} is a key of {', '.join(owners)}, but the statement's actions are of "
                       f"{listed}: requests to {listed} do not carry it", location)
    return finding("unknown-condition-key",
                   f"{where} is not a condition key of {listed} nor a global key"
                   f"{_did_you_mean(cat.suggest_condition_key(key, sorted(services)))}", location)
