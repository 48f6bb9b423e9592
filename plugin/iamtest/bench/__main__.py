"""``python -m iamtest.bench``: see :mod:`iamtest.bench.command`."""
import sys

from .command import main

sys.exit(main())
