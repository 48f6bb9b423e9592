"""Hypothesis strategies that write policies and requests the way people do.

Grammar-aware: actions and resources come from :mod:`vocabulary` with
wildcards in their segments, principals of every kind across three accounts,
condition blocks pair each real key with the operators that work on it
(string, ARN, IP address, date, numeric, Bool, Null, with IfExists and the
ForAnyValue/ForAllValues set operators), and every layer of the request path
can appear: identity, resource, VPC endpoint, permissions boundary, session,
SCP levels and RCP levels, for same- and cross-account requests.

The request's principal is drawn first so that resource policies name it (or
its role, or its account) often enough for cross-account grants to happen.
"""
from __future__ import annotations

from hypothesis import strategies as st

from . import vocabulary as V
from .case import Case, principal_account, principal_kind

VERSION_2012 = "2012-10-17"


def weighted(*pairs):
    """``weighted((3, a), (1, b))``: a three times as likely as b."""
    return st.sampled_from([value for weight, value in pairs for _ in range(weight)])


# ---------------------------------------------------------------- principals

@st.composite
def principals(draw):
    acct = draw(weighted((4, V.A), (2, V.B), (1, V.C)))
    kind = draw(weighted((3, "user"), (2, "role"), (3, "assumed-role"), (1, "root"), (1, "federated-user"),
                         (1, "service"), (1, "anonymous")))
    if kind == "user":
        return draw(st.sampled_from(V.users(acct)))
    if kind == "role":
        return draw(st.sampled_from(V.roles(acct)))
    if kind == "assumed-role":
        return draw(st.sampled_from(V.sessions(acct)))
    if kind == "root":
        return V.root(acct)
    if kind == "federated-user":
        return V.federated(acct)
    if kind == "service":
        return draw(st.sampled_from(V.SERVICES))
    return "anonymous"


def role_of(principal: str) -> str:
    """The role ARN behind an assumed-role session ARN."""
    parts = principal.split(":", 5)
    return f"arn:{parts[1]}:iam::{parts[4]}:role/{parts[5].split('/')[1]}"


def principal_names(requester: str):
    """Ways a Principal element may name this requester (or come close to it)."""
    kind = principal_kind(requester)
    acct = principal_account(requester)
    names = []
    if kind in ("user", "role", "assumed-role", "root", "federated-user"):
        names += [requester, acct, V.root(acct)]
    if kind == "assumed-role":
        names.append(role_of(requester))
    return names


@st.composite
def principal_elements(draw, requester: str):
    """A ``Principal`` value for a resource policy."""
    form = draw(weighted((2, "star"), (1, "aws-star"), (6, "aws"), (1, "service"), (1, "mixed")))
    if form == "star":
        return "*"
    if form == "aws-star":
        return {"AWS": "*"}
    others = []
    for acct in V.ACCOUNTS:
        others += [acct, V.root(acct), *V.users(acct)[:1], *V.roles(acct)[:1], *V.sessions(acct)[:1],
                   V.federated(acct)]
    pool = st.one_of(st.sampled_from(principal_names(requester) or others), st.sampled_from(others))
    aws = draw(st.lists(pool, min_size=1, max_size=3, unique=True))
    service = draw(st.sampled_from(V.SERVICES + ((requester,) if principal_kind(requester) == "service" else ())))
    if form == "service":
        return {"Service": service}
    value = aws[0] if len(aws) == 1 and draw(st.booleans()) else aws
    if form == "mixed":
        return {"AWS": value, "Service": service}
    return {"AWS": value}


# ------------------------------------------------------------------ requests

@st.composite
def targets(draw, principal: str):
    """(action, resource ARN, resource account) that belong together."""
    own = principal_account(principal) or V.A
    group = draw(weighted((4, "object"), (2, "bucket"), (2, "table")))
    owner = draw(weighted((3, own), (1, V.A), (1, V.B), (1, V.C)))
    if group == "object":
        action = draw(st.sampled_from(V.OBJECT_ACTIONS))
        resource = f"arn:aws:s3:::{draw(st.sampled_from(V.BUCKETS))}/{draw(st.sampled_from(V.KEYS))}"
    elif group == "bucket":
        action = draw(st.sampled_from(V.BUCKET_ACTIONS))
        resource = f"arn:aws:s3:::{draw(st.sampled_from(V.BUCKETS))}"
    else:
        action = draw(st.sampled_from(V.TABLE_ACTIONS))
        resource = f"arn:aws:dynamodb:{V.REGION}:{owner}:table/{draw(st.sampled_from(V.TABLES))}"
    return action, resource, owner


