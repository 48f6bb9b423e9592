"""What a Terraform reference (``var.x``, ``local.y``, ``data.t.n.a``, ``t.n.a``) resolves to.

Only values fixed by the configuration are returned. A reference to
something Terraform learns later (an attribute computed at apply time, a data
source other than ``aws_iam_policy_document``, a module output) is an
:class:`IacError` that names the expression.
"""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

from . import locs as L
from .errors import IacError, unresolvable

_NOT_STATIC_ROOTS = {
    "module": "module outputs are not read from configuration; use a terraform_plan source",
    "path": "it depends on where Terraform runs",
    "terraform": "it depends on where Terraform runs",
    "self": "it refers to the resource being created",
}


def _attr_steps(steps: List[Tuple[str, Any]], count: int) -> List[str]:
    names = []
    for kind, arg in steps[:count]:
        if kind != "attr":
            break
        names.append(arg)
    return names


def resolve_root(ev, name: str, steps, text: str, line: int, ctx, env: Dict[str, Any]):
    """Resolve the root ``name`` and its first steps; returns (value, locs, steps used)."""
    label = ctx.file.label
    if name == "var":
        return _variable(ev, _attr_steps(steps, 1), text, line, label) + (1,)
    if name == "local":
        names = _attr_steps(steps, 1)
        if not names or names[0] not in ev.module.locals:
            shown = f"local.{names[0]}" if names else text
            raise IacError(label, line, f"{shown} is not declared in {ev.module.folder.name}/", shown)
        attr = ev.module.locals[names[0]]
        value, _ = ev.guarded(f"local.{names[0]}", line, label, lambda: ev.attr(attr))
        return value, L.at(line), 1
    if name == "data":
        return _data(ev, _attr_steps(steps, 3), text, line, ctx)
    if name in _NOT_STATIC_ROOTS:
        raise unresolvable(label, line, text, _NOT_STATIC_ROOTS[name])
    if name in ("count", "each"):
        raise IacError(label, line, f"{text} is used outside a resource with "
                       f"{'count' if name == 'count' else 'for_each'}", text)
    names = _attr_steps(steps, 2)
    if names and (name, names[0]) in ev.module.resources:
        return _resource_attribute(ev, name, names, steps, text, line, label)
    if any(block_type == name for block_type, _ in ev.module.resources) or "_" in name:
        shown = ".".join([name] + names[:1])
        raise IacError(label, line, f"{shown} is not declared in {ev.module.folder.name}/", shown)
    raise IacError(label, line, f"unknown name {name!r} in {text}", text)


def _variable(ev, names: List[str], text: str, line: int, label: str):
    if not names:
        raise IacError(label, line, f"{text}: expected var.NAME", text)
    var = names[0]
    shown = f"var.{var}"
    block = ev.module.variables.get(var)
    if block is None:
        raise IacError(label, line, f"{shown} is not declared (no variable {var!r} block in "
                       f"{ev.module.folder.name}/)", shown)
    if var in ev.variables:
        value = ev.variables[var]
        if isinstance(value, IacError):  # a module input that could not be resolved
            raise unresolvable(label, line, shown, f"its module input: {value}")
        return value, L.at(line)
    if var in ev.tfvars:
        return ev.tfvars[var][0], L.at(line)
    default = block.attrs.get("default")
    if default is None:
        raise unresolvable(label, line, shown, "no default and not set in 'variables'")
    value, _ = ev.guarded(shown, line, label, lambda: ev.attr(default))
    return value, L.at(line)


def _data(ev, names: List[str], text: str, line: int, ctx):
    label = ctx.file.label
    if len(names) < 2:
        raise IacError(label, line, f"{text}: expected data.TYPE.NAME", text)
    block = ev.module.data.get((names[0], names[1]))
    shown = "data." + ".".join(names)
    if block is None:
        decl = "data." + ".".join(names[:2])
        raise IacError(label, line, f"{decl} is not declared in {ev.module.folder.name}/", decl)
    if names[0] != "aws_iam_policy_document":
        raise unresolvable(label, line, shown, "data sources are read at plan time")
    if len(names) < 3 or names[2] not in ("json", "minified_json"):
        raise unresolvable(label, line, shown, "only the json attribute of a policy document is read")
    from .tf_policy_document import render_json

    text_value = ev.guarded(f"data.aws_iam_policy_document.{names[1]}", line, label,
                            lambda: (render_json(ev, block), None))[0]
    if block.file is not ctx.file:  # written in another file: point at the reference
        text_value = type(text_value)(text_value.doc, L.expand(text_value.doc, L.at(line)))
    return text_value, L.at(line), 3


def _resource_attribute(ev, rtype: str, names: List[str], steps, text: str, line: int, label: str):
    block = ev.module.resources[(rtype, names[0])]
    address = f"{rtype}.{names[0]}"
    if "count" in block.attrs or "for_each" in block.attrs:
        raise unresolvable(label, line, text, f"{address} uses count or for_each")
    if len(names) < 2:
        raise unresolvable(label, line, text, f"{address} is only known after apply")
    attr = block.attrs.get(names[1])
    if attr is None:
        raise unresolvable(label, line, f"{address}.{names[1]}",
                           "not set in the configuration: known only after apply")
    value, _ = ev.guarded(f"{address}.{names[1]}", line, label, lambda: ev.attr(attr))
    return value, L.at(line), 2
