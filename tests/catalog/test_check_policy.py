"""check_policy: warnings for policy text that silently does nothing, with file:line."""
from iamtest import parse_policy
from iamtest.catalog import check_policy

# Lines as a JSON/YAML reader would record them for this document.
DOC = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Read", "Effect": "Allow",
         "Action": ["s3:GetObjcet", "s3:Get*", "s4:ListThings", "ec2:Describe*"],
         "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1", "aws:SourceVPCE": "vpce-2",
                                        "aws:SourceVpcee": "vpce-3", "ec2:InstanceType": "t3.micro",
                                        "s3:prefx": "home/"}}},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
         "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}},
        {"Effect": "Deny", "NotAction": ["s3:*", "iam:Nope"], "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"foo:bar": "x"}}},
    ],
}
LOCATIONS = {
    (): 1, ("Statement",): 3,
    ("Statement", 0): 4, ("Statement", 0, "Condition", "StringEquals", "aws:SourceVpce"): 8,
    ("Statement", 0, "Condition", "StringEquals", "aws:SourceVPCE"): 9,
    ("Statement", 0, "Condition", "StringEquals", "aws:SourceVpcee"): 10,
    ("Statement", 0, "Condition", "StringEquals", "ec2:InstanceType"): 11,
    ("Statement", 0, "Condition", "StringEquals", "s3:prefx"): 12,
    ("Statement", 1): 14, ("Statement", 1, "Condition", "StringEquals", "ec2:InstanceType"): 16,
    ("Statement", 2): 18, ("Statement", 2, "Condition", "StringEquals", "foo:bar"): 20,
}


def findings():
    policy = parse_policy(DOC, source="policies/app.json", locations=LOCATIONS, kind="identity")
    return check_policy(policy, "identity")


def by_line():
    return {(f.id, f.location.line): f for f in findings()}


def test_each_problem_is_reported_once_with_its_line():
    got = sorted((f.id, f.location.source, f.location.line) for f in findings())
    assert got == sorted([
        ("action-pattern-matches-nothing", "policies/app.json", 4),     # s3:GetObjcet
        ("action-pattern-matches-nothing", "policies/app.json", 4),     # s4:ListThings
        ("unknown-condition-key", "policies/app.json", 10),             # aws:SourceVpcee
        ("unknown-condition-key", "policies/app.json", 12),             # s3:prefx
        ("condition-key-of-other-service", "policies/app.json", 16),    # ec2 key, s3 actions
        ("action-pattern-matches-nothing", "policies/app.json", 18),    # iam:Nope in NotAction
        ("unknown-condition-key", "policies/app.json", 20),             # foo:bar
    ])
    assert all(f.severity == "warning" for f in findings())


def test_messages_name_the_statement_and_suggest():
    messages = [f.message for f in findings()]
    assert "Action s3:GetObjcet in statement 'Read' matches no known AWS action (did you mean s3:GetObject" \
        in "\n".join(messages)
    assert any("no AWS service has the prefix s4" in m for m in messages)
    assert any("aws:SourceVpcee" in m and "did you mean aws:SourceVpce" in m for m in messages)
    assert any("s3:prefx" in m and "s3:prefix" in m for m in messages)
    assert any("NotAction iam:Nope in statement #3" in m for m in messages)
    other = by_line()[("condition-key-of-other-service", 16)].message
    assert "is a key of ec2, but the statement's actions are of s3" in other


def test_case_of_a_known_key_does_not_matter():
    # aws:SourceVPCE (line 9) is aws:SourceVpce written in other case: no finding.
    assert ("unknown-condition-key", 9) not in by_line()


def test_a_key_of_a_service_among_the_actions_is_fine():
    # ec2:InstanceType in statement 0, whose actions include ec2:Describe*.
    assert ("condition-key-of-other-service", 11) not in by_line()


def test_a_clean_policy_has_no_finding():
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
         "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"},
                       "StringEquals": {"aws:PrincipalTag/team": "data", "s3:ExistingObjectTag/class": "public"}}},
        {"Effect": "Allow", "Action": "*", "Resource": "*",
         "Condition": {"StringEquals": {"ec2:InstanceType": "t3.micro"}}},
        {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}},
    ]}
    assert check_policy(parse_policy(doc, source="ok.json"), "identity") == []


def test_a_trust_policy_with_oidc_keys_is_clean():
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                      "StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/repo:*"}}}]}
    assert check_policy(parse_policy(doc, source="trust.json", kind="resource"), "resource") == []


def test_statements_whose_actions_are_all_unknown_only_check_global_keys():
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s4:Get", "Resource": "*",
        "Condition": {"StringEquals": {"s4:thing": "x", "aws:Nope": "y"}}}]}
    ids = sorted(f.id for f in check_policy(parse_policy(doc, source="p.json"), "identity"))
    assert ids == ["action-pattern-matches-nothing", "unknown-condition-key"]


def test_a_service_principal_that_names_no_service_is_a_warning_at_its_statement():
    # An Allow for "lambda" or "Lambda.amazonaws.com" grants nothing: no request comes from a
    # principal of that form (service principals are written like lambda.amazonaws.com).
    doc = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Good", "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com",
                                                                       "logs.amazonaws.com.cn"]},
         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Sid": "Misspelt", "Effect": "Allow", "Principal": {"Service": ["lambda", "Lambda.amazonaws.com"]},
         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Sid": "Guard", "Effect": "Deny", "NotPrincipal": {"Service": "s3.amazonaws.co"},
         "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}]}
    policy = parse_policy(doc, source="bucket.json", kind="resource",
                          locations={("Statement", 1): 9, ("Statement", 2): 14})
    found = [(f.location.line, f.message) for f in check_policy(policy, "resource")
             if f.id == "service-principal-names-no-caller"]
    assert found == [
        (9, "Principal Service 'lambda' in statement 'Misspelt' is not an AWS service principal "
            "(such as lambda.amazonaws.com): it names no caller"),
        (9, "Principal Service 'Lambda.amazonaws.com' in statement 'Misspelt' is not an AWS service "
            "principal (such as lambda.amazonaws.com): it names no caller"),
        (14, "NotPrincipal Service 's3.amazonaws.co' in statement 'Guard' is not an AWS service "
             "principal (such as lambda.amazonaws.com): it names no caller")]
