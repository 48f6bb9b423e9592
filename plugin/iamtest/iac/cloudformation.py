"""``{cloudformation: template, resource: LogicalId, attribute?: ..., parameters?: {...}}`` sources."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Tuple

from . import locs as L
from .cfn_eval import NO_VALUE, CfnEvaluator
from .cfn_load import load_template
from .errors import IacError, LoadedDocument
from .policy_text import document
from .terraform import label_maker

#: the policy property of a resource type, when it is not ``PolicyDocument``.
DEFAULT_ATTRIBUTES = {
    "AWS::IAM::Role": "AssumeRolePolicyDocument",
    "AWS::Organizations::Policy": "Content",
    "AWS::KMS::Key": "KeyPolicy",
    "AWS::ECR::Repository": "RepositoryPolicyText",
    "AWS::SecretsManager::ResourcePolicy": "ResourcePolicy",
}


def open_template(spec: Dict[str, Any], base_dir: Path) -> Tuple[CfnEvaluator, Dict[str, Any], L.Locs]:
    path = base_dir / str(spec["cloudformation"])
    label = label_maker(base_dir)(path)
    template, locs = load_template(path, label)
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise IacError(label, 1, "not a CloudFormation template (no Resources mapping)")
    parameters = spec.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise IacError(label, None, "'parameters' must be a mapping of parameter names to values")
    return CfnEvaluator(template, label, parameters), template, locs


def _attribute_path(name: str):
    return tuple(int(p) if p.isdigit() else p for p in name.split("."))


def resolve_cloudformation(spec: Dict[str, Any], base_dir: Path) -> LoadedDocument:
    ev, template, locs = open_template(spec, base_dir)
    label = ev.label
    logical_id = str(spec.get("resource") or "")
    resources = template["Resources"]
    if logical_id not in resources or not isinstance(resources[logical_id], dict):
        raise IacError(label, None, f"no resource {logical_id!r} in the template "
                       f"(resources: {', '.join(sorted(resources)) or 'none'})")
    resource = resources[logical_id]
    res_locs = L.nested(L.nested(locs, "Resources"), logical_id)
    line = res_locs.get((), None)
    if "Condition" in resource and not ev.condition(str(resource["Condition"]), line):
        raise IacError(label, line, f"{logical_id} is not created: its Condition "
                       f"{resource['Condition']} is false")
    rtype = str(resource.get("Type", ""))
    name = str(spec.get("attribute") or DEFAULT_ATTRIBUTES.get(rtype, "PolicyDocument"))
    value: Any = resource.get("Properties") or {}
    value_locs = L.nested(res_locs, "Properties")
    for step in _attribute_path(name):
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            raise IacError(label, line, f"{logical_id} sets no {name} property") from None
        value_locs = L.nested(value_locs, step)
    attr_line = value_locs.get((), line)
    value, value_locs = ev.value(value, value_locs)
    if value is NO_VALUE:
        raise IacError(label, attr_line, f"{logical_id}.{name} is AWS::NoValue")
    doc, doc_locs = document(value, value_locs, label, attr_line, f"{logical_id}.{name}")
    return LoadedDocument(doc, doc_locs, f"{label}:{attr_line} {logical_id}.{name}")
