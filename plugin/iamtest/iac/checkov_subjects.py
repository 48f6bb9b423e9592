"""What a checkov rule judges: the policy of the scanned resource, read by our own readers.

checkov's rendered configuration leaves unresolved values as text
(``data.aws_iam_policy_document.p.json``, ``${var.x}``); judging that text
would match it like a pattern. The rules therefore read the scanned file
again with :mod:`iamtest.iac` (Terraform module, plan JSON or CloudFormation
template), which resolves what can be known statically and names what cannot.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from . import jsonloc, locs as L
from .cfn_eval import NO_VALUE, CfnEvaluator
from .checkov_locate import CACHE, file_stamp, folder_stamp, scanned_path
from .cloudformation import open_template
from .errors import IacError
from .hcl import Block
from .hcl_eval import Ctx, Evaluator
from .policy_text import document
from .terraform import descend, instance_env, label_maker, open_module
from .tfplan import _find

@dataclass(frozen=True)
class Subject:
    """A policy to judge. ``doc`` None means none is attached (AWS's default applies);
    ``error`` set means it cannot be read statically (the rule is UNKNOWN);
    ``endpoint_type`` is lower-case, or None when it cannot be known."""

    doc: Optional[Dict[str, Any]] = None
    locations: Optional[Dict[tuple, int]] = None
    source: str = ""
    endpoint_type: Optional[str] = "gateway"
    service_name: Optional[str] = None
    error: Optional[str] = None


def _located(check: Any, address: Optional[str]):
    found = scanned_path(check, address)
    if found is None:
        return None, Subject(error=f"cannot locate {check.entity_path.split(':', 1)[0]} on disk "
                             "to read its policy")
    return found, None


def _address_parts(address: str) -> Tuple[str, str, Optional[Any]]:
    """(type, name, index) of the last resource in a checkov address."""
    match = re.search(r"([A-Za-z][\w-]*)\.([A-Za-z_][\w-]*)(?:\[(\d+|\"[^\"]*\")\])?$", address)
    if not match:
        raise ValueError(address)
    index = match.group(3)
    if index is not None:
        index = index[1:-1] if index.startswith('"') else int(index)
    return match.group(1), match.group(2), index


# -- Terraform configuration ---------------------------------------------------------------
def _module(path: Path, root: Path) -> Evaluator:
    folder = path.parent

    def build():
        try:
            return open_module({"terraform": str(folder)}, root)[0]
        except IacError as err:
            return err

    result = CACHE.get(("tf", folder), folder_stamp(folder), build)
    if isinstance(result, IacError):
        raise result
    return result


def _module_chain(root: Path, address: str, folder: Path) -> Optional[Evaluator]:
    """The evaluator of the module ``address`` lives in, with the inputs its callers pass;
    None when the chain does not end in ``folder``."""
    ev, _ = descend(_module(root / "main.tf", root), address,
                    lambda child: _module(child / "main.tf", root).module)
    return ev if ev.module.folder == folder.resolve() else None


def _inputs_or_none(root: Path, address: str, folder: Path) -> Optional[Evaluator]:
    try:
        return _module_chain(root, address, folder)
    except IacError:  # the callers cannot be read: judge the module folder on its own
        return None


def _text(ev: Evaluator, attr) -> str:
    return Ctx(attr.file, attr.file.text).source(attr.expr).strip('"').replace("${", "").rstrip("}")


def _string_attr(ev: Evaluator, block: Optional[Block], name: str, env) -> Tuple[Optional[str], bool]:
    """(value, known) of a string attribute; (None, True) when unset."""
    if block is None:
        return None, False
    attr = block.attrs.get(name)
    if attr is None:
        return None, True
    try:
        value, _ = ev.attr(attr, env)
    except IacError:
        return None, False
    return (None if value is None else str(value)), True


def _service_hint(ev: Evaluator, block: Optional[Block], env) -> Optional[str]:
    value, known = _string_attr(ev, block, "service_name", env)
    if value or block is None or "service_name" not in block.attrs:
        return value
    # Unresolvable (a Region from a data source): keep only the service part.
    text = Ctx(block.file, block.file.text).source(block.attrs["service_name"].expr)
    match = re.search(r"\.([a-z][a-z0-9-]*(?:\.[a-z]+)?)\"\s*$", text)
    return f"com.amazonaws.us-east-1.{match.group(1)}" if match else None


def _endpoint_type(value: Optional[str], known: bool) -> Optional[str]:
    if not known:
        return None
    return (value or "Gateway").lower()  # EC2 CreateVpcEndpoint: VpcEndpointType defaults to Gateway


def terraform_subject(check: Any, conf: Dict[str, Any], policy_attr: str = "policy") -> Subject:
    address = str((conf.get("__address__") or [""])[0] if isinstance(conf.get("__address__"), list)
                  else conf.get("__address__") or "")
    found, failure = _located(check, address)
    if failure:
        return failure
    path, root = found
    if path.suffix == ".json":
        return plan_subject(path, root, address, policy_attr)
    try:
        ev = (_inputs_or_none(root, address, path.parent) if address.startswith("module.") else None) \
            or _module(path, root)
        rtype, name, index = _address_parts(address)
        block = ev.module.resources.get((rtype, name))
        if block is None:
            return Subject(error=f"{address} is not declared in {path.parent.name}/")
        env = instance_env(ev, block, f"{rtype}.{name}", index)
        endpoint, policy_block = block, block
        if rtype == "aws_vpc_endpoint_policy":
            target = re.fullmatch(r"aws_vpc_endpoint\.([\w-]+)\.id", _text(ev, block.attrs["vpc_endpoint_id"])) \
                if "vpc_endpoint_id" in block.attrs else None
            endpoint = ev.module.resources.get(("aws_vpc_endpoint", target.group(1))) if target else None
        elif rtype == "aws_vpc_endpoint" and policy_attr not in block.attrs:
            for (other_type, _), other in ev.module.resources.items():
                if other_type == "aws_vpc_endpoint_policy" and "vpc_endpoint_id" in other.attrs and \
                        _text(ev, other.attrs["vpc_endpoint_id"]) == f"aws_vpc_endpoint.{name}.id":
                    policy_block = other
        endpoint_type = _endpoint_type(*_string_attr(ev, endpoint, "vpc_endpoint_type", env)) \
            if endpoint is not None else None
        service = _service_hint(ev, endpoint, env)
        attr = policy_block.attrs.get(policy_attr)
        if attr is None:
            return Subject(None, None, f"{address}", endpoint_type, service)
        value, value_locs = ev.attr(attr, env if policy_block is block else {})
        label = attr.file.label
        doc, locs = document(value, value_locs, label, attr.line, f"{policy_block.address}.{policy_attr}")
        return Subject(doc, locs, f"{label}:{attr.line} {policy_block.address}.{policy_attr}",
                       endpoint_type, service)
    except IacError as err:
        return Subject(error=str(err))


# -- Terraform plan JSON --------------------------------------------------------------------
def _plan(path: Path, label: str):
    def build():
        try:
            return jsonloc.loads(path.read_text(encoding="utf-8"))
        except (OSError, jsonloc.JsonSyntaxError) as err:
            return IacError(label, getattr(err, "line", None), f"cannot read the plan: {err}")

    result = CACHE.get(("plan", path), file_stamp(path), build)
    if isinstance(result, IacError):
        raise result
    return result


def _config_module(plan: Dict[str, Any], address: str) -> Tuple[Dict[str, Any], str]:
    """The ``configuration`` module holding ``address``, and the address inside it."""
    module = (plan.get("configuration") or {}).get("root_module") or {}
    parts = address.split(".")
    while len(parts) > 2 and parts[0] == "module":
        call = re.sub(r"\[.*\]$", "", parts[1])
        module = (((module.get("module_calls") or {}).get(call) or {}).get("module")) or {}
        parts = parts[2:]
    return module, re.sub(r"\[.*\]$", "", ".".join(parts))


def _config_resource(plan: Dict[str, Any], address: str) -> Optional[Dict[str, Any]]:
    """The ``configuration`` entry of a resource (its expressions as written)."""
    module, local = _config_module(plan, address)
    return next((r for r in module.get("resources") or [] if r.get("address") == local), None)


def plan_subject(path: Path, root: Path, address: str, policy_attr: str) -> Subject:
    label = label_maker(root)(path)
    try:
        plan, plan_locs = _plan(path, label)
        found = _find(plan, address)
        if found is None:
            return Subject(error=f"{label}: {address} has no planned values")
        resource, rpath = found
        values = resource.get("values") or {}
        endpoint_values, policy_address = values, address
        prefix = address[: len(address) - len(re.sub(r"^(module\.[^.]+\.)*", "", address))]
        config = _config_resource(plan, address) or {}
        if resource.get("type") == "aws_vpc_endpoint_policy":
            refs = ((config.get("expressions") or {}).get("vpc_endpoint_id") or {}).get("references") or []
            target = next((r[: -len(".id")] for r in refs if r.startswith("aws_vpc_endpoint.") and r.endswith(".id")), None)
            endpoint = _find(plan, prefix + target) if target else None
            endpoint_values = endpoint[0].get("values") or {} if endpoint else None
        elif resource.get("type") == "aws_vpc_endpoint" and values.get(policy_attr) is None and \
                policy_attr not in (config.get("expressions") or {}):
            for entry in _config_module(plan, address)[0].get("resources") or []:
                refs = ((entry.get("expressions") or {}).get("vpc_endpoint_id") or {}).get("references") or []
                if entry.get("type") == "aws_vpc_endpoint_policy" and f"{address[len(prefix):]}.id" in refs:
                    policy_address = prefix + entry["address"]
        if policy_address != address:
            found = _find(plan, policy_address)
            if found is None:
                return Subject(error=f"{label}: {policy_address}.policy is known only after apply")
            resource, rpath = found
            values = resource.get("values") or {}
            config = _config_resource(plan, policy_address) or {}
        endpoint_type = (str(endpoint_values.get("vpc_endpoint_type") or "Gateway").lower()
                         if endpoint_values is not None else None)
        service = endpoint_values.get("service_name") if endpoint_values else None
        value = values.get(policy_attr)
        if value is None:
            if policy_attr in (config.get("expressions") or {}):
                return Subject(error=f"{label}: cannot resolve {policy_address}.{policy_attr} "
                               "statically (known only after apply)")
            return Subject(None, None, policy_address, endpoint_type, service)
        line = plan_locs.get(rpath + ("values", policy_attr), plan_locs.get(rpath, 1))
        doc, locs = document(value, L.at(line), label, line, f"{policy_address}.{policy_attr}")
        return Subject(doc, locs, f"{label}:{line} {policy_address}.{policy_attr}", endpoint_type, service)
    except IacError as err:
        return Subject(error=str(err))


# -- CloudFormation -------------------------------------------------------------------------
def _template(path: Path, root: Path):
    def build():
        try:
            return open_template({"cloudformation": str(path)}, root)
        except IacError as err:
            return err

    result = CACHE.get(("cfn", path), file_stamp(path), build)
    if isinstance(result, IacError):
        raise result
    return result


def _cfn_string(ev: CfnEvaluator, value: Any, guess: bool = False) -> Tuple[Optional[str], bool]:
    if value is None:
        return None, True
    try:
        resolved, _ = ev.value(value, {})
    except IacError:
        if not guess:
            return None, False
        hint = CfnEvaluator(ev.template, ev.label, {**{k: v for k, v in ev.parameters.items()},
                                                     "AWS::Region": "us-east-1",
                                                     "AWS::URLSuffix": "amazonaws.com",
                                                     "AWS::Partition": "aws"})
        try:
            resolved, _ = hint.value(value, {})
        except IacError:
            return None, False
    return (None if resolved is NO_VALUE else str(resolved)), True


def cloudformation_subject(check: Any, conf: Dict[str, Any], policy_property: str) -> Subject:
    found, failure = _located(check, None)
    if failure:
        return failure
    path, root = found
    logical_id = str(check.entity_path).rsplit(":", 1)[-1].rsplit(".", 1)[-1]
    try:
        ev, template, locs = _template(path, root)
        resource = (template.get("Resources") or {}).get(logical_id)
        if not isinstance(resource, dict):
            return Subject(error=f"{ev.label}: no resource {logical_id!r}")
        props = resource.get("Properties") or {}
        endpoint_type = _endpoint_type(*_cfn_string(ev, props.get("VpcEndpointType")))
        service, _ = _cfn_string(ev, props.get("ServiceName"), guess=True)
        prop_locs = L.nested(L.nested(L.nested(L.nested(locs, "Resources"), logical_id), "Properties"),
                             policy_property)
        if policy_property not in props:
            return Subject(None, None, logical_id, endpoint_type, service)
        line = prop_locs.get((), None)
        value, value_locs = ev.value(props[policy_property], prop_locs)
        if value is NO_VALUE:
            return Subject(None, None, logical_id, endpoint_type, service)
        doc, doc_locs = document(value, value_locs, ev.label, line, f"{logical_id}.{policy_property}")
        return Subject(doc, doc_locs, f"{ev.label}:{line} {logical_id}.{policy_property}",
                       endpoint_type, service)
    except IacError as err:
        return Subject(error=str(err))
