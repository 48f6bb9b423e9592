"""The last step of every reader: a policy attribute's value to a document and its lines.

Checks what every form shares: the value is a JSON object, and no
substitution (``${var.x}``, ``${AWS::Region}``, ``${Bucket}``) is left in it
as text, since AWS would read it literally and a test would then match it
like a pattern. IAM policy variables (``${aws:username}``) stay.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Tuple

from . import jsonloc, locs as L
from .errors import IacError
from .hcl_functions import JsonText

_SUBSTITUTION = re.compile(r"\$\{([^}]*)\}")
# ${aws:username}, ${aws:PrincipalTag/team, 'default'}, ${*}, ${?}, ${$}. The trailing
# blanks are matched only where nothing before them could take them too (a key's
# name [^,:]* takes its own): two runs that both take blanks are quadratic on a failure.
_POLICY_VARIABLE = re.compile(r"\s*(?:[*?$]\s*|[A-Za-z0-9_.-]+:(?!:)[^,:]*(?:,\s*'[^']*'\s*)?)")


def _check_text(value: Any, locs: L.Locs, label: str, path: tuple = ()) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(item, locs, label, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_text(item, locs, label, path + (i,))
    elif isinstance(value, str):
        for match in _SUBSTITUTION.finditer(value):
            if not _POLICY_VARIABLE.fullmatch(match.group(1)):
                where = "/".join(str(p) for p in path) or "the document"
                raise IacError(label, locs.get(path, locs.get((), None)),
                               f"{match.group(0)} is left as text in {where}: it is not an IAM "
                               "policy variable and would not be substituted", match.group(0))


def normalize_statement_paths(doc: Dict[str, Any], locs: L.Locs) -> L.Locs:
    """Paths into a single-object ``Statement`` use index 0, as for a list."""
    if not isinstance(doc.get("Statement"), dict):
        return locs
    out: L.Locs = {}
    for path, line in locs.items():
        if len(path) >= 2 and path[0] == "Statement":
            out[("Statement", 0) + path[1:]] = line
        else:
            out[path] = line
    if ("Statement",) in locs:
        out.setdefault(("Statement", 0), locs[("Statement",)])
    return out


def document(value: Any, locs: L.Locs, label: str, line: int, what: str) -> Tuple[Dict[str, Any], L.Locs]:
    """The policy document held by ``value`` (JSON text, or an already-structured object).

    ``locs`` is the value's line map; for a string not marked ``FIXED`` its
    ``()`` line is where the text starts, so JSON lines map to file lines.
    """
    if isinstance(value, JsonText):
        doc, doc_locs = value.doc, value.locs
    elif isinstance(value, str):
        fixed = L.FIXED in locs or L.TEXT not in locs
        start = locs.get(L.TEXT, locs.get((), line))
        try:
            doc, doc_locs = jsonloc.loads(value, first_line=start)
        except jsonloc.JsonSyntaxError as err:
            raise IacError(label, start if fixed else err.line, f"{what} is not valid JSON: {err}") from None
        if fixed:
            doc_locs = L.expand(doc, L.at(start))
    elif isinstance(value, dict):
        doc, doc_locs = value, L.expand(value, locs)
    elif value is None:
        raise IacError(label, line, f"{what} is null")
    else:
        raise IacError(label, line, f"{what} is not a policy document (got {type(value).__name__})")
    if not isinstance(doc, dict):
        raise IacError(label, line, f"{what} is not a JSON object")
    doc_locs = L.expand(doc, doc_locs)
    doc_locs.setdefault((), line)
    _check_text(doc, doc_locs, label)
    return doc, normalize_statement_paths(doc, doc_locs)
