"""``{terraform: PATH, address: ..., attribute?: ..., variables?: {...}}`` sources.

PATH is a ``.tf`` file or a folder; either way the module is every ``.tf``
file of the folder, as Terraform reads it. Input variables take, in order of
precedence, the source's ``variables``, ``*.auto.tfvars`` files (lexical
order), ``terraform.tfvars``, and the variable's ``default``, as Terraform
does for a root module.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Tuple

from ..spec.pathkind import FILE, FOLDER, UNUSABLE, path_kind
from .errors import IacError, LoadedDocument
from .hcl import Block, Module, find_block, load_module, parse_file
from .hcl_eval import Evaluator
from .policy_text import document
from .tf_policy_document import render

#: the policy attribute of a resource type, when it is not ``policy``.
DEFAULT_ATTRIBUTES = {
    "aws_organizations_policy": "content",
    "aws_iam_role": "assume_role_policy",
}

_ADDRESS = re.compile(r"^(data\.)?([a-zA-Z][\w-]*)\.([a-zA-Z_][\w-]*)(?:\[(\d+|\"[^\"]*\")\])?$")


def label_maker(base_dir: Path) -> Callable[[Path], str]:
    """Paths in messages: relative to ``base_dir`` where possible, with ``/``."""
    import os

    def label(path: Path) -> str:
        try:
            return Path(os.path.relpath(path, base_dir)).as_posix()
        except ValueError:  # another drive
            return path.as_posix()

    return label


def load_tfvars(module: Module, label_of: Callable[[Path], str]) -> Dict[str, Tuple[Any, str]]:
    """Values from ``terraform.tfvars[.json]`` and ``*.auto.tfvars[.json]`` in the module folder."""
    folder = module.folder
    names = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if (folder / n).is_file()]
    names += sorted(n for n in (p.name for p in folder.iterdir())
                    if n.endswith(".auto.tfvars") or n.endswith(".auto.tfvars.json"))
    values: Dict[str, Tuple[Any, str]] = {}
    literal = Evaluator(Module(folder))
    for name in names:
        path, label = folder / name, label_of(folder / name)
        if name.endswith(".json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise IacError(label, None, f"cannot read the variables file: {err}") from None
            values.update({k: (v, label) for k, v in data.items()})
            continue
        _, attrs, blocks = parse_file(path, label, allow_attributes=True)
        for attr in attrs.values():
            values[attr.name] = (literal.attr(attr)[0], label)
    return values


def parse_address(address: Any, label: str) -> Tuple[str, Optional[Any]]:
    """``type.name``, ``data.type.name``, optional ``[index]`` -> (block address, index)."""
    match = _ADDRESS.match(str(address or ""))
    if not match:
        raise IacError(label, None, f"invalid address {address!r}: expected TYPE.NAME, "
                       "data.TYPE.NAME or module.NAME. before either")
    base = f"{match.group(1) or ''}{match.group(2)}.{match.group(3)}"
    index = match.group(4)
    if index is not None:
        index = index[1:-1] if index.startswith('"') else int(index)
    return base, index


def instance_env(ev: Evaluator, block: Block, address: str, index: Any) -> Dict[str, Any]:
    """``count.index`` or ``each.key``/``each.value`` for one instance of ``block``."""
    label = block.file.label
    if "count" in block.attrs:
        count, _ = ev.attr(block.attrs["count"])
        if not isinstance(count, int) or isinstance(count, bool):
            raise IacError(label, block.attrs["count"].line, f"{address}: count is not a number")
        if index is None and count == 1:
            raise IacError(label, block.line, f"{address} has count: address an instance, "
                           f"such as {address}[0]")
        if not isinstance(index, int) or not 0 <= index < count:
            raise IacError(label, block.line, f"{address} has count = {count}: no instance [{index}]"
                           if index is not None else f"{address} has count: address an instance, "
                           f"such as {address}[0]")
        return {"count": {"index": index}}
    if "for_each" in block.attrs:
        items, _ = ev.attr(block.attrs["for_each"])
        mapping = items if isinstance(items, dict) else {v: v for v in (items or [])}
        if index is None or str(index) not in mapping:
            keys = ", ".join(f'"{k}"' for k in sorted(mapping)) or "none"
            raise IacError(label, block.line, f"{address} has for_each: address an instance "
                           f"(keys: {keys})")
        return {"each": {"key": str(index), "value": mapping[str(index)]}}
    if index is not None:
        raise IacError(label, block.line, f"{address} has neither count nor for_each: "
                       f"drop the [{index}]")
    return {}


_MODULE_META = ("source", "version", "count", "for_each", "providers", "depends_on")
_MODULE_STEP = re.compile(r"^module\.([\w-]+)(?:\[(\d+|\"[^\"]*\")\])?\.(.+)$")


def _real(path: Path) -> Path:
    """``path`` with symbolic links followed. Not ``Path.resolve``, which raises
    RuntimeError on a link loop (Python 3.11); a loop here leads to no file."""
    return Path(os.path.realpath(path))


def descend(ev: Evaluator, address: str, load: Callable[[Path], Module]) -> Tuple[Evaluator, str]:
    """Follow ``module.NAME.`` steps of ``address`` through local module calls.

    Returns the evaluator of the innermost module, given the inputs its
    callers pass (an input that cannot be resolved is kept as its error and
    raised where it is used), and the address inside that module. Child
    modules read no ``*.tfvars`` files, as in Terraform.
    """
    match = _MODULE_STEP.match(address)
    while match:
        name, index, rest = match.group(1), match.group(2), match.group(3)
        block = ev.module.modules.get(name)
        if block is None:
            raise IacError(str(ev.module.folder.name), None, f"module.{name} is not declared in "
                           f"{ev.module.folder.name}/")
        label = block.file.label
        if "source" not in block.attrs:
            raise IacError(label, block.line, f"module.{name} has no source")
        source, _ = ev.attr(block.attrs["source"])
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            raise IacError(label, block.attrs["source"].line, f"module.{name} comes from {source!r}: "
                           "only local modules are read (use a terraform_plan source)")
        if index is not None:
            index = index[1:-1] if index.startswith('"') else int(index)
        env = instance_env(ev, block, f"module.{name}", index)
        inputs: Dict[str, Any] = {}
        for key, attr in block.attrs.items():
            if key not in _MODULE_META:
                try:
                    inputs[key] = ev.attr(attr, env)[0]
                except IacError as err:
                    inputs[key] = err
        try:
            child = load(_real(ev.module.folder / source))
        except OSError as err:  # a missing folder, a file, a link loop
            raise IacError(label, block.attrs["source"].line, f"module.{name}: cannot read the "
                           f"module folder {source!r} ({err.strerror})") from None
        ev = Evaluator(child, inputs)
        address = rest
        match = _MODULE_STEP.match(address)
    return ev, address


def open_module(spec: Dict[str, Any], base_dir: Path) -> Tuple[Evaluator, Callable[[Path], str]]:
    """The evaluator for the module a ``terraform`` source names."""
    label_of = label_maker(base_dir)
    target = _real(base_dir / str(spec["terraform"]))
    shown = str(spec["terraform"])
    kind, why = path_kind(target)
    if kind == FOLDER:
        folder = target
    elif kind == FILE:
        folder = target.parent
    elif kind == UNUSABLE:
        raise IacError(shown, None, why)
    else:
        raise IacError(shown, None, "no such Terraform file or folder")
    module = load_module(folder, label_of)
    if not module.files:
        raise IacError(shown, None, "no .tf files in this folder")
    variables = spec.get("variables") or {}
    if not isinstance(variables, dict):
        raise IacError(shown, None, "'variables' must be a mapping of variable names to values")
    unknown = sorted(set(variables) - set(module.variables))
    if unknown:
        raise IacError(shown, None, f"'variables' sets {', '.join(unknown)}, which the module "
                       f"does not declare (declared: {', '.join(sorted(module.variables)) or 'none'})")
    return Evaluator(module, variables, load_tfvars(module, label_of)), label_of


def resolve_terraform(spec: Dict[str, Any], base_dir: Path) -> LoadedDocument:
    ev, label_of = open_module(spec, base_dir)
    shown = str(spec["terraform"])
    ev, local_address = descend(ev, str(spec.get("address") or ""),
                                lambda folder: load_module(folder, label_of))
    address, index = parse_address(local_address, shown)
    block = find_block(ev.module, address)
    if block is None:
        kind = "data source" if address.startswith("data.") else "resource"
        raise IacError(shown, None, f"no {kind} {address} in {ev.module.folder.name}/")
    label = block.file.label
    given = str(spec.get("address"))
    prefix = given[: len(given) - len(local_address)]  # the module.NAME. steps, if any
    full = prefix + (address if index is None else f"{address}[{json.dumps(index)}]")
    env = instance_env(ev, block, address, index)
    if block.type == "data":
        if block.labels[0] != "aws_iam_policy_document":
            raise IacError(label, block.line, f"{address} is read at plan time; only "
                           "aws_iam_policy_document data sources are rendered")
        doc, locs = render(ev, block)
        doc, locs = document(doc, locs, label, block.line, f"{full}.json")
        return LoadedDocument(doc, locs, f"{label}:{block.line} {full}")
    name = str(spec.get("attribute") or DEFAULT_ATTRIBUTES.get(block.labels[0], "policy"))
    attr = block.attrs.get(name)
    if attr is None:
        raise IacError(label, block.line, f"{full} sets no {name} attribute")
    value, locs = ev.attr(attr, env)
    doc, locs = document(value, locs, label, attr.line, f"{full}.{name}")
    return LoadedDocument(doc, locs, f"{label}:{attr.line} {full}.{name}")
