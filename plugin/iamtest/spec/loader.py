"""Reading files from disk: access-test files and policy documents."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from . import schema as _schema
from .build import Builder
from .errors import SourceError, SpecError
from .jsonload import load_json
from .model import SpecFile
from .yamlload import Loaded, load_yaml

SPEC_SUFFIXES = (".iamtest.yaml", ".iamtest.yml")
YAML_SUFFIXES = (".yaml", ".yml")


def is_spec_file(path: Union[str, Path]) -> bool:
    """Whether a file name marks an access-test file (``*.iamtest.yaml``/``.yml``)."""
    return str(path).endswith(SPEC_SUFFIXES)


def display_path(path: Union[str, Path]) -> str:
    """The path relative to the working directory when it is below it, else absolute."""
    path = Path(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
    return str(path) if rel.startswith("..") else rel


def read_text(path: Path, display: str, error=SpecError.at) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(display, None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # exc.start counts from after a byte order mark, which the codec drops
        offset = len(data) - len(exc.object) + exc.start
        line = data.count(b"\n", 0, offset) + 1
        raise error(display, line, f"the file is not UTF-8 text (byte {offset}: "
                                   f"{exc.reason})") from None


def load_spec_file(path: Union[str, Path], display: str | None = None) -> SpecFile:
    """Read, validate and resolve one access-test file.

    Raises :class:`SpecError` listing every problem with its line.
    """
    path = Path(path).resolve()
    display = display or display_path(path)
    loaded = load_yaml(read_text(path, display), display)
    return spec_from_loaded(loaded, path)


def spec_from_loaded(loaded: Loaded, path: Path) -> SpecFile:
    """The checks and the model for a document already read (``loaded.source`` is
    the displayed name, ``path`` the file, used to resolve relative paths)."""
    if loaded.data is None:
        raise SpecError.at(loaded.source, 1, "the file is empty: expected a mapping with "
                                             "`cases` (or `properties`)")
    problems = _schema.check(loaded)
    if problems:
        raise SpecError(problems)
    return Builder(loaded, path, loaded.source).build()


def _source_error(display, line, message):
    return SourceError(message, display, line)


def load_policy_document(path: Union[str, Path], display: str | None = None) -> Loaded:
    """Read a JSON or YAML policy document with the line of every key.

    ``.yaml``/``.yml`` files are YAML (every scalar kept as written, see
    :mod:`iamtest.spec.yamlload`); anything else is read as JSON. Raises
    :class:`SourceError` with the file and line.
    """
    path = Path(path)
    display = display or display_path(path)
    text = read_text(path, display, _source_error)
    if path.suffix.lower() in YAML_SUFFIXES:
        try:
            loaded = load_yaml(text, display)
        except SpecError as exc:
            raise SourceError(exc.message, display, exc.line) from None
        if loaded.data is None:
            raise SourceError("the file is empty: expected a policy document", display, 1)
        return loaded
    return load_json(text, display)
