"""Collection (FORMAT.md "Files" and "Case keys"): which files are collected,
one test per case and per combination, readable ids, markers and locations."""
import pytest

NAMES_PASSING = [
    "app reads the company bucket",
    "exfiltration is blocked[s3:PutObject]",
    "exfiltration is blocked[s3:GetObject]",
    "outside the VPC the bucket refuses",
    "not written yet",
    "known gap",
]


def test_each_case_and_combination_becomes_one_item_with_a_readable_id(pytester, example):
    example("passing")
    items, _ = pytester.inline_genitems()
    assert [item.name for item in items] == NAMES_PASSING
    assert items[1].nodeid == "passing.iamtest.yaml::exfiltration is blocked[s3:PutObject]"


def test_only_iamtest_yaml_and_yml_files_are_collected(pytester, example):
    path = example("passing")
    (pytester.path / "other.iamtest.yml").write_text(path.read_text())
    (pytester.path / "plain.yaml").write_text(path.read_text())
    (pytester.path / "notes.iamtest.txt").write_text(path.read_text())
    items, _ = pytester.inline_genitems()
    assert {item.path.name for item in items} == {"passing.iamtest.yaml", "other.iamtest.yml"}
    assert len(items) == 2 * len(NAMES_PASSING)


def test_run_outcomes_include_skip_and_xfail(pytester, example):
    example("passing")
    result = pytester.runpytest("-rsx")
    result.assert_outcomes(passed=4, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines([
        "SKIPPED [[]1[]] passing.iamtest.yaml: the delete rules are not decided yet",
        "XFAIL passing.iamtest.yaml::known gap - the endpoint does not allow deletes yet",
    ])


def test_k_selects_cases_by_name(pytester, example):
    example("passing")
    result = pytester.runpytest("-k", "exfiltration", "-v")
    result.assert_outcomes(passed=2, deselected=4)
    result = pytester.runpytest("-k", "PutObject")
    result.assert_outcomes(passed=1, deselected=5)
    # a whole name with spaces, written as one -k word with underscores
    result = pytester.runpytest("-k", "outside_the_VPC_the_bucket_refuses")
    result.assert_outcomes(passed=1, deselected=5)


def test_marks_select_with_m_and_unknown_marks_warn_nothing_even_when_strict(pytester, example):
    example("passing")
    result = pytester.runpytest("-m", "perimeter and not exfiltration", "--strict-markers",
                                "-W", "error")
    result.assert_outcomes(passed=1, deselected=5)
    assert "Unknown pytest.mark" not in result.stdout.str()
    result = pytester.runpytest("-m", "iamtest", "--strict-markers", "-W", "error")
    result.assert_outcomes(passed=4, skipped=1, xfailed=1)


def test_items_point_at_the_case_line(pytester, example):
    example("passing")
    items, _ = pytester.inline_genitems()
    lines = {item.name: item.location[1] + 1 for item in items}
    assert lines["app reads the company bucket"] == 11
    assert lines["exfiltration is blocked[s3:GetObject]"] == 17
    assert lines["known gap"] == 39
    path, line0, domain = items[0].reportinfo()
    assert (path.name, line0, domain) == ("passing.iamtest.yaml", 10,
                                         "case 'app reads the company bucket'")


def test_the_case_spec_is_on_the_item_from_collection(pytester, example):
    example("passing")
    items, _ = pytester.inline_genitems()
    item = items[1]
    assert item.iamtest_case.name == "exfiltration is blocked"
    assert item.iamtest_case.denied_by == "endpoint"
    assert item.iamtest_request.action == "s3:PutObject"
    assert item.iamtest_result is None


def test_the_plugin_is_registered_through_its_entry_point(pytester):
    # pyproject.toml: [project.entry-points.pytest11] iamtest = "iamtest.pytest_plugin.hooks"
    config = pytester.parseconfigure()
    plugin = config.pluginmanager.get_plugin("iamtest")
    assert plugin is not None and plugin.__name__ == "iamtest.pytest_plugin.hooks"
    assert any(line.startswith("iamtest:") for line in config.getini("markers"))
