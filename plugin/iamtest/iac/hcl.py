"""Terraform files to blocks and attributes, each with its file and line.

The grammar is the one bc-python-hcl2 ships (the HCL parser checkov itself
uses, so installing both never pulls two different ``hcl2`` packages). Its
dictionary transformer flattens expressions into strings and keeps lines only
for blocks, so this module reads the raw syntax tree instead and leaves every
expression as a tree for :mod:`iamtest.iac.hcl_eval` to evaluate.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .errors import IacError


@functools.lru_cache(maxsize=1)
def parser():
    """The Lark parser for HCL, with ``expression`` as a second start symbol."""
    try:
        import hcl2  # provided by bc-python-hcl2
        from lark import Lark
    except ImportError as err:  # pragma: no cover - a dependency of the package
        raise RuntimeError(
            "reading Terraform needs the bc-python-hcl2 package: pip install bc-python-hcl2"
        ) from err
    grammar = (Path(hcl2.__file__).parent / "hcl2.lark").read_text(encoding="utf-8")
    return Lark(linear_strings(grammar), parser="lalr", propagate_positions=True,
                start=["start", "expression"])


#: Terminals of the grammar that backtrack without bound, rewritten to match
#: the same texts in linear time:
#:
#: * the string terminals nest repetitions (``(chars+)+`` inside ``(...)*``),
#:   so a string that never closes (``"a${b ...``) sends the regular-expression
#:   engine through exponentially many ways of splitting it (a 6-line file
#:   hung the parser for minutes). Rewritten so that at each character at
#:   most one alternative can match (their first characters are disjoint).
#: * the heredoc terminals end with ``\n+\s*NAME``, where both repetitions
#:   take newlines: a heredoc that never ends, over a run of blank lines,
#:   tries every split of the run at every line (2,000 blank lines took 23 s).
#:   ``\n[^\S\n]*NAME`` (the last newline, then blanks that are not newlines)
#:   accepts the same texts, and the lazy body before it stops at the same
#:   place: the first NAME after a newline and blanks.
_LINEAR_TERMINALS = {
    r'STRING_LIT : "\"" (STRING_CHARS | INTERPOLATION)* "\""':
        r'STRING_LIT : "\"" (/[^"\\$]/ | /\\./ | /\$(?!\{)/ | INTERPOLATION)* "\""',
    r'INTERPOLATION : "${" (/(?:(?!\${)([^}"]))+/ | NESTED_QUOTES | NESTED_INTERPOLATION)+ "}"':
        r'INTERPOLATION : "${" (/[^}"$]/ | /\$(?!\{)/ | NESTED_QUOTES | NESTED_INTERPOLATION)+ "}"',
    r'heredoc_template : /<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]+)\n(?:.|\n)+?\n+\s*(?P=heredoc)/':
        r'heredoc_template : /<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]+)\n(?:.|\n)+?\n[^\S\n]*(?P=heredoc)/',
    r'heredoc_template_trim : /<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]+)\n(?:.|\n)+?\n+\s*(?P=heredoc_trim)/':
        r'heredoc_template_trim : /<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]+)\n(?:.|\n)+?\n[^\S\n]*(?P=heredoc_trim)/',
}


def linear_strings(grammar: str) -> str:
    """``grammar`` with the terminals of ``_LINEAR_TERMINALS`` rewritten.
    A grammar without them as expected is an error, never parsed as it is."""
    for old, new in _LINEAR_TERMINALS.items():
        if old not in grammar:
            raise RuntimeError("the hcl2 grammar of this bc-python-hcl2 version is not the one "
                               f"iamtest knows (no line {old!r}); its terminals would not "
                               "be made linear")
        grammar = grammar.replace(old, new)
    return grammar


@dataclass
class SourceFile:
    """One ``.tf`` file: ``label`` is the path shown in messages."""

    path: Path
    label: str
    text: str


@dataclass
class Attr:
    name: str
    expr: object  # a lark Tree
    line: int
    file: SourceFile


@dataclass
class Block:
    type: str
    labels: Tuple[str, ...]
    attrs: Dict[str, Attr]
    blocks: List["Block"]
    line: int
    file: SourceFile

    def children(self, block_type: str) -> List["Block"]:
        return [b for b in self.blocks if b.type == block_type]

    @property
    def address(self) -> str:
        """``TYPE.NAME`` for a resource, ``data.TYPE.NAME`` for a data source."""
        if self.type == "resource":
            return ".".join(self.labels)
        return ".".join((self.type,) + self.labels)


@dataclass
class Module:
    """The top-level blocks of every ``.tf`` file in one folder."""

    folder: Path
    files: List[SourceFile] = field(default_factory=list)
    variables: Dict[str, Block] = field(default_factory=dict)
    locals: Dict[str, Attr] = field(default_factory=dict)
    resources: Dict[Tuple[str, str], Block] = field(default_factory=dict)
    data: Dict[Tuple[str, str], Block] = field(default_factory=dict)
    modules: Dict[str, Block] = field(default_factory=dict)


def parse_text(text: str, source: SourceFile, start: str = "start", first_line: int = 1):
    """Parse HCL ``text`` (a file, or an expression when ``start="expression"``)."""
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return parser().parse(text + "\n", start=start)
    except UnexpectedInput as err:
        line = (getattr(err, "line", 1) or 1) + first_line - 1
        raise IacError(source.label, line, "invalid HCL syntax") from None
    except LarkError as err:  # pragma: no cover - other parser failures
        raise IacError(source.label, first_line, f"invalid HCL syntax: {err}") from None


def _name(tree) -> str:
    """The text of an ``identifier`` tree or a quoted label token."""
    if hasattr(tree, "data"):
        return str(tree.children[0])
    text = str(tree)
    return text[1:-1] if text.startswith('"') and text.endswith('"') else text


def _body(body, source: SourceFile) -> Tuple[Dict[str, Attr], List[Block]]:
    attrs: Dict[str, Attr] = {}
    blocks: List[Block] = []
    for item in body.children:
        if not hasattr(item, "data"):
            continue
        if item.data == "attribute":
            name = _name(item.children[0])
            if name in attrs:
                raise IacError(source.label, item.meta.line,
                               f"attribute {name!r} is set twice (first at line {attrs[name].line})")
            attrs[name] = Attr(name, item.children[1], item.meta.line, source)
        elif item.data == "block":
            parts = [c for c in item.children if not (hasattr(c, "data") and c.data == "body")]
            inner = [c for c in item.children if hasattr(c, "data") and c.data == "body"]
            sub_attrs, sub_blocks = _body(inner[0], source) if inner else ({}, [])
            blocks.append(Block(_name(parts[0]), tuple(_name(p) for p in parts[1:]),
                                sub_attrs, sub_blocks, item.meta.line, source))
    return attrs, blocks


def parse_file(path: Path, label: str,
               allow_attributes: bool = False) -> Tuple[SourceFile, Dict[str, Attr], List[Block]]:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IacError(label, None, f"cannot read the file: {err.strerror}") from None
    try:
        text = data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        raise IacError(label, data.count(b"\n", 0, err.start) + 1,
                       f"not UTF-8 text ({err.reason} at byte {err.start})") from None
    source = SourceFile(path, label, text)
    tree = parse_text(text, source)
    body = tree.children[0] if tree.children else None
    attrs, blocks = _body(body, source) if body is not None else ({}, [])
    if attrs and not allow_attributes:
        first = min(attrs.values(), key=lambda a: a.line)
        raise IacError(label, first.line, f"unexpected top-level attribute {first.name!r}")
    return source, attrs, blocks


def _declare(table: dict, key, block: Block, what: str) -> None:
    if key in table:
        first = table[key]
        raise IacError(block.file.label, block.line,
                       f"{what} is declared twice (also at {first.file.label}:{first.line})")
    table[key] = block


def load_module(folder: Path, label_of) -> Module:
    """Read every ``*.tf`` file in ``folder``; ``label_of(path)`` names a file in messages."""
    module = Module(folder)
    names = sorted(n for n in os.listdir(folder) if n.endswith(".tf"))
    for name in names:
        path = folder / name
        source, _, blocks = parse_file(path, label_of(path))
        module.files.append(source)
        for block in blocks:
            kind, labels = block.type, block.labels
            if kind == "variable" and len(labels) == 1:
                _declare(module.variables, labels[0], block, f"variable {labels[0]!r}")
            elif kind == "locals":
                for attr in block.attrs.values():
                    _declare(module.locals, attr.name, attr, f"local.{attr.name}")
            elif kind == "resource" and len(labels) == 2:
                _declare(module.resources, labels, block, ".".join(labels))
            elif kind == "data" and len(labels) == 2:
                _declare(module.data, labels, block, "data." + ".".join(labels))
            elif kind == "module" and len(labels) == 1:
                _declare(module.modules, labels[0], block, f"module.{labels[0]}")
    return module


def find_block(module: Module, address: str) -> Optional[Block]:
    """The resource or data block at ``address`` (``type.name`` or ``data.type.name``)."""
    parts = address.split(".")
    if len(parts) == 3 and parts[0] == "data":
        return module.data.get((parts[1], parts[2]))
    if len(parts) == 2:
        return module.resources.get((parts[0], parts[1]))
    return None
