"""Where the checkov rules are: the folder to pass to ``checkov --external-checks-dir``.

The rules are installed as the package ``iamtest.checkov_rules`` (the
repository's ``rules/`` folder). ``iamtest checkov-rules-dir`` prints the
folder, so a pip install can run::

    checkov -d infra/ --external-checks-dir "$(iamtest checkov-rules-dir)"
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

RULE_PREFIX = "CKV_IAMT_"


def checkov_rules_dir() -> Path:
    """The folder holding iamtest's checkov rules (``rules/`` in the repository).

    Pass it to ``checkov --external-checks-dir``. Raises ``RuntimeError`` when
    the rules are not installed.
    """
    try:
        spec = importlib.util.find_spec("iamtest.checkov_rules")
    except ModuleNotFoundError:
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    # A source checkout that is not installed: plugin/iamtest/iac -> repository/rules
    locations.append(str(Path(__file__).resolve().parents[3] / "rules"))
    for location in locations:
        folder = Path(location)
        if (folder / "__init__.py").is_file() and any(folder.glob("iamtest_ckv_*.py")):
            return folder
    raise RuntimeError("iamtest's checkov rules are not installed (no iamtest.checkov_rules package)")


def cmd_checkov_rules_dir(args) -> int:
    try:
        print(checkov_rules_dir())
    except RuntimeError as err:
        raise ValueError(str(err)) from None
    return 0


def add_subcommand(subparsers) -> None:
    """Register ``iamtest checkov-rules-dir`` on the CLI's subparsers."""
    parser = subparsers.add_parser(
        "checkov-rules-dir", help="print the folder to pass to checkov --external-checks-dir",
        description="Print the folder holding iamtest's checkov rules, for "
                    "checkov --external-checks-dir.")
    parser.set_defaults(func=cmd_checkov_rules_dir)
