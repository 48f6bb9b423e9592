"""Policy documents (already-loaded dicts) into the immutable model.

Validation follows what IAM checks when a policy is attached: the grammar of
the policy language, the elements each policy type may carry, and the values
each condition operator accepts. Anything else is an error that names the
element, the source and (when the loader recorded it) the line. Nothing is
guessed or silently dropped.
"""
from __future__ import annotations

import difflib
import re
from typing import Any, Mapping, Optional, Sequence, Tuple

from .apigateway import is_abbreviated
from .arn import variables_outside_resource_part
from .conditions import parse_operator, validate_values
from .model import (ALLOW, DENY, VERSION_2008, VERSION_2012, ConditionClause, Location, Policy,
                    PolicyError, PrincipalSpec, Statement, scalar_text)

#: The policy kinds (one per layer of the request path).
KINDS = ("identity", "resource", "endpoint", "boundary", "session", "scp", "rcp")

#: Kinds whose statements name a principal (Principal or NotPrincipal).
_PRINCIPAL_KINDS = {"resource", "endpoint", "rcp"}

_TOP_KEYS = ("Version", "Id", "Statement")
_STATEMENT_KEYS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                   "Resource", "NotResource", "Condition")
_PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")

_ACTION_RE = re.compile(r"^[A-Za-z0-9*?-]+:[A-Za-z0-9*?_.-]*\Z")
_ACCOUNT_RE = re.compile(r"^[0-9]{12}\Z")  # \d takes any script's digits; $ a final newline

ALLOW_ALL = {
    "Version": VERSION_2012,
    "Statement": [{"Sid": "AllowAll", "Effect": ALLOW, "Action": "*", "Resource": "*"}],
}


def allow_all_policy(kind: str = "identity", source: str = "allow-all") -> Policy:
    """The ``allow-all`` source: allows every action on every resource."""
    doc = {"Version": VERSION_2012, "Statement": [dict(ALLOW_ALL["Statement"][0])]}
    if kind in _PRINCIPAL_KINDS:
        doc["Statement"][0]["Principal"] = "*"
    return parse_policy(doc, source=source, kind=kind)


class _Ctx:
    """Carries the source name and line table while parsing one document."""

    def __init__(self, source: str, locations: Optional[Mapping[Tuple, int]]):
        self.source = source
        self.locations = locations or {}

    def line(self, path: Tuple) -> Optional[int]:
        # The nearest recorded line walking up the path.
        for end in range(len(path), -1, -1):
            line = self.locations.get(tuple(path[:end]))
            if line:
                return line
        return None

    def loc(self, path: Tuple) -> Location:
        return Location(self.source, self.line(path))

    def error(self, message: str, path: Tuple) -> PolicyError:
        return PolicyError(message, self.source, self.line(path), path)


