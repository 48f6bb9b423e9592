"""From a valid file to the model: merging, expansion, ids and the checks the
schema cannot make (FORMAT.md "Case keys", "Layers", "Errors")."""
import textwrap

import pytest

from iamtest.spec import SpecError, load_spec_file

ROLE = "arn:aws:iam::123456789012:role/App"


@pytest.fixture
def repo(tmp_path):
    for name in ("roles/app.json", "roles/other.json", "endpoints/s3.json", "org/root.json",
                 "org/ou.json", "org/acct.json"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"Statement": []}')
    return tmp_path


def spec_of(repo, text, name="t.iamtest.yaml"):
    path = repo / name
    path.write_text(textwrap.dedent(text))
    return load_spec_file(path)


def errors_of(repo, text):
    with pytest.raises(SpecError) as info:
        spec_of(repo, text)
    return [f"{p.line}: {p.message}" for p in info.value.problems]


def test_case_policies_override_file_policies_layer_by_layer_and_null_removes(repo):
    spec = spec_of(repo, f"""\
        policies:
          identity: [roles/app.json]
          endpoint: endpoints/s3.json
          scp: [org/root.json, [org/ou.json, allow-all], org/acct.json]
        cases:
          - name: file layers
            principal: {ROLE}
            action: s3:GetObject
            resource: "*"
            expect: allow
          - name: overridden
            principal: {ROLE}
            action: s3:GetObject
            resource: "*"
            policies: {{identity: roles/other.json, endpoint: null, resource: allow-all}}
            expect: allow
        """)
    first, second = spec.cases
    assert sorted(first.policies) == ["endpoint", "identity", "scp"]
    assert [s.value for s in first.policies["identity"]] == ["roles/app.json"]
    assert [[s.value for s in level] for level in first.policies["scp"]] == \
        [["org/root.json"], ["org/ou.json", "allow-all"], ["org/acct.json"]]
    assert [s.kind for s in first.policies["scp"][1]] == ["path", "allow-all"]
    assert sorted(second.policies) == ["identity", "resource", "scp"]
    assert [s.value for s in second.policies["identity"]] == ["roles/other.json"]
    assert second.policies["resource"].kind == "allow-all"
    assert first.policies["identity"][0].path == (repo / "roles/app.json").resolve()


def test_case_context_is_merged_key_by_key_and_null_marks_a_key_absent(repo):
    spec = spec_of(repo, f"""\
        context:
          aws:SourceVpce: vpce-1
          aws:PrincipalOrgID: o-1
        cases:
          - name: c
            principal: {ROLE}
            action: s3:GetObject
            resource: "*"
            context: {{aws:SourceVpce: null, aws:MultiFactorAuthPresent: true, aws:SourceIp: [10.0.0.1, 10.0.0.2]}}
            expect: allow
        """)
    assert dict(spec.cases[0].context) == {
        "aws:SourceVpce": None, "aws:PrincipalOrgID": "o-1",
        "aws:MultiFactorAuthPresent": "true", "aws:SourceIp": ["10.0.0.1", "10.0.0.2"]}


def test_unquoted_account_ids_stay_text(repo):
    spec = spec_of(repo, """\
        cases:
          - name: c
            principal: arn:aws:iam::012345670123:root
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            resource_account: 012345670123
            context: {aws:PrincipalAccount: 012345670123}
            expect: allow
        """)
    case = spec.cases[0]
    assert case.resource_account == "012345670123"
    assert case.context["aws:PrincipalAccount"] == "012345670123"


def test_endpoint_type_defaults_to_interface_and_a_case_overrides_it(repo):
    spec = spec_of(repo, f"""\
        endpoint_type: gateway
        cases:
          - {{name: a, principal: {ROLE}, action: s3:A, resource: "*", expect: allow}}
          - {{name: b, principal: {ROLE}, action: s3:A, resource: "*", expect: allow, endpoint_type: interface}}
        """)
    assert [c.endpoint_type for c in spec.cases] == ["gateway", "interface"]
    spec = spec_of(repo, f"cases: [{{name: a, principal: {ROLE}, action: s3:A, resource: '*', expect: allow}}]\n")
    assert spec.cases[0].endpoint_type == "interface"


def test_lists_expand_into_one_request_per_combination_with_short_ids(repo):
    spec = spec_of(repo, f"""\
        cases:
          - name: one
            principal: {ROLE}
            action: s3:GetObject
            resource: "*"
            expect: allow
          - name: actions
            principal: [{ROLE}]
            action: [s3:PutObject, s3:GetObject]
            resource: arn:aws:s3:::attacker-bucket/secret.txt
            expect: deny
          - name: grid
            principal: [{ROLE}, arn:aws:iam::123456789012:user/alice]
            action: [s3:GetObject, s3:PutObject]
            resource: [arn:aws:s3:::a/x, arn:aws:s3:::b/x]
            expect: deny
        """)
    ids = [[r.id for r in case.expand()] for case in spec.cases]
    assert ids[0] == ["one"]
    assert ids[1] == ["actions[s3:PutObject]", "actions[s3:GetObject]"]
    assert len(ids[2]) == 8
    assert ids[2][0] == "grid[role/App-s3:GetObject-a/x]"
    assert ids[2][-1] == "grid[user/alice-s3:PutObject-b/x]"
    combos = {(r.principal, r.action, r.resource) for r in spec.cases[2].expand()}
    assert len(combos) == 8


