"""``{terraform_plan: plan.json, address: ..., attribute?: ...}`` sources.

Reads ``terraform show -json`` output: a plan (``planned_values``, and
``prior_state`` for data sources read while planning) or a state
(``values``). Modules are found through their addresses
(``module.vpc.aws_vpc_endpoint.s3``). A value Terraform only learns at apply
time (``after_unknown`` in ``resource_changes``) is an error.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

from . import jsonloc, locs as L
from .errors import IacError, LoadedDocument, unresolvable
from .policy_text import document
from .terraform import DEFAULT_ATTRIBUTES, label_maker

_TREES = (("planned_values", "root_module"), ("prior_state", "values", "root_module"),
          ("values", "root_module"))


def _list(value: Any) -> list:
    """A list where the plan's format has one; anything else (a damaged or
    hand-written file) holds nothing, so a lookup in it finds nothing."""
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _modules(module: Any, path: tuple) -> Iterator[Tuple[dict, tuple]]:
    if not isinstance(module, dict):
        return
    yield module, path
    for i, child in enumerate(_list(module.get("child_modules"))):
        yield from _modules(child, path + ("child_modules", i))


def _find(plan: dict, address: str) -> Optional[Tuple[dict, tuple]]:
    for tree in _TREES:
        node: Any = plan
        for key in tree:
            node = node.get(key) if isinstance(node, dict) else None
        for module, path in _modules(node, tree):
            for i, resource in enumerate(_list(module.get("resources"))):
                if isinstance(resource, dict) and resource.get("address") == address:
                    return resource, path + ("resources", i)
    return None


def _change(plan: dict, address: str) -> Optional[dict]:
    for change in _list(plan.get("resource_changes")):
        if isinstance(change, dict) and change.get("address") == address:
            return _dict(change.get("change"))
    return None


def resolve_terraform_plan(spec: Dict[str, Any], base_dir: Path) -> LoadedDocument:
    shown = str(spec["terraform_plan"])
    path = base_dir / shown
    label = label_maker(base_dir)(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IacError(label, None, f"cannot read the plan: {err.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IacError(label, data.count(b"\n", 0, err.start) + 1,
                       f"not UTF-8 text ({err.reason} at byte {err.start})") from None
    try:
        plan, plan_locs = jsonloc.loads(text)
    except jsonloc.JsonSyntaxError as err:
        raise IacError(label, err.line, f"not terraform show -json output: {err}") from None
    if not isinstance(plan, dict) or not any(k in plan for k in ("planned_values", "values")):
        raise IacError(label, 1, "not terraform show -json output (no planned_values or values)")
    address = str(spec.get("address") or "")
    found = _find(plan, address)
    change = _change(plan, address)
    if found is None:
        if change is not None:
            raise unresolvable(label, None, f"{address}", "the plan has no values for it: "
                               "known only after apply")
        raise IacError(label, None, f"no resource {address} in the plan")
    resource, rpath = found
    rtype = str(resource.get("type", ""))
    default = "json" if resource.get("mode") == "data" and rtype == "aws_iam_policy_document" \
        else DEFAULT_ATTRIBUTES.get(rtype, "policy")
    name = str(spec.get("attribute") or default)
    after_unknown = _dict(_dict(change).get("after_unknown"))
    values = _dict(resource.get("values"))
    line = plan_locs.get(rpath + ("values", name), plan_locs.get(rpath, 1))
    value = values.get(name)
    if value is None:
        if after_unknown.get(name) is True:
            raise unresolvable(label, plan_locs.get(rpath, 1), f"{address}.{name}",
                               "known only after apply")
        raise IacError(label, plan_locs.get(rpath, 1), f"{address} sets no {name} attribute")
    doc, locs = document(value, L.at(line), label, line, f"{address}.{name}")
    return LoadedDocument(doc, locs, f"{label}:{line} {address}.{name}")
