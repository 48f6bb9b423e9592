"""The prover's tests need z3; the seed's policies come from :mod:`prove_helpers`."""
from __future__ import annotations

import pytest

pytest.importorskip("z3", reason="the prover needs z3-solver (pip install iamtest[prove])")

from prove_helpers import seed  # noqa: E402,F401  (the fixture)