@st.composite
def contexts(draw, principal: str, action: str, via_endpoint: bool):
    """The keys the caller brings (derived keys are left to the evaluators)."""
    kind = principal_kind(principal)
    iam = kind in ("user", "role", "assumed-role", "root", "federated-user")
    ctx = {}

    def maybe(key, values, p_weight=1):
        if draw(weighted((p_weight, True), (1, False))):
            ctx[key] = draw(st.sampled_from(values))

    if via_endpoint or draw(st.booleans()):
        ctx["aws:SourceVpce"] = draw(st.sampled_from(V.VPCES))
        ctx["aws:SourceVpc"] = draw(st.sampled_from(V.VPCS))
    else:
        maybe("aws:SourceIp", V.IPS, 2)
    if iam:
        acct = principal_account(principal)
        if draw(weighted((4, True), (1, False))):
            ctx["aws:PrincipalOrgID"] = V.ORG_OF[acct]
        if kind != "root":
            maybe("aws:PrincipalTag/team", V.TEAMS)
        if kind in ("role", "assumed-role", "federated-user"):
            maybe("aws:MultiFactorAuthAge", V.MFA_AGES)
    if kind != "anonymous":
        maybe("aws:SecureTransport", (True, False), 3)
    if kind == "service":
        maybe("aws:SourceAccount", V.ACCOUNTS, 3)
    if draw(st.booleans()):
        ctx["aws:TagKeys"] = draw(st.lists(st.sampled_from(V.TAG_KEYS), min_size=0, max_size=3, unique=True))
    if action == "s3:ListBucket":
        maybe("s3:prefix", V.PREFIXES, 2)
    return ctx


# --------------------------------------------------------------- conditions

def string_values(key: str, variables: bool):
    pools = {
        "aws:SourceVpce": V.VPCES + ("vpce-1a2b*",),
        "aws:SourceVpc": V.VPCS + ("vpc-0aa1*",),
        "aws:PrincipalAccount": V.ACCOUNTS + ("1111*",),
        "aws:ResourceAccount": V.ACCOUNTS,
        "aws:PrincipalOrgID": V.ORG_IDS + ("o-aaaa*",),
        "aws:PrincipalType": ("User", "AssumedRole", "Account", "FederatedUser", "Anonymous"),
        "aws:PrincipalTag/team": V.TEAMS + ("r*", "?ed"),
        "aws:TagKeys": V.TAG_KEYS + ("e*",),
        "s3:prefix": V.PREFIXES + ("reports/*", "*"),
        "aws:username": ("alice", "bob", "al*"),
        "aws:PrincipalServiceName": V.SERVICES + ("*.amazonaws.com",),
        "aws:SourceAccount": V.ACCOUNTS,
    }
    pool = pools[key]
    if variables:
        pool += {
            "aws:ResourceAccount": ("${aws:PrincipalAccount}",),
            "s3:prefix": ("${aws:username}/", "${aws:username}/*"),
            "aws:PrincipalTag/team": ("${aws:username}",),
        }.get(key, ())
    return pool


def arn_values(variables: bool):
    pool = [V.root(V.A), "arn:aws:iam::111111111111:role/*", "arn:aws:iam::*:user/alice",
            "arn:aws:iam::111111111111:user/Alice", "arn:aws:iam::111111111111:role/team/*",
            "arn:aws:iam::*:*", "arn:aws:sts::111111111111:assumed-role/App/*", "arn:aws:iam::2222*"]
    for acct in (V.A, V.B):
        pool += [*V.users(acct), *V.roles(acct), V.federated(acct)]
    if variables:
        pool.append("arn:aws:iam::${aws:PrincipalAccount}:*")
    return tuple(pool)


def values_for(key: str, family: str, variables: bool):
    if family == "string":
        return string_values(key, variables)
    if family == "arn":
        return arn_values(variables)
    return {"ip": V.CIDRS, "date": V.TIMES, "bool": ("true", "false"), "numeric": V.MFA_AGES}[family]


CONDITION_KEYS = tuple(V.KEYS_INFO) + ("aws:ResourceAccount",)


@st.composite
def condition_entries(draw, variables: bool):
    """One ``operator: {key: values}`` entry."""
    key = draw(st.sampled_from(CONDITION_KEYS))
    family, multi = V.KEYS_INFO.get(key, ("string", False))
    if draw(weighted((9, False), (1, True))):
        return "Null", key, draw(st.sampled_from(["true", "false"]))
    operator = draw(st.sampled_from(V.OPERATORS[family]))
    if family in ("string", "arn") and draw(weighted((1 if multi else 6, False), (4 if multi else 1, True))):
        operator = draw(st.sampled_from(["ForAnyValue:", "ForAllValues:"])) + operator
    if draw(weighted((4, False), (1, True))):
        operator += "IfExists"
    values = draw(st.lists(st.sampled_from(values_for(key, family, variables)), min_size=1, max_size=2,
                           unique=True))
    return operator, key, values[0] if len(values) == 1 and draw(st.booleans()) else values


@st.composite
def condition_blocks(draw, variables: bool):
    block = {}
    for operator, key, value in draw(st.lists(condition_entries(variables), min_size=1, max_size=3)):
        block.setdefault(operator, {})[key] = value
    return block


# ---------------------------------------------------------------- statements

