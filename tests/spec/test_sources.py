"""Policy sources to policies: read once per session, errors with file and line."""
import json
import sys
import textwrap
import types

import pytest

from iamtest import Policy
from iamtest.spec import (CaseError, PolicyLoader, SourceError, load_spec_file, run_case)

ROLE = "arn:aws:iam::123456789012:role/App"
ALLOW_S3 = {"Version": "2012-10-17",
            "Statement": [{"Sid": "S3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def spec_of(tmp_path, text):
    return load_spec_file(write(tmp_path / "t.iamtest.yaml", textwrap.dedent(text)))


def test_a_policy_file_is_read_and_parsed_once_however_many_cases_use_it(tmp_path):
    write(tmp_path / "roles/app.json", json.dumps(ALLOW_S3))
    cases = "".join(f"  - {{name: c{i}, principal: {ROLE}, action: [s3:GetObject, s3:PutObject], "
                    f"resource: '*', expect: allow}}\n" for i in range(5))
    spec = spec_of(tmp_path, "policies: {identity: roles/app.json}\ncases:\n" + cases)
    # a second file naming the same policy shares the cache
    spec2 = load_spec_file(write(tmp_path / "sub/u.iamtest.yaml",
                                 "policies: {identity: ../roles/app.json}\ncases:\n" + cases))
    loader = PolicyLoader()
    results = [run_case(r, loader) for s in (spec, spec2) for c in s.cases for r in c.expand()]
    assert len(results) == 20 and all(r.passed for r in results)
    assert (loader.reads, loader.parses) == (1, 1)


def test_yaml_policies_keep_condition_values_as_written(tmp_path):
    # IAM compares condition values as text: an account id with a leading zero must
    # not become a number, and `true` must stay the word the Bool operator compares.
    write(tmp_path / "p.yaml", textwrap.dedent("""\
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
            Condition:
              StringEquals: {aws:PrincipalAccount: 012345670123}
              Bool: {aws:SecureTransport: true}
        """))
    spec = spec_of(tmp_path, """\
        policies: {identity: p.yaml}
        cases:
          - name: matching account over TLS
            principal: arn:aws:iam::012345670123:role/App
            action: s3:GetObject
            resource: "*"
            context: {aws:SecureTransport: true}
            expect: allow
          - name: without TLS
            principal: arn:aws:iam::012345670123:role/App
            action: s3:GetObject
            resource: "*"
            context: {aws:SecureTransport: false}
            expect: implicit-deny
        """)
    loader = PolicyLoader()
    results = [run_case(r, loader) for c in spec.cases for r in c.expand()]
    assert [r.passed for r in results] == [True, True]
    stmt = loader.policy(spec.cases[0].policies["identity"][0], "identity").statements[0]
    assert stmt.location.line == 3
    assert {c.values for c in stmt.conditions} == {("012345670123",), ("true",)}


def test_a_policy_aws_would_reject_fails_the_case_with_the_policy_path_and_line(tmp_path):
    write(tmp_path / "bad.json", '{\n  "Version": "2012-10-17",\n  "Statement": [{\n'
                                  '    "Effect": "Alow", "Action": "s3:*", "Resource": "*"}]\n}\n')
    spec = spec_of(tmp_path, f"""\
        policies: {{identity: bad.json}}
        cases:
          - {{name: a, principal: {ROLE}, action: s3:GetObject, resource: "*", expect: allow}}
          - {{name: b, principal: {ROLE}, action: s3:GetObject, resource: "*", expect: deny}}
        """)
    loader = PolicyLoader()
    for case in spec.cases:
        with pytest.raises(SourceError) as info:
            run_case(case.expand()[0], loader)
        assert info.value.line == 4
        assert info.value.source.endswith("bad.json")
        assert "`Effect` must be \"Allow\" or \"Deny\"" in info.value.message
    assert loader.parses == 1  # the failure is cached too


def test_invalid_json_fails_the_case_with_the_line(tmp_path):
    write(tmp_path / "bad.json", '{"Statement": [\n  {"Effect": "Allow",}\n]}')
    spec = spec_of(tmp_path, f"""\
        policies: {{identity: bad.json}}
        cases: [{{name: a, principal: {ROLE}, action: s3:GetObject, resource: "*", expect: allow}}]
        """)
    with pytest.raises(SourceError) as info:
        run_case(spec.cases[0].expand()[0], PolicyLoader())
    assert str(info.value).endswith("bad.json:2: invalid JSON: expected a key in double quotes "
                                    "(JSON does not allow a trailing comma)")


def test_an_inline_policy_error_points_into_the_access_test_file(tmp_path):
    spec = spec_of(tmp_path, f"""\
        policies:
          identity:
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: "*"
                Principal: "*"
        cases: [{{name: a, principal: {ROLE}, action: s3:GetObject, resource: "*", expect: allow}}]
        """)
    with pytest.raises(SourceError) as info:
        run_case(spec.cases[0].expand()[0], PolicyLoader())
    # AWS: identity-based policies cannot name a Principal.
    assert info.value.source == spec.display
    assert info.value.line == 7


def test_allow_all_adds_a_principal_only_where_the_layer_needs_one(tmp_path):
    from iamtest.spec.model import SourceSpec
    loader = PolicyLoader()
    source = SourceSpec("allow-all", "allow-all", "t", 1, tmp_path)
    for kind, has_principal in [("identity", False), ("scp", False), ("resource", True),
                                ("endpoint", True), ("rcp", True)]:
        policy = loader.policy(source, kind)
        assert isinstance(policy, Policy)
        assert (policy.statements[0].principal is not None) == has_principal, kind


def test_infrastructure_references_go_through_iac_and_its_errors_fail_the_case(tmp_path, monkeypatch):
    calls = []

    class IacError(Exception):
        def __init__(self, path, line, message):
            self.path, self.line, self.message = path, line, message

    def resolve_source(spec, base_dir):
        calls.append((spec, base_dir))
        if spec.get("address") == "aws_iam_policy.broken":
            raise IacError("infra/main.tf", 14, "cannot resolve var.bucket statically")
        return types.SimpleNamespace(doc=ALLOW_S3, locations={("Statement", 0): 3},
                                     source="infra/main.tf:2 aws_iam_policy.app.policy")

    fake = types.ModuleType("iamtest.iac")
    fake.IacError, fake.resolve_source = IacError, resolve_source
    monkeypatch.setitem(sys.modules, "iamtest.iac", fake)
    spec = spec_of(tmp_path, f"""\
        cases:
          - name: ok
            principal: {ROLE}
            action: s3:GetObject
            resource: "*"
            policies: {{identity: {{terraform: infra, address: aws_iam_policy.app}}}}
            expect: allow
          - name: also ok
            principal: {ROLE}
            action: s3:PutObject
            resource: "*"
            policies: {{identity: {{terraform: infra, address: aws_iam_policy.app}}}}
            expect: allow
          - name: broken
            principal: {ROLE}
            action: s3:GetObject
            resource: "*"
            policies: {{identity: {{terraform: infra, address: aws_iam_policy.broken}}}}
            expect: allow
        """)
    loader = PolicyLoader()
    ok, also, broken = (c.expand()[0] for c in spec.cases)
    assert run_case(ok, loader).passed and run_case(also, loader).passed
    assert len(calls) == 1  # resolved once for both cases
    assert calls[0] == ({"terraform": "infra", "address": "aws_iam_policy.app"}, tmp_path.resolve())
    ref = run_case(ok, loader).decision.deciding[0]
    assert (ref.source, ref.line) == ("infra/main.tf:2 aws_iam_policy.app.policy", 3)
    with pytest.raises(SourceError) as info:
        run_case(broken, loader)
    assert str(info.value) == "infra/main.tf:14: cannot resolve var.bucket statically"


def test_a_request_the_engine_refuses_fails_with_the_line_of_the_key(tmp_path):
    spec = spec_of(tmp_path, """\
        cases:
          - name: bad principal
            principal: arn:aws:iam::123456789012:group/Devs
            action: s3:GetObject
            resource: "*"
            expect: allow
        """)
    with pytest.raises(CaseError) as info:
        run_case(spec.cases[0].expand()[0], PolicyLoader())
    assert info.value.line == 3
    assert info.value.message.startswith("case 1 'bad principal': principal ")


def test_run_case_compares_expect_and_denied_by(tmp_path):
    # AWS: a VPC endpoint policy never grants, it only limits; with an identity
    # allow-all, an endpoint policy without a matching Allow refuses the request.
    write(tmp_path / "ep.json", json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::mine/*"}]}))
    spec = spec_of(tmp_path, f"""\
        policies: {{identity: allow-all, endpoint: ep.json}}
        cases:
          - {{name: in, principal: {ROLE}, action: s3:GetObject, resource: "arn:aws:s3:::mine/k", expect: allow}}
          - {{name: out, principal: {ROLE}, action: s3:PutObject, resource: "arn:aws:s3:::x/k",
              expect: deny, denied_by: endpoint}}
          - {{name: wrong layer, principal: {ROLE}, action: s3:PutObject, resource: "arn:aws:s3:::x/k",
              expect: deny, denied_by: identity}}
          - {{name: wrong kind, principal: {ROLE}, action: s3:PutObject, resource: "arn:aws:s3:::x/k",
              expect: explicit-deny}}
        """)
    loader = PolicyLoader()
    results = [run_case(c.expand()[0], loader) for c in spec.cases]
    assert [(r.passed, r.mismatch) for r in results] == [
        (True, None), (True, None), (False, "denied_by"), (False, "expect")]
    assert results[1].actual == "implicit-deny"
    assert results[1].to_dict()["refused_by"] == ["endpoint"]
    json.dumps(results[1].to_dict())  # JSON-able for reports
