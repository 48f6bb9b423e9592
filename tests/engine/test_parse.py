"""Policy validation: what IAM rejects when a policy is attached is an error
that names the element and the line (AWS: "IAM JSON policy element
reference", "IAM JSON policy grammar")."""
import pytest

from iamtest import PolicyError, allow_all_policy, parse_policy

GOOD = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def doc(*statements, **top):
    return {"Version": "2012-10-17", "Statement": list(statements), **top}


def error(document, kind="identity", locations=None):
    with pytest.raises(PolicyError) as info:
        parse_policy(document, source="p.json", locations=locations, kind=kind)
    return info.value


def test_statement_may_be_a_single_object_or_a_list():
    one = parse_policy({"Version": "2012-10-17", "Statement": GOOD})
    many = parse_policy(doc(GOOD, {**GOOD, "Effect": "Deny"}))
    assert len(one.statements) == 1
    assert [s.effect for s in many.statements] == ["Allow", "Deny"]


@pytest.mark.parametrize("version", ["2012-10-17", "2008-10-17", None])
def test_accepted_versions_and_policy_variables_only_under_2012(version):
    document = {"Statement": [GOOD]}
    if version:
        document["Version"] = version
    policy = parse_policy(document)
    assert policy.variables_enabled is (version == "2012-10-17")


def test_unknown_version_is_rejected():
    assert "`Version` must be" in error(doc(GOOD, Version="2012-10-18")).message


def test_unknown_top_level_element_is_rejected_with_a_suggestion():
    e = error({"Version": "2012-10-17", "Statements": [GOOD]})
    assert "unknown policy element `Statements`" in e.message
    assert "did you mean `Statement`" in e.message


