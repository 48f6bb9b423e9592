"""Helpers for the report tests: example access-test files run with pytester."""
import shutil
from pathlib import Path

import pytest

# Loaded once here so pytester's in-process runs do not import them again each time.
import iamtest.explain  # noqa: F401
import iamtest.pytest_plugin.collect  # noqa: F401
import iamtest.report.plugin  # noqa: F401

EXAMPLES = Path(__file__).with_name("examples")

# The examples are data for pytester runs, never tests of this suite.
collect_ignore = ["examples", "data"]

#: Environment variables GitHub Actions sets that the reports read.
GITHUB_VARS = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE")


@pytest.fixture
def example(pytester):
    """Copy examples/NAME.yaml into the pytester folder as NAME.iamtest.yaml (with policies/)."""

    def copy(*names: str):
        target = pytester.path
        if not (target / "policies").exists():
            shutil.copytree(EXAMPLES / "policies", target / "policies")
        paths = []
        for name in names:
            dest = target / f"{name}.iamtest.yaml"
            shutil.copyfile(EXAMPLES / f"{name}.yaml", dest)
            paths.append(dest)
        return paths[0] if len(paths) == 1 else paths

    return copy


@pytest.fixture
def no_actions(monkeypatch):
    """A run outside GitHub Actions, whatever the environment running this suite."""
    for name in GITHUB_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def actions(monkeypatch, pytester, tmp_path):
    """A simulated GitHub Actions step: GITHUB_ACTIONS=true, the workspace is the
    pytester folder, and an empty step summary file (returned)."""
    summary = tmp_path / "step_summary.md"
    summary.write_text("")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(pytester.path))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary

