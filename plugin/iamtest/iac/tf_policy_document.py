"""``data "aws_iam_policy_document"`` blocks rendered to the JSON Terraform produces.

Follows the AWS provider's rendering: ``effect`` defaults to ``Allow`` and
``version`` to ``2012-10-17``; string sets are de-duplicated and written as one
string when they hold one value, otherwise in reverse lexical order; a single
``principals { type = "*", identifiers = ["*"] }`` becomes ``"Principal": "*"``;
principals of one type and conditions on one test and variable are merged;
``&{...}`` becomes the IAM policy variable ``${...}`` in resources, principals
and condition values; ``source_policy_documents`` are merged first, then the
document's own statements, then ``override_policy_documents`` (a statement
with the ``Sid`` of an earlier one replaces it). ``dynamic`` blocks expand in
place.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from . import jsonloc, locs as L
from .errors import IacError
from .hcl import Block
from .hcl_eval import Ctx, Evaluator
from .hcl_functions import JsonText, to_string, FunctionError

Statement = Tuple[Dict[str, Any], L.Locs]
_VERSIONS = ("2008-10-17", "2012-10-17")


def _expand(ev: Evaluator, parent: Block, kind: str, env: Dict[str, Any]) -> List[Tuple[Block, Dict[str, Any]]]:
    """The ``kind`` sub-blocks of ``parent``, with ``dynamic "kind"`` blocks expanded in place."""
    out: List[Tuple[Block, Dict[str, Any]]] = []
    for block in parent.blocks:
        if block.type == kind:
            out.append((block, env))
        elif block.type == "dynamic" and block.labels == (kind,):
            contents = block.children("content")
            if "for_each" not in block.attrs or len(contents) != 1:
                raise IacError(block.file.label, block.line,
                               f'dynamic "{kind}" needs for_each and one content block')
            items, _ = ev.attr(block.attrs["for_each"], env)
            iterator = kind
            if "iterator" in block.attrs:
                iterator = Ctx(block.file, block.file.text).source(block.attrs["iterator"].expr)
            if isinstance(items, dict):
                pairs = [(k, items[k]) for k in sorted(items)]
            elif isinstance(items, list):
                pairs = [(v, v) for v in items]  # a set: key and value are the element
            else:
                raise IacError(block.file.label, block.attrs["for_each"].line,
                               f'dynamic "{kind}": for_each must be a map or a set')
            for key, value in pairs:
                out.append((contents[0], {**env, iterator: {"key": key, "value": value}}))
    return out


def _strings(ev: Evaluator, block: Block, name: str, env: Dict[str, Any]) -> Optional[List[Tuple[str, int]]]:
    """A list-of-strings attribute as (value, line) pairs, or None when unset or null."""
    attr = block.attrs.get(name)
    if attr is None:
        return None
    value, locs = ev.attr(attr, env)
    if value is None:
        return None
    if not isinstance(value, list):
        raise IacError(block.file.label, attr.line, f"{name} must be a list of strings")
    out = []
    for i, item in enumerate(value):
        try:
            text = to_string(item)
        except FunctionError:
            raise IacError(block.file.label, attr.line, f"{name}[{i}] is not a string") from None
        out.append((text, L.nested(locs, i).get((), attr.line)))
    return out


def _string(ev: Evaluator, block: Block, name: str, env: Dict[str, Any], default: Any = None) -> Any:
    attr = block.attrs.get(name)
    if attr is None:
        return default
    value, _ = ev.attr(attr, env)
    return default if value is None else to_string(value)


def _policy_variables(text: str, version: str, label: str, line: int) -> str:
    if "&{" in text and version == "2008-10-17":
        raise IacError(label, line, f"&{{ in {text!r} needs version 2012-10-17")
    return text.replace("&{", "${")


def _set(items: List[Tuple[str, int]], fix: bool, version: str, label: str) -> Tuple[Any, L.Locs]:
    """A string set as Terraform writes it: one string, or a reverse-sorted list."""
    first_line: Dict[str, int] = {}
    for text, line in items:
        text = _policy_variables(text, version, label, line) if fix else text
        first_line.setdefault(text, line)
    if len(first_line) == 1:
        (text, line), = first_line.items()
        return text, {(): line}
    ordered = sorted(first_line, reverse=True)
    return ordered, {(i,): first_line[text] for i, text in enumerate(ordered)}


def _principals(ev: Evaluator, stmt: Block, kind: str, env: Dict[str, Any], version: str) -> Optional[Tuple[Any, L.Locs]]:
    blocks = _expand(ev, stmt, kind, env)
    if not blocks:
        return None
    entries = []
    for block, benv in blocks:
        ptype = _string(ev, block, "type", benv)
        idents = _strings(ev, block, "identifiers", benv)
        if ptype is None or idents is None:
            raise IacError(block.file.label, block.line, f"{kind} needs type and identifiers")
        entries.append((ptype, _set(idents, True, version, block.file.label), block.line))
    if len(entries) == 1 and entries[0][0] == "*" and entries[0][1][0] in ("*", ["*"]):
        return "*", {(): entries[0][2]}
    out: Dict[str, Any] = {}
    lines: Dict[str, List[int]] = {}
    locs: L.Locs = {(): entries[0][2]}
    for ptype, (idents, sub), line in entries:
        new = [idents] if isinstance(idents, str) else idents
        new_lines = [sub[()]] if isinstance(idents, str) else [sub[(i,)] for i in range(len(idents))]
        if ptype not in out:
            out[ptype] = idents
            lines[ptype] = new_lines
            locs[(ptype,)] = line
        else:
            current = out[ptype]
            out[ptype] = ([current] if isinstance(current, str) else current) + new
            lines[ptype] = lines[ptype] + new_lines
    for ptype, value in out.items():
        if isinstance(value, list):
            locs.update({(ptype, i): line for i, line in enumerate(lines[ptype])})
    return out, locs


def _conditions(ev: Evaluator, stmt: Block, env: Dict[str, Any], version: str) -> Optional[Tuple[Any, L.Locs]]:
    blocks = _expand(ev, stmt, "condition", env)
    if not blocks:
        return None
    out: Dict[str, Dict[str, Any]] = {}
    locs: L.Locs = {(): blocks[0][0].line}
    for block, benv in blocks:
        test, variable = _string(ev, block, "test", benv), _string(ev, block, "variable", benv)
        values = _strings(ev, block, "values", benv)
        if test is None or variable is None or values is None:
            raise IacError(block.file.label, block.line, "condition needs test, variable and values")
        texts = [_policy_variables(v, version, block.file.label, line) for v, line in values]
        var_line = block.attrs["variable"].line
        locs.setdefault((test,), block.line)
        locs.setdefault((test, variable), var_line)
        per_test = out.setdefault(test, {})
        if len(texts) == 1:
            per_test[variable] = texts[0]
            continue
        existing = per_test.get(variable)
        existing = [] if existing is None else ([existing] if isinstance(existing, str) else existing)
        for i, (_, line) in enumerate(values):
            locs[(test, variable, len(existing) + i)] = line
        per_test[variable] = existing + texts
    return out, locs


def _statement(ev: Evaluator, block: Block, env: Dict[str, Any], version: str) -> Statement:
    label = block.file.label
    stmt: Dict[str, Any] = {}
    locs: L.Locs = {(): block.line}
    sid = _string(ev, block, "sid", env, "")
    if not re.fullmatch(r"[A-Za-z0-9]*", sid):
        raise IacError(label, block.attrs["sid"].line, f"sid {sid!r} must be alphanumeric")
    stmt["Sid"] = sid
    if "sid" in block.attrs:
        locs[("Sid",)] = block.attrs["sid"].line
    effect = _string(ev, block, "effect", env, "Allow")
    if effect not in ("Allow", "Deny"):
        raise IacError(label, block.attrs["effect"].line, f"effect {effect!r} must be Allow or Deny")
    stmt["Effect"] = effect
    locs[("Effect",)] = block.attrs["effect"].line if "effect" in block.attrs else block.line
    for attr, key, fix in (("actions", "Action", False), ("not_actions", "NotAction", False),
                           ("resources", "Resource", True), ("not_resources", "NotResource", True)):
        items = _strings(ev, block, attr, env)
        if items:
            stmt[key], sub = _set(items, fix, version, label)
            locs.update(L.under(sub, key))
            locs[(key,)] = block.attrs[attr].line
    for kind, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        rendered = _principals(ev, block, kind, env, version)
        if rendered is not None:
            stmt[key] = rendered[0]
            locs.update(L.under(rendered[1], key))
    rendered = _conditions(ev, block, env, version)
    if rendered is not None:
        stmt["Condition"] = rendered[0]
        locs.update(L.under(rendered[1], "Condition"))
    return stmt, locs


def _documents(ev: Evaluator, block: Block, names: Tuple[str, ...]) -> List[Tuple[Dict[str, Any], L.Locs]]:
    """The JSON documents listed in ``source_policy_documents`` or ``override_policy_documents``."""
    out = []
    for name in names:
        attr = block.attrs.get(name)
        if attr is None:
            continue
        value, locs = ev.attr(attr)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if item is None or item == "":
                continue
            line = L.nested(locs, i).get((), attr.line) if isinstance(value, list) else attr.line
            if isinstance(item, JsonText):
                doc, dlocs = item.doc, item.locs
            elif isinstance(item, str):
                try:
                    doc, _ = jsonloc.loads(item)
                except jsonloc.JsonSyntaxError as err:
                    raise IacError(block.file.label, line, f"{name}[{i}]: {err}") from None
                dlocs = L.expand(doc, L.at(line))
            else:
                raise IacError(block.file.label, line, f"{name}[{i}] must be a JSON string")
            if not isinstance(doc, dict):
                raise IacError(block.file.label, line, f"{name}[{i}] is not a policy document")
            out.append((doc, dlocs))
    return out


def _merge(merged: Dict[str, Any], statements: List[Statement], doc: Dict[str, Any],
           doc_stmts: List[Statement]) -> None:
    """The provider's merge: adopt Id, keep the newer Version, replace statements by Sid."""
    if doc.get("Id"):
        merged["Id"] = doc["Id"]
    if str(doc.get("Version", "")) > merged.get("Version", ""):
        merged["Version"] = str(doc["Version"])
    for stmt, locs in doc_stmts:
        sid = stmt.get("Sid", "") if isinstance(stmt, dict) else ""
        for i, (existing, _) in enumerate(statements):
            if sid and isinstance(existing, dict) and existing.get("Sid", "") == sid:
                statements[i] = (stmt, locs)
                break
        else:
            statements.append((stmt, locs))


