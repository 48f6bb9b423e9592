"""Inputs for the fuzzers: near-valid policies, access-test files, YAML and JSON text.

Random bytes rarely get past a parser's first character, so most inputs here
are built from the vocabulary of the format (policy elements, operators,
condition keys, ARNs, layers) and then damaged: a value of the wrong type, a
key misspelt, a string cut short, a character no file should hold. Every
strategy mixes in plain random values too.
"""
from __future__ import annotations

import json

from hypothesis import strategies as st

from iamtest.engine.conditions.registry import FOR_ALL_VALUES, FOR_ANY_VALUE, OPERATORS
from iamtest.spec.model import LAYERS

# -- words -----------------------------------------------------------------------------

ACCOUNTS = ("123456789012", "111122223333", "000000000000")
ODD_TEXT = ("", " ", "*", "?", "**", "${", "${aws:username}", "${*}", "${aws:x, 'd'}", "}", "\\",
            "\n", "\t", "\x00", "\ufeff", "\u0661\u0662", "\U0001F600", "null", "true", "1e999",
            "-0", "0x10", "%s", "'", '"', "::::::", "arn:", "arn:aws", "a" * 300)
ARNS = (
    "arn:aws:s3:::bucket", "arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket/*", "arn:aws:s3:::*",
    "arn:aws:iam::123456789012:role/App", "arn:aws:iam::123456789012:user/alice",
    "arn:aws:iam::123456789012:root", "arn:aws:sts::123456789012:assumed-role/App/s",
    "arn:aws:sts::123456789012:federated-user/carol", "arn:aws:iam::123456789012:group/G",
    "arn:aws-cn:s3:::b", "arn:aws:dynamodb:us-east-1:111122223333:table/T",
    "arn:aws:s3:::b/${aws:username}/*", "arn:aws:${aws:x}:::b", "arn:aws:s3:::b:c:d:e",
    "arn:*:*:*:*:*", "arn:aws:iam::12345678901:root", "arn:aws:iam:::root", "arn::::::",
    "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets",
    "arn:aws:execute-api:us-east-1:123456789012:abc123", "execute-api:/*",
    "execute-api:/prod/GET/*", "execute-api:/${aws:username}/*",
)
PRINCIPALS = ARNS + ("anonymous", "lambda.amazonaws.com", "s3.amazonaws.com", "123456789012",
                     "*", "amazonaws.com", "Lambda.amazonaws.com")
ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:*", "s3:Get*", "*", "s3:Get?bject",
           "execute-api:Invoke",
           "S3:getobject", "dynamodb:GetItem", "iam:PassRole", "ec2:RunInstances", "s3", ":",
           "s3:", ":GetObject", "s3:Get:Object", "s3 :GetObject", "sts:AssumeRole")
KEYS = ("aws:SourceVpce", "aws:SourceIp", "aws:CurrentTime", "aws:EpochTime", "aws:PrincipalArn",
        "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:TagKeys", "aws:username",
        "aws:MultiFactorAuthAge", "aws:SecureTransport", "aws:RequestTag/team",
        "aws:PrincipalTag/team", "s3:prefix", "aws:ResourceAccount", "s3:x-amz-acl", "k")
CONTEXT_VALUES = ("vpce-1", "203.0.113.7", "2001:db8::1", "10.0.0.0/8", "2024-01-01T00:00:00Z",
                  "2024-01-01", "1700000000", "1700000000000", "true", "false", "TRUE", "o-abc",
                  "123456789012", "3600", "1.5", "-1", "team-a", "public-read", "fe80::1%eth0",
                  "2024-13-01", "24:00", "9" * 60)

OPERATOR_NAMES = tuple(sorted(OPERATORS))


def _operator_names():
    base = st.sampled_from(OPERATOR_NAMES)
    suffix = st.sampled_from(["", "", "IfExists"])
    prefix = st.sampled_from(["", "", FOR_ANY_VALUE + ":", FOR_ALL_VALUES + ":"])
    written = st.builds(lambda p, b, s: p + b + s, prefix, base, suffix)
    damaged = written.map(lambda name: name.lower()) | written.map(lambda name: name[:-1]) | \
        st.sampled_from(["ForAnyValue:", ":StringEquals", "NullIfExists", "StringLikee",
                         "ForEachValue:StringEquals", "Foo:StringEquals", ""])
    return written | damaged


OPERATOR = _operator_names()

# -- values of any shape ------------------------------------------------------------------

SCALAR = (st.none() | st.booleans() | st.integers(min_value=-10**20, max_value=10**20)
          | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(ODD_TEXT)
          | st.text(max_size=12))


