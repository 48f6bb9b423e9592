"""``Ref`` and ``Fn::GetAtt`` on resources whose value the template fixes.

A resource's physical name or ARN is usually generated at deploy time. Where
the template writes the name (``BucketName``, ``RoleName``), the value is
known: an S3 bucket's ``Ref`` is its name and its ``Arn`` is
``arn:PARTITION:s3:::NAME``; an IAM role's ``Ref`` is its name and its
``Arn`` is ``arn:PARTITION:iam::ACCOUNT:role/PATHNAME``. The partition and
account are pseudo parameters, so they must be given. Everything else is an
error naming the expression.
"""
from __future__ import annotations

from typing import Any, Dict

from . import locs as L
from .errors import IacError, unresolvable

_NAME_PROPERTY = {"AWS::S3::Bucket": "BucketName", "AWS::IAM::Role": "RoleName"}


def _name(ev, logical_id: str, resource: Dict[str, Any], line: Any, shown: str) -> str:
    rtype = resource.get("Type") if isinstance(resource, dict) else None
    prop = _NAME_PROPERTY.get(str(rtype))
    props = (resource.get("Properties") or {}) if isinstance(resource, dict) else {}
    if prop is None:
        raise unresolvable(ev.label, line, shown, f"{logical_id} is a {rtype}: its value is known "
                           "only after deployment")
    if prop not in props:
        raise unresolvable(ev.label, line, shown, f"{logical_id} sets no {prop}: the name is "
                           "generated at deployment")
    value, _ = ev.value(props[prop], L.at(line))
    if not isinstance(value, str):
        raise IacError(ev.label, line, f"{shown}: {logical_id}.{prop} is not a string")
    return value


def ref_value(ev, logical_id: str, resource: Dict[str, Any], line: Any, shown: str) -> str:
    return _name(ev, logical_id, resource, line, shown)


def getatt_value(ev, logical_id: str, resource: Dict[str, Any], attribute: str, line: Any,
                 shown: str) -> str:
    rtype = str(resource.get("Type")) if isinstance(resource, dict) else ""
    if attribute != "Arn" or rtype not in _NAME_PROPERTY:
        raise unresolvable(ev.label, line, shown, f"{logical_id}.{attribute} is known only after "
                           "deployment")
    name = _name(ev, logical_id, resource, line, shown)
    partition = ev.name_value("AWS::Partition", line, shown)
    if rtype == "AWS::S3::Bucket":
        return f"arn:{partition}:s3:::{name}"
    props = resource.get("Properties") or {}
    path, _ = ev.value(props.get("Path", "/"), L.at(line))
    account = ev.name_value("AWS::AccountId", line, shown)
    return f"arn:{partition}:iam::{account}:role{path}{name}"
