"""Request contexts share their immutable parts, and mean what they meant.

``Context.of`` reuses one ``ContextValue`` for the same key and scalar value
across requests. The context rules stay those of the IAM pages: key lookups
ignore case, a key keeps the spelling it was given in, booleans read as
"true"/"false" and numbers as their decimal text.
"""
from iamtest.engine.model import Context


def test_a_shared_value_keeps_the_spelling_each_request_gave_its_key():
    first = Context.of({"aws:SourceVpce": "vpce-1"})
    second = Context.of({"AWS:SOURCEVPCE": "vpce-1"})
    assert first.get("aws:sourcevpce").key == "aws:SourceVpce"
    assert second.get("aws:sourcevpce").key == "AWS:SOURCEVPCE"
    assert first.get("AWS:SourceVPCE").values == second.get("aws:sourcevpce").values == ("vpce-1",)


def test_true_and_one_are_different_values_even_when_shared():
    assert Context.of({"k": 1}).get("k").values == ("1",)
    assert Context.of({"k": True}).get("k").values == ("true",)
    assert Context.of({"k": 1.0}).get("k").values == ("1.0",)
    assert Context.of({"k": 1}).get("k").values == ("1",)


def test_equal_mappings_give_equal_contexts_and_a_later_spelling_replaces_the_value():
    assert Context.of({"a": "x", "b": ["y", "z"]}) == Context.of({"a": "x", "b": ["y", "z"]})
    ctx = Context.of({"Key": "old", "key": "new"})
    assert ctx.get("KEY").values == ("new",)
    assert len(ctx.entries) == 1


def test_contexts_built_from_equal_mappings_are_interchangeable_and_subclasses_stay_subclasses():
    class Tagged(Context):
        pass

    mapping = {"aws:SourceVpce": "vpce-1", "aws:TagKeys": ["a", "b"], "n": 3}
    one, two = Context.of(mapping), Context.of(dict(mapping))
    assert one == two and one.as_dict() == two.as_dict() == {"aws:SourceVpce": "vpce-1",
                                                             "aws:TagKeys": ["a", "b"], "n": "3"}
    assert type(Tagged.of(mapping)) is Tagged


def test_a_memoised_principal_is_the_same_caller_and_bad_values_still_get_the_request_error():
    import pytest

    from iamtest import RequestError, parse_principal

    arn = "arn:aws:sts::111122223333:assumed-role/App/s1"
    assert parse_principal(arn) == parse_principal(arn)
    assert parse_principal(arn).role_arn == "arn:aws:iam::111122223333:role/App"
    for bad in (["x"], None, "", "not-a-principal"):
        with pytest.raises(RequestError):
            parse_principal(bad)
