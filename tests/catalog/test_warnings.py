"""IamtestWarning: findings as pytest warnings, promotable to errors with -W."""
import warnings

import pytest

from iamtest import Location
from iamtest.catalog import Finding, IamtestWarning, emit


def test_the_category_is_a_user_warning():
    assert issubclass(IamtestWarning, UserWarning)


def test_emit_points_at_the_policy_file_and_line():
    finding = Finding("unknown-condition-key", "warning", "condition key aws:Nope is unknown",
                      Location("policies/app.json", 12))
    with pytest.warns(IamtestWarning, match=r"aws:Nope is unknown \[unknown-condition-key\]") as record:
        emit(finding)
    assert record[0].filename == "policies/app.json" and record[0].lineno == 12


def test_an_error_filter_turns_the_warning_into_an_exception():
    finding = Finding("unknown-condition-key", "warning", "condition key aws:Nope is unknown")
    with warnings.catch_warnings():
        warnings.simplefilter("error", IamtestWarning)
        with pytest.raises(IamtestWarning) as raised:
            emit(finding)
    assert raised.value.finding is finding


def test_minus_w_error_with_the_dotted_name_fails_the_test(pytester):
    pytester.makepyfile(test_it="""
        from iamtest.catalog import Finding, emit

        def test_warns():
            emit(Finding("unknown-condition-key", "warning", "condition key aws:Nope is unknown"))
    """)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1, warnings=1)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider",
                                           "-W", "error::iamtest.catalog.warnings.IamtestWarning")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*IamtestWarning*aws:Nope is unknown*"])
