"""cloudformation sources: a resource's policy document with intrinsic functions resolved.

CloudFormation semantics relied on (AWS CloudFormation User Guide, intrinsic
function reference): Ref to a parameter is its value (Default unless given),
to AWS::NoValue removes the property, pseudo parameters are set by the stack at
deploy time; Fn::Sub replaces ${Name} with parameters, pseudo parameters,
resource values or its own variable map, and ${!Literal} writes ${Literal};
Fn::Join, Fn::Select, Fn::Split, Fn::If (with Conditions), Fn::FindInMap work
on values; Ref/Fn::GetAtt to a resource return values created at deploy time.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from iamtest.iac import IacError, resolve_source


def write(tmp_path: Path, text: str, name: str = "template.yaml") -> None:
    (tmp_path / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def resolve(tmp_path: Path, resource: str, name: str = "template.yaml", **extra):
    return resolve_source({"cloudformation": name, "resource": resource, **extra}, tmp_path)


TEMPLATE = """
    AWSTemplateFormatVersion: "2010-09-09"
    Parameters:
      BucketName:
        Type: String
        Default: my-company-bucket
      EndpointId:
        Type: String
      Extra:
        Type: CommaDelimitedList
        Default: "my-logs-bucket,aws-codedeploy-us-east-1"
      Env:
        Type: String
        Default: prod
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Mappings:
      Accounts:
        prod:
          Id: "012345678901"
        dev:
          Id: "111122223333"
    Resources:
      Endpoint:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: vpc-1
          ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
          VpcEndpointType: Gateway
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Sid: AllowOwnBucketsOnly
                Effect: Allow
                Principal: "*"
                Action: [s3:GetObject, s3:PutObject]
                Resource:
                  - !Sub arn:aws:s3:::${BucketName}
                  - !Join ["", ["arn:aws:s3:::", !Ref BucketName, "/*"]]
                  - !Sub
                    - arn:aws:s3:::${Name}/*
                    - Name: !Select [0, !Ref Extra]
                  - !Sub "arn:aws:s3:::home/${!aws:username}"
                Condition:
                  StringEquals:
                    aws:PrincipalAccount: !FindInMap [Accounts, !Ref Env, Id]
              - !If
                - IsProd
                - Effect: Deny
                  Principal: "*"
                  Action: s3:DeleteObject
                  Resource: "*"
                - !Ref AWS::NoValue
      Lock:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref BucketName
          PolicyDocument:
            Statement:
              Effect: Deny
              Principal: "*"
              Action: s3:*
              Resource: !Sub arn:aws:s3:::${BucketName}/*
              Condition:
                StringNotEquals:
                  aws:SourceVpce: !Ref EndpointId
"""


def test_short_tags_parameters_and_functions(tmp_path):
    write(tmp_path, TEMPLATE)
    loaded = resolve(tmp_path, "Endpoint")
    assert loaded.doc == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowOwnBucketsOnly", "Effect": "Allow", "Principal": "*",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": ["arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*",
                             "arn:aws:s3:::my-logs-bucket/*", "arn:aws:s3:::home/${aws:username}"],
                "Condition": {"StringEquals": {"aws:PrincipalAccount": "012345678901"}},
            },
            {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*"},
        ],
    }
    assert loaded.source == "template.yaml:29 Endpoint.PolicyDocument"
    assert loaded.locations[("Statement", 0)] == 32
    assert loaded.locations[("Statement", 0, "Effect")] == 33
    assert loaded.locations[("Statement", 0, "Resource", 1)] == 38
    assert loaded.locations[("Statement", 1)] == 48


def test_condition_false_and_no_value_removes_the_statement(tmp_path):
    write(tmp_path, TEMPLATE)
    loaded = resolve(tmp_path, "Endpoint", parameters={"Env": "dev"})
    assert len(loaded.doc["Statement"]) == 1


def test_parameters_given_and_single_statement_paths(tmp_path):
    write(tmp_path, TEMPLATE)
    loaded = resolve(tmp_path, "Lock", parameters={"EndpointId": "vpce-0abc1234def56789"})
    assert loaded.doc["Statement"]["Condition"] == {
        "StringNotEquals": {"aws:SourceVpce": "vpce-0abc1234def56789"}}
    # a single statement object is addressed as statement 0
    assert loaded.locations[("Statement", 0)] == 58
    assert loaded.locations[("Statement", 0, "Effect")] == 59


def test_parameter_without_default_is_an_error(tmp_path):
    write(tmp_path, TEMPLATE)
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "Lock")
    assert str(info.value) == ("template.yaml:65: cannot resolve !Ref EndpointId statically "
                               "(no Default and not set in 'parameters')")


def test_pseudo_parameter_is_an_error_unless_given(tmp_path):
    write(tmp_path, """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
                    Action: sts:AssumeRole
    """)
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "Role")
    assert str(info.value) == ("template.yaml:8: cannot resolve ${AWS::Partition} statically "
                               "(AWS::Partition is known at deploy time; set it in 'parameters')")
    loaded = resolve(tmp_path, "Role", parameters={"AWS::Partition": "aws",
                                                   "AWS::AccountId": "123456789012"})
    assert loaded.doc["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert loaded.source == "template.yaml:5 Role.AssumeRolePolicyDocument"


@pytest.mark.parametrize("expr, message", [
    ("!GetAtt Other.Arn",
     "cannot resolve !GetAtt [\"Other\", \"Arn\"] statically (Other.Arn is known only after deployment)"),
    ("!Ref Other", "cannot resolve !Ref Other statically (Other is a AWS::SQS::Queue: its value is "
                   "known only after deployment)"),
    ("!Sub arn:aws:s3:::${Other}", "cannot resolve ${Other} statically (Other is a AWS::SQS::Queue: "
                                   "its value is known only after deployment)"),
    ("!ImportValue shared-bucket-arn",
     "cannot resolve !ImportValue shared-bucket-arn statically (it reads another stack's export)"),
    ("!GetAZs us-east-1", "cannot resolve !GetAZs us-east-1 statically (it depends on the account and Region)"),
    ("arn:aws:s3:::${BucketName}/*",
     "${BucketName} is left as text in Statement/0/Resource: it is not an IAM policy variable and "
     "would not be substituted"),
    ("!Ref Missing", "!Ref Missing: no parameter or resource 'Missing'"),
])
def test_unresolvable_values(tmp_path, expr, message):
    write(tmp_path, f"""
        Parameters:
          BucketName: {{Type: String, Default: b}}
        Resources:
          Other:
            Type: AWS::SQS::Queue
          Policy:
            Type: AWS::S3::BucketPolicy
            Properties:
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Principal: "*"
                    Action: s3:GetObject
                    Resource: {expr}
    """)
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "Policy")
    assert str(info.value) == f"template.yaml:14: {message}"


def test_bucket_arn_from_a_static_bucket_name(tmp_path):
    write(tmp_path, """
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: my-company-bucket
          Policy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Bucket
              PolicyDocument:
                Statement:
                  - Effect: Deny
                    Principal: "*"
                    Action: s3:*
                    Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]
    """)
    loaded = resolve(tmp_path, "Policy", parameters={"AWS::Partition": "aws"})
    assert loaded.doc["Statement"][0]["Resource"] == [
        "arn:aws:s3:::my-company-bucket", "arn:aws:s3:::my-company-bucket/*"]


def test_json_template_long_forms_and_policy_as_json_string(tmp_path):
    template = {
        "Parameters": {"Bucket": {"Type": "String", "Default": "my-company-bucket"}},
        "Resources": {
            "Endpoint": {
                "Type": "AWS::EC2::VPCEndpoint",
                "Properties": {
                    "PolicyDocument": {"Fn::Sub": json.dumps({
                        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                       "Resource": "arn:aws:s3:::${Bucket}/*"}]})},
                },
            },
        },
    }
    write(tmp_path, json.dumps(template, indent=2), name="template.json")
    loaded = resolve(tmp_path, "Endpoint", name="template.json")
    assert loaded.doc["Statement"][0]["Resource"] == "arn:aws:s3:::my-company-bucket/*"


def test_literal_block_json_string_keeps_lines(tmp_path):
    write(tmp_path, """
        Resources:
          Endpoint:
            Type: AWS::EC2::VPCEndpoint
            Properties:
              PolicyDocument: |
                {
                  "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
                  ]
                }
    """)
    loaded = resolve(tmp_path, "Endpoint")
    assert loaded.doc["Statement"][0]["Action"] == "s3:GetObject"
    assert loaded.locations[("Statement", 0)] == 8


def test_resource_with_false_condition_is_not_created(tmp_path):
    write(tmp_path, """
        Conditions:
          Never: !Equals [a, b]
        Resources:
          Endpoint:
            Type: AWS::EC2::VPCEndpoint
            Condition: Never
            Properties:
              PolicyDocument: {Statement: []}
    """)
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "Endpoint")
    assert str(info.value) == "template.yaml:4: Endpoint is not created: its Condition Never is false"


def test_attribute_path_and_missing_resource(tmp_path):
    write(tmp_path, """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: []}
              Policies:
                - PolicyName: inline
                  PolicyDocument:
                    Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]
    """)
    loaded = resolve(tmp_path, "Role", attribute="Policies.0.PolicyDocument")
    assert loaded.doc["Statement"][0]["Action"] == "s3:*"
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "Nope")
    assert str(info.value) == "template.yaml: no resource 'Nope' in the template (resources: Role)"
    with pytest.raises(IacError) as info:
        resolve(tmp_path, "Role", parameters={"Nope": 1})
    assert str(info.value) == ("template.yaml: 'parameters' sets Nope, which the template does not "
                               "declare (declared: none)")
