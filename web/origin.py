"""Which base the UI's links are built on, so that no request can choose it.

Links, redirects (``Location``), Memento ``Link`` headers and form actions are built
on one base (:class:`~web.links.Links`). A ``Host`` header is whatever the client
sent; echoed into those it lets a forged request (cache poisoning, a link in a
password-reset-style mail, a login redirect) point elsewhere. So, in order:

1. ``[web] base_url`` when set: absolute links on it, whatever the request says;
2. else the request's own scheme and host, only when the ``Host`` header is well
   formed and its name is allowed (:func:`allowed_hosts`: ``[web] allowed_hosts``,
   the loopback names and the bind address);
3. else the mount path alone: links relative to the server (``/tickers/1``), which
   browsers, HTTP clients (RFC 9110 §10.2.2 ``Location``) and RFC 8288 ``Link``
   headers resolve against the URL they asked for.

Pure: the route passes the request's parts in.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

# RFC 9110 §7.2 Host = uri-host [ ":" port ]: a bracketed IPv6 literal or a reg-name /
# IPv4 of letters, digits, dots and hyphens. Anything else (userinfo, paths, spaces,
# a second colon) is not a host we would link to.
_HOST_HEADER = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?")
# Names that reach this machine only, always allowed (RFC 6761 §6.3 for localhost).
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


def allowed_hosts(configured: Iterable[str], bind_host: str) -> frozenset[str]:
    """Host names (lower case; IPv6 literals bracketed) whose ``Host`` header may be
    used: ``configured``, the loopback names and ``bind_host`` unless it is a wildcard
    address (``0.0.0.0``, ``::``), which no client names."""
    names = set(LOOPBACK_NAMES) | {_normal(name) for name in configured if name.strip()}
    bind = _normal(bind_host)
    try:
        wildcard = ipaddress.ip_address(bind.strip("[]")).is_unspecified
    except ValueError:
        wildcard = False
    if bind and not wildcard:
        names.add(bind)
    return frozenset(names)


def link_base(
    *,
    base_url: str | None,
    scheme: str,
    host_header: str | None,
    root_path: str,
    allowed: frozenset[str],
) -> str:
    """The base of every link of one response, without a trailing slash (see module)."""
    if base_url is not None:
        return base_url.rstrip("/")
    prefix = root_path.rstrip("/")
    match = _HOST_HEADER.fullmatch(host_header or "")
    if match is None or _normal(match["name"]) not in allowed or scheme not in ("http", "https"):
        return prefix
    port = match["port"]
    if port is not None and not 0 < int(port) <= 65535:
        return prefix
    return f"{scheme}://{match[0].lower()}{prefix}"


def _normal(host: str) -> str:
    """``host`` in lower case, an IPv6 literal in brackets, without a trailing dot."""
    name = host.strip().lower().rstrip(".")
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return name
