"""Helpers for the plugin tests: example access-test files copied into pytester's folder."""
import shutil
from pathlib import Path

import pytest

# Imported here so pytester's in-process runs find them loaded (its module
# snapshot would otherwise re-import the evaluator for every run).
import iamtest.explain  # noqa: F401
import iamtest.pytest_plugin.collect  # noqa: F401
import iamtest.pytest_plugin.fixture  # noqa: F401

EXAMPLES = Path(__file__).with_name("examples")

# The examples are data for pytester runs, never tests of this suite.
collect_ignore = ["examples"]


@pytest.fixture
def example(pytester):
    """Copy examples/NAME.yaml into the pytester folder as NAME.iamtest.yaml (with policies/)."""

    def copy(*names: str) -> Path:
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
