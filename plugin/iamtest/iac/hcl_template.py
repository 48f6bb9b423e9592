"""HCL string templates: literal text and ``${ ... }`` interpolations.

The grammar keeps a quoted string or a heredoc as one token; this module
splits it into parts, undoes escapes (``\\n``, ``\\"``, ``$${`` for a literal
``${``, ``%%{`` for a literal ``%{``) and reports where each interpolation
starts so it can be parsed and evaluated with the right line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple, Union

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


@dataclass(frozen=True)
class Interpolation:
    source: str   # the expression text between ``${`` and ``}``
    line: int     # the line it starts on
    strip_left: bool = False
    strip_right: bool = False


@dataclass(frozen=True)
class Directive:
    source: str
    line: int


Part = Union[str, Interpolation, Directive]


class TemplateSyntaxError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _close(text: str, pos: int, line: int) -> int:
    """Index of the ``}`` closing the interpolation whose body starts at ``pos``."""
    depth, quote = 0, False
    while pos < len(text):
        char = text[pos]
        if quote:
            if char == "\\":
                pos += 1
            elif char == '"':
                quote = False
        elif char == '"':
            quote = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    raise TemplateSyntaxError("unclosed ${ in a string", line)


def split(text: str, line: int, escapes: bool) -> List[Part]:
    """Split template ``text`` (without quotes) starting on ``line``.

    ``escapes`` is true for quoted strings, false for heredocs (which keep
    backslashes as written).
    """
    parts: List[Part] = []
    buf: List[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "\n":
            line += 1
        if escapes and char == "\\" and pos + 1 < len(text):
            nxt = text[pos + 1]
            if nxt in _ESCAPES:
                buf.append(_ESCAPES[nxt])
                pos += 2
                continue
            if nxt in "uU":
                width = 4 if nxt == "u" else 8
                digits = text[pos + 2: pos + 2 + width]
                if re.fullmatch(r"[0-9a-fA-F]+", digits or "") and len(digits) == width:
                    buf.append(chr(int(digits, 16)))
                    pos += 2 + width
                    continue
            raise TemplateSyntaxError(f"invalid escape sequence \\{nxt}", line)
        if text.startswith("$${", pos) or text.startswith("%%{", pos):
            buf.append(text[pos + 1: pos + 3])
            pos += 3
            continue
        if text.startswith("${", pos) or text.startswith("%{", pos):
            end = _close(text, pos + 2, line)
            body = text[pos + 2: end]
            if buf:
                parts.append("".join(buf))
                buf = []
            if char == "%":
                parts.append(Directive(body.strip(), line))
            else:
                left, right = body.startswith("~"), body.endswith("~")
                parts.append(Interpolation(body[1 if left else 0: len(body) - (1 if right else 0)],
                                           line, left, right))
            line += body.count("\n")
            pos = end + 1
            continue
        buf.append(char)
        pos += 1
    if buf:
        parts.append("".join(buf))
    return _strip(parts)


def _strip(parts: List[Part]) -> List[Part]:
    """Apply ``~`` strip markers: they remove whitespace from the adjacent literal."""
    out = list(parts)
    for i, part in enumerate(out):
        if not isinstance(part, Interpolation):
            continue
        if part.strip_left and i > 0 and isinstance(out[i - 1], str):
            out[i - 1] = out[i - 1].rstrip()
        if part.strip_right and i + 1 < len(out) and isinstance(out[i + 1], str):
            out[i + 1] = out[i + 1].lstrip()
    return out


_HEREDOC_HEAD = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\n")


def _heredoc_parts(token: str) -> Optional[Tuple[bool, str]]:
    """(indented, body) of ``<<[-]NAME\\n BODY [\\n][blanks] NAME [whitespace]``, the
    body as short as the end allows; None when the token has another shape.
    Read by slicing rather than with one regular expression, whose lazy body
    retried the blanks before the closing name at every position (quadratic
    in a body of blanks)."""
    head = _HEREDOC_HEAD.match(token)
    if head is None:
        return None
    name = head.group(2)
    rest = token[head.end():].rstrip()
    if not rest.endswith(name):
        return None
    body = rest[:len(rest) - len(name)].rstrip(" \t")
    if body.endswith("\n"):
        body = body[:-1]
    return bool(head.group(1)), body


def heredoc(token: str) -> Tuple[str, bool]:
    """The body of a heredoc token (``<<EOT`` ... ``EOT``), with its final newline.

    Returns the text and whether it was ``<<-`` (indented: common leading
    whitespace removed from every line).
    """
    parts = _heredoc_parts(token)
    if parts is None:
        raise TemplateSyntaxError("malformed heredoc", 0)
    trim, body = parts
    lines = body.split("\n")
    if trim:
        widths = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
        cut = min(widths) if widths else 0
        lines = [ln[cut:] for ln in lines]
    return "\n".join(lines) + "\n", trim
