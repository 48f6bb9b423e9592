"""The pytest plugin: ``*.iamtest.yaml`` files as tests, and the ``iam`` fixture.

Registered through the ``pytest11`` entry point ``iamtest.pytest_plugin.hooks``.
Only this subpackage imports pytest.
"""
