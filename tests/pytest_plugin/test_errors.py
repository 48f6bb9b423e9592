"""Broken files and broken policies (FORMAT.md "Errors"): a file that breaks
the contract fails collection with its path, the line of the offending key
and what was expected; a policy AWS would reject fails every case that uses
it, with the policy's path and line; nothing is silently allowed or denied."""


def collection_errors(result):
    return [line for line in result.stdout.lines if ".iamtest.yaml:" in line
            and not line.startswith(("ERROR ", "_"))]


def test_schema_errors_fail_collection_with_sentences_and_lines(pytester, example):
    example("expect_typo")
    result = pytester.runpytest()
    assert result.ret == 2  # interrupted: errors during collection
    result.assert_outcomes(errors=1)
    assert collection_errors(result) == [
        "expect_typo.iamtest.yaml:13: unknown key `expct` in case 2 'x' (did you mean `expect`?)",
        "expect_typo.iamtest.yaml:19: case 3 'read logs': `expect` must be one of allow, deny, "
        "explicit-deny, implicit-deny; got `alow`",
    ]
    assert "Traceback" not in result.stdout.str()
    assert "jsonschema" not in result.stdout.str()


def test_duplicate_names_fail_collection(pytester, example):
    example("duplicate_names")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    assert collection_errors(result) == [
        "duplicate_names.iamtest.yaml:7: case 2 'reads': the name is already used by case 1 "
        "'reads' (line 2); names must be unique in a file"]


def test_unknown_layers_fail_collection(pytester, example):
    example("unknown_layer")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    assert collection_errors(result) == [
        "unknown_layer.iamtest.yaml:3: unknown layer `endpont` in `policies` (did you mean `endpoint`?)"]


def test_missing_policy_files_fail_collection(pytester, example):
    example("missing_policy")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    missing = (pytester.path / "policies" / "missing.json").resolve()
    assert collection_errors(result) == [
        f"missing_policy.iamtest.yaml:2: policy file `policies/missing.json` not found "
        f"(looked for {missing})"]


def test_invalid_yaml_fails_collection_with_the_line(pytester, example):
    example("invalid_yaml")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    (error,) = collection_errors(result)
    # the wording after the prefix is the YAML parser's
    assert error.startswith("invalid_yaml.iamtest.yaml:4: invalid YAML: did not find expected ")


def test_one_broken_file_does_not_hide_the_others(pytester, example):
    example("expect_typo", "passing")
    result = pytester.runpytest("--continue-on-collection-errors")
    result.assert_outcomes(passed=4, skipped=1, xfailed=1, errors=1)


def test_a_policy_aws_would_reject_fails_every_case_that_uses_it(pytester, example):
    example("rejected_policy")
    result = pytester.runpytest("-rf")
    # three items use the boundary with `Effect: Alow`; the fourth does not use it
    result.assert_outcomes(failed=3, passed=1)
    result.stdout.fnmatch_lines([
        "*_ case 'first user of the bad policy' _*",
        "case 'first user of the bad policy' at rejected_policy.iamtest.yaml:4",
        "a policy on the request path cannot be used:",
        "  policies/bad-effect.json:6: statement 'Typo': `Effect` must be *",
    ])
    text = result.stdout.str()
    # Count in the failure reports only: how much of each message the short
    # summary repeats differs between pytest releases.
    reports = text.split("short test summary info")[0]
    assert reports.count("a policy on the request path cannot be used:") == 3
    assert "Traceback" not in text


def test_a_request_the_evaluator_cannot_build_fails_the_case_with_its_line(pytester):
    pytester.makefile(".iamtest.yaml", bad="""\
        policies: {identity: allow-all}
        cases:
          - name: a group is not a principal
            principal: arn:aws:iam::123456789012:group/Developers
            action: s3:GetObject
            resource: "*"
            expect: deny
        """)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "case 'a group is not a principal' at bad.iamtest.yaml:3",
        "the request cannot be built:",
        "  bad.iamtest.yaml:4: case 1 'a group is not a principal': principal *",
    ])


def test_a_context_value_aws_never_sends_fails_the_case_with_the_line_of_the_context(pytester):
    # AWS fills aws:SourceIp with the caller's address; "office" would make IpAddress false and
    # NotIpAddress true without a word, so a deny expectation could pass for the wrong reason.
    pytester.makefile(".iamtest.yaml", bad="""\
        policies: {identity: allow-all}
        cases:
          - name: from the office
            principal: arn:aws:iam::123456789012:role/app
            action: s3:GetObject
            resource: arn:aws:s3:::b/k
            context:
              aws:SourceIp: office
            expect: deny
        """)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "case 'from the office' at bad.iamtest.yaml:3",
        "the request cannot be built:",
        "  bad.iamtest.yaml:7: case 1 'from the office': context key aws:SourceIp: 'office' is not "
        "an IP address, the value AWS gives this key",
    ])
