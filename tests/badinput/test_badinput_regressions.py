"""Regression tests for crashes found by the bad-input corpus and the fuzzers.

Each test names the input that used to escape as a Python exception (a bare
traceback in pytest, a stack dump from the CLI) and pins the error that now
takes its place: our own error type, with the file and the line.
"""
import json
import subprocess
import sys

import pytest

from iamtest.spec import (SourceError, SpecError, load_json, load_policy_document, load_spec_file,
                          load_yaml)
from iamtest import PolicyError, RequestError, make_request, parse_policy
from iamtest.cli import main as cli_main
from iamtest.iac import IacError, resolve_source
from iamtest.iac.hcl_eval import MAX_DEPTH as HCL_MAX_DEPTH
from iamtest.iac.hcl_functions import MAX_VALUE as HCL_MAX_VALUE
from iamtest.spec.yamlload import MAX_DEPTH


@pytest.mark.parametrize("text, line, message", [
    # int() refuses more than sys.get_int_max_str_digits() digits (4300 by default)
    ('{"Id":\n' + "1" * 5000 + "}", 2,
     "invalid JSON: the number `11111111111111111...` has too many digits (5000)"),
    # float() turns this into inf without a word
    ('{"Statement": [\n  1e400]}', 2, "invalid JSON: the number `1e400` is too large"),
    ('[-2E+999]', 1, "invalid JSON: the number `-2E+999` is too large"),
])
def test_json_numbers_python_cannot_hold_are_errors_with_the_line(text, line, message):
    with pytest.raises(SourceError) as info:
        load_json(text, "p.json")
    assert (info.value.source, info.value.line, info.value.message) == ("p.json", line, message)


def _yaml_error(text):
    with pytest.raises(SpecError) as info:
        load_yaml(text, "t.yaml")
    return info.value.line, info.value.message


@pytest.mark.parametrize("depth", [300, 600, 999])
def test_yaml_nested_past_the_limit_is_an_error_not_a_recursion_error(depth):
    # libyaml itself stops at 1000 levels; between 200 and 1000 the reader
    # used to exhaust Python's stack while building the values.
    flow = "a: " + "[" * depth + "]" * depth + "\n"
    assert _yaml_error(flow) == (1, f"nested more than {MAX_DEPTH} levels deep")
    block = "".join("  " * i + "a:\n" for i in range(depth)) + "  " * depth + "x\n"
    assert _yaml_error(block) == (MAX_DEPTH + 2, f"nested more than {MAX_DEPTH} levels deep")


def test_yaml_nested_up_to_the_limit_is_read():
    depth = MAX_DEPTH - 1
    assert load_yaml("a: " + "[" * depth + "]" * depth, "t.yaml").data["a"] is not None


@pytest.mark.parametrize("text, line, code, reason", [
    ("a: b\nc: \x00\n", 2, "0000", "control characters are not allowed"),
    # the C reader counts bytes: the two-byte U+0085 must not shift the line
    ("a: \x85x\nb: c\n\x07\n", 3, "0007", "control characters are not allowed"),
])
def test_yaml_characters_the_reader_refuses_name_their_line(text, line, code, reason):
    # used to be "x.yaml: invalid YAML: unacceptable character ... in "<unicode string>",
    # position 8": no line, and the reader's internals in the message
    assert _yaml_error(text) == (line, f"invalid YAML: the character U+{code} is not allowed ({reason})")


def test_yaml_text_with_a_lone_surrogate_is_an_error():
    # the C reader raised UnicodeEncodeError (not a YAML error) on it
    assert _yaml_error("a: \ud800\n") == (None, "invalid YAML: the text is not valid Unicode "
                                                 "(it holds a lone surrogate)")


