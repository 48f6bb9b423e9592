"""`iamtest explain`: exit 0 allowed, 1 denied, 2 bad input with a one-line error."""
import json

import pytest

from iamtest.cli import main

ROLE = "arn:aws:iam::111122223333:role/App"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "identity.json").write_text(json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "ReadAll", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    (tmp_path / "endpoint.json").write_text(json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "OwnBucket", "Effect": "Allow", "Principal": "*", "Action": "s3:*",
                       "Resource": "arn:aws:s3:::ours/*"}]}))
    (tmp_path / "broken.json").write_text('{"Version": "2012-10-17",\n "Statement": [{"Effect": "Permit"}]}')
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_allowed_request_exits_zero_and_names_the_deciding_statement(files, capsys):
    code, out, _ = run(capsys, "explain", "--identity", str(files / "identity.json"),
                       "--endpoint", str(files / "endpoint.json"), "--principal", ROLE,
                       "--action", "s3:GetObject", "--resource", "arn:aws:s3:::ours/a")
    assert code == 0
    assert out.startswith("decision: Allow")
    assert "'ReadAll'" in out and "'OwnBucket'" in out


def test_denied_request_exits_one_and_says_which_layer_refused(files, capsys):
    code, out, _ = run(capsys, "explain", "--identity", str(files / "identity.json"),
                       "--endpoint", str(files / "endpoint.json"), "--principal", ROLE,
                       "--action", "s3:PutObject", "--resource", "arn:aws:s3:::theirs/secret.txt",
                       "--resource-account", "111122223333")
    assert code == 1
    assert "refused by: endpoint" in out
    assert "closest: statement 'OwnBucket'" in out


def test_json_output_carries_the_decision_and_reasons(files, capsys):
    code, out, _ = run(capsys, "explain", "--identity", str(files / "identity.json"), "--principal", ROLE,
                       "--action", "s3:GetObject", "--resource", "arn:aws:s3:::ours/a", "--json",
                       "--context", "aws:TagKeys=a", "--context", "aws:TagKeys=b")
    data = json.loads(out)
    assert code == 0
    assert data["decision"] == "Allow"
    assert data["deciding"][0]["sid"] == "ReadAll"
    assert data["request"]["context"]["aws:TagKeys"] == ["a", "b"]


@pytest.mark.parametrize("args,message", [
    (["--identity", "missing.json"], "missing.json: no such policy file"),
    (["--identity", "BROKEN"], "broken.json:2: statement #1: `Effect` must be"),
    (["--principal", "not-a-principal"], "principal 'not-a-principal'"),
    (["--context", "novalue"], "expected KEY=VALUE"),
])
def test_bad_input_exits_two_with_one_line(files, capsys, args, message):
    args = [str(files / "broken.json") if a == "BROKEN" else a for a in args]
    base = {"--principal": ROLE, "--action": "s3:GetObject", "--resource": "*"}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    argv = ["explain"] + [x for kv in base.items() for x in kv]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("iamtest: error: ")
    assert message in err
