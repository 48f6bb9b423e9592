"""Lays the bad-input corpus out as a policy repository, as a user would have it.

The corpus in ``corpus/`` is stored under names the plugin does not collect
(``*.txt``); here it is copied into a folder under its real names:

- ``corpus/files/NAME.iamtest.yaml.txt`` -> ``NAME.iamtest.yaml`` (broken access-test files);
- ``corpus/policies/NAME[.LAYER].json.txt`` -> ``policies/NAME[.LAYER].json`` (broken
  policy files), each with an access-test file ``use-NAME.iamtest.yaml`` whose one
  case puts it on the request path as LAYER (identity when no layer is named);
- ``corpus/iac/NAME.EXT.txt`` -> ``iac/NAME/main.tf`` or ``iac/NAME/NAME.EXT`` (one
  folder each: Terraform reads every ``.tf`` file of a folder), each with an
  access-test file ``use-NAME.iamtest.yaml`` naming it as in :data:`IAC_REFERENCES`;
- inputs too large, too deep or too odd to store (:func:`generated`) are written here.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict

import yaml

CORPUS = Path(__file__).with_name("corpus")
LAYERS = ("identity", "resource", "endpoint", "boundary", "session", "scp", "rcp")
PRINCIPAL = "arn:aws:iam::123456789012:role/AppRole"

#: For each stored IaC file: the layer and the reference an access-test file makes to it.
IAC_REFERENCES: Dict[str, dict] = {
    "tf-unresolvable-variable": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-reference-cycle": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-missing-address": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-invalid-syntax": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-known-after-apply": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-file-function": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-policy-not-json": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-growing-value": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-missing-module": {"terraform": ".", "address": "module.child.aws_iam_policy.app"},
    "tf-non-utf8": {"terraform": "main.tf", "address": "aws_iam_policy.app"},
    "tf-missing-file": {"terraform": "nowhere.tf", "address": "aws_iam_policy.app"},
    "cfn-missing-resource": {"cloudformation": "cfn-missing-resource.yaml", "resource": "AppPolicy"},
    "cfn-circular-condition": {"cloudformation": "cfn-circular-condition.yaml", "resource": "AppPolicy"},
    "cfn-alias-bomb": {"cloudformation": "cfn-alias-bomb.yaml", "resource": "AppPolicy"},
    "cfn-not-a-template": {"cloudformation": "cfn-not-a-template.yaml", "resource": "AppPolicy"},
    "cfn-invalid-yaml": {"cloudformation": "cfn-invalid-yaml.yaml", "resource": "AppPolicy"},
    "cfn-getatt": {"cloudformation": "cfn-getatt.yaml", "resource": "AppPolicy"},
    "cfn-unknown-parameter": {"cloudformation": "cfn-unknown-parameter.yaml", "resource": "AppPolicy"},
    "cfn-malformed": {"cloudformation": "cfn-malformed.json", "resource": "AppPolicy"},
    "plan-not-json": {"terraform_plan": "plan-not-json.json", "address": "aws_iam_policy.app"},
    "plan-missing-address": {"terraform_plan": "plan-missing-address.json",
                             "address": "aws_iam_policy.app"},
    "plan-policy-unknown": {"terraform_plan": "plan-policy-unknown.json",
                            "address": "aws_iam_policy.app"},
}


def stored(folder: str):
    """(stored file, name without ``.txt``) for every file of a corpus folder, sorted."""
    return [(path, path.name[:-len(".txt")]) for path in sorted((CORPUS / folder).glob("*.txt"))]


def layer_of(policy_name: str) -> str:
    """``x.resource.json`` -> ``resource``; ``x.json`` -> ``identity``."""
    parts = policy_name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in LAYERS else "identity"


#: Stored policies that are not broken (a byte order mark is allowed): their case
#: expects the allow that the policy grants.
ACCEPTED_POLICIES = ("bom-at-start",)


def use_file(name: str, layer: str, source, endpoint_type: str = "interface") -> str:
    """An access-test file whose one case puts ``source`` on the request path as ``layer``."""
    policies = {layer: source}
    if layer != "identity":
        policies["identity"] = "allow-all"
    doc = {"policies": policies, "endpoint_type": endpoint_type,
           "cases": [{"name": f"uses {name}", "principal": PRINCIPAL, "action": "s3:GetObject",
                      "resource": "arn:aws:s3:::data-bucket/report.csv",
                      "resource_account": "123456789012",
                      "expect": "allow" if name in ACCEPTED_POLICIES else "deny"}]}
    return yaml.safe_dump(doc, sort_keys=False)


def lay_out(target: Path) -> None:
    """Copy the corpus into ``target`` under the names a user would give the files."""
    (target / "policies").mkdir(parents=True, exist_ok=True)
    for path, name in stored("files"):
        shutil.copyfile(path, target / name)
    for path, name in stored("policies"):
        shutil.copyfile(path, target / "policies" / name)
        stem = name.split(".")[0]
        layer = layer_of(name)
        endpoint_type = "gateway" if stem.startswith("gateway-") else "interface"
        (target / f"use-{stem}.iamtest.yaml").write_text(
            use_file(stem, layer, f"policies/{name}", endpoint_type))
    for path, name in stored("iac"):
        stem, ext = name.split(".", 1)
        folder = target / "iac" / stem
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / ("main.tf" if ext == "tf" else name))
    for stem, reference in IAC_REFERENCES.items():
        (target / "iac" / stem).mkdir(parents=True, exist_ok=True)
        source = {k: (f"iac/{stem}/{v}" if k in ("terraform", "terraform_plan", "cloudformation")
                      else v) for k, v in reference.items()}
        (target / f"use-{stem}.iamtest.yaml").write_text(use_file(stem, "identity", source))
    for name, content in generated().items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)


# -- inputs written at test time -------------------------------------------------------

HUGE_CASES = 20_000      # about 2.5 MB of YAML
HUGE_STATEMENTS = 20_000  # about 2.5 MB of JSON
DEEP = 5_000


def _case(i: int) -> str:
    return (f"  - name: case {i}\n    principal: \"{PRINCIPAL}\"\n    action: s3:GetObject\n"
            f"    resource: \"*\"\n    expect: allow\n")


def huge_spec() -> str:
    """Thousands of valid cases, then one whose `expect` is not a word of the format."""
    return ("policies: {identity: allow-all}\ncases:\n" + "".join(_case(i) for i in range(HUGE_CASES))
            + "  - name: the last one\n    principal: \"123456789012\"\n    action: s3:GetObject\n"
              "    resource: \"*\"\n    expect: allowed\n")


def huge_policy() -> str:
    """Thousands of statements, then a trailing comma before the closing bracket."""
    statements = ",\n".join(
        f'    {{"Sid": "S{i}", "Effect": "Allow", "Action": "s3:GetObject", '
        f'"Resource": "arn:aws:s3:::bucket-{i}/*"}}' for i in range(HUGE_STATEMENTS))
    return '{\n  "Version": "2012-10-17",\n  "Statement": [\n' + statements + ",\n  ]\n}\n"


# -- a wrong value at every key of the format -------------------------------------------

#: The lines of a valid access-test file; ``{case}`` and ``{prop}`` hold extra keys.
_BASE = {
    "policies": "policies: {identity: allow-all}",
    "context": "context: {aws:SourceVpce: vpce-1}",
    "endpoint_type": "endpoint_type: interface",
    "cases": "cases:",
    "name": "  - name: c",
    "principal": "    principal: \"123456789012\"",
    "action": "    action: s3:GetObject",
    "resource": "    resource: \"*\"",
    "expect": "    expect: deny",
    "properties": "properties:",
    "prop_name": "  - name: p",
    "never": "    never: {action: \"s3:*\"}",
}

#: label -> (line key of _BASE to replace, or None to add a case key, new line(s)).
#: The label names the key; every value is of a type the format does not allow there.
WRONG_TYPES = {
    "top-policies-list": ("policies", "policies: [allow-all]"),
    "top-policies-string": ("policies", "policies: allow-all"),
    "top-context-list": ("context", "context: [aws:SourceVpce]"),
    "top-context-value-map": ("context", "context: {aws:SourceVpce: {id: vpce-1}}"),
    "top-context-nested-list": ("context", "context: {aws:TagKeys: [[a]]}"),
    "top-context-key-space": ("context", "context: {aws:Source Vpce: vpce-1}"),
    "top-endpoint-type-map": ("endpoint_type", "endpoint_type: {gateway: true}"),
    "top-endpoint-type-word": ("endpoint_type", "endpoint_type: gatway"),
    "top-cases-string": ("cases", "cases: all of them\nx-was-cases:"),
    "case-string": ("name", "  - just a string\n  - name: c"),
    "case-name-list": ("name", "  - name: [c]"),
    "case-name-empty": ("name", "  - name: ''"),
    "case-name-null": ("name", "  - name:"),
    "case-principal-map": ("principal", "    principal: {AWS: \"123456789012\"}"),
    "case-principal-empty-list": ("principal", "    principal: []"),
    "case-principal-nested-list": ("principal", "    principal: [[\"123456789012\"]]"),
    "case-action-map": ("action", "    action: {s3: GetObject}"),
    "case-action-no-colon": ("action", "    action: GetObject"),
    "case-action-duplicate": ("action", "    action: [s3:GetObject, s3:GetObject]"),
    "case-resource-map": ("resource", "    resource: {arn: x}"),
    "case-resource-not-arn": ("resource", "    resource: my-bucket/key"),
    "case-resource-account-short": (None, "    resource_account: \"12345678901\""),
    "case-resource-account-list": (None, "    resource_account: [\"123456789012\"]"),
    "case-context-string": (None, "    context: aws:SourceVpce=vpce-1"),
    "case-context-value-map": (None, "    context: {aws:SourceVpce: {a: b}}"),
    "case-policies-list": (None, "    policies: [allow-all]"),
    "case-policies-unknown-layer": (None, "    policies: {endpont: allow-all}"),
    "case-layer-resource-list": (None, "    policies: {resource: [allow-all, allow-all]}"),
    "case-layer-identity-nested": (None, "    policies: {identity: [[allow-all]]}"),
    "case-layer-empty-string": (None, "    policies: {boundary: ''}"),
    "case-layer-map-no-statement": (None, "    policies: {session: {Effect: Allow}}"),
    "case-layer-scp-empty-level": (None, "    policies: {scp: [allow-all, []]}"),
    "case-terraform-no-address": (None, "    policies: {identity: {terraform: main.tf}}"),
    "case-terraform-address-list": (None, "    policies: {identity: {terraform: main.tf, address: [a]}}"),
    "case-terraform-variables-list": (None, "    policies: {identity: {terraform: main.tf, "
                                            "address: a.b, variables: [x]}}"),
    "case-terraform-unknown-key": (None, "    policies: {identity: {terraform: main.tf, "
                                         "address: a.b, adress: a.b}}"),
    "case-plan-parameters": (None, "    policies: {identity: {terraform_plan: plan.json, "
                                   "address: a.b, parameters: {}}}"),
    "case-cloudformation-no-resource": (None, "    policies: {identity: {cloudformation: t.yaml}}"),
    "case-endpoint-type-word": (None, "    endpoint_type: vpc"),
    "case-expect-word": ("expect", "    expect: denied"),
    "case-expect-list": ("expect", "    expect: [deny]"),
    "case-expect-null": ("expect", "    expect:"),
    "case-denied-by-word": (None, "    denied_by: firewall"),
    "case-skip-list": (None, "    skip: [slow]"),
    "case-xfail-map": (None, "    xfail: {reason: x}"),
    "case-marks-map": (None, "    marks: {slow: true}"),
    "case-marks-space": (None, "    marks: [very slow]"),
    "case-unknown-key": (None, "    expected: deny"),
    "property-never-list": ("never", "    never: [s3:*]"),
    "property-both-missing": ("never", "    policies: {identity: allow-all}"),
    "property-not-empty": ("never", "    never: {action: {not: []}}"),
    "property-not-typo": ("never", "    never: {action: {nto: s3:*}}"),
    "property-context-map": ("never", "    never: {context: {aws:SourceVpce: {a: b}}}"),
    "property-request-set-key": ("never", "    never: {actions: s3:*}"),
    "property-name-missing": ("prop_name", "  - title: p"),
}


def wrong_type_file(label: str) -> str:
    key, text = WRONG_TYPES[label]
    lines = dict(_BASE)
    if key is None:
        lines["expect"] = lines["expect"] + "\n" + text
    else:
        lines[key] = text
    return "\n".join(lines.values()) + "\n"


def generated() -> Dict[str, object]:
    """name -> text or bytes, for inputs too large, too deep or too odd to store."""
    out: Dict[str, object] = {
        "huge-spec.iamtest.yaml": huge_spec(),
        "policies/huge.json": huge_policy(),
        "use-huge.iamtest.yaml": use_file("huge", "identity", "policies/huge.json"),
        "deep-spec.iamtest.yaml": "cases: " + "[" * DEEP + "]" * DEEP + "\n",
        "deep-spec-block.iamtest.yaml": "x-deep:\n" + "".join(
            "  " * (i + 1) + "k:\n" for i in range(400)) + "cases: []\n",
        "policies/deep.json": '{"Statement": ' + "[" * DEEP + "]" * DEEP + "}\n",
        "use-deep.iamtest.yaml": use_file("deep", "identity", "policies/deep.json"),
        "policies/many-digits.json": '{\n  "Id": ' + "7" * 5000 + ',\n  "Statement": []\n}\n',
        "use-many-digits.iamtest.yaml": use_file("many-digits", "identity",
                                                 "policies/many-digits.json"),
    }
    for label in WRONG_TYPES:
        out[f"type-{label}.iamtest.yaml"] = wrong_type_file(label)
    return out