@pytest.mark.parametrize("data, line, message", [
    (b"cases:\n  - name: caf\xe9\n", 2, "the file is not UTF-8 text (byte 20: invalid continuation byte)"),
    # after a byte order mark, the offset is still the file's
    (b"\xef\xbb\xbfcases:\n\n  - name: \xff\n", 3,
     "the file is not UTF-8 text (byte 21: invalid start byte)"),
])
def test_non_utf8_files_name_the_line_of_the_first_bad_byte(tmp_path, data, line, message):
    # used to name no line, and a byte offset that left out the byte order mark
    spec = tmp_path / "t.iamtest.yaml"
    spec.write_bytes(data)
    with pytest.raises(SpecError) as info:
        load_spec_file(spec, "t.iamtest.yaml")
    assert (info.value.line, info.value.message) == (line, message)
    policy = tmp_path / "p.json"
    policy.write_bytes(data)
    with pytest.raises(SourceError) as info:
        load_policy_document(policy, "p.json")
    assert (info.value.source, info.value.line, info.value.message) == ("p.json", line, message)


def _resource_policy(principal):
    return {"Statement": [{"Effect": "Allow", "Principal": {"AWS": principal},
                           "Action": "s3:*", "Resource": "*"}]}


@pytest.mark.parametrize("principal", [
    "123456789012\n",   # `$` in the account pattern allowed a final newline; deciding then
                        # raised IndexError while reading the value as an ARN
    "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662",  # `\d`: any script
])
def test_policy_account_ids_are_twelve_ascii_digits(principal):
    with pytest.raises(PolicyError) as info:
        parse_policy(_resource_policy(principal), "p.json", kind="resource")
    assert info.value.message.startswith(f"statement #1: invalid AWS principal {principal!r}: "
                                         f"expected `*`, a 12-digit account id or an IAM ARN")


