"""Policy variables: ``${key}``, ``${key, 'default'}``, ``${*}``, ``${?}``, ``${$}``.

What AWS documents (IAM policy elements: Variables and tags):

* Variables are substituted only under ``"Version": "2012-10-17"``; under an
  older or missing Version, ``${aws:username}`` is literal text. The caller
  decides (see :attr:`iamtest.engine.model.Policy.variables_enabled`).
* "Key names are case-insensitive": the lookup is the request context's.
* "You can use any single-valued condition key as a variable. You can't use a
  multivalued condition key as a variable." (also Single-valued vs.
  multivalued context keys). iamtest treats a multivalued key as having no
  value for substitution: the default applies if there is one, else the
  variable is unresolved. The pages do not say more.
* Default values: "surround the default value with single quotes (' '), and
  separate the variable text and the default value with a comma and space".
  Spaces around the key and the comma are tolerated here.
* ``${*}``, ``${?}``, ``${$}`` stand for a literal ``*``, ``?``, ``$``, "used
  in any string where you can use regular policy variables".
* "Policy variables with no value": "When you use a variable with no value in
  the condition element ..., condition operators like StringEquals or
  StringLike do not match ... Inverted condition operators like
  StringNotEquals or StringNotLike do match against a null value", and "If a
  variable that has no value in the authorization context is used as part of
  the Resource or NotResource element of a policy, the resource that includes
  a policy variable with no value will not match any resource."

:func:`substitute` returns ``None`` for such an unresolved value; the rules
above are the caller's: a condition value that is ``None`` matches no request
value (so a positive operator is false for it and a negated operator, being
the NOR of its values, is not stopped by it); a ``Resource`` or
``NotResource`` entry that is ``None`` matches no resource (so a
``NotResource`` entry that cannot be resolved excludes nothing).

Characters ``*`` and ``?`` inside a substituted *request value* are taken
literally (the documentation is silent; IAM user names and tag values cannot
hold them in practice).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional

from .model import ContextValue
from .wildcard import EscapedPattern, escape_literal, escape_pattern_text

#: The predefined variables and the character each stands for.
SPECIAL = {"*": "*", "?": "?", "$": "$"}

Lookup = Callable[[str], Optional[ContextValue]]


@dataclass(frozen=True)
class VariableRef:
    """One ``${...}`` reference in a policy string."""

    raw: str  # the reference as written, "${...}"
    start: int  # index of "$" in the text
    end: int  # index just past "}"
    key: str  # the context key (stripped); for specials, the character
    default: Optional[str] = None  # text between the quotes, if given
    special: bool = False  # ${*} ${?} ${$}
    malformed_default: bool = False  # a comma without a quoted default after it

    @property
    def display(self) -> str:
        return self.raw


def _scan_close(text: str, j: int) -> int:
    """Index of the "}" closing a reference whose body starts at ``j``; -1 if none.

    A "}" inside a quoted default does not close the reference.
    """
    in_quote = False
    after_comma = False
    n = len(text)
    while j < n:
        c = text[j]
        if in_quote:
            if c == "'":
                in_quote = False
        elif c == "," and not after_comma:
            after_comma = True
        elif c == "'" and after_comma:
            in_quote = True
        elif c == "}":
            return j
        j += 1
    return -1


def _parse_body(raw: str, start: int, end: int, body: str) -> VariableRef:
    if body in SPECIAL:
        return VariableRef(raw, start, end, body, None, True)
    if "," not in body:
        return VariableRef(raw, start, end, body.strip())
    key, _, rest = body.partition(",")
    rest = rest.strip()
    if len(rest) >= 2 and rest[0] == "'" and rest[-1] == "'":
        return VariableRef(raw, start, end, key.strip(), rest[1:-1])
    return VariableRef(raw, start, end, key.strip(), None, malformed_default=True)


def find_variables(text: str) -> List[VariableRef]:
    """Every ``${...}`` reference in ``text``, in order.

    A ``${`` without a closing ``}`` is not a reference (it stays literal).
    """
    refs: List[VariableRef] = []
    if not isinstance(text, str):
        return refs
    pos = 0
    while True:
        i = text.find("${", pos)
        if i < 0:
            return refs
        j = _scan_close(text, i + 2)
        if j < 0:
            return refs
        refs.append(_parse_body(text[i:j + 1], i, j + 1, text[i + 2:j]))
        pos = j + 1


def has_variables(text: str) -> bool:
    """Whether ``text`` holds at least one ``${...}`` reference."""
    return bool(find_variables(text))


def _value_and_origin(ref: VariableRef, lookup: Lookup):
    """(text, from_request) for one reference; text is None when unresolved.

    ``from_request`` is false for specials and defaults (policy text).
    """
    if ref.special:
        return SPECIAL[ref.key], False
    cv = lookup(ref.key) if ref.key else None
    if cv is not None and not cv.multi and len(cv.values) == 1:
        return cv.values[0], True
    return ref.default, False


def resolve(ref: VariableRef, lookup: Lookup) -> Optional[str]:
    """The text one reference stands for in this request, or ``None``.

    Specials give their character. A key that is absent, or multivalued
    (AWS: a multivalued key cannot be a variable), gives the default when
    there is one.
    """
    return _value_and_origin(ref, lookup)[0]


def unresolved(text: str, lookup: Lookup) -> List[VariableRef]:
    """The references in ``text`` that have no value and no default."""
    return [r for r in find_variables(text) if resolve(r, lookup) is None]


def substitute(text: str, lookup: Lookup, *, for_pattern: bool) -> Optional[str]:
    """Replace every reference in ``text`` with its value in the request.

    Returns ``None`` when any reference has no value and no default (see the
    module docstring for what the caller then does). AWS substitutes once:
    a value that itself looks like ``${...}`` is not expanded again.

    With ``for_pattern=True`` the result is an
    :class:`~iamtest.engine.wildcard.EscapedPattern` for wildcard matching:
    ``*``/``?`` written in the policy (outside references, and inside a
    default) stay wildcards, while ``${*}``, ``${?}`` and every character of
    a substituted request value match only themselves. With
    ``for_pattern=False`` the result is the plain text.
    """
    refs = find_variables(text)
    if not refs:
        return EscapedPattern(escape_pattern_text(text)) if for_pattern else text
    out: List[str] = []
    pos = 0
    for ref in refs:
        lit = text[pos:ref.start]
        out.append(escape_pattern_text(lit) if for_pattern else lit)
        value, from_request = _value_and_origin(ref, lookup)
        if value is None:
            return None
        if not for_pattern:
            out.append(value)
        elif ref.special or from_request:
            out.append(escape_literal(value))
        else:
            # a default is policy text: its wildcards stay wildcards
            out.append(escape_pattern_text(value))
        pos = ref.end
    tail = text[pos:]
    out.append(escape_pattern_text(tail) if for_pattern else tail)
    joined = "".join(out)
    return EscapedPattern(joined) if for_pattern else joined

