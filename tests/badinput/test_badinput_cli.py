"""The policy files of the bad-input corpus through ``iamtest explain``.

The command's contract (its --help): exit 0 when allowed, 1 when denied, 2 on
bad input with a one-line error and no traceback. For a broken policy file
that line names the file and the line, with the same words the pytest plugin
uses (the two share one reader and one parser).
"""
from __future__ import annotations

import os

import pytest

from iamtest.cli import main

from .expected import EXPECTED
from .world import PRINCIPAL, lay_out, layer_of

FLAGS = {"identity": "--identity", "resource": "--resource-policy", "endpoint": "--endpoint",
         "boundary": "--boundary", "session": "--session", "scp": "--scp", "rcp": "--rcp"}
POLICY_ENTRIES = [e for e in EXPECTED if e.source and e.source.startswith("policies/")]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("policy-repo")
    lay_out(folder)
    return folder


def explain(capsys, *args):
    code = main(["explain", *args, "--principal", PRINCIPAL, "--action", "s3:GetObject",
                 "--resource", "arn:aws:s3:::data-bucket/report.csv",
                 "--resource-account", "123456789012"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("expected", POLICY_ENTRIES, ids=[e.name for e in POLICY_ENTRIES])
def test_a_broken_policy_file_exits_2_with_one_line_naming_file_and_line(repo, capsys, expected):
    path = repo / expected.source
    layer = layer_of(path.name)
    args = [FLAGS[layer], str(path)]
    if layer != "identity":
        args += ["--identity", str(repo / "policies" / "bom-at-start.json")]
    if path.name.startswith("gateway-"):
        args += ["--endpoint-type", "gateway"]
    code, out, err = explain(capsys, *args)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"iamtest: error: {path}:{expected.line}: {expected.message}"), err


def test_a_policy_with_a_byte_order_mark_is_read(repo, capsys):
    code, out, err = explain(capsys, "--identity", str(repo / "policies" / "bom-at-start.json"))
    assert (code, err) == (0, "")
    assert out.startswith("decision: Allow")


@pytest.mark.parametrize("name, message", [
    ("policies", "cannot read the file: Is a directory"),
    ("policies/nowhere.json", "no such policy file"),
])
def test_a_path_that_is_no_readable_file_exits_2_naming_it(repo, capsys, name, message):
    code, out, err = explain(capsys, "--identity", str(repo / name))
    assert (code, out) == (2, "")
    assert err == f"iamtest: error: {repo / name}: {message}\n"


def test_an_unreadable_policy_file_exits_2_naming_it(repo, capsys):
    path = repo / "policies" / "unreadable.json"
    path.write_text('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("this process reads files whatever their mode (it runs as root); "
                        "a folder in place of a file stands for an unreadable path above")
        code, out, err = explain(capsys, "--identity", str(path))
    finally:
        path.chmod(0o644)
    assert (code, out) == (2, "")
    assert err == f"iamtest: error: {path}: cannot read the file: Permission denied\n"
