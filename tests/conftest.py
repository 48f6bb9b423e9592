"""Shared test configuration: pytester runs pytest inside tests (for the plugin's tests)."""
pytest_plugins = ["pytester"]