def junk(depth: int = 3):
    """Any JSON-like value: what a damaged document holds where something else was meant."""
    return st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                        max_leaves=6)


def one_or_many(values):
    return values | st.lists(values, min_size=0, max_size=3)


def sometimes(value_strategy, junk_weight: int = 1):
    """Mostly values of the right shape, sometimes anything at all."""
    return st.one_of(*([value_strategy] * 4), *([junk()] * junk_weight))


# -- policies ---------------------------------------------------------------------------

def _text_or(words):
    return st.sampled_from(words) | st.sampled_from(ODD_TEXT) | st.text(max_size=10)


CONDITION_VALUE = one_or_many(st.sampled_from(CONTEXT_VALUES) | st.sampled_from(ODD_TEXT)
                              | st.integers(-5, 10**13) | st.booleans()
                              | st.floats(allow_nan=False, allow_infinity=False))

CONDITION = st.dictionaries(
    OPERATOR,
    sometimes(st.dictionaries(_text_or(KEYS), sometimes(CONDITION_VALUE), min_size=0, max_size=3)),
    min_size=0, max_size=3)

PRINCIPAL_ELEMENT = (
    st.just("*")
    | st.dictionaries(st.sampled_from(["AWS", "Service", "Federated", "CanonicalUser", "aws", "Other"]),
                      sometimes(one_or_many(_text_or(PRINCIPALS))), max_size=3)
    | junk())

STATEMENT_KEYS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
                  "NotResource", "Condition")


@st.composite
def statements(draw):
    stmt = {}
    if draw(st.booleans()):
        stmt["Sid"] = draw(sometimes(st.text(max_size=8)))
    stmt["Effect"] = draw(sometimes(st.sampled_from(["Allow", "Deny", "allow", "Permit", ""])))
    if draw(st.booleans()):
        stmt[draw(st.sampled_from(["Principal", "NotPrincipal"]))] = draw(PRINCIPAL_ELEMENT)
    stmt[draw(st.sampled_from(["Action", "Action", "NotAction"]))] = draw(
        sometimes(one_or_many(_text_or(ACTIONS))))
    if draw(st.integers(0, 4)):
        stmt[draw(st.sampled_from(["Resource", "Resource", "NotResource"]))] = draw(
            sometimes(one_or_many(_text_or(ARNS))))
    if draw(st.booleans()):
        stmt["Condition"] = draw(sometimes(CONDITION))
    if draw(st.integers(0, 9)) == 0:  # an element that is not one, or a second of a pair
        stmt[draw(st.sampled_from(STATEMENT_KEYS + ("Effects", "condition", "Id")))] = draw(junk())
    return stmt


@st.composite
def policies(draw):
    """A policy document, mostly well formed, sometimes damaged anywhere."""
    doc = {}
    if draw(st.integers(0, 3)):
        doc["Version"] = draw(sometimes(st.sampled_from(["2012-10-17", "2008-10-17", "2012-10-18"])))
    if draw(st.integers(0, 5)) == 0:
        doc["Id"] = draw(junk())
    many = draw(st.lists(statements(), min_size=0, max_size=3))
    doc["Statement"] = draw(st.sampled_from([0, 1, 1, 1, 2])) and (
        many if len(many) != 1 or draw(st.booleans()) else many[0])
    if draw(st.integers(0, 9)) == 0:
        doc[draw(st.sampled_from(["Statements", "version", "Extra"]))] = draw(junk())
    return draw(st.sampled_from([doc] * 9 + [None])) or draw(junk())


# -- requests ---------------------------------------------------------------------------

CONTEXT = st.dictionaries(_text_or(KEYS), one_or_many(st.sampled_from(CONTEXT_VALUES)
                                                      | st.sampled_from(ODD_TEXT)
                                                      | st.integers(-5, 10**13) | st.booleans()),
                          max_size=4)


@st.composite
def requests(draw):
    return dict(principal=draw(_text_or(PRINCIPALS)), action=draw(_text_or(ACTIONS)),
                resource=draw(_text_or(ARNS)),
                resource_account=draw(st.none() | st.sampled_from(ACCOUNTS) | st.text(max_size=13)),
                context=draw(CONTEXT))


# -- access-test files --------------------------------------------------------------------

SOURCES = ("allow-all", "good.json", "bad.json", "list.json", "good.yaml", "missing.json", ".",
           "../outside.json", "", "allow-all ")


