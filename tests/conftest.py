"""Shared test configuration: pytester runs pytest inside tests (for the plugin's tests)."""
import pytest

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _not_on_github_actions(monkeypatch):
    """Runs inside tests (pytester, child processes) never annotate or write the job summary
    of a GitHub Actions run of this suite; tests that simulate Actions set these again."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
