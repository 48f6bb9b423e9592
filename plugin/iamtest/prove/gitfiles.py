"""Reading a git repository: the working tree and one revision, side by side."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

#: Files that may hold policies or access tests (and what they point to).
EXTENSIONS = (".json", ".yaml", ".yml", ".tf", ".tfvars", ".hcl", ".template")


class GitError(Exception):
    """git refused (not a repository, an unknown revision, ...)."""


def _git(args: Sequence[str], cwd: Path, data: Optional[bytes] = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=str(cwd), input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed"
        raise GitError(message)
    return done.stdout


class Repo:
    def __init__(self, cwd: Path):
        cwd = Path(cwd).resolve()
        self.root = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip()).resolve()

    def commit(self, revision: str) -> str:
        try:
            return _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], self.root).decode().strip()
        except GitError:
            raise GitError(f"unknown revision {revision!r} (not a commit in {self.root})") from None

    def relative(self, paths: Iterable[str], cwd: Path) -> List[str]:
        out = []
        for p in paths:
            full = (Path(cwd) / p).resolve()
            try:
                rel = full.relative_to(self.root)
            except ValueError:
                raise GitError(f"{p}: outside the repository {self.root}") from None
            out.append(str(rel) if str(rel) != "." else ".")
        return out or ["."]

    def files_at(self, commit: str, paths: Sequence[str] = (".",)) -> List[str]:
        """Repository-relative files of ``commit`` under ``paths``."""
        out = _git(["ls-tree", "-r", "-z", "--name-only", commit, "--", *paths], self.root)
        return [p for p in out.decode("utf-8", "replace").split("\0") if p]

    def worktree_files(self, paths: Sequence[str] = (".",)) -> List[str]:
        """Tracked and untracked (not ignored) files of the working tree under ``paths``."""
        out = _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *paths], self.root)
        names = sorted({p for p in out.decode("utf-8", "replace").split("\0") if p})
        return [p for p in names if (self.root / p).is_file()]

    def show(self, commit: str, path: str) -> bytes:
        """``git show COMMIT:PATH``."""
        return _git(["show", f"{commit}:{path}"], self.root)

    def materialize(self, commit: str, dest: Path, extensions: Sequence[str] = EXTENSIONS) -> Dict[str, Path]:
        """Write the files of ``commit`` with those extensions under ``dest`` (one
        ``git cat-file --batch``, the batch form of ``git show``)."""
        names = [p for p in self.files_at(commit) if p.lower().endswith(tuple(extensions))]
        if not names:
            return {}
        request = "".join(f"{commit}:{name}\n" for name in names).encode()
        out = _git(["cat-file", "--batch"], self.root, request)
        written: Dict[str, Path] = {}
        pos = 0
        for name in names:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode()
            pos = end + 1
            if header.endswith(" missing"):
                continue
            size = int(header.rsplit(" ", 1)[1])
            blob = out[pos:pos + size]
            pos += size + 1
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
            written[name] = target
        return written


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS", "").lower() == "true"
