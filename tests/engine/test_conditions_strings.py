"""String operators (IAM JSON policy elements: Condition operators; IAM JSON
policy elements: Condition)."""
from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


U = "aws:username"


def test_string_equals_is_exact_and_case_sensitive():
    # "only requests made by johndoe will match. Users named JohnDoe are denied access."
    assert check("StringEquals", U, ["johndoe"], {U: "johndoe"}).matched
    assert not check("StringEquals", U, ["johndoe"], {U: "JohnDoe"}).matched


def test_string_equals_treats_wildcards_as_literal():
    assert not check("StringEquals", U, ["john*"], {U: "johndoe"}).matched
    assert check("StringEquals", U, ["john*"], {U: "john*"}).matched


def test_string_equals_ignore_case_ignores_case():
    assert check("StringEqualsIgnoreCase", U, ["johndoe"], {U: "JohnDoe"}).matched


def test_string_not_equals_ignore_case_is_the_negation():
    assert not check("StringNotEqualsIgnoreCase", U, ["johndoe"], {U: "JOHNDOE"}).matched
    assert check("StringNotEqualsIgnoreCase", U, ["johndoe"], {U: "jane"}).matched


def test_string_like_uses_star_and_question_mark_wildcards():
    key = "s3:prefix"
    assert check("StringLike", key, ["home/*"], {key: "home/bob/x"}).matched
    assert check("StringLike", key, ["t?.micro"], {key: "t2.micro"}).matched
    assert not check("StringLike", key, ["t?.micro"], {key: "t22.micro"}).matched


def test_string_like_is_case_sensitive():
    assert not check("StringLike", "s3:prefix", ["Home/*"], {"s3:prefix": "home/x"}).matched


def test_string_like_empty_pattern_matches_only_the_empty_string():
    # the docs' home-directory example lists "" among the s3:prefix values
    assert check("StringLike", "s3:prefix", ["", "home/"], {"s3:prefix": ""}).matched
    assert not check("StringLike", "s3:prefix", [""], {"s3:prefix": "x"}).matched


def test_string_not_like_is_the_negation_of_string_like():
    key = "s3:prefix"
    assert check("StringNotLike", key, ["secret/*"], {key: "public/a"}).matched
    assert not check("StringNotLike", key, ["secret/*", "private/*"], {key: "private/a"}).matched


def test_json_numbers_and_booleans_compare_as_their_text():
    assert check("StringEquals", "k", ["10"], {"k": 10}).matched
    assert check("StringEquals", "k", ["true"], {"k": True}).matched