def _source():
    return sometimes(st.sampled_from(SOURCES) | policies()
                     | st.fixed_dictionaries({"terraform": st.sampled_from(["main.tf", "none.tf"]),
                                              "address": st.sampled_from(["aws_iam_policy.p", "x"])})
                     | st.fixed_dictionaries({"cloudformation": st.sampled_from(["t.yaml", "none.yaml"]),
                                              "resource": st.sampled_from(["P", "Q"])}))


def _layers():
    return st.dictionaries(st.sampled_from(LAYERS + ("endpont", "identities")),
                           st.none() | _source() | st.lists(_source() | st.lists(_source(), max_size=2),
                                                            max_size=3),
                           max_size=4)


@st.composite
def cases(draw, index):
    case = {"name": draw(sometimes(st.just(f"case {index}") | st.text(max_size=6))),
            "principal": draw(sometimes(one_or_many(_text_or(PRINCIPALS)))),
            "action": draw(sometimes(one_or_many(_text_or(ACTIONS)))),
            "resource": draw(sometimes(one_or_many(_text_or(ARNS)))),
            "expect": draw(sometimes(st.sampled_from(["allow", "deny", "explicit-deny",
                                                      "implicit-deny", "alow"])))}
    optional = {
        "resource_account": sometimes(st.sampled_from(ACCOUNTS) | st.text(max_size=13)),
        "context": sometimes(CONTEXT | st.none()),
        "policies": sometimes(_layers() | st.none()),
        "endpoint_type": sometimes(st.sampled_from(["interface", "gateway", "Gateway"])),
        "denied_by": sometimes(st.sampled_from(LAYERS + ("nobody",))),
        "skip": sometimes(st.text(max_size=5)), "xfail": sometimes(st.text(max_size=5)),
        "marks": sometimes(one_or_many(st.sampled_from(["slow", "skip", "a b", "x-1"]))),
        "expct": junk(),
    }
    for key, value in optional.items():
        if draw(st.integers(0, 4)) == 0:
            case[key] = draw(value)
    if draw(st.integers(0, 9)) == 0:
        del case[draw(st.sampled_from(sorted(case)))]
    return case


@st.composite
def access_test_files(draw):
    """An access-test document (a dict, or sometimes something else entirely)."""
    doc = {}
    if draw(st.booleans()):
        doc["policies"] = draw(sometimes(_layers()))
    if draw(st.integers(0, 2)) == 0:
        doc["context"] = draw(sometimes(CONTEXT))
    if draw(st.integers(0, 3)) == 0:
        doc["endpoint_type"] = draw(sometimes(st.sampled_from(["interface", "gateway"])))
    count = draw(st.integers(0, 3))
    doc["cases"] = [draw(cases(i)) for i in range(count)] if draw(st.integers(0, 9)) else draw(junk())
    if draw(st.integers(0, 9)) == 0:
        doc["properties"] = draw(junk())
    return doc if draw(st.integers(0, 19)) else draw(junk())


# -- text -------------------------------------------------------------------------------

YAML_PIECES = ("\n", "\n  ", "\n    ", ": ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "&b ",
               "*b", "<<: ", "!!str ", "!!binary ", "!Ref ", "? ", "---\n", "...\n", "'", '"',
               "|\n  ", ">\n  ", "#", "%YAML 1.1\n", "\t", "\x00", "\ufeff", "\x85", "\u2028",
               "cases", "policies", "name", "expect", "allow", "null", "~", "12345678901",
               "x", "é")
JSON_PIECES = ("{", "}", "[", "]", ",", ":", '"', '"Statement"', '"Effect"', '"Allow"', "true",
               "false", "null", "1", "-", "1e400", "0.5", " ", "\n", "\\", "\\u", "\\ud800", "\\n",
               "NaN", "/*", "\ufeff", "\x00", "é", "9" * 30)


def _soup(pieces, max_size):
    return st.lists(st.sampled_from(pieces) | st.text(max_size=3), max_size=max_size).map("".join)


YAML_TEXT = _soup(YAML_PIECES, 40) | st.text(max_size=60)
JSON_TEXT = _soup(JSON_PIECES, 40) | st.text(max_size=60)


def damaged_json(values):
    """JSON text of a value, cut short or with a byte changed."""
    return st.tuples(values, st.integers(0, 10**6), st.sampled_from(["cut", "flip", "none"]),
                     st.sampled_from(JSON_PIECES)).map(_damage)


def _damage(args):
    value, where, how, piece = args
    text = json.dumps(value, indent=1)
    at = where % (len(text) + 1)
    if how == "cut":
        return text[:at]
    if how == "flip":
        return text[:at] + piece + text[at + 1:]
    return text