def _doc_statements(doc: Dict[str, Any], locs: L.Locs) -> List[Statement]:
    raw = doc.get("Statement", [])
    stmts = raw if isinstance(raw, list) else [raw]
    stmt_locs = L.nested(locs, "Statement")
    if not isinstance(raw, list):
        return [(stmts[0], stmt_locs)]
    return [(s, L.nested(stmt_locs, i)) for i, s in enumerate(stmts)]


def render(ev: Evaluator, block: Block) -> Tuple[Dict[str, Any], L.Locs]:
    """The policy document of a ``data "aws_iam_policy_document"`` block and its lines."""
    label = block.file.label
    version = _string(ev, block, "version", {}, "2012-10-17")
    if version not in _VERSIONS:
        raise IacError(label, block.attrs["version"].line, f"version {version!r} must be one of {_VERSIONS}")
    merged: Dict[str, Any] = {}
    statements: List[Statement] = []
    seen_sids: Dict[str, int] = {}
    for doc, dlocs in _documents(ev, block, ("source_policy_documents", "source_json")):
        for stmt, slocs in _doc_statements(doc, dlocs):
            sid = stmt.get("Sid", "") if isinstance(stmt, dict) else ""
            if sid and sid in seen_sids:
                raise IacError(label, slocs.get((), block.line),
                               f"duplicate Sid {sid!r} in source_policy_documents")
            seen_sids[sid] = 1
        _merge(merged, statements, doc, _doc_statements(doc, dlocs))
    own: Dict[str, Any] = {"Version": version}
    policy_id = _string(ev, block, "policy_id", {})
    if policy_id:
        own["Id"] = policy_id
    own_stmts = [_statement(ev, b, env, version) for b, env in _expand(ev, block, "statement", {})]
    sids: Dict[str, int] = {}
    for stmt, slocs in own_stmts:
        if stmt["Sid"] and stmt["Sid"] in sids:
            raise IacError(label, slocs[()], f"duplicate Sid {stmt['Sid']!r} (also at line {sids[stmt['Sid']]})")
        sids[stmt["Sid"]] = slocs[()]
    _merge(merged, statements, own, own_stmts)
    for doc, dlocs in _documents(ev, block, ("override_policy_documents", "override_json")):
        _merge(merged, statements, doc, _doc_statements(doc, dlocs))
    out: Dict[str, Any] = {}
    locs: L.Locs = {(): block.line}
    if merged.get("Version"):
        out["Version"] = merged["Version"]
        locs[("Version",)] = block.attrs["version"].line if "version" in block.attrs else block.line
    if merged.get("Id"):
        out["Id"] = merged["Id"]
    out["Statement"] = [stmt for stmt, _ in statements]
    locs[("Statement",)] = statements[0][1].get((), block.line) if statements else block.line
    for i, (_, slocs) in enumerate(statements):
        locs.update(L.under(L.under(slocs, i), "Statement"))
    return out, locs


def render_json(ev: Evaluator, block: Block) -> JsonText:
    """The block's ``json`` attribute: the document as text that keeps its lines."""
    doc, locs = render(ev, block)
    return JsonText(doc, L.expand(doc, locs))
