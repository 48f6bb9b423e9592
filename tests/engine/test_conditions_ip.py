"""IpAddress / NotIpAddress (IAM JSON policy elements: Condition operators)."""
import pytest

from iamtest.engine.conditions import evaluate_clause, parse_operator
from iamtest.engine.model import ConditionClause, Context, Location


def clause(operator, key, *values):
    base, set_op, if_exists = parse_operator(operator)
    return ConditionClause(operator, base, set_op, if_exists, key, tuple(values), Location("test"))


def check(operator, key, values, context, variables=True):
    return evaluate_clause(clause(operator, key, *values), Context.of(context), variables)


IP = "aws:SourceIp"


def test_ipv4_cidr_range_contains_the_request_address():
    assert check("IpAddress", IP, ["203.0.113.0/24"], {IP: "203.0.113.255"}).matched
    assert not check("IpAddress", IP, ["203.0.113.0/24"], {IP: "203.0.114.0"}).matched


def test_bare_ipv4_address_means_slash_32():
    # "If you specify an IP address without the associated routing prefix, IAM
    # uses the default prefix value of /32."
    assert check("IpAddress", IP, ["203.0.113.7"], {IP: "203.0.113.7"}).matched
    assert not check("IpAddress", IP, ["203.0.113.7"], {IP: "203.0.113.8"}).matched


def test_ipv6_ranges_work_as_documented():
    assert check("IpAddress", IP, ["2001:DB8:1234:5678::/64"], {IP: "2001:db8:1234:5678::1"}).matched
    assert not check("IpAddress", IP, ["2001:DB8:1234:5678::/64"], {IP: "2001:db8:1234:5679::1"}).matched


def test_bare_ipv6_address_means_slash_128():
    assert check("IpAddress", IP, ["2001:db8::1"], {IP: "2001:DB8::1"}).matched
    assert not check("IpAddress", IP, ["2001:db8::1"], {IP: "2001:db8::2"}).matched


def test_ipv4_and_ipv6_values_mixed_in_one_condition():
    values = ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]
    assert check("IpAddress", IP, values, {IP: "203.0.113.1"}).matched
    assert check("IpAddress", IP, values, {IP: "2001:db8:1234:5678::9"}).matched


def test_an_ipv4_address_is_never_in_an_ipv6_range():
    assert not check("IpAddress", IP, ["::/0"], {IP: "203.0.113.1"}).matched
    assert not check("IpAddress", IP, ["203.0.113.0/24"], {IP: "::ffff:203.0.113.1"}).matched


def test_not_ip_address_is_all_addresses_except_the_ranges():
    assert check("NotIpAddress", IP, ["203.0.113.0/24"], {IP: "198.51.100.1"}).matched
    assert not check("NotIpAddress", IP, ["10.0.0.0/8", "203.0.113.0/24"], {IP: "203.0.113.9"}).matched


def test_not_ip_address_matches_when_source_ip_is_absent():
    # aws:SourceIp is absent for requests through a VPC endpoint; NotIpAddress is negated
    assert check("NotIpAddress", IP, ["203.0.113.0/24"], {}).matched
    assert not check("IpAddress", IP, ["203.0.113.0/24"], {}).matched


@pytest.mark.parametrize("request_value", ["not-an-ip", "203.0.113.0/24", ""])
def test_a_request_value_that_is_not_an_ip_address_is_in_no_range(request_value):
    assert not check("IpAddress", IP, ["0.0.0.0/0"], {IP: request_value}).matched
    assert check("NotIpAddress", IP, ["0.0.0.0/0"], {IP: request_value}).matched


def test_host_bits_below_the_prefix_are_ignored():
    assert check("IpAddress", IP, ["203.0.113.7/24"], {IP: "203.0.113.200"}).matched
