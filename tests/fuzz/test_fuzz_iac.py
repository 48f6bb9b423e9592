"""Fuzzing the infrastructure-code readers: Terraform, plan JSON and CloudFormation.

A value that cannot be read statically, or a file that is not what it should
be, is an IacError naming the file (and the line, where there is one); never
a Python exception, never a value taken as literal text.
"""
import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from iamtest.iac import IacError, resolve_source

from .budget import budget
from .strategies import damaged_json, junk, policies

HCL_PIECES = ("resource ", '"aws_iam_policy" ', '"p" ', "{", "}", "\n", " policy = ", "jsonencode(", ")",
              "[", "]", ", ", '"', "${", "local.", "var.", "a", "b", " = ", "locals ", "variable ",
              "module ", "source = ", '"./"', "for x in ", " : ", "x", " ? ", "1", "-", "*", "/", "0",
              "true", "<<EOT\n", "EOT\n", "%{", "file(", "lookup(", "join(", "replace(", "concat(",
              "data.", "aws_iam_policy_document.", "statement ", "effect ", '"Allow"', "\\", "é",
              "\x00", "#", "//", "/*", "*/", "...", "count.index", "each.key", "null")
CFN_PIECES = ("Resources:\n", "  P:\n", "    Type: AWS::IAM::ManagedPolicy\n", "    Properties:\n",
              "      PolicyDocument: ", "!Ref ", "!Sub ", "!GetAtt ", "!If ", "!Join ", "!Select ",
              "!FindInMap ", "!Condition ", "!Equals ", "Conditions:\n", "Parameters:\n",
              "Mappings:\n", "  C: ", "[", "]", "{", "}", ", ", "P", "C", "AWS::AccountId", "${P}",
              "Statement", ": ", "- ", "\n", "&a ", "*a", "'", '"', "\t", "x", "0", "Fn::Sub")

_TF_TEMPLATE = ('resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n'
                '    Statement = [{Effect = "Allow", Action = %s, Resource = %s}]\n  })\n}\n')


def _soup(pieces, size=40):
    return st.lists(st.sampled_from(pieces) | st.text(max_size=3), max_size=size).map("".join)


def _resolve(files, spec):
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            resolve_source(spec, Path(folder))
        except IacError as error:
            assert error.path and error.message


@budget(60)
@given(_soup(HCL_PIECES, 60), st.sampled_from(["aws_iam_policy.p", "data.aws_iam_policy_document.d",
                                               "module.m.aws_iam_policy.p", "p"]))
def test_any_terraform_text_resolves_or_is_an_iac_error(text, address):
    _resolve({"main.tf": text}, {"terraform": "main.tf", "address": address})


@budget(60)
@given(_soup(HCL_PIECES, 12), _soup(HCL_PIECES, 12))
def test_any_terraform_expression_in_a_policy_resolves_or_is_an_iac_error(action, resource):
    _resolve({"main.tf": _TF_TEMPLATE % (action or '""', resource or '""')},
             {"terraform": "main.tf", "address": "aws_iam_policy.p"})


@budget(60)
@given(_soup(CFN_PIECES, 60), st.sampled_from(["P", "Q"]))
def test_any_cloudformation_text_resolves_or_is_an_iac_error(text, resource):
    _resolve({"t.yaml": text}, {"cloudformation": "t.yaml", "resource": resource})


@budget(40)
@given(st.fixed_dictionaries({"planned_values": st.fixed_dictionaries({"root_module": st.fixed_dictionaries({
    "resources": st.lists(st.fixed_dictionaries({
        "address": st.sampled_from(["aws_iam_policy.p", "x"]) | junk(),
        "values": st.fixed_dictionaries({"policy": policies().map(json.dumps) | junk()}) | junk()}),
        max_size=2) | junk()})})}) | junk())
def test_any_plan_json_resolves_or_is_an_iac_error(plan):
    _resolve({"plan.json": json.dumps(plan)}, {"terraform_plan": "plan.json", "address": "aws_iam_policy.p"})


@budget(20)
@given(damaged_json(policies()))
def test_a_damaged_plan_file_is_an_iac_error(text):
    _resolve({"plan.json": text}, {"terraform_plan": "plan.json", "address": "aws_iam_policy.p"})