def test_ambiguous_short_ids_fall_back_to_longer_ones_without_double_colons(repo):
    spec = spec_of(repo, """\
        cases:
          - name: roots
            principal: [arn:aws:iam::111122223333:root, arn:aws:iam::444455556666:root]
            action: s3:GetObject
            resource: "*"
            expect: deny
        """)
    ids = [r.id for r in spec.cases[0].expand()]
    assert ids == ["roots[aws:iam:111122223333:root]", "roots[aws:iam:444455556666:root]"]
    assert all("::" not in i for i in ids)


def test_duplicate_names_are_an_error_naming_both_lines(repo):
    assert errors_of(repo, f"""\
        cases:
          - {{name: same, principal: {ROLE}, action: s3:A, resource: "*", expect: allow}}
          - {{name: same, principal: {ROLE}, action: s3:A, resource: "*", expect: allow}}
        properties:
          - {{name: same, never: {{}}}}
        """) == [
        "3: case 2 'same': the name is already used by case 1 'same' (line 2); names must be unique in a file",
        "5: property 1 'same': the name is already used by case 1 'same' (line 2); names must be unique in a file",
    ]


def test_denied_by_needs_a_deny_expectation(repo):
    assert errors_of(repo, f"""\
        cases:
          - name: c
            principal: {ROLE}
            action: s3:A
            resource: "*"
            expect: allow
            denied_by: endpoint
        """) == ["7: case 1 'c': `denied_by` needs a deny expectation (deny, explicit-deny or "
                 "implicit-deny); `expect` is `allow`"]


def test_missing_policy_files_fail_collection_with_the_line_naming_them(repo):
    errors = errors_of(repo, f"""\
        policies:
          identity: [roles/app.json, roles/missing.json]
          endpoint: endpoints
        cases:
          - name: c
            principal: {ROLE}
            action: s3:A
            resource: "*"
            expect: allow
            policies: {{boundary: boundaries/dev.json}}
        """)
    assert errors == [
        f"2: policy file `roles/missing.json` not found (looked for {(repo / 'roles/missing.json').resolve()})",
        f"3: policy file `endpoints` is a folder, not a policy file (looked for {(repo / 'endpoints').resolve()})",
        f"10: case 1 'c': policy file `boundaries/dev.json` not found "
        f"(looked for {(repo / 'boundaries/dev.json').resolve()})",
    ]


def test_pytest_markers_with_a_meaning_of_their_own_are_refused_as_marks(repo):
    assert errors_of(repo, f"""\
        cases:
          - {{name: c, principal: {ROLE}, action: s3:A, resource: "*", expect: allow, marks: [ok, skip]}}
        """) == ["2: case 1 'c': `marks` cannot use pytest's own marker `skip`; use the `skip` or "
                 "`xfail` key with a reason instead"]


def test_sources_of_every_form_are_recognised(repo):
    spec = spec_of(repo, f"""\
        policies:
          identity:
            - roles/app.json
            - allow-all
            - {{terraform: infra, address: aws_iam_policy.app}}
            - {{terraform_plan: plan.json, address: aws_iam_policy.app}}
            - {{cloudformation: template.yaml, resource: AppPolicy}}
            - Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: "*"
                  Resource: "*"
        cases:
          - {{name: c, principal: {ROLE}, action: s3:A, resource: "*", expect: allow}}
        """)
    sources = spec.cases[0].policies["identity"]
    assert [s.kind for s in sources] == ["path", "allow-all", "terraform", "terraform_plan",
                                         "cloudformation", "inline"]
    inline = sources[-1]
    assert inline.value["Statement"][0]["Effect"] == "Allow"
    # the inline document's lines are lines of the access-test file
    assert inline.line == 8
    assert inline.locations[("Statement", 0, "Effect")] == 10
    assert inline.locations[("Version",)] == 8


def test_properties_become_property_specs(repo):
    spec = spec_of(repo, """\
        policies: {identity: allow-all}
        properties:
          - name: never writes out
            never:
              action: "s3:Put*"
              resource: {not: ["arn:aws:s3:::mine", "arn:aws:s3:::mine/*"]}
              context: {aws:PrincipalOrgID: {not: o-a1b2c3d4e5}, aws:SourceVpce: null, k: [a, b]}
            policies: {endpoint: endpoints/s3.json}
            endpoint_type: gateway
            marks: [proofs]
          - name: always reads
            always: {principal: "arn:aws:sts::123456789012:assumed-role/R/*", resource_account: "123456789012"}
            xfail: not yet
        """)
    never, always = spec.properties
    assert (never.kind, never.name, never.line, never.endpoint_type) == ("never", "never writes out", 3, "gateway")
    rs = never.request_set
    assert rs.action.values == ("s3:Put*",) and not rs.action.negated
    assert rs.resource.values == ("arn:aws:s3:::mine", "arn:aws:s3:::mine/*") and rs.resource.negated
    assert rs.principal is None
    assert rs.context["aws:PrincipalOrgID"].negated
    assert rs.context["aws:SourceVpce"] is None
    assert rs.context["k"].values == ("a", "b")
    assert sorted(never.policies) == ["endpoint", "identity"]
    assert never.marks == ("proofs",)
    assert always.kind == "always" and always.xfail == "not yet"
    assert always.request_set.resource_account.values == ("123456789012",)


def test_an_empty_file_says_what_is_expected(repo):
    assert errors_of(repo, "# nothing yet\n") == [
        "1: the file is empty: expected a mapping with `cases` (or `properties`)"]
