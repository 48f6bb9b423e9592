"""Benchmarks: ``python -m iamtest.bench`` (``--quick`` for a short run, ``--json`` for JSON).

Generates its own data deterministically (:mod:`.data`, :mod:`.repo`) and
measures the evaluator's throughput (:mod:`.evaluator`), the pytest plugin end
to end against pytest's own floor, and, where Node.js and
``@cloud-copilot/iam-simulate`` are installed, that package on the same
request. Not part of the test suite: nothing here asserts a timing.
"""
