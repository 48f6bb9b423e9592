"""The entry point: a source mapping from an access-test file to a policy document."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

from .errors import IacError, LoadedDocument

#: the key naming each form, the key naming the block in it, and the optional keys.
FORMS = {
    "terraform": ("address", ("attribute", "variables")),
    "terraform_plan": ("address", ("attribute",)),
    "cloudformation": ("resource", ("attribute", "parameters")),
}


def is_iac_source(spec: Any) -> bool:
    """True for a mapping that names one of the infrastructure-code forms."""
    return isinstance(spec, dict) and any(key in spec for key in FORMS)


def resolve_source(spec: Dict[str, Any], base_dir: Path) -> LoadedDocument:
    """The policy document a ``terraform``/``terraform_plan``/``cloudformation`` source names.

    Paths in ``spec`` are relative to ``base_dir`` (the access-test file's
    folder). Raises :class:`IacError` for a bad source or a value that cannot
    be resolved statically.
    """
    forms = [key for key in FORMS if key in spec] if isinstance(spec, dict) else []
    if len(forms) != 1:
        raise IacError("<source>", None, "an infrastructure source names exactly one of "
                       "terraform, terraform_plan or cloudformation")
    form = forms[0]
    target, optional = FORMS[form]
    shown = str(spec[form])
    unknown = sorted(set(spec) - {form, target, *optional})
    if unknown:
        raise IacError(shown, None, f"unknown key(s) {', '.join(unknown)} in a {form} source "
                       f"(expected {target} and optionally {', '.join(optional)})")
    if not spec.get(target):
        raise IacError(shown, None, f"a {form} source needs '{target}'")
    base_dir = Path(base_dir)
    if form == "terraform":
        from .terraform import resolve_terraform

        return resolve_terraform(spec, base_dir)
    if form == "terraform_plan":
        from .tfplan import resolve_terraform_plan

        return resolve_terraform_plan(spec, base_dir)
    from .cloudformation import resolve_cloudformation

    return resolve_cloudformation(spec, base_dir)
