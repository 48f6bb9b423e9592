"""The JSON Schema and its errors as sentences with lines (FORMAT.md "Errors":
a file that breaks the contract fails with its path, the line of the
offending key, and what was expected)."""
import json
import textwrap
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from iamtest.spec import SpecError, load_yaml, schema, schema_path, spec_from_loaded

CASE = """\
  - name: {name}
    principal: arn:aws:iam::123456789012:role/App
    action: s3:GetObject
    resource: arn:aws:s3:::bucket/key
    expect: allow
"""


def errors_of(text, tmp_path):
    loaded = load_yaml(textwrap.dedent(text), "t.iamtest.yaml")
    with pytest.raises(SpecError) as info:
        spec_from_loaded(loaded, tmp_path / "t.iamtest.yaml")
    return str(info.value).splitlines()


def test_schema_is_valid_draft_2020_12_and_shipped_in_the_package():
    doc = schema()
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(doc)
    shipped = resources.files("iamtest.spec").joinpath("schema.json")
    assert json.loads(shipped.read_text()) == doc
    assert schema_path().is_file()


def test_every_object_of_the_format_refuses_unknown_keys():
    # The inline policy document is AWS's format, checked by the policy parser instead.
    defs = schema()["$defs"]
    assert schema()["additionalProperties"] is False
    for name in ("case", "property", "policies", "requestSet", "terraformSource",
                 "terraformPlanSource", "cloudformationSource"):
        assert defs[name]["additionalProperties"] is False, name