def _suggest(word: str, choices: Sequence[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return f" (did you mean `{lowered[word.lower()]}`? element names are case-sensitive)"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


#: Policies IAM itself stores (identity-based policies and permissions boundaries,
#: which are managed or inline IAM policies). IAM User Guide, "IAM JSON policy
#: elements: Sid": "The Sid element supports ASCII uppercase letters (A-Z),
#: lowercase letters (a-z), and numbers (0-9)" and "In IAM, the Sid value must be
#: unique within a JSON policy". Other services set their own rules (S3 bucket
#: policies take Sids such as "Access-to-specific-VPCE-only"); the documentation
#: is silent on session policies, SCPs, RCPs and endpoint policies, so their
#: Sids are taken as written.
_IAM_STORED_KINDS = ("identity", "boundary")
_IAM_SID = re.compile(r"[A-Za-z0-9]*")


#: IAM User Guide, "IAM and AWS STS quotas", IAM name requirements: "Policy documents
#: can contain only the following Unicode characters: horizontal tab (U+0009),
#: linefeed (U+000A), carriage return (U+000D), and characters in the range U+0020
#: to U+00FF." IAM checks the document it is given (identity policies, boundaries);
#: STS applies the same pattern to a session policy. Other services' documents
#: (bucket policies, SCPs, endpoint policies) have their own rules, not checked here.
#: The check reads the values as parsed, so a JSON escape counts as its character.
_IAM_CHARSET_KINDS = ("identity", "boundary", "session")
_IAM_CHARACTERS = re.compile("[^\t\n\r\x20-\xff]")


def _check_iam_characters(ctx: _Ctx, node: Any, path: Tuple) -> None:
    if isinstance(node, str):
        bad = _IAM_CHARACTERS.search(node)
        if bad:
            raise ctx.error(f"the character {bad.group()!r} (U+{ord(bad.group()):04X}) in {node!r} "
                            f"cannot be in an IAM policy document: IAM accepts tab, line feed, "
                            f"carriage return and U+0020 to U+00FF only", path)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            _check_iam_characters(ctx, key, path + (key,))
            _check_iam_characters(ctx, value, path + (key,))
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            _check_iam_characters(ctx, value, path + (i,))


def parse_policy(doc: Any, source: str = "<policy>", locations: Optional[Mapping[Tuple, int]] = None,
                 kind: str = "identity") -> Policy:
    """Validate ``doc`` as a ``kind`` policy and return the model.

    ``locations`` maps paths inside the document (``("Statement", 0, "Effect")``)
    to 1-based lines; statements given as a single object use index 0.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown policy kind {kind!r}; expected one of {', '.join(KINDS)}")
    ctx = _Ctx(source, locations)
    if not isinstance(doc, Mapping):
        raise ctx.error(f"a policy document must be a JSON object; got {_type_name(doc)}", ())
    if kind in _IAM_CHARSET_KINDS:
        _check_iam_characters(ctx, doc, ())
    for key in doc:
        if key not in _TOP_KEYS:
            raise ctx.error(f"unknown policy element `{key}`{_suggest(str(key), _TOP_KEYS)}; "
                            f"a policy has {', '.join(_TOP_KEYS)}", (key,))
    version = doc.get("Version")
    if version is not None and version not in (VERSION_2012, VERSION_2008):
        raise ctx.error(f"`Version` must be \"{VERSION_2012}\" or \"{VERSION_2008}\"; got {version!r}",
                        ("Version",))
    policy_id = doc.get("Id")
    if policy_id is not None and not isinstance(policy_id, str):
        raise ctx.error(f"`Id` must be a string; got {_type_name(policy_id)}", ("Id",))
    if "Statement" not in doc:
        raise ctx.error("the policy has no `Statement` element", ())
    raw = doc["Statement"]
    if isinstance(raw, Mapping):
        raw_statements = [raw]
    elif isinstance(raw, list):
        raw_statements = raw
    else:
        raise ctx.error(f"`Statement` must be an object or a list of objects; got {_type_name(raw)}",
                        ("Statement",))
    if not raw_statements:
        raise ctx.error("`Statement` is empty: a policy needs at least one statement", ("Statement",))
    statements = tuple(_parse_statement(ctx, s, i, kind, version) for i, s in enumerate(raw_statements))
    if kind in _IAM_STORED_KINDS:
        seen: dict = {}
        for statement in statements:
            if statement.sid and statement.sid in seen:
                raise ctx.error(f"statement #{statement.index + 1}: `Sid` {statement.sid!r} is also the "
                                f"Sid of statement #{seen[statement.sid] + 1}; IAM requires the Sids of "
                                f"a policy to be unique", ("Statement", statement.index, "Sid"))
            seen.setdefault(statement.sid, statement.index)
    return Policy(source=source, version=version, id=policy_id, statements=statements, location=ctx.loc(()))


def _abbreviation_hint(value: str) -> str:
    """API Gateway's abbreviated resource syntax belongs in an API's resource policy only."""
    if not is_abbreviated(value):
        return ""
    return (" (API Gateway's abbreviated form, which only an API's resource policy may use: "
            "API Gateway expands it with the API's ARN when it saves the policy)")


def _parse_statement(ctx: _Ctx, raw: Any, index: int, kind: str, version: Optional[str]) -> Statement:
    path = ("Statement", index)
    if not isinstance(raw, Mapping):
        raise ctx.error(f"statement #{index + 1} must be an object; got {_type_name(raw)}", path)
    for key in raw:
        if key not in _STATEMENT_KEYS:
            raise ctx.error(f"statement #{index + 1}: unknown element `{key}`"
                            f"{_suggest(str(key), _STATEMENT_KEYS)}", path + (key,))
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise ctx.error(f"statement #{index + 1}: `Sid` must be a string; got {_type_name(sid)}", path + ("Sid",))
    if sid and kind in _IAM_STORED_KINDS and not _IAM_SID.fullmatch(sid):
        raise ctx.error(f"statement #{index + 1}: `Sid` {sid!r} has characters IAM refuses: in an "
                        f"{kind} policy a Sid holds only ASCII letters and digits", path + ("Sid",))
    name = f"statement {sid!r}" if sid else f"statement #{index + 1}"

    effect = raw.get("Effect")
    if effect is None:
        raise ctx.error(f"{name}: `Effect` is required (\"Allow\" or \"Deny\")", path)
    if effect not in (ALLOW, DENY):
        hint = " (values are case-sensitive)" if str(effect).lower() in ("allow", "deny") else ""
        raise ctx.error(f"{name}: `Effect` must be \"Allow\" or \"Deny\"; got {effect!r}{hint}", path + ("Effect",))

    principal = not_principal = None
    if "Principal" in raw and "NotPrincipal" in raw:
        raise ctx.error(f"{name}: `Principal` and `NotPrincipal` cannot both appear", path + ("NotPrincipal",))
    if kind in _PRINCIPAL_KINDS:
        if "Principal" in raw:
            principal = _parse_principal(ctx, raw["Principal"], path + ("Principal",), name)
        elif "NotPrincipal" in raw:
            if kind == "rcp":
                raise ctx.error(f"{name}: resource control policies do not support `NotPrincipal`",
                                path + ("NotPrincipal",))
            if effect == ALLOW:
                # AWS documents NotPrincipal only with Deny; IAM rejects it with Allow in
                # most resource policies.
                raise ctx.error(f"{name}: `NotPrincipal` is only supported with \"Effect\": \"Deny\"",
                                path + ("NotPrincipal",))
            not_principal = _parse_principal(ctx, raw["NotPrincipal"], path + ("NotPrincipal",), name)
        else:
            raise ctx.error(f"{name}: {_article(kind)} {kind} policy statement needs a `Principal` (or `NotPrincipal`)", path)
        if kind == "rcp" and principal is not None and not principal.wildcard and principal.aws != ("*",):
            raise ctx.error(f"{name}: resource control policies only support \"Principal\": \"*\"",
                            path + ("Principal",))
    else:
        for key in ("Principal", "NotPrincipal"):
            if key in raw:
                raise ctx.error(f"{name}: `{key}` is not allowed in {_article(kind)} {kind} policy "
                                f"(only resource-based, endpoint and resource control policies name principals)",
                                path + (key,))

    actions, not_actions = _pair(ctx, raw, path, name, "Action", "NotAction", required=True)
    for key, values in (("Action", actions), ("NotAction", not_actions)):
        for i, action in enumerate(values or ()):
            if action != "*" and not _ACTION_RE.match(action):
                raise ctx.error(f"{name}: `{key}` value {action!r} is not `service:action` or `*`",
                                path + (key,))

    resource_required = kind != "resource"  # a trust policy has no Resource: it is the role itself
    resources, not_resources = _pair(ctx, raw, path, name, "Resource", "NotResource", required=resource_required)
    for key, values in (("Resource", resources), ("NotResource", not_resources)):
        for value in values or ():
            if kind == "resource" and is_abbreviated(value):
                continue   # API Gateway's abbreviated form, expanded per request (apigateway.py)
            if value != "*" and not value.startswith("arn:"):
                raise ctx.error(f"{name}: `{key}` value {value!r} is neither an ARN nor `*`"
                                f"{_abbreviation_hint(value)}", path + (key,))
            if value.startswith("arn:") and value.count(":") < 5:
                raise ctx.error(f"{name}: `{key}` value {value!r} is not a complete ARN "
                                f"(arn:partition:service:region:account:resource)", path + (key,))
            if version == VERSION_2012 and variables_outside_resource_part(value):
                # AWS: "You can't use a variable to replace parts of the ARN before the
                # fifth colon" (IAM policy elements: Variables and tags).
                raise ctx.error(f"{name}: `{key}` value {value!r} has a policy variable before the "
                                f"resource part of the ARN; AWS only substitutes variables after the "
                                f"fifth colon", path + (key,))

    conditions = _parse_conditions(ctx, raw.get("Condition"), path + ("Condition",), name, "Condition" in raw)

    return Statement(index=index, sid=sid or None, effect=effect, principal=principal,
                     not_principal=not_principal, actions=actions, not_actions=not_actions,
                     resources=resources, not_resources=not_resources, conditions=conditions,
                     location=ctx.loc(path))


def _pair(ctx, raw, path, name, key, not_key, required):
    if key in raw and not_key in raw:
        raise ctx.error(f"{name}: `{key}` and `{not_key}` cannot both appear", path + (not_key,))
    if key in raw:
        return _strings(ctx, raw[key], path + (key,), name, key), None
    if not_key in raw:
        return None, _strings(ctx, raw[not_key], path + (not_key,), name, not_key)
    if required:
        raise ctx.error(f"{name}: needs `{key}` or `{not_key}`", path)
    return None, None


def _strings(ctx, value, path, name, key) -> Tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ctx.error(f"{name}: `{key}` is an empty list", path)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise ctx.error(f"{name}: `{key}` values must be strings; got {_type_name(item)}", path)
        if not item:
            raise ctx.error(f"{name}: `{key}` has an empty string", path)
    return tuple(items)


def _parse_principal(ctx, value, path, name) -> PrincipalSpec:
    element = path[-1]
    if value == "*":
        return PrincipalSpec(wildcard=True)
    if not isinstance(value, Mapping):
        raise ctx.error(f"{name}: `{element}` must be \"*\" or an object with "
                        f"{', '.join(_PRINCIPAL_TYPES)}; got {value!r}", path)
    if not value:
        raise ctx.error(f"{name}: `{element}` is empty", path)
    found = {}
    for ptype, raw in value.items():
        if ptype not in _PRINCIPAL_TYPES:
            raise ctx.error(f"{name}: unknown principal type `{ptype}` in `{element}`"
                            f"{_suggest(str(ptype), _PRINCIPAL_TYPES)}", path + (ptype,))
        values = _strings(ctx, raw, path + (ptype,), name, f"{element}.{ptype}")
        for v in values:
            _check_principal_value(ctx, ptype, v, path + (ptype,), name)
        found[ptype] = values
    return PrincipalSpec(aws=found.get("AWS", ()), service=found.get("Service", ()),
                         federated=found.get("Federated", ()), canonical_user=found.get("CanonicalUser", ()))


def _check_principal_value(ctx, ptype, value, path, name):
    if ptype == "AWS":
        if value == "*" or _ACCOUNT_RE.match(value):
            return
        if not value.startswith("arn:"):
            raise ctx.error(f"{name}: invalid AWS principal {value!r}: expected `*`, a 12-digit account id "
                            f"or an IAM ARN", path)
        if "*" in value or "?" in value:
            raise ctx.error(f"{name}: invalid AWS principal {value!r}: wildcards are not allowed inside a "
                            f"principal ARN; use \"Principal\": \"*\" with an ArnLike condition on "
                            f"aws:PrincipalArn", path)
        parts = value.split(":", 5)
        if len(parts) < 6 or parts[2] not in ("iam", "sts"):
            raise ctx.error(f"{name}: invalid AWS principal {value!r}: not an IAM or STS ARN", path)
    elif ptype == "Service":
        if "*" in value:
            raise ctx.error(f"{name}: invalid service principal {value!r}: wildcards are not allowed", path)


def _parse_conditions(ctx, raw, path, name, present) -> Tuple[ConditionClause, ...]:
    if not present:
        return ()
    if not isinstance(raw, Mapping):
        raise ctx.error(f"{name}: `Condition` must be an object of operator -> {{key: values}}; "
                        f"got {_type_name(raw)}", path)
    clauses = []
    for operator, block in raw.items():
        op_path = path + (operator,)
        try:
            base, set_op, if_exists = parse_operator(operator)
        except ValueError as exc:
            raise ctx.error(f"{name}: {exc}", op_path) from None
        if not isinstance(block, Mapping) or not block:
            raise ctx.error(f"{name}: condition `{operator}` must map context keys to values; "
                            f"got {block!r}", op_path)
        for key, value in block.items():
            key_path = op_path + (key,)
            if not isinstance(key, str) or not key:
                raise ctx.error(f"{name}: condition `{operator}` has an empty or non-string key", op_path)
            items = value if isinstance(value, list) else [value]
            if not items:
                raise ctx.error(f"{name}: condition `{operator}` key `{key}` has an empty list of values", key_path)
            texts = []
            for item in items:
                if item is None or isinstance(item, (Mapping, list)):
                    raise ctx.error(f"{name}: condition `{operator}` key `{key}` values must be strings, "
                                    f"numbers or booleans; got {_type_name(item)}", key_path)
                texts.append(scalar_text(item))
            problem = validate_values(base, tuple(texts))
            if problem:
                raise ctx.error(f"{name}: condition `{operator}` key `{key}`: {problem}", key_path)
            clauses.append(ConditionClause(operator=operator, base=base, set_operator=set_op,
                                           if_exists=if_exists, key=key, values=tuple(texts),
                                           location=ctx.loc(key_path)))
    return tuple(clauses)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
