"""The ``iamtest`` command: ad-hoc questions to the evaluator, and tools.

``iamtest explain`` exits 0 when the request is allowed, 1 when it is denied,
2 on bad input (with a one-line error, never a traceback).
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import List, Optional

from .engine.decide import decide
from .engine.layers import PolicySet
from .engine.model import PolicyError
from .engine.parse import parse_policy
from .engine.request import RequestError, make_request


class UsageError(Exception):
    """Bad input on the command line: exit 2 with this message."""


def load_policy_file(path: str, kind: str):
    """Read a JSON or YAML policy file and parse it as a ``kind`` policy.

    The file is read as the pytest plugin reads it (a byte order mark is
    allowed; a file that is not UTF-8 names the line of its first bad byte).
    """
    from .spec.errors import SourceError
    from .spec.loader import load_policy_document
    from .spec.pathkind import MISSING, UNUSABLE, path_kind

    found, why = path_kind(Path(path))
    if found == MISSING:
        raise UsageError(f"{path}: no such policy file")
    if found == UNUSABLE:
        raise UsageError(f"{path}: {why}")
    try:
        loaded = load_policy_document(path, path)
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    return parse_policy(loaded.data, source=path, locations=loaded.locations, kind=kind)


def _context(pairs: List[str]) -> dict:
    out: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--context {pair!r}: expected KEY=VALUE")
        if key in out:
            previous = out[key]
            out[key] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            out[key] = value
    return out


def _levels(values: Optional[List[str]], kind: str):
    if not values:
        return None
    return tuple(tuple(load_policy_file(p.strip(), kind) for p in level.split(",") if p.strip())
                 for level in values)


def _one(path: Optional[str], kind: str):
    return load_policy_file(path, kind) if path else None


def cmd_explain(args) -> int:
    from .explain import render_text

    policies = PolicySet(
        identity=tuple(load_policy_file(p, "identity") for p in args.identity) if args.identity else None,
        resource=_one(args.resource_policy, "resource"),
        endpoint=_one(args.endpoint, "endpoint"),
        endpoint_type=args.endpoint_type,
        boundary=_one(args.boundary, "boundary"),
        session=_one(args.session, "session"),
        scp=_levels(args.scp, "scp"),
        rcp=_levels(args.rcp, "rcp"),
    )
    request = make_request(args.principal, args.action, args.resource,
                           resource_account=args.resource_account, context=_context(args.context or []))
    decision = decide(policies, request)
    emit(json.dumps(decision.to_dict(), indent=2) if args.json else render_text(decision))
    return 0 if decision.allowed else 1


def printable(text: str, stream) -> str:
    """``text`` as ``stream`` can write it: a character its encoding cannot hold
    (a lone surrogate from a policy, a byte of a non-UTF-8 argument) becomes a
    backslash escape instead of a UnicodeEncodeError."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    return text.encode(encoding, "backslashreplace").decode(encoding)


def emit(text: str) -> None:
    """Print ``text``. A reader that went away (``iamtest explain ... | head -1``)
    is not an error: the rest of the output is dropped, the exit code stays."""
    try:
        print(printable(text, sys.stdout))
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at the null device so the interpreter's own flush at exit
        # does not fail again on the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iamtest", description="pytest for AWS access policies")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    explain = sub.add_parser("explain", help="evaluate one request against the policies on its path",
                             description="Evaluate one request as AWS would and explain the decision. "
                                         "Exit 0 when allowed, 1 when denied, 2 on bad input.")
    explain.add_argument("--identity", action="append", metavar="FILE",
                         help="identity-based policy of the principal (repeatable)")
    explain.add_argument("--resource-policy", metavar="FILE", help="resource-based policy of the resource")
    explain.add_argument("--endpoint", metavar="FILE", help="VPC endpoint policy the request passes through")
    explain.add_argument("--endpoint-type", choices=("interface", "gateway"), default="interface",
                         help="kind of VPC endpoint (default: interface)")
    explain.add_argument("--boundary", metavar="FILE", help="permissions boundary of the principal")
    explain.add_argument("--session", metavar="FILE", help="session policy")
    explain.add_argument("--scp", action="append", metavar="FILE[,FILE]",
                         help="SCPs of one organization level, root first (repeatable; a level with several "
                              "policies as comma-separated paths)")
    explain.add_argument("--rcp", action="append", metavar="FILE[,FILE]", help="RCPs, same shape as --scp")
    explain.add_argument("--principal", required=True, help="IAM ARN, service principal, or `anonymous`")
    explain.add_argument("--action", required=True, help="service:Action")
    explain.add_argument("--resource", required=True, help="resource ARN, or `*`")
    explain.add_argument("--resource-account", help="account that owns the resource (for ARNs without one)")
    explain.add_argument("--context", action="append", metavar="KEY=VALUE",
                         help="request context key (repeatable; a repeated key is multivalued)")
    explain.add_argument("--json", action="store_true", help="print the decision and its reasons as JSON")
    explain.set_defaults(func=cmd_explain)

    for module in ("iamtest.iac.rules_dir", "iamtest.prove.diff_cli"):
        if _module_exists(module):  # optional parts: present in the package or not at all
            importlib.import_module(module).add_subcommand(sub)
    return parser


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UsageError, RequestError, ValueError) as exc:
        # One line, whatever the input held (a file name or value with a line break).
        message = str(exc).replace("\r", "\\r").replace("\n", "\\n")
        print(printable(f"iamtest: error: {message}", sys.stderr), file=sys.stderr)
        return 2
    except PolicyError as exc:  # pragma: no cover - PolicyError is a ValueError; kept for clarity
        print(f"iamtest: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
