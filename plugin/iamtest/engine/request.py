"""The request model: who asks, for what, on what, in which context.

``make_request`` also fills the context keys AWS derives from the principal
and the resource (``aws:PrincipalArn``, ``aws:PrincipalAccount``, ...), as the
"AWS global condition context keys" page lists them, unless the caller gives
them explicitly.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Optional

from .keytypes import wrong_type
from .model import Context, scalar_text

_ACCOUNT_RE = re.compile(r"^[0-9]{12}\Z")  # \d takes any script's digits; $ a final newline
_SERVICE_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com|aws\.internal)\Z")
_ACTION_RE = re.compile(r"^[A-Za-z0-9-]+:[A-Za-z0-9_.-]+\Z")


def is_service_principal(text: str) -> bool:
    """Whether ``text`` has the form of an AWS service principal (``lambda.amazonaws.com``)."""
    return bool(_SERVICE_RE.match(text))


#: Principal kinds.
USER, ROLE, SESSION, ROOT, FEDERATED, SERVICE, ANONYMOUS = (
    "user", "role", "assumed-role", "root", "federated-user", "service", "anonymous")


class RequestError(ValueError):
    """A request iamtest cannot evaluate (a malformed principal, action or resource)."""


@dataclass(frozen=True)
class Principal:
    """The caller. ``kind`` is one of user, role, assumed-role, root,
    federated-user, service, anonymous.

    A ``role`` principal stands for a session of that role whose session
    name does not matter (AWS never sees a bare role make a call).
    """

    kind: str
    text: str
    arn: Optional[str] = None
    partition: Optional[str] = None
    account: Optional[str] = None
    name: Optional[str] = None  # user, role or federated-user name; role name for sessions
    session: Optional[str] = None  # session name of an assumed-role session
    role_arn: Optional[str] = None  # for role and assumed-role: the role's ARN (path unknown for sessions)

    @property
    def is_iam(self) -> bool:
        """An IAM identity of some account (subject to SCPs, identity policies...)."""
        return self.kind in (USER, ROLE, SESSION, ROOT, FEDERATED)

    @property
    def account_root_arn(self) -> Optional[str]:
        if self.account is None:
            return None
        return f"arn:{self.partition}:iam::{self.account}:root"


def parse_principal(text: str) -> Principal:
    """The caller named by ``text``; raises RequestError for anything else.

    Principal values are immutable and callers repeat from request to request,
    so a string's answer is memoised; any other value gets the same error as
    before (not the cache's TypeError)."""
    if type(text) is str:
        return _parse_string(text)
    return _parse_principal(text)


def _parse_principal(text: str) -> Principal:
    if not isinstance(text, str) or not text:
        raise RequestError(f"principal must be a non-empty string; got {text!r}")
    if text == "anonymous":
        return Principal(ANONYMOUS, text)
    if _ACCOUNT_RE.match(text):
        return Principal(ROOT, text, f"arn:aws:iam::{text}:root", "aws", text)
    if is_service_principal(text):
        return Principal(SERVICE, text, name=text)
    if not text.startswith("arn:"):
        raise RequestError(f"principal {text!r} is not an IAM ARN, a service principal "
                           f"(such as lambda.amazonaws.com) or `anonymous`")
    parts = text.split(":", 5)
    if len(parts) != 6:
        raise RequestError(f"principal {text!r} is not a complete ARN")
    _, partition, service, region, account, resource = parts
    if not partition or region or not _ACCOUNT_RE.match(account):
        raise RequestError(f"principal {text!r}: expected arn:PARTITION:iam::ACCOUNT:... with a 12-digit account")
    if service == "iam":
        if resource == "root":
            return Principal(ROOT, text, text, partition, account)
        kind, _, rest = resource.partition("/")
        if kind in ("user", "role") and rest:
            name = rest.rsplit("/", 1)[-1]
            if kind == "user":
                return Principal(USER, text, text, partition, account, name)
            return Principal(ROLE, text, text, partition, account, name, role_arn=text)
    elif service == "sts":
        kind, _, rest = resource.partition("/")
        if kind == "assumed-role":
            role, _, session = rest.partition("/")
            if role and session:
                role_arn = f"arn:{partition}:iam::{account}:role/{role}"
                return Principal(SESSION, text, text, partition, account, role, session, role_arn)
        if kind == "federated-user" and rest:
            return Principal(FEDERATED, text, text, partition, account, rest)
    raise RequestError(f"principal {text!r} is not a user, role, root, assumed-role session or "
                       f"federated-user ARN")


_parse_string = lru_cache(maxsize=4096)(_parse_principal)


@dataclass(frozen=True)
class Request:
    principal: Principal
    action: str
    resource: str
    resource_account: Optional[str]
    context: Context

    @property
    def service(self) -> str:
        return self.action.split(":", 1)[0].lower()

    @property
    def same_account(self) -> bool:
        return (self.principal.account is not None and self.resource_account is not None
                and self.principal.account == self.resource_account)

    def describe(self) -> str:
        return f"{self.principal.text} -> {self.action} on {self.resource}"


def derived_keys(principal: Principal, resource_account: Optional[str]) -> dict:
    """The context keys AWS derives from the caller and the resource."""
    keys: dict = {}
    kind = principal.kind
    if principal.is_iam:
        keys["aws:PrincipalArn"] = principal.role_arn if kind in (ROLE, SESSION) else principal.arn
        keys["aws:PrincipalAccount"] = principal.account
        keys["aws:PrincipalType"] = {USER: "User", ROLE: "AssumedRole", SESSION: "AssumedRole",
                                     ROOT: "Account", FEDERATED: "FederatedUser"}[kind]
        keys["aws:PrincipalIsAWSService"] = False
        if kind == USER:
            keys["aws:username"] = principal.name
        if kind == ROOT:
            keys["aws:userid"] = principal.account
        if kind == FEDERATED:
            keys["aws:userid"] = f"{principal.account}:{principal.name}"
    elif kind == SERVICE:
        keys["aws:PrincipalIsAWSService"] = True
        keys["aws:PrincipalServiceName"] = principal.name
    elif kind == ANONYMOUS:
        keys["aws:PrincipalType"] = "Anonymous"
        keys["aws:userid"] = "anonymous"
    if resource_account:
        keys["aws:ResourceAccount"] = resource_account
    return keys


_CONTEXT_SCALARS = (str, int, float, bool)


def _context_given(context) -> dict:
    """``context`` as a dict, checked: string keys, scalar or list-of-scalar values."""
    if context is None:
        return {}
    if not isinstance(context, Mapping):
        raise RequestError(f"context must be a mapping of keys to values; got {type(context).__name__}")
    for key, value in context.items():
        if not isinstance(key, str) or not key:
            raise RequestError(f"context keys must be non-empty strings; got {key!r}")
        if value is None:
            continue
        for item in (value if isinstance(value, (list, tuple)) else (value,)):
            if not isinstance(item, _CONTEXT_SCALARS):
                raise RequestError(f"context key {key!r}: a value must be a string, number or "
                                   f"boolean, or a list of them; got {item!r}")
            why = wrong_type(key, scalar_text(item))
            if why:
                raise RequestError(why)
    return dict(context)


def make_request(principal: str, action: str, resource: str, resource_account: Optional[str] = None,
                 context: Optional[Mapping] = None, now: Optional[_dt.datetime] = None) -> Request:
    """Build a request, filling the keys AWS derives unless ``context`` gives them.

    ``context`` values: strings, numbers, booleans, or lists of them (a list is
    a multivalued key); ``None`` means the key is absent (and stops a derived
    key from being filled).
    """
    who = parse_principal(principal)
    if not isinstance(action, str) or not _ACTION_RE.match(action):
        raise RequestError(f"action {action!r} is not `service:ActionName` (no wildcards in a request)")
    if not isinstance(resource, str) or not resource:
        raise RequestError(f"resource must be an ARN or `*`; got {resource!r}")
    if resource != "*" and not resource.startswith("arn:"):
        raise RequestError(f"resource {resource!r} is neither an ARN nor `*`")
    if resource != "*" and resource.count(":") < 5:
        raise RequestError(f"resource {resource!r} is not a complete ARN "
                           f"(arn:partition:service:region:account:resource)")
    if resource_account is not None:
        resource_account = str(resource_account)
        if not _ACCOUNT_RE.match(resource_account):
            raise RequestError(f"resource_account {resource_account!r} is not a 12-digit account id")
    given = _context_given(context)
    arn_account = resource.split(":", 5)[4] if resource != "*" else ""
    if arn_account and resource_account and arn_account != resource_account and "*" not in arn_account:
        raise RequestError(f"resource_account {resource_account} disagrees with the account "
                           f"{arn_account} in the resource ARN")
    if not resource_account:
        lowered = {k.lower(): v for k, v in given.items()}
        resource_account = (arn_account or lowered.get("aws:resourceaccount") or who.account)
        if resource_account is not None and not (isinstance(resource_account, str)
                                                 and _ACCOUNT_RE.match(resource_account)):
            raise RequestError(f"context key aws:ResourceAccount {resource_account!r} is not a "
                               f"12-digit account id")
    given_lower = {k.lower() for k in given}
    merged = {k: v for k, v in derived_keys(who, resource_account).items() if k.lower() not in given_lower}
    if "aws:currenttime" not in given_lower or "aws:epochtime" not in given_lower:
        moment = now or _dt.datetime.now(_dt.timezone.utc)
        if "aws:currenttime" not in given_lower:
            merged["aws:CurrentTime"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        if "aws:epochtime" not in given_lower:
            merged["aws:EpochTime"] = str(int(moment.timestamp()))
    merged.update(given)
    return Request(who, action, resource, resource_account, Context.of(merged))
