"""API Gateway's abbreviated resource syntax in its resource policies.

"API Gateway converts the abbreviated syntax to the full ARN when you save the
policy. For example, you can specify the resource execute-api:/stage-name/GET/pets
in a resource policy. API Gateway converts the resource to
arn:aws:execute-api:us-east-2:123456789012:aabbccddee/stage-name/GET/pets ...
API Gateway builds the full ARN by using the current Region, your AWS account
ID, and the ID of the REST API that the resource policy is associated with. You
can use execute-api:/* to represent all stages, methods, and paths in the
current API." (API Gateway Developer Guide, "API Gateway resource policy
examples").

A policy file does not say which API it is attached to, but a request the
policy decides is a request to that API: its resource is
``arn:PARTITION:execute-api:REGION:ACCOUNT:API-ID/...``. So an abbreviated
entry is expanded with the partition, Region, account and API id of the
request's resource, exactly as API Gateway would have saved it, and then
matched as any Resource entry. A request whose resource is not an
``execute-api`` ARN cannot be governed by an API's resource policy; against
it an abbreviated entry matches nothing.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from .arn import parse_arn

PREFIX = "execute-api:/"


def is_abbreviated(pattern: str) -> bool:
    return pattern.startswith(PREFIX)


def expand(pattern: str, resource: str) -> Optional[str]:
    """The full ARN pattern API Gateway would have saved for ``pattern`` in the
    policy of the API ``resource`` belongs to; None when ``resource`` is not a
    resource of an API."""
    arn = parse_arn(resource)
    if arn is None or arn.service != "execute-api":
        return None
    api_id, slash, _ = arn.resource.partition("/")
    if not api_id or not slash:
        return None
    return str(replace(arn, resource=f"{api_id}/{pattern[len(PREFIX):]}"))
