"""Access-test files: reading, checking and resolving ``*.iamtest.yaml``.

The flow is files -> this package -> the evaluator::

    from iamtest.spec import load_spec_file, PolicyLoader, run_case

    spec = load_spec_file("s3-endpoint.iamtest.yaml")     # SpecError on a bad file
    loader = PolicyLoader()                                # reads each policy once
    for case in spec.cases:
        for request in case.expand():                      # one per principal x action x resource
            result = run_case(request, loader)             # SourceError / CaseError on a bad policy
            result.passed, result.decision

Nothing here imports pytest; the plugin lives in :mod:`iamtest.pytest_plugin`.
"""
from .build import RESERVED_MARKS
from .errors import Problem, SourceError, SpecError
from .evaluate import EFFECT_WORD, CaseError, CaseResult, build_request, compare, run_case
from .jsonload import load_json
from .loader import (SPEC_SUFFIXES, display_path, is_spec_file, load_policy_document,
                     load_spec_file, spec_from_loaded)
from .model import (LAYERS, CaseRequest, CaseSpec, Pattern, PropertySpec, RequestSet,
                    SourceSpec, SpecFile)
from .schema import check as check_schema
from .schema import schema, schema_path
from .sources import PolicyLoader
from .yamlload import ALIAS_BUDGET, Loaded, load_yaml

__all__ = [
    "ALIAS_BUDGET", "EFFECT_WORD", "LAYERS", "RESERVED_MARKS", "SPEC_SUFFIXES",
    "CaseError", "CaseRequest", "CaseResult", "CaseSpec", "Loaded", "Pattern", "PolicyLoader",
    "Problem", "PropertySpec", "RequestSet", "SourceError", "SourceSpec", "SpecError", "SpecFile",
    "build_request", "check_schema", "compare", "display_path", "is_spec_file", "load_json",
    "load_policy_document", "load_spec_file", "load_yaml", "run_case", "schema", "schema_path",
    "spec_from_loaded",
]
