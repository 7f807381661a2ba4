"""blog.client_address: which X-Forwarded-For hop is the reader (issue 8); no database."""

import pytest
from django.test import RequestFactory

from blog.client_address import client_ip

PROXY = "127.0.0.1"  # the nearest proxy, as gunicorn sees it
READER = "198.51.100.7"
SPOOFED = "203.0.113.66"


def _request(forwarded_for=None, remote_addr=PROXY):
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_without_a_trusted_proxy_forwarded_for_is_ignored(settings):
    settings.RIPOSTE_TRUSTED_PROXIES = 0
    assert client_ip(_request(SPOOFED, remote_addr=READER)) == READER


def test_without_a_trusted_proxy_the_connecting_address_is_the_reader(settings):
    settings.RIPOSTE_TRUSTED_PROXIES = 0
    assert client_ip(_request(remote_addr=READER)) == READER


def test_behind_one_proxy_the_hop_it_appended_is_the_reader(settings):
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    assert client_ip(_request(READER)) == READER


@pytest.mark.parametrize("proxies", [1, 2, 3])
def test_behind_n_proxies_the_nth_hop_from_the_right_is_the_reader(settings, proxies):
    settings.RIPOSTE_TRUSTED_PROXIES = proxies
    # The reader wrote two hops of their own; each proxy then appended who connected to it.
    inner_proxies = [f"10.0.0.{n}" for n in range(1, proxies)]
    forwarded_for = ", ".join([SPOOFED, "192.0.2.1", READER, *inner_proxies])
    assert client_ip(_request(forwarded_for)) == READER


@pytest.mark.parametrize("proxies", [1, 2])
def test_a_spoofed_leftmost_hop_is_never_the_reader(settings, proxies):
    settings.RIPOSTE_TRUSTED_PROXIES = proxies
    hops = [SPOOFED, READER, *["10.0.0.1"] * (proxies - 1)]
    assert client_ip(_request(",".join(hops))) == READER


def test_a_header_shorter_than_the_proxy_chain_is_not_believed(settings):
    settings.RIPOSTE_TRUSTED_PROXIES = 2
    assert client_ip(_request(SPOOFED)) == PROXY


def test_a_hop_that_is_not_an_address_falls_back_to_the_connecting_address(settings):
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    assert client_ip(_request(f"{SPOOFED}, unknown")) == PROXY


def test_behind_a_proxy_without_forwarded_for_the_connecting_address_is_used(settings):
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    assert client_ip(_request()) == PROXY


def test_ipv6_hops_are_normalised(settings):
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    assert client_ip(_request(f"{SPOOFED}, 2001:DB8:0:0::1")) == "2001:db8::1"


def test_forwarded_for_from_a_connection_that_is_no_proxy_is_ignored(settings):
    """Someone reaching gunicorn directly, past the proxy, cannot choose their address."""
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    assert client_ip(_request(SPOOFED, remote_addr=READER)) == READER


@pytest.mark.parametrize("proxy", ["127.0.0.1", "::1", "10.1.2.3", "172.18.0.5", "192.168.1.9"])
def test_forwarded_for_is_believed_from_loopback_and_private_networks(settings, proxy):
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    assert client_ip(_request(READER, remote_addr=proxy)) == READER


def test_the_proxy_networks_are_a_setting(settings):
    settings.RIPOSTE_TRUSTED_PROXIES = 1
    settings.RIPOSTE_PROXY_NETWORKS = ["192.0.2.0/24"]
    assert client_ip(_request(READER, remote_addr="192.0.2.10")) == READER
    assert client_ip(_request(SPOOFED, remote_addr="127.0.0.1")) == "127.0.0.1"
