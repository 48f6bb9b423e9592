"""The symbolic request: every request iamtest can evaluate, over dimensions.

Principal: a kind (user, role, role session, account root, federated user,
service principal, anonymous) and its parts (partition, account, path, name,
session name, service name), each a dimension; its text, its ARN and the
context keys AWS derives from it are skeletons over those parts. The action,
the resource (``*``, or an ARN built from partition, service, region,
account and the rest, its account being the resource account), the resource
account, and one dimension (or list) per context key the question mentions
complete it.

The domain is the requests AWS can produce, as far as the engine can tell
them apart; docs/prove.md ("The request domain") lists it.
"""
from __future__ import annotations

import re
from functools import cached_property
from typing import Dict, List, Optional

from ..engine.keytypes import BOOL, DATE, IP, NUMBER, key_kind
from ..engine.request import ANONYMOUS, FEDERATED, ROLE, ROOT, SERVICE, SESSION, USER
from ._z3 import z3mod
from .automata import lit
from .dims import Dim, DimSpace
from .errors import UnsupportedConstruct
from .keys import KeyInfo, KeyPlan, TIME_KEYS
from .patterns import Patterns
from .shapes import Alt, Const, DimRef, Skel, Sym
from .values import (EXPO, ISO, ISO_RANGE, NOT_IP, OTHER, PLAIN, V4, BinValue, IpValue, NumValue, StrValue,
                     fresh_binary)

KINDS = (USER, ROLE, SESSION, ROOT, FEDERATED, SERVICE, ANONYMOUS)
IAM_KINDS = (USER, ROLE, SESSION, ROOT, FEDERATED)

_LOWER, _UPPER, _DIGITS = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
NAME_CHARS = frozenset(_LOWER + _UPPER + _DIGITS + "_+=,.@-")  # IAM user, role and session names
PATH_CHARS = NAME_CHARS | {"/"}
SERVICE_HEAD = frozenset(_LOWER + _DIGITS)
SERVICE_CHARS = frozenset(_LOWER + _DIGITS + ".-")
ACTION_SERVICE = frozenset(_LOWER + _DIGITS + "-")
ACTION_NAME = frozenset(_LOWER + _DIGITS + "_.-")
SERVICE_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".amazon.com", ".aws.internal")


#: Keys present only for requests through a VPC endpoint.
_ENDPOINT_KEYS = ("aws:sourcevpce", "aws:sourcevpc", "aws:vpcsourceip")

_ACTION_PATTERN = re.compile(r"^[a-z0-9*?-]+:[a-z0-9*?_.-]+$")


def _catalog_actions(patterns, per_pattern: int = 2, limit: int = 40) -> List[str]:
    """Real action names the patterns cover, from the action catalog when it is installed
    (readable examples only: the domain is every action name, real or not)."""
    try:
        from ..catalog import get_catalog
        catalog = get_catalog()
    except Exception:  # the catalog is optional: without it, examples use made-up names
        return []
    out: List[str] = []
    for pattern in dict.fromkeys(patterns):
        if pattern == "*" or ("*" not in pattern and "?" not in pattern):
            continue
        try:
            found = catalog.actions_matching(pattern)[:per_pattern]
        except Exception:
            continue
        out += [a.lower() for a in found]
        if len(out) >= limit:
            break
    return out


class KeyVal:
    """A context key in the symbolic request: present or not, one value or a list.

    ``single`` is the value when the key holds one, ``elems``/``count`` the list
    when it holds several; a key whose shape is unknown has both and ``listy``
    says which the request uses.
    """

    def __init__(self, info: KeyInfo, present, single=None, count=None, elems=None, listy=None):
        self.info = info
        self.present = present
        self.single = single
        self.count = count
        self.elems = elems or []
        self.listy = listy
        self.free_parts = None

    @property
    def multi(self) -> bool:
        """Only a list (never one value)."""
        return self.single is None

    def is_list(self):
        """Formula: the request gives the key as a list."""
        z3 = z3mod()
        if self.single is None:
            return z3.BoolVal(True)
        if not self.elems:
            return z3.BoolVal(False)
        return self.listy

    def choose(self, single_result, list_result):
        """The formula for this key's shape, from one for each shape (None: shape impossible)."""
        z3 = z3mod()
        if self.single is None:
            return list_result
        if not self.elems:
            return single_result
        return z3.If(self.listy, list_result, single_result)


