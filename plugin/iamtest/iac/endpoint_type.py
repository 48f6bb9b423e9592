"""Which kind of VPC endpoint an infrastructure source's policy is attached to.

FORMAT.md makes ``interface`` the default ``endpoint_type`` of an access-test
file; the infrastructure code usually says which it is. ``endpoint_type_of``
reads it, so a caller can warn when the file and the code disagree. An
endpoint whose type is not written is a Gateway endpoint (EC2 API
``CreateVpcEndpoint``: ``VpcEndpointType`` defaults to ``Gateway``; the
Terraform provider's ``vpc_endpoint_type`` too).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, Optional

from .errors import IacError


def _kind(value: Any) -> Optional[str]:
    text = str(value or "Gateway").lower()
    return text if text in ("gateway", "interface") else None


def _terraform(spec: Dict[str, Any], base_dir: Path) -> Optional[str]:
    from .hcl_eval import Ctx
    from .terraform import descend, instance_env, load_module, open_module, parse_address

    ev, label_of = open_module(spec, base_dir)
    ev, local = descend(ev, str(spec.get("address") or ""), lambda f: load_module(f, label_of))
    address, index = parse_address(local, str(spec["terraform"]))
    rtype, _, name = address.rpartition(".")
    block = ev.module.resources.get((rtype, name))
    if block is not None and rtype == "aws_vpc_endpoint_policy" and "vpc_endpoint_id" in block.attrs:
        attr = block.attrs["vpc_endpoint_id"]
        text = Ctx(attr.file, attr.file.text).source(attr.expr)
        match = re.fullmatch(r'"?(?:\$\{)?aws_vpc_endpoint\.([\w-]+)\.id\}?"?', text)
        block, index = (ev.module.resources.get(("aws_vpc_endpoint", match.group(1))), None) \
            if match else (None, None)
    if block is None or block.labels[0] != "aws_vpc_endpoint":
        return None
    env = instance_env(ev, block, block.address, index)
    attr = block.attrs.get("vpc_endpoint_type")
    return _kind(ev.attr(attr, env)[0] if attr is not None else None)


def _plan(spec: Dict[str, Any], base_dir: Path) -> Optional[str]:
    from . import jsonloc
    from .checkov_subjects import _config_resource
    from .tfplan import _find

    plan, _ = jsonloc.loads((base_dir / str(spec["terraform_plan"])).read_text(encoding="utf-8"))
    address = str(spec.get("address") or "")
    found = _find(plan, address)
    if found and found[0].get("type") == "aws_vpc_endpoint_policy":
        refs = (((_config_resource(plan, address) or {}).get("expressions") or {})
                .get("vpc_endpoint_id") or {}).get("references") or []
        target = next((r[:-3] for r in refs if r.startswith("aws_vpc_endpoint.") and r.endswith(".id")), None)
        prefix = re.match(r"(?:module\.[^.]+\.)*", address).group(0)
        found = _find(plan, prefix + target) if target else None
    if not found or found[0].get("type") != "aws_vpc_endpoint":
        return None
    return _kind((found[0].get("values") or {}).get("vpc_endpoint_type"))


def _cloudformation(spec: Dict[str, Any], base_dir: Path) -> Optional[str]:
    from .cloudformation import open_template

    ev, template, _ = open_template(spec, base_dir)
    resource = (template.get("Resources") or {}).get(str(spec.get("resource")))
    if not isinstance(resource, dict) or resource.get("Type") != "AWS::EC2::VPCEndpoint":
        return None
    value = (resource.get("Properties") or {}).get("VpcEndpointType")
    return _kind(ev.value(value, {})[0] if value is not None else None)


def endpoint_type_of(spec: Dict[str, Any], base_dir: Path) -> Optional[str]:
    """``"gateway"`` or ``"interface"`` for a source naming a VPC endpoint (or an
    ``aws_vpc_endpoint_policy`` attached to one) whose type the code fixes; None
    for anything else or when the type cannot be read statically."""
    try:
        if "terraform" in spec:
            return _terraform(spec, Path(base_dir))
        if "terraform_plan" in spec:
            return _plan(spec, Path(base_dir))
        if "cloudformation" in spec:
            return _cloudformation(spec, Path(base_dir))
    except (IacError, OSError, ValueError):
        return None
    return None
