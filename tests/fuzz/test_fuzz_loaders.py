"""Fuzzing the readers: YAML and JSON text, access-test files, policy files.

The contract (FORMAT.md "Errors"): a broken file fails with its path and the
line of the problem; nothing else escapes. So for any text, a reader either
returns a document or raises our own error, whose line (when it gives one)
lies inside the text.
"""
import json
import re
import tempfile
import warnings
from pathlib import Path
from types import SimpleNamespace

import yaml
from hypothesis import given
from hypothesis import strategies as st

from iamtest.catalog.warnings import IamtestWarning
from iamtest.spec import (PolicyLoader, SourceError, SpecError, load_json, load_policy_document,
                          load_spec_file, load_yaml, run_case, spec_from_loaded)
from iamtest.pytest_plugin.catalog_checks import check_request
from iamtest.spec.yamlload import Loaded

from .budget import budget
from .strategies import (JSON_TEXT, YAML_TEXT, access_test_files, damaged_json, junk, policies)


def _line_count(text: str) -> int:
    """Lines as an editor counts them: line feeds, and carriage returns without one."""
    return len(re.findall(r"\r(?!\n)|\n", text)) + 1


def _line_inside(error, text):
    if error.line is not None:
        assert 1 <= error.line <= _line_count(text) + 1, (error.line, text)


@budget(80)
@given(YAML_TEXT)
def test_yaml_text_reads_or_is_refused_with_a_line_in_the_text(text):
    try:
        loaded = load_yaml(text, "t.yaml")
    except SpecError as error:
        assert error.source == "t.yaml" and error.message
        _line_inside(error, text)
        return
    for line in loaded.locations.values():
        assert 1 <= line <= _line_count(text) + 1, (line, text)


@budget(80)
@given(JSON_TEXT | damaged_json(junk()) | damaged_json(policies()))
def test_json_text_reads_or_is_refused_with_a_line_in_the_text(text):
    try:
        loaded = load_json(text, "p.json")
    except SourceError as error:
        assert error.source == "p.json" and error.message
        _line_inside(error, text)
        return
    # Whatever the reader accepts, the standard library reads the same way
    # (it also takes NaN and duplicate keys, which the reader refuses).
    assert loaded.data == json.loads(text) or _has_nan(loaded.data)


def _has_nan(value):
    if isinstance(value, float):
        return value != value
    if isinstance(value, list):
        return any(_has_nan(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    return False


@budget(60)
@given(access_test_files())
def test_access_test_documents_build_or_fail_collection_with_lines(doc):
    # Through YAML text, as a user writes it: the dumper's text is read back by our reader.
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    with tempfile.TemporaryDirectory() as folder:
        path = _world(Path(folder)) / "t.iamtest.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            spec = load_spec_file(path, "t.iamtest.yaml")
        except SpecError as error:
            for problem in error.problems:
                assert problem.source == "t.iamtest.yaml" and problem.message
                _line_inside(problem, text)
            return
        # A file that collects: every case request runs (the catalog checks,
        # then the decision) or fails with our error, as CaseItem.runtest does.
        loader, config = PolicyLoader(), SimpleNamespace(stash={})
        for case in spec.cases:
            for request in case.expand():
                try:
                    with warnings.catch_warnings():  # the catalog's doubts about made-up requests
                        warnings.simplefilter("ignore", IamtestWarning)
                        check_request(config, request, loader)
                    run_case(request, loader)
                except SourceError as error:
                    assert error.source and error.message


@budget(60)
@given(access_test_files())
def test_access_test_values_of_any_type_never_crash_the_checks(doc):
    # Straight into the schema and the builder, with values YAML cannot hold
    # (numbers, booleans, NaN): the `iam` fixture passes Python values this way.
    try:
        spec_from_loaded(Loaded(doc, {(): 1}, "t.iamtest.yaml"), Path("/nonexistent/t.iamtest.yaml"))
    except SpecError as error:
        assert all(p.source == "t.iamtest.yaml" for p in error.problems)


@budget(40)
@given(st.binary(max_size=80) | YAML_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
       st.sampled_from(["p.json", "p.yaml", "t.iamtest.yaml"]))
def test_files_of_any_bytes_read_or_are_refused(data, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            if name == "t.iamtest.yaml":
                load_spec_file(path, name)
            else:
                load_policy_document(path, name)
        except (SpecError, SourceError) as error:
            assert error.source == name
            if error.line is not None:
                assert 1 <= error.line <= _line_count(data.decode("utf-8", "replace")) + 1


def _world(folder: Path) -> Path:
    """The files the generated access-test documents name."""
    (folder / "good.json").write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                                      '"Principal": "*", "Action": "*", "Resource": "*"}]}')
    (folder / "bad.json").write_text('{"Statement": [{"Effect": "Alow"}]}')
    (folder / "list.json").write_text("[1, 2]")
    (folder / "good.yaml").write_text("Statement:\n  - Effect: Deny\n    Action: '*'\n"
                                      "    Resource: '*'\n")
    (folder / "main.tf").write_text('resource "aws_iam_policy" "p" {\n  policy = jsonencode({\n'
                                    '    Statement = [{Effect = "Allow", Action = "*", '
                                    'Resource = var.r}]\n  })\n}\nvariable "r" {}\n')
    (folder / "t.yaml").write_text("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n"
                                   "    Properties:\n      PolicyDocument: !Ref Missing\n")
    return folder
