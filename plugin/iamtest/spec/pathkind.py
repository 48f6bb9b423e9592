"""What a path named in an access-test file or on a command line is, without raising.

``Path.is_file()`` and ``Path.is_dir()`` answer False for a missing file but
raise for other failures of the underlying ``stat`` (a name longer than the
file system allows, a path component that cannot be searched). Every place
that checks a path a user wrote asks here, so each such path gets a sentence
naming it rather than a traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Tuple

FILE, FOLDER, MISSING, UNUSABLE = "file", "folder", "missing", "unusable"


def path_kind(path: Path) -> Tuple[str, str]:
    """(kind, why): ``file``, ``folder``, ``missing`` (why: "not found" or a link
    loop) or ``unusable`` (why: the system's reason, e.g. "File name too long")."""
    try:
        if path.is_file():
            return FILE, ""
        if path.is_dir():
            return FOLDER, ""
        if path.is_symlink():
            return MISSING, "is a symbolic link in a loop"
        return MISSING, "not found"
    except OSError as exc:
        return UNUSABLE, f"cannot be used as a path: {exc.strerror or exc}"
