"""Whether a sink URL points where the service may connect: the fetcher's SSRF policy.

Alert sinks obey the same outbound-address policy as page fetching
(:mod:`ingest.fetching.guard`) with the same one override,
``[fetch] allow_private_addresses``: a webhook at a loopback, private, link-local or
cloud metadata address would let whoever adds a sink make the service POST into its
own network. :func:`check_sink_address` refuses such a sink when it is added or
tested; :func:`~alerts.sender.open_sender` refuses to connect at delivery time, after
resolving (:mod:`ingest.fetching.connect`), so a name that later resolves elsewhere
is caught too.

Only the address is judged here; whether the URL suits the sink's kind (scheme,
platform host) is :func:`alerts.rules.check_url`'s job. Error texts never
carry the URL: its path and query are credentials.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from alerts.errors import InvalidSubscription
from ingest.fetching.errors import NetworkFailure, TimedOut
from ingest.fetching.guard import Address, Resolver, addresses_refusal, resolve, system_resolver

# RFC 6761 §6.3: "localhost" and names under it are loopback, whatever DNS says.
_LOOPBACK = ipaddress.ip_address("127.0.0.1")


async def check_sink_address(
    url: str,
    *,
    allow_private: bool,
    resolve_names: bool,
    timeout_s: float,
    resolver: Resolver = system_resolver,
) -> None:
    """Raise :class:`InvalidSubscription` when the policy refuses the sink's host.

    A literal address (IPv4-mapped and NAT64 forms included) and ``localhost`` names
    are judged as they stand. Other names are resolved only with ``resolve_names``
    (``alerts test``, which is about to connect anyway; ``alerts add`` stays offline),
    and a name that does not resolve is let through: every connection is checked
    again when it is made. This covers Apprise URLs too, as far as their host part
    names a host; Apprise makes its own connections, which only that check sees.
    """
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return  # not a URL at all: alerts.rules.check_url says so in its own words
    if not host:
        return
    via = ""
    addresses: list[Address]
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        via = f"{host} resolves to "
        if host == "localhost" or host.endswith(".localhost"):
            addresses = [_LOOPBACK]
        elif not resolve_names:
            return
        else:
            try:
                addresses = await resolve(host, resolver, timeout_s)
            except (NetworkFailure, TimedOut):
                return
    reason = addresses_refusal(addresses, allow_private=allow_private)
    if reason is not None:
        raise InvalidSubscription(f"refused the sink URL: {via}{reason}")
