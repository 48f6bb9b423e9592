"""The pre-commit hook: run the access tests that use the files a commit changes.

``python -m iamtest.report.precommit FILE...`` (pre-commit passes the staged
files) finds every access-test file below the working directory, keeps those
that changed or that name a changed file as a policy source (a policy file, a
Terraform file or a file in a Terraform folder, a plan, a CloudFormation
template), and runs pytest on them. ``--all`` runs every access-test file.
An access-test file that cannot be read is always run, so its error shows.
Exits with pytest's status, or 0 when no access test uses the changed files.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Set

#: Folders never searched for access-test files.
SKIPPED_DIRS = {"node_modules", "__pycache__", "venv", "site-packages"}


def spec_files(root: Path) -> List[Path]:
    """Every ``*.iamtest.yaml``/``.yml`` below ``root``, outside hidden and tool folders."""
    from ..spec.loader import is_spec_file

    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        found += [Path(folder) / name for name in sorted(files) if is_spec_file(name)]
    return found


def _source_paths(source) -> List[Path]:
    """The files and folders a policy source reads."""
    from ..spec.model import IAC_KINDS

    if source.kind == "path":
        return [source.path]
    if source.kind in IAC_KINDS and isinstance(source.value, dict):
        target = source.value.get(source.kind)
        if isinstance(target, str):
            return [(source.base_dir / target).resolve()]
    return []


def used_files(spec_path: Path) -> Optional[Set[Path]]:
    """The files and folders an access-test file's cases and properties read; None when
    the file cannot be read (it must run, to show its error)."""
    from ..spec.errors import SpecError
    from ..spec.loader import load_spec_file
    from ..spec.sources import sources_in

    try:
        spec = load_spec_file(spec_path)
    except (SpecError, OSError):
        return None
    used: Set[Path] = set()
    for entry in list(spec.cases) + list(spec.properties):
        for _layer, source in sources_in(entry.policies):
            used.update(_source_paths(source))
    return used


def _touches(changed: Path, used: Iterable[Path]) -> bool:
    for path in used:
        if changed == path or path in changed.parents:
            return True
    return False


def select(changed: Sequence[str], root: Path) -> List[Path]:
    """The access-test files to run for the changed files (paths relative to ``root``)."""
    changed_paths = {(root / name).resolve() for name in changed}
    selected = []
    for spec in spec_files(root):
        resolved = spec.resolve()
        used = used_files(resolved)
        if resolved in changed_paths or used is None or \
                any(_touches(c, used) for c in changed_paths):
            selected.append(spec)
    return selected


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m iamtest.report.precommit",
        description="run the access tests that use the changed files")
    parser.add_argument("files", nargs="*", help="changed files (pre-commit passes them)")
    parser.add_argument("--all", action="store_true", help="run every access-test file")
    parser.add_argument("--pytest-arg", action="append", default=[], metavar="ARG",
                        help="pass ARG to pytest (repeatable)")
    args = parser.parse_args(argv)
    root = Path.cwd()
    specs = spec_files(root) if args.all else select(args.files, root)
    if not specs:
        print("iamtest: no access test uses the changed files")
        return 0
    import pytest

    targets = [os.path.relpath(p, root) for p in specs]
    return int(pytest.main(["-q", "-p", "no:cacheprovider", *args.pytest_arg, *targets]))


if __name__ == "__main__":
    sys.exit(main())
