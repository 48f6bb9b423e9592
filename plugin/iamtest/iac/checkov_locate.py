"""Where checkov's scanned file is, and cached readers for it.

checkov gives a check the scanned file relative to the scan root
(``/infra/main.tf``) without the root. The absolute path is found, in order:
from the Terraform graph (its vertices carry ``file_path_``), from checkov's
runner frames on the call stack (the local ``full_file_path`` or
``file_abs_path`` that names the file being scanned), or below the working
directory. When none matches, the rule reports UNKNOWN instead of guessing.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

_FRAME_NAMES = ("full_file_path", "file_abs_path")


def relative_file(check: Any) -> str:
    """The scanned file as checkov shows it (``/infra/main.tf``)."""
    return str(getattr(check, "entity_path", "") or "").split(":", 1)[0]


def _matches(candidate: Any, rel: str) -> Optional[Path]:
    """``candidate`` (a path, or an object with ``file_path``) if it is the file ``rel`` names."""
    value = getattr(candidate, "file_path", candidate)
    if not isinstance(value, (str, os.PathLike)):
        return None
    path = Path(value)
    if not path.is_absolute() or not path.is_file():
        return None
    tail = Path(rel.lstrip("/\\"))
    if ".." in tail.parts:  # checkov made it relative to the working directory
        return path.resolve() if path.resolve() == (Path.cwd() / tail).resolve() else None
    return path.resolve() if path.parts[-len(tail.parts):] == tail.parts else None


def _from_graph(check: Any, address: Optional[str], rel: str) -> Optional[Path]:
    graph = getattr(check, "graph", None)
    vertices = getattr(graph, "vs", None)
    if vertices is None or not address:
        return None
    try:
        for vertex in vertices:
            attrs = vertex["attr"]
            if isinstance(attrs, dict) and attrs.get("__address__") == address:
                found = _matches(attrs.get("file_path_"), rel)
                if found:
                    return found
    except (KeyError, TypeError, ValueError):
        return None
    return None


def _from_stack(rel: str) -> Optional[Path]:
    frame = sys._getframe(1)
    while frame is not None:
        for name in _FRAME_NAMES:
            if name in frame.f_locals:
                found = _matches(frame.f_locals[name], rel)
                if found:
                    return found
        frame = frame.f_back
    return None


def scanned_path(check: Any, address: Optional[str] = None) -> Optional[Tuple[Path, Path]]:
    """(absolute file, scan root) of the entity ``check`` is looking at, or None."""
    rel = relative_file(check)
    if not rel:
        return None
    found = _from_graph(check, address, rel) or _from_stack(rel) or \
        _matches(Path.cwd() / rel.lstrip("/\\"), rel)
    if found is None:
        return None
    tail = Path(rel.lstrip("/\\"))
    if ".." in tail.parts or len(tail.parts) >= len(found.parts):
        return found, Path.cwd()
    return found, Path(*found.parts[: len(found.parts) - len(tail.parts)])


class _Cache:
    """Readers keyed by path and modification times, so edited files are read again."""

    def __init__(self) -> None:
        self._items: Dict[Any, Tuple[Any, Any]] = {}

    def get(self, key: Any, stamp: Any, build):
        item = self._items.get(key)
        if item is not None and item[0] == stamp:
            return item[1]
        value = build()
        self._items[key] = (stamp, value)
        return value


def folder_stamp(folder: Path) -> Tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()
                        if p.suffix in (".tf", ".tfvars", ".json") and p.is_file()))


def file_stamp(path: Path) -> Tuple:
    return (path.stat().st_mtime_ns, path.stat().st_size)


CACHE = _Cache()
