"""Fuzzing ``iamtest explain``'s arguments: exit 0 (allowed), 1 (denied) or 2
(bad input, one line on stderr starting ``iamtest: error:``, or argparse's
usage message); never a traceback."""
import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from iamtest.cli import main

from .budget import budget
from .strategies import ACTIONS, ARNS, KEYS, ODD_TEXT, PRINCIPALS, damaged_json, policies

_FOLDER = Path(tempfile.mkdtemp(prefix="iamtest-fuzz-cli-"))
_FILES = {
    "allow.json": '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}',
    "deny.yaml": "Statement:\n  - Effect: Deny\n    Action: s3:*\n    Resource: '*'\n",
    "broken.json": '{"Statement": [{"Effect": "Allow",}]}',
    "list.json": "[]",
    "empty.json": "",
    "nul.yaml": "Statement: \x00\n",
}
for _name, _text in _FILES.items():
    (_FOLDER / _name).write_text(_text)
(_FOLDER / "folder.json").mkdir(exist_ok=True)
_PATHS = [str(_FOLDER / name) for name in list(_FILES) + ["folder.json", "missing.json"]]

FLAGS = ("--identity", "--resource-policy", "--endpoint", "--endpoint-type", "--boundary",
         "--session", "--scp", "--rcp", "--principal", "--action", "--resource",
         "--resource-account", "--context", "--json", "--help-me", "-x", "--")
_VALUES = (st.sampled_from(_PATHS) | st.sampled_from(PRINCIPALS + ACTIONS + ARNS + ODD_TEXT)
           | st.sampled_from(["interface", "gateway", ",".join(_PATHS[:2]), ",", "k=v", "=v", "k="])
           | st.sampled_from(KEYS).map(lambda k: k + "=x") | st.text(max_size=8))


@st.composite
def argvs(draw):
    argv = ["explain"] if draw(st.integers(0, 9)) else [draw(st.sampled_from(["", "explian", "diff"]))]
    required = {"--principal": draw(st.sampled_from(PRINCIPALS)),
                "--action": draw(st.sampled_from(ACTIONS)), "--resource": draw(st.sampled_from(ARNS))}
    for flag, value in required.items():
        if draw(st.integers(0, 9)):
            argv += [flag, value]
    for _ in range(draw(st.integers(0, 6))):
        flag = draw(st.sampled_from(FLAGS))
        argv += [flag] if flag in ("--json", "--") else [flag, draw(_VALUES)]
    return argv


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse: a usage error or --help
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


@budget(80)
@given(argvs())
def test_any_command_line_exits_0_1_or_2_without_a_traceback(argv):
    code, out, err = _run(argv)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err
    if code == 2 and out == "" and not err.startswith("usage:"):
        assert err.startswith("iamtest: error: ") and err.count("\n") == 1, err
    if code in (0, 1):
        assert out.startswith("decision: ") or out.startswith("{")


@budget(60)
@given(policies().map(lambda doc: __import__("json").dumps(doc)) | damaged_json(policies()),
       st.sampled_from(["identity", "resource-policy", "endpoint", "boundary", "session", "scp"]))
def test_any_policy_file_is_explained_or_refused_in_one_line(text, flag):
    path = _FOLDER / "fuzzed.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, out, err = _run(["explain", f"--{flag}", str(path), "--principal",
                           "arn:aws:iam::123456789012:role/App", "--action", "s3:GetObject",
                           "--resource", "arn:aws:s3:::bucket/key"])
    assert code in (0, 1, 2)
    if code == 2:
        assert err.startswith(f"iamtest: error: {path}") and err.count("\n") == 1, err