class SymRequest:
    """One symbolic request over a :class:`KeyPlan`; ``domain`` holds its constraints."""

    def __init__(self, plan: KeyPlan, pats: Patterns, partitions=(), tag: str = "r"):
        z3 = self.z3 = z3mod()
        self.plan = plan
        self.pats = pats
        self.tag = tag
        self.space = DimSpace(pats.alphabet)
        self.domain: List = []
        alpha, nc = pats.any, pats.not_colon
        new = self._new
        self.kind = z3.Int(f"{tag}.kind")
        # A request path lives in one partition: the one(s) its ARNs name, else "aws".
        self.partitions = tuple(dict.fromkeys(partitions)) or ("aws",)
        self.partition = new("partition", [lit(p) for p in self.partitions], ":")
        digits = frozenset(_DIGITS)
        account_domain = [tuple(("1", digits) for _ in range(12))]
        self.account = new("account", account_domain, alpha - digits)
        self.path = new("path", [lit("/"), (("c", "/"), ("1", PATH_CHARS), ("*", PATH_CHARS), ("c", "/"))], ":")
        self.name = new("name", [(("1", NAME_CHARS), ("*", NAME_CHARS))], alpha - NAME_CHARS)
        self.session = new("session", [(("1", NAME_CHARS), ("1", NAME_CHARS), ("*", NAME_CHARS))],
                           alpha - NAME_CHARS)
        self.service = new("service", [(("1", SERVICE_HEAD), ("*", SERVICE_CHARS)) + lit(s)
                                       for s in SERVICE_SUFFIXES], alpha - SERVICE_CHARS)
        self.action = new("action", [(("1", ACTION_SERVICE), ("*", ACTION_SERVICE), ("c", ":"),
                                      ("1", ACTION_NAME), ("*", ACTION_NAME))], alpha - ACTION_NAME - {":"})
        self.res_form = z3.Int(f"{tag}.resource_form")  # 0: "*", 1: ARN without account, 2: with
        self.res_parts = [new("resource.partition", [lit(p) for p in self.partitions], ":")]
        self.res_parts += [new(f"resource.{p}", [(("*", nc),)], ":") for p in ("service", "region")]
        self.res_rest = new("resource.rest", [(("*", alpha),)])
        self.res_account = new("resource_account", account_domain, alpha - digits)
        self.res_account_set = z3.Bool(f"{tag}.resource_account_set")
        self.time = z3.Int(f"{tag}.time")
        self._hints()
        self._domain()
        self.keys: Dict[str, KeyVal] = {}
        for info in plan.keys.values():
            self.keys[info.lower] = self._key(info)
        self._network_keys()

    def _hints(self) -> None:
        """Readable witnesses, tried before the shortest strings (examples people can read)."""
        self.account.hint("123456789012", "111122223333")
        self.res_account.hint("123456789012")
        actions = _catalog_actions(self.plan.actions)
        for text in self.plan.actions:
            low = text.lower()
            if _ACTION_PATTERN.match(low):
                actions.append(low.replace("*", "example").replace("?", "x"))
        self.action.hint(*actions, "s3:getobject", "sts:getcalleridentity")
        self.service.hint("lambda.amazonaws.com", "example.amazonaws.com")
        self.res_parts[1].hint("s3")
        self.res_parts[2].hint("us-east-1")
        self.res_rest.hint("example", "example/key")

    def _new(self, name: str, domain, forbidden="") -> Dim:
        forbidden = frozenset(forbidden) if isinstance(forbidden, str) else forbidden
        return self.space.new(f"{self.tag}.{name}", domain, forbidden)

    def finish(self) -> List:
        """Every constraint, once all formulas are built (defines the memberships)."""
        return self.domain + self.space.finish()

    # -- principal -----------------------------------------------------------------------------

    def is_kind(self, *kinds):
        z3 = self.z3
        return z3.Or(*[self.kind == KINDS.index(k) for k in kinds])

    @property
    def is_iam(self):
        return self.is_kind(*IAM_KINDS)

    def _arn(self, service: str, *tail) -> Skel:
        return Skel(("arn:", self.partition, f":{service}::", self.account, ":") + tail)

    def _by_kind(self, table: Dict[str, Sym]) -> Alt:
        return Alt([(self.kind == KINDS.index(k), s) for k, s in table.items()])

    @cached_property
    def text(self) -> Sym:
        """The principal as a case writes it (the ARN for IAM principals)."""
        return self._by_kind({
            USER: self._arn("iam", "user", self.path, self.name),
            ROLE: self._arn("iam", "role", self.path, self.name),
            SESSION: self._arn("sts", "assumed-role/", self.name, "/", self.session),
            ROOT: self._arn("iam", "root"),
            FEDERATED: self._arn("sts", "federated-user/", self.name),
            SERVICE: DimRef(self.service),
            ANONYMOUS: Const("anonymous"),
        })

    @cached_property
    def principal_arn(self) -> Sym:
        """aws:PrincipalArn of IAM principals: a role session's is its role's ARN (no path)."""
        return self._by_kind({
            USER: self._arn("iam", "user", self.path, self.name),
            ROLE: self._arn("iam", "role", self.path, self.name),
            SESSION: self._arn("iam", "role/", self.name),
            ROOT: self._arn("iam", "root"),
            FEDERATED: self._arn("sts", "federated-user/", self.name),
        })

    def named(self, dim: Dim, text: str):
        return dim.mem(lit(text))

    def root_arn_equals(self, partition: str, account: str):
        z3 = self.z3
        return z3.And(self.is_iam, self.named(self.partition, partition), self.named(self.account, account))

    @property
    def service_linked(self):
        z3 = self.z3
        prefix = lit("AWSServiceRoleFor") + (("*", self.pats.any),)
        return z3.And(self.is_kind(ROLE, SESSION), self.name.mem(prefix))

    # -- resource ------------------------------------------------------------------------------

    @cached_property
    def resource(self) -> Sym:
        p = self.res_parts
        head = ("arn:", p[0], ":", p[1], ":", p[2], ":")
        return Alt([(self.res_form == 0, Const("*")),
                    (self.res_form == 1, Skel(head + (":", self.res_rest))),
                    (self.res_form == 2, Skel(head + (self.res_account, ":", self.res_rest)))])

    @property
    def same_account(self):
        z3 = self.z3
        return z3.And(self.is_iam, self.res_account_set, self.account.eq(self.res_account))

    def _domain(self):
        z3, d = self.z3, self.domain
        d.append(z3.And(self.kind >= 0, self.kind < len(KINDS)))
        d.append(z3.And(self.res_form >= 0, self.res_form <= 2))
        d.append(z3.Implies(self.res_form == 2, self.res_account_set))
        # Without a resource account, make_request would take the caller's.
        d.append(z3.Implies(z3.Not(self.res_account_set), z3.Not(self.is_iam)))
        # Partitions are isolated: an IAM principal only reaches resources of its own partition.
        if len(self.partitions) > 1:
            d.append(z3.Implies(z3.And(self.is_iam, self.res_form != 0), self.partition.eq(self.res_parts[0])))

    def _network_keys(self) -> None:
        """"aws:SourceIp ... is included in the request context, except when the requester uses
        a VPC endpoint" (AWS global condition context keys); the endpoint keys are present only
        for requests through one. So a request carrying an endpoint key has no aws:SourceIp."""
        z3 = self.z3
        source_ip = self.keys.get("aws:sourceip")
        via = [self.keys[k].present for k in _ENDPOINT_KEYS if k in self.keys]
        if source_ip is not None and via:
            self.domain.append(z3.Implies(z3.Or(*via), z3.Not(source_ip.present)))

    # -- context keys --------------------------------------------------------------------------

    def key(self, name: str) -> Optional[KeyVal]:
        return self.keys.get(name.lower())

    def _key(self, info: KeyInfo) -> KeyVal:
        if info.derived:
            return self._derived(info)
        z3 = self.z3
        base = f"ctx.{info.name}"
        present = z3.Bool(f"{self.tag}.{base}.present")
        if info.shape == "single":
            return KeyVal(info, present, single=self._value(info, base))
        count = z3.Int(f"{self.tag}.{base}.count")
        first = self._value(info, f"{base}[0]")
        elems = [first] + [self._value(info, f"{base}[{i}]", like=first) for i in range(1, info.bound)]
        self.domain.append(z3.And(count >= 0, count <= info.bound))
        if info.shape == "list":
            return KeyVal(info, present, count=count, elems=elems)
        single = self._value(info, base, like=first)
        listy = z3.Bool(f"{self.tag}.{base}.is_list")
        return KeyVal(info, present, single=single, count=count, elems=elems, listy=listy)

    def _value(self, info: KeyInfo, name: str, like=None):
        # A key whose values AWS fills in a documented type (engine/keytypes.py)
        # takes only values of that type: the engine refuses any other in a request.
        z3, d = self.z3, self.domain
        full = f"{self.tag}.{name}"
        typed = key_kind(info.lower)
        if info.family == "num":
            cat, val = z3.Int(f"{full}.cat"), z3.Real(f"{full}.num")
            d.append(z3.And(cat >= PLAIN, cat <= OTHER))
            d.append(z3.Implies(cat == ISO, z3.And(val >= ISO_RANGE[0], val <= ISO_RANGE[1])))
            if typed == DATE:
                d.append(z3.Or(cat == PLAIN, cat == ISO))
            elif typed == NUMBER:
                d.append(z3.Or(cat == PLAIN, cat == EXPO))
            elif typed in (IP, BOOL):
                raise UnsupportedConstruct(
                    f"{info.name} holds {'an IP address' if typed == IP else 'true or false'}; "
                    f"a policy compares it as a number or date")
            return NumValue(cat, val, self.plan.numbers.get(info.lower, ()))
        if info.family == "ip":
            cat = z3.Int(f"{full}.cat")
            d.append(z3.And(cat >= V4, cat <= NOT_IP))
            if typed == IP:
                d.append(cat != NOT_IP)
            elif typed is not None:
                raise UnsupportedConstruct(
                    f"{info.name} holds {'true or false' if typed == BOOL else 'a ' + typed}; "
                    f"a policy compares it as an IP address")
            return IpValue(cat, z3.BitVec(f"{full}.v4", 32), z3.BitVec(f"{full}.v6", 128))
        if typed == BOOL and info.family == "str":
            dim = self.space.new(full, [self.pats.literal("true"), self.pats.literal("false")],
                                 like=like.sym.dim if isinstance(like, StrValue) else None)
            return StrValue(DimRef(dim))
        if info.family == "bin":
            consts = list(dict.fromkeys(self.plan.binaries.get(info.lower, [])))
            cands = consts + [fresh_binary(consts)]
            idx = z3.Int(f"{full}.idx")
            d.append(z3.And(idx >= 0, idx < len(cands)))
            return BinValue(idx, cands)
        dim = self.space.new(full, [(("*", self.pats.any),)],
                             like=like.sym.dim if isinstance(like, StrValue) else None)
        return StrValue(DimRef(dim))

    def _derived(self, info: KeyInfo) -> KeyVal:
        z3 = self.z3
        low = info.lower
        t, f = z3.BoolVal(True), z3.BoolVal(False)
        if low in TIME_KEYS:
            cat = ISO if low == "aws:currenttime" else PLAIN
            self.domain.append(z3.And(self.time >= ISO_RANGE[0], self.time <= ISO_RANGE[1]))
            value = NumValue(z3.IntVal(cat), z3.ToReal(self.time), self.plan.numbers.get("aws:time", ()),
                             fixed_cat=cat, integral=True)
            return KeyVal(info, t, single=value)
        if low == "aws:principalarn":
            return KeyVal(info, self.is_iam, single=StrValue(self.principal_arn))
        if low == "aws:principalaccount":
            return KeyVal(info, self.is_iam, single=StrValue(DimRef(self.account)))
        if low == "aws:principaltype":
            value = self._by_kind({USER: Const("User"), ROLE: Const("AssumedRole"),
                                   SESSION: Const("AssumedRole"), ROOT: Const("Account"),
                                   FEDERATED: Const("FederatedUser"), ANONYMOUS: Const("Anonymous")})
            return KeyVal(info, z3.Or(self.is_iam, self.is_kind(ANONYMOUS)), single=StrValue(value))
        if low == "aws:principalisawsservice":
            value = Alt([(self.is_kind(SERVICE), Const("true")), (z3.Not(self.is_kind(SERVICE)), Const("false"))])
            return KeyVal(info, z3.Not(self.is_kind(ANONYMOUS)), single=StrValue(value))
        if low == "aws:username":
            return KeyVal(info, self.is_kind(USER), single=StrValue(DimRef(self.name)))
        if low == "aws:principalservicename":
            return KeyVal(info, self.is_kind(SERVICE), single=StrValue(DimRef(self.service)))
        if low == "aws:resourceaccount":
            return KeyVal(info, self.res_account_set, single=StrValue(DimRef(self.res_account)))
        if low == "aws:userid":
            # Derived for the root user, federated users and anonymous callers; for users and
            # role sessions AWS uses a unique id iamtest does not know: free, as any other key.
            free_present = z3.Bool(f"{self.tag}.ctx.aws:userid.present")
            free = self.space.new(f"{self.tag}.ctx.aws:userid", [(("*", self.pats.any),)])
            value = self._by_kind({ROOT: DimRef(self.account),
                                   FEDERATED: Skel((self.account, ":", self.name)),
                                   ANONYMOUS: Const("anonymous"),
                                   USER: DimRef(free), ROLE: DimRef(free), SESSION: DimRef(free),
                                   SERVICE: Const("")})
            present = z3.If(self.is_kind(ROOT, FEDERATED, ANONYMOUS), t,
                            z3.If(self.is_kind(SERVICE), f, free_present))
            kv = KeyVal(info, present, single=StrValue(value))
            kv.free_parts = (free_present, DimRef(free))
            return kv
        raise AssertionError(f"no derivation for {info.name}")  # pragma: no cover
