"""IP address operators (IAM JSON policy elements: Condition operators, "IP
address condition operators").

AWS: the policy value "must be in the standard CIDR format (for example,
203.0.113.0/24 or 2001:DB8:1234:5678::/64). If you specify an IP address
without the associated routing prefix, IAM uses the default prefix value of
/32." iamtest applies the same rule to a bare IPv6 address (/128; the page
names only /32). Host bits below the prefix (``203.0.113.7/24``) are
accepted and ignored.

A request value that is not an IP address matches no range (so
``NotIpAddress`` is true for it); an IPv4 address never falls inside an IPv6
range or the reverse, including IPv4-mapped IPv6 forms (the documentation is
silent on both). Surrounding spaces are ignored on both sides.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Optional, Union

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


@lru_cache(maxsize=1024)
def parse_network(text: str) -> Optional[Network]:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def parse_address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def ip_in_range(request_value: str, policy_value: str) -> bool:
    addr = parse_address(request_value)
    net = parse_network(policy_value)
    if addr is None or net is None or addr.version != net.version:
        return False
    return addr in net


def validate_cidr(value: str) -> Optional[str]:
    if parse_network(value) is None:
        hint = " (policy variables cannot be used with this operator)" if "${" in value else ""
        return (f"{value!r} is not an IP address or CIDR range such as 203.0.113.0/24 or "
                f"2001:db8::/64" + hint)
    return None
