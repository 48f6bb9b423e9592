"""JUnit XML (pytest's --junitxml): each access-test case records its decision,
the layers whose statements decided it, the layers that refused it and its
expectation as <property> elements (the plugin's user_properties), also under
pytest-xdist."""
import xml.etree.ElementTree as ET

import pytest

EXPECTED = {
    "deletes 100%, then: nothing": {
        "iamtest.expect": "allow", "iamtest.decision": "explicit-deny",
        "iamtest.deciding_layers": "endpoint", "iamtest.refused_by": "endpoint"},
    "reads the own bucket": {
        "iamtest.expect": "allow", "iamtest.decision": "allow",
        "iamtest.deciding_layers": "identity,endpoint", "iamtest.refused_by": ""},
    "blames the identity layer": {
        "iamtest.expect": "deny by identity", "iamtest.decision": "implicit-deny",
        "iamtest.deciding_layers": "", "iamtest.refused_by": "endpoint"},
}


def properties(path):
    out = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        out[case.get("name")] = (props, case.find("failure") is not None)
    return out


@pytest.mark.parametrize("extra", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_each_case_carries_its_decision_and_deciding_layers(pytester, example, no_actions, extra):
    example("gate")
    result = pytester.runpytest("--junitxml=junit.xml", *extra)
    result.assert_outcomes(passed=1, failed=2)
    found = properties(pytester.path / "junit.xml")
    assert {name: props for name, (props, _failed) in found.items()} == EXPECTED
    assert {name for name, (_props, failed) in found.items() if failed} == {
        "deletes 100%, then: nothing", "blames the identity layer"}