def test_the_format_example_validates(tmp_path):
    for name in ("roles/app.json", "buckets/company.json", "endpoints/s3.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    text = textwrap.dedent("""\
        policies:
          identity: [roles/app.json]
          resource: buckets/company.json
          endpoint: endpoints/s3.json
          scp: [allow-all, [allow-all, allow-all], allow-all]
        context:
          aws:SourceVpce: vpce-0abc1234def56789
        endpoint_type: interface
        cases:
          - name: app reads
            principal: arn:aws:iam::123456789012:role/AppServiceRole
            action: s3:GetObject
            resource: arn:aws:s3:::my-company-bucket/report.csv
            expect: allow
          - name: exfiltration
            principal: arn:aws:iam::123456789012:role/AppServiceRole
            action: [s3:PutObject, s3:GetObject]
            resource: arn:aws:s3:::attacker-bucket/secret.txt
            resource_account: "999999999999"
            expect: deny
            denied_by: endpoint
          - name: outside the VPC
            principal: arn:aws:iam::123456789012:role/AppServiceRole
            action: s3:GetObject
            resource: arn:aws:s3:::my-company-bucket/report.csv
            context: {aws:SourceVpce: null}
            policies: {endpoint: null}
            expect: explicit-deny
            denied_by: resource
            skip: not today
            xfail: known
            marks: [perimeter, forgotten-role]
        properties:
          - name: nothing written outside
            never:
              action: "s3:Put*"
              resource: {not: ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*"]}
              context: {aws:PrincipalOrgID: {not: o-a1b2c3d4e5}, aws:SourceVpce: null}
          - name: always reads
            always:
              principal: "arn:aws:sts::123456789012:assumed-role/OrdersLambdaRole/*"
              resource_account: "123456789012"
    """)
    (tmp_path / "t.iamtest.yaml").write_text(text)
    from iamtest.spec import load_spec_file
    spec = load_spec_file(tmp_path / "t.iamtest.yaml")
    assert [c.name for c in spec.cases] == ["app reads", "exfiltration", "outside the VPC"]
    assert [p.name for p in spec.properties] == ["nothing written outside", "always reads"]


@pytest.mark.parametrize("case_text, message", [
    ("    expect: alow\n",
     "t.iamtest.yaml:{line}: case 3 'read logs': `expect` must be one of allow, deny, explicit-deny, "
     "implicit-deny; got `alow`"),
    ("    expect: allow\n    expct: allow\n",
     "t.iamtest.yaml:{line}: unknown key `expct` in case 3 'read logs' (did you mean `expect`?)"),
    ("    expect: deny\n    denied_by: endpont\n",
     "t.iamtest.yaml:{line}: case 3 'read logs': `denied_by` must be one of identity, resource, "
     "endpoint, boundary, session, scp, rcp; got `endpont`"),
    ("    expect: allow\n    resource_account: 12345\n",
     "t.iamtest.yaml:{line}: case 3 'read logs': `resource_account` must be a twelve-digit account id; "
     "got `12345`"),
    ("    expect: allow\n    policies: {endpont: allow-all}\n",
     "t.iamtest.yaml:{line}: unknown layer `endpont` in `policies` of case 3 'read logs' "
     "(did you mean `endpoint`?)"),
    ("    expect: allow\n    marks: [has space]\n",
     "t.iamtest.yaml:{line}: case 3 'read logs': `marks` (item 1) must be a marker name (letters, "
     "digits, `_` and `-`, starting with a letter or `_`); got `has space`"),
    ("    expect: allow\n    context: {aws:SourceIp: {a: b}}\n",
     "t.iamtest.yaml:{line}: case 3 'read logs': `context.aws:SourceIp` must be a string, number, "
     "boolean or a list of them (null removes the key); got a mapping"),
    ("    expect: allow\n    policies: {identity: {terraform: main.tf, adress: x}}\n",
     "t.iamtest.yaml:{line}: unknown key `adress` in `policies.identity` of case 3 'read logs' "
     "(did you mean `address`?)"),
    ("    expect: allow\n    policies: {identity: {terrafrom: main.tf, address: x}}\n",
     "t.iamtest.yaml:{line}: case 3 'read logs': `policies.identity` is a mapping that is neither an "
     "inline policy document (it has no `Statement`) nor a `terraform`, `terraform_plan` or "
     "`cloudformation` reference (did you mean `terraform`?)"),
    ("    expect: allow\n    endpoint_type: gatway\n",
     "t.iamtest.yaml:{line}: case 3 'read logs': `endpoint_type` must be one of interface, gateway; "
     "got `gatway`"),
])
def test_case_errors_read_as_sentences_with_the_line_of_the_key(tmp_path, case_text, message):
    text = "cases:\n" + CASE.format(name="a") + CASE.format(name="b") + (
        "  - name: read logs\n"
        "    principal: arn:aws:iam::123456789012:role/App\n"
        "    action: logs:GetLogEvents\n"
        "    resource: '*'\n") + case_text
    # the offending key is on the last line of the case text
    line = text.count("\n")
    assert errors_of(text, tmp_path) == [message.format(line=line)]


@pytest.mark.parametrize("text, expected", [
    ("cases: []\n", ["t.iamtest.yaml:1: `cases` must be a non-empty list of cases; got an empty list"]),
    ("context: {}\n", ["t.iamtest.yaml:1: the file needs `cases` (a non-empty list of cases) or `properties`"]),
    ("- a\n", ["t.iamtest.yaml:1: the file must be a mapping with `cases` (and optionally `policies`, "
               "`context`, `endpoint_type`, `properties`); got a list"]),
    ("casses: []\n", ["t.iamtest.yaml:1: unknown key `casses` at the top level of the file (did you mean `cases`?)",
                      "t.iamtest.yaml:1: the file needs `cases` (a non-empty list of cases) or `properties`"]),
    ("cases:\n  - {name: x}\n", ["t.iamtest.yaml:2: case 1 'x': missing required keys `principal`, "
                                "`action`, `resource`, `expect`"]),
    ("cases:\n  - name: x\n    principal: p\n    action: s3GetObject\n    resource: bucket\n    expect: allow\n",
     ["t.iamtest.yaml:4: case 1 'x': `action` must be `service:Action`; got `s3GetObject`",
      "t.iamtest.yaml:5: case 1 'x': `resource` must be an ARN (`arn:...`) or `*`; got `bucket`"]),
    ("cases:\n  - name: x\n    principal: [a, a]\n    action: s3:A\n    resource: '*'\n    expect: allow\n",
     ["t.iamtest.yaml:3: case 1 'x': `principal` lists `a` more than once"]),
    ("cases:\n  - 5\n", ["t.iamtest.yaml:2: case 1 must be a mapping with name, principal, action, "
                         "resource and expect; got `5`"]),
    ("properties:\n  - name: p\n    never: {}\n    always: {}\n",
     ["t.iamtest.yaml:2: property 1 'p': has both `never` and `always`; a property needs exactly one of them"]),
    ("properties:\n  - name: p\n", ["t.iamtest.yaml:2: property 1 'p': needs exactly one of `never` or `always`"]),
    ("properties:\n  - name: p\n    never:\n      resource: {nott: x}\n",
     ["t.iamtest.yaml:4: unknown key `nott` in `never.resource` of property 1 'p' (did you mean `not`?)"]),
    ("properties:\n  - name: p\n    never:\n      acton: x\n",
     ["t.iamtest.yaml:4: unknown key `acton` in `never` of property 1 'p' (did you mean `action`?)"]),
    ("policies:\n  scp: [allow-all, [allow-all, [x]]]\ncases:\n" + CASE.format(name="a"),
     ["t.iamtest.yaml:2: `policies.scp` (item 2, entry 2) must be a policy source: a path to a policy file, "
      "`allow-all`, an inline policy document (a mapping with `Statement`), or a `terraform`, "
      "`terraform_plan` or `cloudformation` reference; got a list"]),
])
def test_file_errors(tmp_path, text, expected):
    assert errors_of(text, tmp_path) == expected


def test_all_problems_of_a_file_are_reported_in_line_order(tmp_path):
    text = "cases:\n" + CASE.format(name="a").replace("allow", "alow") + \
        CASE.format(name="b").replace("s3:GetObject", "nope")
    assert errors_of(text, tmp_path) == [
        "t.iamtest.yaml:6: case 1 'a': `expect` must be one of allow, deny, explicit-deny, "
        "implicit-deny; got `alow`",
        "t.iamtest.yaml:9: case 2 'b': `action` must be `service:Action`; got `nope`",
    ]