@st.composite
def statements(draw, kind: str, requester: str, variables: bool):
    stmt = {}
    if draw(weighted((3, False), (1, True))):
        stmt["Sid"] = draw(st.sampled_from(["S1", "Grant", "Guard"]))
    effect = "Deny" if kind == "rcp" else draw(weighted((3, "Allow"), (2, "Deny")))
    stmt["Effect"] = effect
    if kind in ("endpoint", "rcp"):
        stmt["Principal"] = "*"
    elif kind == "resource":
        if effect == "Deny" and draw(weighted((5, False), (1, True))):
            stmt["NotPrincipal"] = draw(principal_elements(requester))
        else:
            stmt["Principal"] = draw(principal_elements(requester))
    actions = V.ACTION_PATTERNS if kind != "rcp" else tuple(a for a in V.ACTION_PATTERNS if a != "*")
    action_list = draw(st.lists(st.sampled_from(actions), min_size=1, max_size=3, unique=True))
    if kind != "rcp" and draw(weighted((6, False), (1, True))):
        stmt["NotAction"] = action_list
    else:
        stmt["Action"] = action_list[0] if len(action_list) == 1 else action_list
    resources = V.RESOURCE_PATTERNS + (V.VARIABLE_RESOURCES if variables else ())
    res_list = draw(st.lists(st.one_of(st.just("*"), st.sampled_from(resources)), min_size=1, max_size=2,
                             unique=True))
    if draw(weighted((6, False), (1, True))):
        stmt["NotResource"] = res_list
    else:
        stmt["Resource"] = res_list[0] if len(res_list) == 1 else res_list
    if draw(weighted((3, False), (2, True))):
        stmt["Condition"] = draw(condition_blocks(variables))
    return stmt


@st.composite
def policies(draw, kind: str, requester: str, max_statements: int = 3):
    version = draw(weighted((17, VERSION_2012), (2, "2008-10-17"), (1, None)))
    if kind == "rcp":
        version = VERSION_2012
    variables = version == VERSION_2012 and draw(st.booleans())
    stmts = draw(st.lists(statements(kind, requester, variables), min_size=1, max_size=max_statements))
    if kind in ("identity", "boundary"):
        # IAM refuses a policy whose Sids repeat ("IAM JSON policy elements: Sid").
        seen = set()
        for i, stmt in enumerate(stmts):
            if "Sid" in stmt and stmt["Sid"] in seen:
                stmt["Sid"] = f"{stmt['Sid']}{i}"
            seen.add(stmt.get("Sid"))
    doc = {} if version is None else {"Version": version}
    doc["Statement"] = stmts[0] if len(stmts) == 1 and draw(weighted((6, False), (1, True))) else stmts
    return doc


FULL_ACCESS = {"Version": VERSION_2012, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


@st.composite
def scp_levels(draw, requester: str):
    levels = []
    for _ in range(draw(st.integers(1, 3))):
        level = []
        if draw(weighted((3, True), (1, False))):
            level.append(FULL_ACCESS)
        level += draw(st.lists(policies("scp", requester, 2), min_size=0 if level else 1, max_size=1))
        levels.append(tuple(level))
    return tuple(levels)


@st.composite
def rcp_levels(draw, requester: str):
    return tuple(tuple(draw(st.lists(policies("rcp", requester, 2), max_size=2)))
                 for _ in range(draw(st.integers(1, 2))))


# ---------------------------------------------------------------------- cases

@st.composite
def cases(draw):
    principal = draw(principals())
    kind = principal_kind(principal)
    action, resource, owner = draw(targets(principal))
    iam = kind in ("user", "role", "assumed-role", "federated-user")
    identity = ()
    if iam:
        identity = tuple(draw(st.lists(policies("identity", principal), min_size=0, max_size=2)))
    cross = principal_account(principal) != owner
    resource_policy = None
    if draw(weighted((3 if cross or not iam else 2, True), (2, False))):
        resource_policy = draw(policies("resource", principal))
    endpoint = endpoint_type = None
    if draw(weighted((1, True), (3, False))):
        endpoint = draw(policies("endpoint", principal, 2))
        endpoint_type = draw(st.sampled_from(["interface", "gateway"]))
    boundary = None
    if kind in ("user", "role", "assumed-role") and draw(weighted((1, True), (3, False))):
        boundary = draw(policies("boundary", principal))
    session = None
    if kind == "federated-user" or (kind in ("role", "assumed-role") and draw(weighted((1, True), (2, False)))):
        session = draw(policies("session", principal))
    scp = draw(scp_levels(principal)) if draw(st.booleans()) else None
    rcp = draw(rcp_levels(principal)) if draw(weighted((1, True), (2, False))) else None
    context = draw(contexts(principal, action, endpoint is not None))
    return Case(principal=principal, action=action, resource=resource, resource_account=owner,
                context=context, identity=identity, resource_policy=resource_policy, endpoint=endpoint,
                endpoint_type=endpoint_type or "interface", boundary=boundary, session=session,
                scp=scp, rcp=rcp)
