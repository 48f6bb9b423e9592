"""The steps of the reusable GitHub Action (``action.yml``), in Python so they behave
the same on every runner and can be tested.

The action passes its inputs as environment variables::

    python -m iamtest.report.action test    # run the access tests
    python -m iamtest.report.action diff    # run `iamtest diff BASE PATHS`, judge its exit

``IAMTEST_PATHS`` (space-separated), ``IAMTEST_PYTEST_ARGS`` (split like a
shell command line), ``IAMTEST_FAIL_UNDER``, ``IAMTEST_SARIF``,
``IAMTEST_DIFF_BASE``, ``IAMTEST_ALLOW_NEW_ACCESS``.

``iamtest diff`` exits 0 when the change adds no access, 1 when it adds some,
2 on error. Exit 1 fails the step unless new access is allowed; any other
non-zero status always fails it.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
from typing import Callable, List, Mapping, Optional, Sequence, Tuple

from .github import command


class ActionInputError(ValueError):
    """An input the action cannot use."""


def _paths(env: Mapping[str, str]) -> List[str]:
    return env.get("IAMTEST_PATHS", "").split() or ["."]


def pytest_command(env: Mapping[str, str]) -> List[str]:
    """The pytest command line the inputs ask for."""
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    fail_under = env.get("IAMTEST_FAIL_UNDER", "").strip()
    if fail_under:
        try:
            float(fail_under)
        except ValueError:
            raise ActionInputError(f"coverage-fail-under must be a number; got {fail_under!r}") \
                from None
        cmd += ["--iamtest-coverage", f"--iamtest-coverage-fail-under={fail_under}"]
    sarif = env.get("IAMTEST_SARIF", "").strip()
    if sarif:
        cmd.append(f"--iamtest-sarif={sarif}")
    try:
        extra = shlex.split(env.get("IAMTEST_PYTEST_ARGS", ""))
    except ValueError as exc:
        raise ActionInputError(f"pytest-args cannot be split: {exc}") from None
    return cmd + extra + _paths(env)


def diff_command(env: Mapping[str, str]) -> List[str]:
    base = env.get("IAMTEST_DIFF_BASE", "").strip()
    if not base:
        raise ActionInputError("diff-base is empty: nothing to compare with")
    return [sys.executable, "-m", "iamtest", "diff", base] + _paths(env)


def diff_verdict(status: int, allow_new_access: bool) -> Tuple[int, Optional[str]]:
    """(the step's exit status, a workflow command to print) for ``iamtest diff``'s status."""
    if status == 1 and allow_new_access:
        return 0, command("notice", "This change adds access (listed above); accepted because "
                                    "allow-new-access is true.", title="iamtest diff")
    if status == 1:
        return 1, command("error", "This change adds access (listed above). If it is intended, "
                                   "set the action's allow-new-access input to true for this "
                                   "change.", title="iamtest diff")
    if status != 0:
        return status, command("error", f"iamtest diff could not compare (exit status {status}); "
                                        f"see its message above.", title="iamtest diff")
    return 0, None


def _truthy(value: str) -> bool:
    value = value.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("", "false", "0", "no"):
        return False
    raise ActionInputError(f"allow-new-access must be true or false; got {value!r}")


def main(argv: Optional[Sequence[str]] = None, env: Optional[Mapping[str, str]] = None,
         run: Callable[[List[str]], int] = subprocess.call) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if env is None else env
    step = argv[0] if argv else ""
    try:
        if step == "test":
            cmd = pytest_command(env)
            print("iamtest: " + " ".join(shlex.quote(part) for part in cmd), flush=True)
            return run(cmd)
        if step == "diff":
            allow = _truthy(env.get("IAMTEST_ALLOW_NEW_ACCESS", "false"))
            cmd = diff_command(env)
            print("iamtest: " + " ".join(shlex.quote(part) for part in cmd), flush=True)
            status, message = diff_verdict(run(cmd), allow)
            if message:
                print(message, flush=True)
            return status
    except ActionInputError as exc:
        print(command("error", str(exc), title="iamtest action input"), flush=True)
        return 2
    print("usage: python -m iamtest.report.action test|diff", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
