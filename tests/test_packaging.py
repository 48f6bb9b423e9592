"""The distribution installs exactly one import package, ``iamtest``: nothing
installed may be importable as a bare ``plugin`` or ``rules``."""
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")


def test_only_the_iamtest_package_is_installed():
    setuptools = pytest.importorskip("setuptools")
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = setuptools.find_packages(str(REPO / "plugin"), include=["iamtest*"])
    assert {name.split(".")[0] for name in found} == {"iamtest"}
    assert set(config["package-dir"]) == {"", "iamtest.checkov_rules"}
    assert config["package-dir"][""] == "plugin"
    assert config["package-dir"]["iamtest.checkov_rules"] == "rules"
    # setup.py lists the packages: those under plugin/ plus the mapped rules folder.
    assert 'find_packages("plugin", include=["iamtest*"]) + ["iamtest.checkov_rules"]' in \
        (REPO / "setup.py").read_text()


def test_plugin_and_rules_folders_are_not_packages_of_their_own():
    assert not (REPO / "plugin" / "__init__.py").exists()
    # rules/ is a package only as iamtest.checkov_rules (checkov needs its __init__.py).
    assert (REPO / "rules" / "__init__.py").exists()


def test_pytest_plugin_entry_point_names_the_hooks_module():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["pytest11"] == {"iamtest": "iamtest.pytest_plugin.hooks"}
    assert project["scripts"]["iamtest"] == "iamtest.cli:main"
