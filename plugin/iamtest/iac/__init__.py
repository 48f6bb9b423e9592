"""Policy documents read from infrastructure code: Terraform, plan JSON, CloudFormation.

``resolve_source(spec, base_dir)`` takes a source mapping from an access-test
file (``{terraform: ..., address: ...}``, ``{terraform_plan: ..., address:
...}``, ``{cloudformation: ..., resource: ...}``) and returns a
:class:`LoadedDocument`, or raises :class:`IacError` naming the file, line
and expression that cannot be resolved statically.
"""
from .endpoint_type import endpoint_type_of
from .errors import IacError, LoadedDocument
from .resolve import FORMS, is_iac_source, resolve_source

__all__ = ["FORMS", "IacError", "LoadedDocument", "endpoint_type_of", "is_iac_source", "resolve_source"]
