"""Policy variables (IAM policy elements: Variables and tags; Single-valued vs.
multivalued context keys)."""
from iamtest.engine.model import Context
from iamtest.engine.variables import (find_variables, has_variables, resolve, substitute,
                                      unresolved)
from iamtest.engine.wildcard import EscapedPattern, glob_match, literal_text

CTX = Context.of({"aws:username": "bob", "aws:PrincipalTag/team": "yellow",
                  "aws:TagKeys": ["a", "b"], "aws:PrincipalTag/empty": "",
                  "aws:PrincipalTag/stars": "a*b?", "aws:PrincipalTag/loop": "${aws:username}"})


def sub(text, for_pattern=False):
    return substitute(text, CTX.get, for_pattern=for_pattern)


def test_find_variables_reads_key_and_default():
    (ref,) = find_variables("arn:aws:s3:::bucket-${aws:PrincipalTag/team, 'company-wide'}")
    assert ref.key == "aws:PrincipalTag/team"
    assert ref.default == "company-wide"
    assert ref.raw == "${aws:PrincipalTag/team, 'company-wide'}"


def test_find_variables_knows_the_special_characters():
    refs = find_variables("${*}${?}${$}")
    assert [r.key for r in refs] == ["*", "?", "$"]
    assert all(r.special for r in refs)


def test_unclosed_reference_is_literal_text():
    assert find_variables("home/${aws:username") == []
    assert not has_variables("plain text $ { }")
    assert sub("home/${aws:username") == "home/${aws:username"


def test_default_may_contain_a_closing_brace():
    (ref,) = find_variables("${aws:x, 'a}b'}")
    assert ref.default == "a}b"
    assert sub("${aws:x, 'a}b'}") == "a}b"


def test_default_without_quotes_is_flagged_and_ignored():
    (ref,) = find_variables("${aws:x, anonymous}")
    assert ref.malformed_default and ref.default is None
    assert sub("${aws:x, anonymous}") is None


def test_substitute_replaces_with_the_request_value():
    assert sub("home/${aws:username}/") == "home/bob/"


def test_key_lookup_is_case_insensitive():
    # "Key names are case-insensitive"
    assert sub("${AWS:UserName}") == "bob"
    assert sub("${aws:principaltag/TEAM}") == "yellow"


def test_default_is_used_when_the_key_is_absent():
    assert sub("bucket-${aws:PrincipalTag/dept, 'company-wide'}") == "bucket-company-wide"
    assert sub("bucket-${aws:PrincipalTag/team, 'company-wide'}") == "bucket-yellow"


def test_returns_none_when_a_key_is_absent_and_has_no_default():
    assert sub("home/${aws:PrincipalTag/dept}/") is None
    assert sub("${aws:username}-${aws:nope}", for_pattern=True) is None
    assert [r.key for r in unresolved("${aws:username}-${aws:nope}", CTX.get)] == ["aws:nope"]


def test_a_multivalued_key_cannot_be_a_variable():
    # "You can't use a multivalued condition key as a variable."
    assert sub("${aws:TagKeys}") is None
    assert sub("${aws:TagKeys, 'none'}") == "none"


def test_an_empty_string_is_a_value():
    assert sub("x${aws:PrincipalTag/empty}y") == "xy"


def test_special_variables_give_the_literal_characters():
    assert sub("a${*}b${?}c${$}d") == "a*b?c$d"
    assert resolve(find_variables("${$}")[0], CTX.get) == "$"


def test_for_pattern_special_star_stays_literal_in_matching():
    pat = sub("file${*}.txt", for_pattern=True)
    assert isinstance(pat, EscapedPattern)
    assert glob_match(pat, "file*.txt")
    assert not glob_match(pat, "file123.txt")
    assert literal_text(pat) == "file*.txt"


def test_for_pattern_policy_star_stays_a_wildcard():
    pat = sub("home/${aws:username}/*", for_pattern=True)
    assert glob_match(pat, "home/bob/docs/a.txt")
    assert not glob_match(pat, "home/alice/docs/a.txt")


def test_for_pattern_wildcard_characters_in_a_request_value_are_literal():
    pat = sub("${aws:PrincipalTag/stars}", for_pattern=True)
    assert glob_match(pat, "a*b?")
    assert not glob_match(pat, "aXXbY")


def test_for_pattern_keeps_a_backslash_in_policy_text_literal():
    pat = sub("a\\${aws:username}", for_pattern=True)
    assert glob_match(pat, "a\\bob")


def test_substitution_happens_once():
    assert sub("${aws:PrincipalTag/loop}") == "${aws:username}"


def test_text_without_variables_comes_back_unchanged():
    assert sub("no variables here") == "no variables here"
    pat = sub("wild*", for_pattern=True)
    assert isinstance(pat, EscapedPattern) and glob_match(pat, "wildcard")


def test_has_variables():
    assert has_variables("${aws:username}")
    assert has_variables("${*}")
    assert not has_variables("arn:aws:s3:::bucket/*")


def test_a_default_is_policy_text_so_its_star_stays_a_wildcard():
    # Undocumented; the default is written in the policy like the text around it.
    pat = sub("${aws:PrincipalTag/dept, 'shared-*'}", for_pattern=True)
    assert glob_match(pat, "shared-anything")
    assert sub("${aws:PrincipalTag/dept, 'shared-*'}") == "shared-*"
