"""The bad-input corpus through the ``iam`` fixture (access tests written in Python).

``iam.load`` takes what a file's ``policies`` takes; a source that breaks the
format is a SpecError, and a policy AWS would reject (or infrastructure code
that cannot be read statically) is a SourceError naming the file and the
line, with the same words as in an access-test file. A request that cannot be
built is a RequestError. Nothing is decided from a broken input.
"""
from __future__ import annotations

import pytest

from iamtest import RequestError
from iamtest.spec import SourceError, SpecError

from .expected import EXPECTED
from .world import IAC_REFERENCES, PRINCIPAL, lay_out, layer_of

SOURCES = [e for e in EXPECTED if e.source]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("policy-repo")
    lay_out(folder)
    return folder


def _source_of(repo, expected):
    """What the corpus's access-test file names, written for iam.load (absolute paths)."""
    stem = expected.name[len("use-"):]
    if stem in IAC_REFERENCES:
        return "identity", {k: (str(repo / "iac" / stem / v) if k in ("terraform", "terraform_plan",
                                                                    "cloudformation") else v)
                            for k, v in IAC_REFERENCES[stem].items()}
    path = repo / expected.source
    return layer_of(path.name), str(path)


@pytest.mark.parametrize("expected", SOURCES, ids=[e.name for e in SOURCES])
def test_loading_a_broken_source_raises_one_error_naming_file_and_line(iam, repo, expected):
    layer, source = _source_of(repo, expected)
    layers = {layer: source}
    if layer != "identity":
        layers["identity"] = "allow-all"
    endpoint_type = "gateway" if expected.name.startswith("use-gateway-") else "interface"
    with pytest.raises(SourceError) as info:
        iam.load(endpoint_type=endpoint_type, **layers)
    error = info.value
    assert error.source.endswith(expected.source), (error.source, expected.source)
    assert error.line == expected.line
    # the message as the pytest run shows it (where the error names no line, the
    # access-test file that named the source is not there to be named)
    assert error.message.startswith(expected.message.split(" (named at ")[0])
    assert iam.policies is None  # nothing was loaded


@pytest.mark.parametrize("layers, message", [
    ({"resource": ["allow-all", "allow-all"]}, "`policies.resource` must be a policy source"),
    ({"identity": [["allow-all"]]}, "`policies.identity` (item 1) must be a policy source"),
    ({"session": {"Effect": "Allow"}}, "`policies.session` is a mapping that is neither an inline "
                                       "policy document"),
    ({"identity": {"terraform": "main.tf"}}, "missing required key `address` in `policies.identity`"),
    ({"identity": "policies/nowhere.json"}, "policy file `policies/nowhere.json` not found"),
])
def test_sources_that_break_the_format_are_spec_errors(iam, layers, message):
    with pytest.raises(SpecError) as info:
        iam.load(**layers)
    assert info.value.message.startswith(message)


@pytest.mark.parametrize("request_fields, message", [
    ({"principal": "arn:aws:iam::123456789012:group/Developers"}, "principal 'arn:aws:iam::123456789012:group"),
    ({"action": "s3:Get*"}, "action 's3:Get*' is not `service:ActionName`"),
    ({"resource": "arn:aws:s3:my-bucket"}, "resource 'arn:aws:s3:my-bucket' is not a complete ARN"),
    ({"resource_account": "12345678901"}, "resource_account '12345678901' is not a 12-digit account id"),
    ({"context": {"aws:SourceVpce": {"id": "vpce-1"}}}, "context key 'aws:SourceVpce': a value must be"),
    ({"context": {"aws:CurrentTime": [["2024-01-01"]]}}, "context key 'aws:CurrentTime': a value must be"),
])
def test_requests_that_cannot_be_built_are_request_errors(iam, request_fields, message):
    iam.load(identity="allow-all")
    fields = dict(principal=PRINCIPAL, action="s3:GetObject", resource="arn:aws:s3:::data-bucket/k")
    fields.update(request_fields)
    with pytest.raises(RequestError) as info:
        iam.decide(**fields)
    assert str(info.value).startswith(message)


def test_an_iac_error_without_a_line_names_the_test_module_without_none(iam, repo):
    # iam.load has no line for what it names: the message said "(named at test.py:None)"
    with pytest.raises(SourceError) as info:
        iam.load(identity={"terraform": str(repo / "iac" / "tf-missing-address" / "main.tf"),
                           "address": "aws_iam_policy.app"})
    assert info.value.message.endswith("test_badinput_fixture.py)")
    assert ":None" not in info.value.message