@pytest.mark.parametrize("action", ["s3:GetObject\n", "s3:Get*\n"])
def test_policy_actions_with_a_final_newline_are_refused(action):
    doc = {"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}
    with pytest.raises(PolicyError) as info:
        parse_policy(doc, "p.json")
    assert info.value.message == f"statement #1: `Action` value {action!r} is not `service:action` or `*`"


@pytest.mark.parametrize("field, value, message", [
    ("principal", "123456789012\n", "principal '123456789012\\n' is not an IAM ARN"),
    ("principal", "lambda.amazonaws.com\n", "principal 'lambda.amazonaws.com\\n' is not an IAM ARN"),
    ("principal", "arn:aws:iam::\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662:root",
     "principal 'arn:aws:iam::"),
    ("action", "s3:GetObject\n", "action 's3:GetObject\\n' is not `service:ActionName`"),
    ("resource_account", "123456789012\n", "resource_account '123456789012\\n' is not a 12-digit account id"),
])
def test_requests_with_a_final_newline_or_foreign_digits_are_refused(field, value, message):
    request = dict(principal="arn:aws:iam::123456789012:role/R", action="s3:GetObject",
                   resource="arn:aws:s3:::b/k")
    request[field] = value
    with pytest.raises(RequestError) as info:
        make_request(**request)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("context, message", [
    # each used to escape as TypeError or AttributeError from the context model
    ({"k": {"nested": "map"}}, "context key 'k': a value must be a string, number or boolean, "
                               "or a list of them; got {'nested': 'map'}"),
    ({"k": [["nested"]]}, "context key 'k': a value must be a string, number or boolean, "
                          "or a list of them; got ['nested']"),
    ({"k": [None]}, "context key 'k': a value must be a string, number or boolean, "
                    "or a list of them; got None"),
    ({"k": b"bytes"}, "context key 'k': a value must be a string, number or boolean, "
                      "or a list of them; got b'bytes'"),
    ({1: "x"}, "context keys must be non-empty strings; got 1"),
    ({"": "x"}, "context keys must be non-empty strings; got ''"),
    (["aws:SourceVpce", "vpce-1"], "context must be a mapping of keys to values; got list"),
    # the resource account a context gives stands where `resource_account` would
    ({"aws:ResourceAccount": ["111122223333"]},
     "context key aws:ResourceAccount ['111122223333'] is not a 12-digit account id"),
    ({"aws:ResourceAccount": "bucket-owner"},
     "context key aws:ResourceAccount 'bucket-owner' is not a 12-digit account id"),
])
def test_request_contexts_of_the_wrong_shape_are_request_errors(context, message):
    with pytest.raises(RequestError) as info:
        make_request("arn:aws:iam::123456789012:role/R", "s3:GetObject", "arn:aws:s3:::b/k",
                     context=context)
    assert str(info.value) == message


def _explain(capsys, policy):
    code = cli_main(["explain", "--identity", str(policy), "--principal", "123456789012",
                     "--action", "s3:GetObject", "--resource", "*"])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_reads_a_policy_with_a_byte_order_mark_as_the_plugin_does(tmp_path, capsys):
    # the plugin allowed the mark; `iamtest explain` failed with "expected a value, found `\ufeff`"
    policy = tmp_path / "bom.json"
    policy.write_bytes(b'\xef\xbb\xbf{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    code, out, err = _explain(capsys, policy)
    assert (code, err) == (0, "")
    assert out.startswith("decision: Allow")


def test_cli_names_the_line_of_a_non_utf8_byte(tmp_path, capsys):
    policy = tmp_path / "latin1.json"
    policy.write_bytes(b'{\n"Statement": "caf\xe9"}')
    code, out, err = _explain(capsys, policy)
    assert (code, out) == (2, "")
    assert err == (f"iamtest: error: {policy}:2: the file is not UTF-8 text "
                   f"(byte 19: invalid continuation byte)\n")


def test_cli_output_to_a_reader_that_went_away_is_not_a_traceback(tmp_path):
    # `iamtest explain ... | head -0`: the reader closes the pipe before the
    # decision is printed. Python used to print a BrokenPipeError traceback.
    policy = tmp_path / "p.json"
    policy.write_text('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    child = subprocess.Popen(
        [sys.executable, "-m", "iamtest", "explain", "--identity", str(policy), "--principal",
         "123456789012", "--action", "s3:GetObject", "--resource", "*"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # long before the interpreter has imported iamtest
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == 0  # allowed: the exit code is still the decision's
    assert err == ""


_CFN_HEAD = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: "
_ALIAS_LEVELS = "\n".join(["a0: &a0 [q, q, q, q, q, q, q, q, q]"] + [
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]) + "\n"


@pytest.mark.parametrize("content, line, message", [
    # UnicodeDecodeError escaped
    ("Resources:\n  P:\n    Type: caf\xe9\n".encode("latin-1"), 3,
     "not UTF-8 text (invalid continuation byte at byte 29)"),
    # no line, and "in "<unicode string>", position 46" in the message
    (_CFN_HEAD + '"a\x00"\n', 5, "invalid YAML: the character U+0000 is not allowed "
                                 "(special characters are not allowed)"),
    # RecursionError while converting
    ("X: &a [*a]\n" + _CFN_HEAD + "{}\n", 1,
     "a YAML alias refers to a node that contains it (recursive alias)"),
    ("X: &a {k: *a}\n" + _CFN_HEAD + "*a\n", 1,
     "a YAML alias refers to a node that contains it (recursive alias)"),
    # RecursionError in the YAML composer, then in the conversion
    (_CFN_HEAD + "[" * 900 + "]" * 900 + "\n", 5, f"nested more than {MAX_DEPTH} levels deep"),
    (_CFN_HEAD + "[" * 300 + "]" * 300 + "\n", 5, f"nested more than {MAX_DEPTH} levels deep"),
    # nine levels of nine aliases: 387 million nodes; memory ran out
    (_ALIAS_LEVELS + _CFN_HEAD + "{Statement: *a8}\n", 6,
     "YAML aliases expand to more than 100000 extra nodes; an alias bomb is refused"),
])
def test_cloudformation_templates_that_crashed_the_reader_are_errors(tmp_path, content, line, message):
    template = tmp_path / "t.yaml"
    (template.write_bytes if isinstance(content, bytes) else template.write_text)(content)
    with pytest.raises(IacError) as info:
        resolve_source({"cloudformation": "t.yaml", "resource": "P"}, tmp_path)
    assert (info.value.line, info.value.message) == (line, message)


def _terraform(tmp_path, text):
    (tmp_path / "main.tf").write_text(text)
    with pytest.raises(IacError) as info:
        resolve_source({"terraform": "main.tf", "address": "aws_iam_policy.p"}, tmp_path)
    return info.value.line, info.value.message


def _tf_policy(expression):
    return 'resource "aws_iam_policy" "p" {\n  policy = ' + expression + "\n}\n"


@pytest.mark.parametrize("expression", [
    "[" * 400 + "]" * 400,
    "(" * 400 + "1" + ")" * 400,
    "{a = " * 400 + "1" + "}" * 400,
    "lower(" * 400 + '"a"' + ")" * 400,
])
def test_terraform_expressions_nested_past_the_limit_are_errors(tmp_path, expression):
    # each raised RecursionError from the evaluator
    assert _terraform(tmp_path, _tf_policy(expression)) == (
        2, f"expressions nest more than {HCL_MAX_DEPTH} levels deep")


def test_terraform_reference_chains_past_the_limit_are_errors(tmp_path):
    links = "".join(f'  a{i} = "${{local.a{i + 1}}}"\n' for i in range(400))
    line, message = _terraform(tmp_path, "locals {\n" + links + '  a400 = "x"\n}\n' +
                               _tf_policy("local.a0"))
    assert message == f"expressions nest more than {HCL_MAX_DEPTH} levels deep"
    assert 2 <= line <= 401  # a local in the chain


def _locals_growing(first, step, levels=12):
    """locals a0 = first, a1 = step(a0), ...: a value that multiplies at each level."""
    lines = [f"  a0 = {first}"] + [f"  a{i} = {step(f'local.a{i - 1}')}" for i in range(1, levels)]
    return "locals {\n" + "\n".join(lines) + "\n}\n"


_TOO_LARGE = f"the value is larger than {HCL_MAX_VALUE:,} characters and items; a policy is far smaller"


@pytest.mark.parametrize("config, message", [
    # Each of these doubled (or more) at every step until the memory ran out:
    # 45 nested jsonencode calls of "\"" need 2**45 backslashes.
    (_tf_policy("jsonencode(" * 45 + '"\\""' + ")" * 45), _TOO_LARGE),
    (_locals_growing('"xx"', lambda a: '"' + ("${" + a + "}") * 8 + '"')
     + _tf_policy("local.a11"),
     f"the template is larger than {HCL_MAX_VALUE:,} characters; a policy is far smaller"),
    # shared lists: small in memory, until jsonencode writes every copy
    (_locals_growing('["x"]', lambda a: "[" + ", ".join([a] * 8) + "]")
     + _tf_policy("jsonencode(local.a11)"), _TOO_LARGE),
    (_locals_growing('["x", "y", "z"]', lambda a: f"[for x in {a} : {a}]")
     + _tf_policy("jsonencode(local.a11)"), _TOO_LARGE),
    (_locals_growing('"xx"', lambda a: f'replace({a}, "", {a})') + _tf_policy("local.a11"),
     f"replace() would build more than {HCL_MAX_VALUE:,} characters; a policy is far smaller"),
    (_locals_growing('"xx"', lambda a: f"join({a}, [{a}, {a}, {a}])") + _tf_policy("local.a11"),
     _TOO_LARGE),
])
def test_terraform_values_that_grow_without_bound_are_errors(tmp_path, config, message):
    line, text = _terraform(tmp_path, config)
    assert text.endswith(message)
    assert line is not None


@pytest.mark.parametrize("config, line, message", [
    # ValueError from int(): more digits than Python converts
    (_tf_policy("1" * 5000), 2, "the number 1111111111111111111111111111111111111... "
                                "has more than 1000 digits"),
    # squaring at each step: hours of arithmetic on numbers of millions of digits
    ("locals {\n  n0 = 99999999999\n" + "".join(
        f"  n{i} = local.n{i - 1} * local.n{i - 1}\n" for i in range(1, 20)) + "}\n"
     + _tf_policy("local.n19"), 9, "*: the result has more than 1000 digits"),
    # RecursionError from the JSON decoder
    (_tf_policy('jsondecode("' + "[" * 100_000 + "]" * 100_000 + '")'), 2,
     'jsondecode("[[[[[[[[[[[[[[[[[[[[[[[[[...: the value nests too deeply'),
])
def test_terraform_numbers_and_decoded_values_python_cannot_hold_are_errors(tmp_path, config, line,
                                                                          message):
    assert _terraform(tmp_path, config) == (line, message)


def test_terraform_division_past_a_float_is_an_error(tmp_path):
    # OverflowError: integer division result too large for a float
    config = "locals {\n  big = " + "9" * 400 + "\n}\n" + _tf_policy("local.big / 3")
    assert _terraform(tmp_path, config) == (5, "/: the result is too large for a number")


def test_cli_errors_stay_on_one_line_when_the_input_holds_a_line_break(capsys):
    # found by tests/fuzz: `--identity $'\n'` printed "iamtest: error: " and then
    # ": no such policy file" on a line of its own
    code = cli_main(["explain", "--identity", "a\nb.json", "--principal", "123456789012",
                     "--action", "s3:GetObject", "--resource", "*"])
    out, err = capsys.readouterr()
    assert (code, out, err) == (2, "", "iamtest: error: a\\nb.json: no such policy file\n")


def test_an_unexpected_error_while_collecting_is_a_collection_error_not_internalerror(pytester):
    # IamTestFile.repr_failure passed `style=` to Collector.repr_failure, which
    # takes none: any exception other than SpecError during collection (a
    # symlink loop, a bug) became "INTERNALERROR ... unexpected keyword argument".
    pytester.makeconftest("""
        import iamtest.pytest_plugin.collect as collect

        def boom(path, display=None):
            raise LookupError("simulated failure while reading " + display)

        collect.load_spec_file = boom
    """)
    pytester.makefile(".iamtest.yaml", t="cases: []\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    text = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in text
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR collecting t.iamtest.yaml*",
                                 "*LookupError: simulated failure while reading t.iamtest.yaml"])


def test_a_policy_path_in_a_symbolic_link_loop_fails_collection_with_its_line(tmp_path):
    # Path.resolve() raised RuntimeError("Symlink loop ...") while building the file
    (tmp_path / "a.json").symlink_to("b.json")
    (tmp_path / "b.json").symlink_to("a.json")
    spec = tmp_path / "t.iamtest.yaml"
    spec.write_text("cases:\n  - name: c\n    principal: '123456789012'\n    action: s3:GetObject\n"
                    "    resource: '*'\n    expect: deny\n    policies: {identity: a.json}\n")
    with pytest.raises(SpecError) as info:
        load_spec_file(spec, "t.iamtest.yaml")
    assert (info.value.line, info.value.message) == (
        7, f"case 1 'c': policy file `a.json` is a symbolic link in a loop "
           f"(looked for {tmp_path / 'a.json'})")


@pytest.mark.parametrize("source, reason", [
    ("./nope", "No such file or directory"),       # FileNotFoundError escaped
    ("./main.tf", "Not a directory"),                # NotADirectoryError escaped
    ("./loop", "Too many levels of symbolic links"),  # Path.resolve: RuntimeError
])
def test_terraform_module_sources_that_lead_nowhere_are_errors_with_their_line(tmp_path, source, reason):
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "main.tf").write_text(f'module "child" {{\n  source = "{source}"\n}}\n')
    with pytest.raises(IacError) as info:
        resolve_source({"terraform": "main.tf", "address": "module.child.aws_iam_policy.p"}, tmp_path)
    assert (info.value.line, info.value.message) == (
        2, f"module.child: cannot read the module folder {source!r} ({reason})")


def test_a_terraform_path_in_a_symbolic_link_loop_is_an_error(tmp_path):
    (tmp_path / "x.tf").symlink_to("y.tf")
    (tmp_path / "y.tf").symlink_to("x.tf")
    with pytest.raises(IacError) as info:  # Path.resolve raised RuntimeError
        resolve_source({"terraform": "x.tf", "address": "aws_iam_policy.p"}, tmp_path)
    assert (info.value.path, info.value.message) == ("x.tf", "no such Terraform file or folder")


@pytest.mark.parametrize("text, line, message", [
    # the decoder's message ended in "at" with the position cut off
    ('{"Sid": "tab\there"}', 1,
     "invalid JSON: invalid control character in a string (write a line break as \\n, a tab as \\t)"),
    ('{\n  "Sid": "never closed', 2, "invalid JSON: unterminated string (no closing quote)"),
])
def test_json_string_errors_are_whole_sentences(text, line, message):
    with pytest.raises(SourceError) as info:
        load_json(text, "p.json")
    assert (info.value.line, info.value.message) == (line, message)


@pytest.mark.parametrize("key, shown", [
    ("\ufeffprincipal", "\\ufeffprincipal"),   # a byte order mark pasted in the middle of a file
    ("expect\u200b", "expect\\u200b"),          # a zero-width space
])
def test_unknown_keys_show_characters_that_print_as_nothing(tmp_path, key, shown):
    # the message read "unknown key `principal` ... (did you mean `principal`?)"
    spec = tmp_path / "t.iamtest.yaml"
    spec.write_text("policies: {identity: allow-all}\ncases:\n  - name: c\n    principal: '123456789012'\n"
                    f"    action: s3:GetObject\n    resource: '*'\n    expect: allow\n    {key}: x\n")
    with pytest.raises(SpecError) as info:
        load_spec_file(spec, "t.iamtest.yaml")
    assert info.value.line == 8
    assert info.value.message.startswith(f"unknown key `{shown}` in case 1 'c'")


def test_terraform_files_that_are_not_utf8_name_the_line_of_the_bad_byte(tmp_path):
    # the error named the file but no line
    (tmp_path / "main.tf").write_bytes(b'resource "aws_iam_policy" "p" {\n  description = "caf\xe9"\n}\n')
    with pytest.raises(IacError) as info:
        resolve_source({"terraform": "main.tf", "address": "aws_iam_policy.p"}, tmp_path)
    assert (info.value.line, info.value.message) == (
        2, "not UTF-8 text (invalid continuation byte at byte 52)")


def test_cli_prints_characters_its_output_cannot_encode_as_escapes(tmp_path, capsys):
    # A byte of a non-UTF-8 argument reaches Python as a lone surrogate
    # ("\udce9" for b"\xe9"); printing the decision raised UnicodeEncodeError on
    # a strict UTF-8 stream (found by the bad-input corpus).
    policy = tmp_path / "p.json"
    policy.write_text('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}')
    code = cli_main(["explain", "--identity", str(policy), "--principal", "123456789012",
                     "--action", "s3:GetObject", "--resource", "*", "--context", "k=caf\udce9"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "k=caf\\udce9" in out
    code = cli_main(["explain", "--identity", str(policy), "--principal", "caf\udce9",
                     "--action", "s3:GetObject", "--resource", "*"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith("iamtest: error: principal 'caf\\udce9'")


@pytest.mark.parametrize("text, line", [('{"Sid":\n "a\\ud800b"}', 2), ('{"\\udc00": 1}', 1)])
def test_json_strings_holding_half_a_surrogate_pair_are_errors(text, line):
    # accepted, then printing or writing a report of them raised UnicodeEncodeError
    with pytest.raises(SourceError) as info:
        load_json(text, "p.json")
    assert info.value.line == line
    assert info.value.message.startswith("invalid JSON: the string holds '\\u")
    assert info.value.message.endswith("half of a surrogate pair without the other half "
                                       "(not a Unicode character)")


@pytest.mark.parametrize("layer", ["scp", "rcp"])
def test_an_empty_list_of_organization_levels_fails_collection(tmp_path, layer):
    # `scp: []` used to be read as "no SCP layer" without a word: a layer the file
    # names was silently left off the request path (the decision then allowed)
    spec = tmp_path / "t.iamtest.yaml"
    spec.write_text(f"policies: {{identity: allow-all, {layer}: []}}\ncases:\n  - name: c\n"
                    "    principal: '123456789012'\n    action: s3:GetObject\n    resource: '*'\n"
                    "    expect: allow\n")
    with pytest.raises(SpecError) as info:
        load_spec_file(spec, "t.iamtest.yaml")
    assert (info.value.line, info.value.message) == (
        1, f"`policies.{layer}` must be a non-empty list of levels (one per level of the "
           f"organization, root first; remove the layer to leave it off the request path); "
           f"got an empty list")


@pytest.mark.parametrize("text, line", [
    ("a: 1\x85b: [\n", 2),          # NEL: a line break to YAML 1.1 (which said 3), not to editors;
                                     # the error is at the end, after the last line feed
    ("a: x\u2028y\nb: [\n", 2),      # LINE SEPARATOR: the error is at `b` (YAML said 3)
    ("a: 1\rb: 2\rc: [\r", 4),      # old Mac line ends: a break for editors too
])
def test_yaml_errors_name_the_line_an_editor_shows(text, line):
    # found by tests/fuzz: YAML counted U+0085 and U+2028 as line breaks, so a
    # one-line file could have its error "at line 3"
    assert _yaml_error(text)[0] == line


@pytest.mark.parametrize("plan, line, message", [
    # found by tests/fuzz: a value of the wrong type raised TypeError or AttributeError
    ({"planned_values": {"root_module": {"resources": True}}}, None,
     "no resource aws_iam_policy.p in the plan"),
    ({"planned_values": {"root_module": {"resources": [], "child_modules": 7}}}, None,
     "no resource aws_iam_policy.p in the plan"),
    ({"planned_values": {"root_module": {"resources": [{"address": "aws_iam_policy.p", "values": True}]}}},
     1, "aws_iam_policy.p sets no policy attribute"),
    ({"planned_values": {"root_module": {"resources": [{"address": "aws_iam_policy.p", "values": {}}]}},
      "resource_changes": [{"address": "aws_iam_policy.p", "change": {"after_unknown": "policy"}}]},
     1, "aws_iam_policy.p sets no policy attribute"),
])
def test_plans_with_values_of_the_wrong_type_are_errors(tmp_path, plan, line, message):
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    with pytest.raises(IacError) as info:
        resolve_source({"terraform_plan": "plan.json", "address": "aws_iam_policy.p"}, tmp_path)
    assert (info.value.line, info.value.message) == (line, message)


def test_a_plan_that_is_not_utf8_names_the_line_of_the_bad_byte(tmp_path):
    # UnicodeDecodeError escaped
    (tmp_path / "plan.json").write_bytes(b'{"values":\n "caf\xe9"}')
    with pytest.raises(IacError) as info:
        resolve_source({"terraform_plan": "plan.json", "address": "aws_iam_policy.p"}, tmp_path)
    assert (info.value.line, info.value.message) == (2, "not UTF-8 text (invalid continuation byte at byte 16)")


LONG_NAME = "a" * 300   # longer than the 255 bytes a file name may have on Linux file systems


def test_a_policy_path_with_a_name_too_long_fails_collection_with_its_line(tmp_path):
    # Path.is_file() raised OSError(ENAMETOOLONG) while building the file (found by fuzzing)
    spec = tmp_path / "t.iamtest.yaml"
    spec.write_text("cases:\n  - name: c\n    principal: '123456789012'\n    action: s3:GetObject\n"
                    f"    resource: '*'\n    expect: deny\n    policies: {{identity: {LONG_NAME}}}\n")
    with pytest.raises(SpecError) as info:
        load_spec_file(spec, "t.iamtest.yaml")
    assert (info.value.line, info.value.message) == (
        7, f"case 1 'c': policy file `{LONG_NAME}` cannot be used as a path: File name too long "
           f"(looked for {tmp_path / LONG_NAME})")


def test_a_terraform_path_with_a_name_too_long_is_an_error(tmp_path):
    with pytest.raises(IacError) as info:
        resolve_source({"terraform": LONG_NAME, "address": "aws_iam_policy.p"}, tmp_path)
    assert (info.value.path, info.value.message) == (
        LONG_NAME, "cannot be used as a path: File name too long")


def test_cli_policy_path_with_a_name_too_long_is_one_line_exit_2(capsys):
    code = cli_main(["explain", "--principal", "arn:aws:iam::123456789012:role/r",
                     "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b",
                     "--identity", LONG_NAME])
    err = capsys.readouterr().err
    assert code == 2 and err == f"iamtest: error: {LONG_NAME}: cannot be used as a path: " \
                                "File name too long\n"
