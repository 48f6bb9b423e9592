"""Collecting ``*.iamtest.yaml`` files: one item per case request and per property."""
from __future__ import annotations

import re

import pytest

from ..spec.errors import SpecError
from ..spec.loader import display_path, load_spec_file
from .items import CaseItem, PropertyItem

#: Marker every access-test item carries (``-m iamtest`` selects them).
BASE_MARK = "iamtest"


def register_mark(config, name: str) -> None:
    """Declare a marker named in a file, so ``--strict-markers`` accepts it."""
    registered = config.stash.setdefault(_REGISTERED, set())
    if name not in registered:
        config.addinivalue_line("markers", f"{name}: marker named in an access-test file")
        registered.add(name)


_REGISTERED = pytest.StashKey[set]()


def keyword_of(name: str) -> str:
    """The name as one `-k` word: `app reads the bucket` -> `app_reads_the_bucket`
    (a -k expression cannot hold spaces)."""
    return re.sub(r"[^0-9A-Za-z_.:/-]+", "_", name).strip("_")


def apply_marks(item, spec) -> None:
    item.extra_keyword_matches.add(keyword_of(spec.name))
    item.add_marker(getattr(pytest.mark, BASE_MARK))
    for name in spec.marks:
        register_mark(item.config, name)
        item.add_marker(getattr(pytest.mark, name))
    if spec.skip is not None:
        item.add_marker(pytest.mark.skip(reason=spec.skip))
    if spec.xfail is not None:
        item.add_marker(pytest.mark.xfail(reason=spec.xfail))


class IamTestFile(pytest.File):
    """An access-test file. A file that breaks the format fails collection."""

    iamtest_spec = None

    def collect(self):
        spec = load_spec_file(self.path, display_path(self.path))
        self.iamtest_spec = spec
        for case in spec.cases:
            for request in case.expand():
                item = CaseItem.from_parent(self, name=request.id, case_request=request)
                apply_marks(item, case)
                yield item
        for prop in spec.properties:
            item = PropertyItem.from_parent(self, name=prop.name, prop=prop)
            apply_marks(item, prop)
            yield item

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SpecError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # a Collector takes no style