def test_element_names_are_case_sensitive():
    e = error(doc({"effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    assert "unknown element `effect`" in e.message
    assert "did you mean `Effect`" in e.message


@pytest.mark.parametrize("effect", ["allow", "Permit", "", None])
def test_effect_must_be_allow_or_deny(effect):
    e = error(doc({**GOOD, "Effect": effect}))
    assert "Effect" in e.message


def test_action_and_not_action_together_are_rejected():
    e = error(doc({**GOOD, "NotAction": "s3:PutObject"}))
    assert "`Action` and `NotAction` cannot both appear" in e.message


def test_resource_and_not_resource_together_are_rejected():
    e = error(doc({**GOOD, "NotResource": "arn:aws:s3:::b"}))
    assert "`Resource` and `NotResource` cannot both appear" in e.message


def test_identity_policy_statement_needs_an_action_and_a_resource():
    assert "needs `Action` or `NotAction`" in error(doc({"Effect": "Allow", "Resource": "*"})).message
    assert "needs `Resource` or `NotResource`" in error(doc({"Effect": "Allow", "Action": "s3:*"})).message


def test_malformed_action_is_rejected():
    assert "not `service:action`" in error(doc({**GOOD, "Action": "GetObject"})).message


def test_resource_must_be_an_arn_or_star():
    assert "neither an ARN nor `*`" in error(doc({**GOOD, "Resource": "my-bucket"})).message


def test_principal_is_not_allowed_in_identity_policies():
    e = error(doc({**GOOD, "Principal": "*"}))
    assert "`Principal` is not allowed in an identity policy" in e.message


def test_resource_policy_statement_needs_a_principal():
    assert "needs a `Principal`" in error(doc(GOOD), kind="resource").message


def test_wildcards_inside_a_principal_arn_are_rejected_with_the_condition_key_to_use():
    e = error(doc({**GOOD, "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"}}), kind="resource")
    assert "aws:PrincipalArn" in e.message


def test_unknown_principal_type_is_rejected():
    e = error(doc({**GOOD, "Principal": {"Aws": "111122223333"}}), kind="resource")
    assert "unknown principal type `Aws`" in e.message


def test_not_principal_is_only_supported_with_deny():
    e = error(doc({**GOOD, "NotPrincipal": {"AWS": "111122223333"}}), kind="resource")
    assert "only supported with" in e.message


def test_resource_control_policies_only_accept_the_wildcard_principal():
    e = error(doc({**GOOD, "Principal": {"AWS": "111122223333"}}), kind="rcp")
    assert 'only support "Principal": "*"' in e.message


def test_unknown_condition_operator_is_rejected_with_the_line():
    document = doc({**GOOD, "Condition": {"StringEqualz": {"aws:SourceVpce": "vpce-1"}}})
    e = error(document, locations={("Statement", 0, "Condition", "StringEqualz"): 9})
    assert e.line == 9
    assert "StringEqualz" in e.message


def test_condition_values_must_be_scalars():
    document = doc({**GOOD, "Condition": {"StringEquals": {"aws:SourceVpce": {"x": 1}}}})
    assert "values must be strings, numbers or booleans" in error(document).message


def test_condition_values_are_kept_as_text():
    document = doc({**GOOD, "Condition": {"Bool": {"aws:SecureTransport": False},
                                         "NumericLessThan": {"s3:max-keys": 10}}})
    clauses = parse_policy(document).statements[0].conditions
    assert {c.key: c.values for c in clauses} == {"aws:SecureTransport": ("false",), "s3:max-keys": ("10",)}


def test_error_points_at_the_nearest_recorded_line():
    document = doc(GOOD, {"Effect": "Alow", "Action": "s3:*", "Resource": "*"})
    e = error(document, locations={(): 1, ("Statement", 1): 7})
    assert (e.source, e.line) == ("p.json", 7)
    assert str(e).startswith("p.json:7: statement #2: `Effect`")


def test_empty_statement_list_is_rejected():
    assert "at least one statement" in error({"Version": "2012-10-17", "Statement": []}).message


def test_allow_all_source_adds_a_wildcard_principal_where_the_layer_needs_one():
    assert allow_all_policy("identity").statements[0].principal is None
    assert allow_all_policy("endpoint").statements[0].principal.wildcard


def test_policy_variable_before_the_resource_part_of_an_arn_is_rejected():
    document = doc({**GOOD, "Resource": "arn:aws:dynamodb:us-east-1:${aws:PrincipalAccount}:table/*"})
    assert "before the resource part" in error(document).message


def test_policy_variable_text_is_literal_under_2008_and_accepted_anywhere():
    document = {"Version": "2008-10-17",
                "Statement": [{**GOOD, "Resource": "arn:aws:dynamodb:us-east-1:${aws:PrincipalAccount}:table/*"}]}
    assert parse_policy(document).statements[0].resources[0].startswith("arn:aws:dynamodb")


# IAM User Guide, "IAM JSON policy elements: Sid": "The Sid element supports ASCII uppercase
# letters (A-Z), lowercase letters (a-z), and numbers (0-9)" and "In IAM, the Sid value must be
# unique within a JSON policy". Other services set their own rules for their policies.

@pytest.mark.parametrize("kind", ["identity", "boundary"])
@pytest.mark.parametrize("sid", ["Allow-S3", "read logs", "Lesen\u00e4", "S_1"])
def test_an_iam_policy_sid_with_characters_iam_refuses_is_an_error_at_its_line(kind, sid):
    err = error(doc({**GOOD, "Sid": sid}), kind=kind, locations={("Statement", 0, "Sid"): 4})
    assert err.line == 4
    assert f"`Sid` {sid!r} has characters IAM refuses" in err.message


@pytest.mark.parametrize("kind", ["identity", "boundary"])
def test_repeated_sids_in_an_iam_policy_are_an_error_naming_both_statements(kind):
    err = error(doc({**GOOD, "Sid": "Read"}, GOOD, {**GOOD, "Sid": "Read"}), kind=kind,
                locations={("Statement", 2, "Sid"): 9})
    assert err.line == 9
    assert "statement #3: `Sid` 'Read' is also the Sid of statement #1" in err.message


def test_letters_and_digits_and_missing_or_empty_sids_are_accepted_in_iam_policies():
    policy = parse_policy(doc({**GOOD, "Sid": "ReadLogs2024"}, GOOD, GOOD, {**GOOD, "Sid": ""}))
    assert [s.sid for s in policy.statements] == ["ReadLogs2024", None, None, None]


def test_other_policies_keep_their_own_sid_rules():
    # S3 bucket policies take Sids such as "Access-to-specific-VPCE-only" (the S3 User Guide's
    # own examples) and repeated ones; SCPs, RCPs, endpoint and session policies are not IAM's.
    bucket = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
    policy = parse_policy(doc({**bucket, "Sid": "Access-to-specific-VPCE-only"},
                              {**bucket, "Sid": "Access-to-specific-VPCE-only"}), kind="resource")
    assert policy.statements[1].sid == "Access-to-specific-VPCE-only"
    for kind in ("scp", "session"):
        assert parse_policy(doc({**GOOD, "Sid": "Deny outside-regions"}), kind=kind).statements[0].sid



# IAM User Guide, "IAM and AWS STS quotas": "Policy documents can contain only the following
# Unicode characters: horizontal tab (U+0009), linefeed (U+000A), carriage return (U+000D),
# and characters in the range U+0020 to U+00FF."

@pytest.mark.parametrize("kind", ["identity", "boundary", "session"])
@pytest.mark.parametrize("where, text", [
    ("Sid", "Lesen\u2013Schreiben"),               # an en dash
    ("Resource", "arn:aws:s3:::bucket/\u62a5\u544a/*"),  # CJK characters in a key name
    ("Action", "s3:GetObject\u200b"),             # a zero-width space
])
def test_characters_iam_refuses_in_its_policy_documents_are_an_error_at_their_line(kind, where, text):
    statement = {**GOOD, where: text}
    err = error(doc(statement), kind=kind, locations={("Statement", 0, where): 6})
    assert err.line == 6
    assert "cannot be in an IAM policy document: IAM accepts tab, line feed, carriage return " \
           "and U+0020 to U+00FF only" in err.message


def test_latin_1_characters_are_accepted_and_other_policies_keep_their_own_rules():
    condition = {"StringEquals": {"aws:PrincipalTag/team": "caf\u00e9 \u00fcber"}}
    assert parse_policy(doc({**GOOD, "Condition": condition})).statements[0].conditions
    bucket = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::bucket/\u62a5\u544a/*"}
    assert parse_policy(doc(bucket), kind="resource").statements[0].resources
