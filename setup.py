"""Packages: everything under plugin/, plus rules/ installed as iamtest.checkov_rules.

pyproject.toml's package finder only searches plugin/, so it cannot list a
package whose folder is elsewhere; the mapping of iamtest.checkov_rules to
rules/ is in pyproject.toml's package-dir.
"""
from setuptools import find_packages, setup

setup(packages=find_packages("plugin", include=["iamtest*"]) + ["iamtest.checkov_rules"])
