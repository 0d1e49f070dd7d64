"""The SSRF guard: which URLs we are willing to connect to.

A ticker URL comes from a user, and every redirect hop comes from a server we do
not control, so each one is checked before any connection is made:

- only ``http`` and ``https`` (no ``file:``, ``ftp:``, ``gopher:`` ...);
- the host is resolved (an injectable resolver; by default the event loop's
  ``getaddrinfo``) and *every* address must pass :func:`refusal`: no loopback,
  private (RFC 1918, RFC 4193 ``fc00::/7``), link-local (``169.254/16``,
  ``fe80::/10``), shared (RFC 6598) or other non-global ranges. IPv4 addresses
  embedded in IPv6 ones (mapped, 6to4, NAT64) are checked too.
- Cloud metadata endpoints, unspecified and multicast addresses are refused even
  when the policy allows private addresses.

:func:`check_url` judges a URL before any request (so a refusal is a clear
``BLOCKED``); DNS rebinding (a hostile DNS server answering the check with a public
address and the connection's own lookup with a private one) is closed one level down,
by :mod:`ingest.fetching.connect`: its transport resolves the name once, checks every
address with :func:`refusal` and connects to the checked address itself (TLS still
verifies and sends SNI for the name). Every connection the service makes, pages,
robots.txt, each redirect hop and alert sinks, goes through that transport. With a
proxy configured the guard still resolves names locally, and the proxy does its own
resolution.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

import httpx

from ingest.fetching.errors import NetworkFailure, TimedOut, UnsafeURL

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Awaitable[list[str]]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
# The words every refusal that the override would pass ends with; callers match them
# to name the setting (``tickerwatch.lookup.blocked_hint``).
PRIVATE_OFF = " (allow_private_addresses is off)"

# Instance metadata services: they hand out cloud credentials to whoever asks.
METADATA_ADDRESSES: frozenset[Address] = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, DigitalOcean
        ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
        ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)
# RFC 6052 §2.1 well-known NAT64 prefix: the last 32 bits are an IPv4 address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


async def system_resolver(host: str) -> list[str]:
    """The addresses ``host`` resolves to, via the running loop's ``getaddrinfo``."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def embedded_ipv4(address: Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses carried inside an IPv6 one (RFC 4291 mapped, RFC 3056 6to4,
    RFC 6052 NAT64), which would reach the IPv4 host they name."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    found = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _refusal_one(address: Address, *, allow_private: bool) -> str | None:
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if allow_private:
        return None
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a globally routable address"
    return None


def refusal(address: Address, *, allow_private: bool) -> str | None:
    """Why we must not connect to ``address``, in words, or None if we may. Pure."""
    for candidate in (*embedded_ipv4(address), address):  # the inner address names the host
        reason = _refusal_one(candidate, allow_private=allow_private)
        if reason is not None:
            return f"{candidate} is {reason}"
    return None


def scheme_refusal(url: httpx.URL) -> str | None:
    """Why ``url`` is not fetchable on its face (scheme, missing host), or None. Pure."""
    if url.scheme not in ALLOWED_SCHEMES:
        return f"scheme {url.scheme!r} is not allowed (only http and https)"
    if not url.raw_host:
        return "the URL has no host"
    return None


async def check_url(
    url: httpx.URL, *, resolver: Resolver, allow_private: bool, timeout_s: float
) -> None:
    """Return if ``url`` may be requested; raise :class:`UnsafeURL` if not.

    A name that does not resolve raises :class:`NetworkFailure`; a resolver slower
    than ``timeout_s`` raises :class:`TimedOut`.
    """
    reason = scheme_refusal(url)
    if reason is not None:
        raise UnsafeURL(f"refused {url}: {reason}")
    host = url.raw_host.decode("ascii")  # IDNA-encoded, as httpx will connect to it
    try:
        addresses: list[Address] = [ipaddress.ip_address(host)]
        via = ""
    except ValueError:
        addresses = await _resolve(host, resolver, timeout_s)
        via = f"{host} resolves to "
    reason = addresses_refusal(addresses, allow_private=allow_private)
    if reason is not None:
        raise UnsafeURL(f"refused {url}: {via}{reason}")


def addresses_refusal(addresses: list[Address], *, allow_private: bool) -> str | None:
    """Why we must not connect to a host with these addresses (the first one refused,
    and the override that would pass it when there is one), or None. Pure."""
    for address in addresses:
        reason = refusal(address, allow_private=allow_private)
        if reason is not None:
            overridable = not allow_private and refusal(address, allow_private=True) is None
            return reason + (PRIVATE_OFF if overridable else "")
    return None


async def resolve(host: str, resolver: Resolver, timeout_s: float) -> list[Address]:
    """The addresses ``host`` resolves to; :class:`TimedOut` after ``timeout_s``,
    :class:`NetworkFailure` when it does not resolve."""
    return await _resolve(host, resolver, timeout_s)


async def _resolve(host: str, resolver: Resolver, timeout_s: float) -> list[Address]:
    try:
        async with asyncio.timeout(timeout_s):
            names = await resolver(host)
    except TimeoutError as error:
        raise TimedOut(f"resolving {host} took longer than {timeout_s:g} s") from error
    except (OSError, UnicodeError) as error:
        raise NetworkFailure(f"cannot resolve {host}: {error}") from error
    if not names:
        raise NetworkFailure(f"cannot resolve {host}: no addresses")
    try:
        return [ipaddress.ip_address(name) for name in names]
    except ValueError as error:
        raise NetworkFailure(f"cannot resolve {host}: {error}") from error
