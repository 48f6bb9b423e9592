"""A counterexample written as a case that can be pasted into ``cases``."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

import yaml

from .concrete import ConcreteRequest

_LAYERS = ("identity", "resource", "endpoint", "boundary", "session", "scp", "rcp")


def _source(spec: Any) -> Any:
    kind = getattr(spec, "kind", None)
    if kind in ("path", "allow-all"):
        return spec.value
    if kind is not None:
        return spec.value  # an inline document or an infrastructure-code reference
    return spec


def layers_of(policies: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """A property's merged layers as a case's ``policies`` (``null`` for the others)."""
    if policies is None:
        return None
    out: Dict[str, Any] = {}
    for layer in _LAYERS:
        if layer not in policies:
            out[layer] = None
            continue
        value = policies[layer]
        if layer == "identity":
            out[layer] = [_source(s) for s in value]
            if len(out[layer]) == 1:
                out[layer] = out[layer][0]
        elif layer in ("scp", "rcp"):
            out[layer] = [[_source(s) for s in lvl] if len(lvl) > 1 else _source(lvl[0]) for lvl in value]
        else:
            out[layer] = _source(value)
    return out


def case_yaml(name: str, concrete: ConcreteRequest, expect: str,
              policies: Optional[Mapping[str, Any]] = None, endpoint_type: Optional[str] = None) -> str:
    case: Dict[str, Any] = {"name": name, "principal": concrete.principal, "action": concrete.action,
                            "resource": concrete.resource}
    if concrete.resource_account is not None:
        case["resource_account"] = concrete.resource_account
    context: Dict[str, Any] = dict(concrete.context)
    for key in concrete.absent:
        context[key] = None
    if context:
        case["context"] = context
    layers = layers_of(policies)
    if layers is not None:
        case["policies"] = layers
        if "endpoint" in policies and endpoint_type:
            case["endpoint_type"] = endpoint_type
    case["expect"] = expect
    text = yaml.safe_dump([case], sort_keys=False, default_flow_style=False, allow_unicode=True, width=100)
    return text.rstrip("\n")
