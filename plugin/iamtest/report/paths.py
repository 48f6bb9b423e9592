"""Where files are, as GitHub and SARIF want them: relative to the repository.

iamtest displays paths relative to the working directory pytest was started
in (see :func:`iamtest.spec.loader.display_path`). GitHub annotations and
code scanning need them relative to the repository root: the workspace
(``GITHUB_WORKSPACE``) on Actions, else pytest's rootdir.
"""
from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Optional, Union


_IAC_NAME = re.compile(r"^(?P<file>.+?):(?P<line>\d+) (?P<address>\S+)$")


class Paths:
    """Turns displayed paths into paths relative to ``base``, with ``/`` separators."""

    def __init__(self, invocation_dir: Union[str, Path], base: Union[str, Path]):
        self.invocation_dir = Path(invocation_dir)
        self.base = Path(base)

    @classmethod
    def for_run(cls, invocation_dir, rootdir, environ=None) -> "Paths":
        environ = os.environ if environ is None else environ
        workspace = environ.get("GITHUB_WORKSPACE")
        return cls(invocation_dir, workspace or rootdir)

    def absolute(self, shown: str) -> Path:
        path = Path(shown)
        return path if path.is_absolute() else self.invocation_dir / path

    def file_of(self, shown: str) -> str:
        """The file of a policy source name. A policy read from infrastructure code
        is named ``FILE:LINE ADDRESS`` (``infra/main.tf:12 aws_vpc_endpoint.s3.policy``)
        and its statement lines are lines of FILE."""
        match = _IAC_NAME.match(shown)
        if match and self.absolute(match.group("file")).is_file():
            return match.group("file")
        return shown

    def relative(self, shown: Optional[str]) -> str:
        """The file of ``shown`` relative to the base (``a/b.json``), with ``/``; an
        absolute path when it is outside the base."""
        if not shown:
            return ""
        shown = self.file_of(shown)
        absolute = os.path.normpath(self.absolute(shown))
        base = os.path.normpath(self.base)
        try:
            rel = os.path.relpath(absolute, base)
        except ValueError:   # another drive
            return PurePosixPath(Path(absolute).as_posix()).as_posix()
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return Path(absolute).as_posix()
        return Path(rel).as_posix()
