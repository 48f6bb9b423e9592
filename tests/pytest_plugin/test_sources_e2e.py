"""Sources end to end through pytest: infrastructure code, gateway endpoint
rules, and policies read once per session."""
import json

ROLE = "arn:aws:iam::123456789012:role/App"


def test_a_cloudformation_policy_is_tested_like_a_file(pytester):
    template = {"Resources": {"CompanyBucketPolicy": {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {"Bucket": "my-company-bucket", "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Sid": "OnlyThroughOurEndpoint", "Effect": "Deny", "Principal": "*",
                           "Action": "s3:*", "Resource": "arn:aws:s3:::my-company-bucket/*",
                           "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}]}}}}}
    (pytester.path / "template.json").write_text(json.dumps(template, indent=2))
    pytester.makefile(".iamtest.yaml", bucket=f"""\
        policies:
          identity: allow-all
          resource: {{cloudformation: template.json, resource: CompanyBucketPolicy}}
        cases:
          - name: through the endpoint
            principal: {ROLE}
            action: s3:GetObject
            resource: arn:aws:s3:::my-company-bucket/k
            context: {{aws:SourceVpce: vpce-1}}
            expect: allow
          - name: from elsewhere
            principal: {ROLE}
            action: s3:GetObject
            resource: arn:aws:s3:::my-company-bucket/k
            expect: explicit-deny
            denied_by: resource
          - name: a resource that is not in the template
            principal: {ROLE}
            action: s3:GetObject
            resource: arn:aws:s3:::my-company-bucket/k
            policies: {{resource: {{cloudformation: template.json, resource: NoSuchThing}}}}
            expect: allow
        """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "case 'a resource that is not in the template' at bucket.iamtest.yaml:17",
        "a policy on the request path cannot be used:",
        "  template.json: *NoSuchThing* (named at bucket.iamtest.yaml:21)",
    ])


def test_a_gateway_endpoint_policy_naming_a_role_fails_its_cases_pointing_to_principal_arn(pytester):
    # AWS: gateway endpoint policies grant principals only through aws:PrincipalArn;
    # the Principal element can only be `*` or an account (its root user).
    (pytester.path / "gw.json").write_text(json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:*", "Resource": "*"}]},
        indent=2))
    pytester.makefile(".iamtest.yaml", gw=f"""\
        policies: {{identity: allow-all, endpoint: gw.json}}
        endpoint_type: gateway
        cases:
          - {{name: role through gateway, principal: {ROLE}, action: s3:GetObject, resource: "*", expect: allow}}
          - {{name: through an interface instead, principal: {ROLE}, action: s3:GetObject, resource: "*",
              expect: allow, endpoint_type: interface}}
        """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["  gw.json:3: *gateway endpoint policy cannot name the principal*"
                                 "aws:PrincipalArn*"])


def test_each_policy_file_is_read_and_parsed_once_per_session(pytester, example):
    example("passing")
    (pytester.path / "copy.iamtest.yaml").write_text(
        (pytester.path / "passing.iamtest.yaml").read_text())
    pytester.makeconftest("""
        from iamtest.pytest_plugin.hooks import LOADER_KEY
        def pytest_sessionfinish(session):
            loader = session.config.stash[LOADER_KEY]
            session.config._iamtest_counts = (loader.reads, loader.parses)
    """)
    reprec = pytester.inline_run()
    reprec.assertoutcome(passed=8, skipped=4)  # xfailed count as skipped here
    config = reprec.getcalls("pytest_sessionfinish")[0].session.config
    # three policy files (identity, resource, endpoint), used by 8 passing items in 2 files
    assert config._iamtest_counts == (3, 3)
