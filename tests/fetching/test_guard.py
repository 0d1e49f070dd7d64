"""The SSRF guard's address classes, checked directly (no network)."""

from __future__ import annotations

import asyncio
import ipaddress

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.fetching.errors import NetworkFailure, TimedOut, UnsafeURL
from ingest.fetching.guard import check_url, refusal, scheme_refusal
from tests.fetching.conftest import stub_resolver


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.255.0.9", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fc00::1", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("169.254.10.20", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("100.64.0.1", "not a globally routable address"),  # RFC 6598 carrier-grade NAT
        ("0.0.0.0", "the unspecified address"),
        ("::", "the unspecified address"),
        ("224.0.0.251", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
    ],
)
def test_refused_address_classes(address: str, reason: str) -> None:
    assert refusal(ipaddress.ip_address(address), allow_private=False) == f"{address} is {reason}"


@pytest.mark.parametrize(
    ("address", "inner"),
    [
        ("::ffff:127.0.0.1", "127.0.0.1"),  # IPv4-mapped
        ("2002:a00:1::1", "10.0.0.1"),  # 6to4
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),  # NAT64 to the metadata address
    ],
)
def test_embedded_ipv4_is_checked(address: str, inner: str) -> None:
    reason = refusal(ipaddress.ip_address(address), allow_private=False)
    assert reason is not None
    assert inner in reason


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::6810:85e5", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address), allow_private=False) is None


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", True),
        ("10.0.0.1", True),
        ("fe80::1", True),
        ("169.254.169.254", False),
        ("fd00:ec2::254", False),
        ("0.0.0.0", False),
        ("239.1.1.1", False),
    ],
)
def test_allowing_private_addresses_never_allows_metadata(address: str, allowed: bool) -> None:
    assert (refusal(ipaddress.ip_address(address), allow_private=True) is None) is allowed


@given(st.ip_addresses(network="10.0.0.0/8") | st.ip_addresses(network="fc00::/7"))
def test_every_private_address_is_refused(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    assert refusal(address, allow_private=False) is not None


@pytest.mark.parametrize(
    "url", ["ftp://example.org/", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_and_https(url: str) -> None:
    assert scheme_refusal(httpx.URL(url)) is not None


def _check(url: str, table: dict[str, list[str]], *, allow_private: bool = False) -> None:
    asyncio.run(
        check_url(
            httpx.URL(url),
            resolver=stub_resolver(table),
            allow_private=allow_private,
            timeout_s=1.0,
        )
    )


def test_a_name_passes_only_if_every_address_does() -> None:
    _check("https://news.test/live", {"news.test": ["93.184.216.34", "2606:4700::1"]})
    with pytest.raises(UnsafeURL, match=r"news\.test resolves to 10\.0\.0\.7 is a private"):
        _check("https://news.test/live", {"news.test": ["93.184.216.34", "10.0.0.7"]})


def test_ip_literals_are_not_resolved() -> None:
    with pytest.raises(UnsafeURL, match=r"refused http://\[::1\]:8080/: ::1 is a loopback"):
        _check("http://[::1]:8080/", {})
    _check("http://93.184.216.34/", {})


def test_idna_names_are_resolved_in_ascii() -> None:
    _check("http://bücher.test/", {"xn--bcher-kva.test": ["93.184.216.34"]})


def test_resolution_failures() -> None:
    with pytest.raises(NetworkFailure, match=r"cannot resolve gone\.test"):
        _check("http://gone.test/", {})
    with pytest.raises(NetworkFailure, match="no addresses"):
        _check("http://empty.test/", {"empty.test": []})

    async def hang(host: str) -> list[str]:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def slow_check() -> None:
        await check_url(
            httpx.URL("http://slow.test/"), resolver=hang, allow_private=False, timeout_s=0.01
        )

    with pytest.raises(TimedOut, match=r"resolving slow\.test"):
        asyncio.run(slow_check())
