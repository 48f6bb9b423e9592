"""Global condition keys: the ``aws:`` keys every service accepts.

The Service Authorization Reference (our per-service data) lists only the
``aws:RequestTag``/``aws:ResourceTag``/``aws:TagKeys`` keys; the rest of the
global keys are documented on one IAM page, "AWS global condition context
keys" (IAM User Guide, reference_policies_condition-keys), which lists them in
a table by what they describe: the principal, the role session, the network,
the resource and the request. That table is transcribed here. The same table
lists a few *cross-service* keys (``ec2:SourceInstanceArn``,
``lambda:SourceFunctionArn``, ...): "Cross-service condition keys are a type
of global condition key that include a prefix matching the name of the
service, such as ec2: or lambda:, but are available across other services."

Condition key names are matched without regard to case (IAM User Guide,
"IAM JSON policy elements: Condition": "Context key names are not
case-sensitive. For example, including the aws:SourceIP context key is
equivalent to testing for AWS:SourceIp.").
"""
from __future__ import annotations

#: ``${TagKey}`` stands for any non-empty tag key, as in the reference's data.
GLOBAL_KEYS = (
    # Properties of the principal
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgPaths", "aws:PrincipalOrgID",
    "aws:PrincipalTag/${TagKey}", "aws:PrincipalIsAWSService", "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList", "aws:PrincipalType", "aws:userid", "aws:username",
    # Properties of a role session
    "aws:AssumedRoot", "aws:FederatedProvider", "aws:TokenIssueTime", "aws:SignInSessionArn",
    "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:ChatbotSourceArn",
    "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4", "aws:SourceIdentity",
    # Properties of the network
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce", "aws:VpceAccount",
    "aws:VpceOrgID", "aws:VpceOrgPaths", "aws:VpcSourceIp",
    # Properties of the resource
    "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:ResourceTag/${TagKey}",
    # Properties of the request
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CalledViaAWSMCP",
    "aws:ViaAWSService", "aws:ViaAWSMCPService", "aws:CurrentTime", "aws:EpochTime", "aws:referer",
    "aws:RequestedRegion", "aws:RequestTag/${TagKey}", "aws:TagKeys", "aws:SecureTransport",
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:UserAgent",
    "aws:IsMcpServiceAction",
)

#: Service-prefixed keys that the same page lists among the role-session
#: properties: present in requests to any service.
CROSS_SERVICE_KEYS = (
    "ec2:RoleDelivery", "ec2:SourceInstanceArn", "glue:RoleAssumedBy", "glue:CredentialIssuingService",
    "codebuild:BuildArn", "codebuild:ProjectArn", "lambda:SourceFunctionArn", "ssm:SourceInstanceArn",
    "identitystore:UserId",
    # IAM User Guide, "IAM and AWS STS condition context keys", SAML role
    # permissions policies: "In the permissions policy of a role for SAML
    # federation that defines what users are allowed to access in AWS, you can
    # include the following keys": saml:namequalifier, saml:sub, saml:sub_type.
    "saml:namequalifier", "saml:sub", "saml:sub_type",
)

#: Keys of OIDC (web identity) federation are written ``provider:claim``,
#: where the provider is the identity provider's host and path
#: (``accounts.google.com``, ``oidc.eks.us-east-1.amazonaws.com/id/ABC``,
#: ``token.actions.githubusercontent.com``): no fixed list can hold them.
#: IAM User Guide, "IAM and AWS STS condition context keys", "Available keys
#: for AWS OIDC federation": the claims amr, aud, email, oaud and sub, and
#: for Facebook and Login with Amazon app_id, id and user_id. "These keys are
#: typically used in the trust policy for a role"; the same page says they
#: are available "when the temporary security credentials are used to make a
#: request", so we accept them for every service.
OIDC_CLAIMS = frozenset({"amr", "aud", "email", "oaud", "sub", "app_id", "id", "user_id"})


def identity_provider_key(key: str) -> bool:
    """Whether ``key`` has the shape of an OIDC provider key (``host/path:claim``)."""
    provider, sep, claim = key.rpartition(":")
    return bool(sep) and "." in provider and claim.lower() in OIDC_CLAIMS

#: The same page, section "Sensitive condition keys": "The following condition
#: keys are considered sensitive. The use of wildcards in these condition keys
#: does not have any valid use cases, even with a substring of the key value
#: with a wildcard." Both keys that the VPC endpoint policy page gives as
#: examples of "global context keys that reference system-generated
#: identifiers" (aws:PrincipalAccount, aws:SourceVpc) are on this list; the
#: endpoint page itself names no full list, so this is the one we check.
SENSITIVE_KEYS = (
    "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:ResourceAccount", "aws:ResourceOrgID",
    "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceVpc", "aws:SourceVpce", "aws:VpceAccount",
    "aws:VpceOrgID",
)

SENSITIVE_LOWER = frozenset(k.lower() for k in SENSITIVE_KEYS)
