"""``FetchPolicy``: every knob of the fetcher in one frozen value, and the client factory.

The composition root builds one policy from the settings and passes it to
:func:`make_client` and :class:`~ingest.fetching.http.HttpFetcher`. Nothing here
reads the environment or builds anything at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from ingest.fetching.connect import guarded_transport
from ingest.fetching.decoding import ACCEPT_ENCODING
from ingest.fetching.guard import Resolver, system_resolver
from ingest.fetching.model import DEFAULT_USER_AGENT

ACCEPT = "text/html, text/plain, application/xhtml+xml"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how defensively to fetch. Times are in seconds.

    - ``user_agent`` identifies us and carries a contact URL or address.
    - ``connect_timeout_s`` / ``read_timeout_s`` are httpx's per-operation timeouts;
      ``total_timeout_s`` bounds one attempt's network time (every redirect hop,
      from sending the request to the last body byte), not its waits for a host slot.
    - ``max_body_bytes`` caps the *decoded* body; reading stops as soon as it is exceeded.
    - ``retries`` is how many times one fetch is retried after the first attempt,
      with full-jitter exponential backoff (``backoff_base_s`` · 2ⁿ, at most
      ``backoff_cap_s``); ``retry_budget_s`` caps the total sleeping of one fetch,
      and ``max_retry_after_s`` caps a server's Retry-After. After a timeout at
      most ``timeout_retries`` of those retries are made: each attempt may take
      the whole ``total_timeout_s``, and a server too slow once (a trickle, a
      hang) is usually as slow a moment later.
    - ``per_host_concurrency`` and ``min_host_interval_s`` are shared by all fetches
      of one fetcher, robots.txt requests included.
    - ``robots_ttl_s``: how long a robots.txt is reused (RFC 9309 §2.4: SHOULD NOT
      be more than 24 hours).
    - ``allow_private_addresses`` lets the SSRF guard pass loopback, private and
      link-local addresses (tests, intranets). Cloud metadata, unspecified and
      multicast addresses are refused regardless.
    - ``proxy``: an ``http://``, ``https://`` or ``socks5://`` proxy URL, or None.
    """

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 60.0
    max_body_bytes: int = 15 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    timeout_retries: int = 1
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 30.0
    retry_budget_s: float = 60.0
    max_retry_after_s: float = 3600.0
    per_host_concurrency: int = 2
    min_host_interval_s: float = 1.0
    honour_robots: bool = True
    robots_ttl_s: float = 24 * 3600.0
    allow_private_addresses: bool = False
    proxy: str | None = None

    def __post_init__(self) -> None:
        if not self.user_agent.strip() or not ("://" in self.user_agent or "@" in self.user_agent):
            raise ValueError("user_agent must identify us with a contact URL or e-mail address")
        positive = {
            "connect_timeout_s": self.connect_timeout_s,
            "read_timeout_s": self.read_timeout_s,
            "total_timeout_s": self.total_timeout_s,
            "max_body_bytes": self.max_body_bytes,
            "per_host_concurrency": self.per_host_concurrency,
            "robots_ttl_s": self.robots_ttl_s,
        }
        not_negative = {
            "max_redirects": self.max_redirects,
            "retries": self.retries,
            "timeout_retries": self.timeout_retries,
            "backoff_base_s": self.backoff_base_s,
            "backoff_cap_s": self.backoff_cap_s,
            "retry_budget_s": self.retry_budget_s,
            "max_retry_after_s": self.max_retry_after_s,
            "min_host_interval_s": self.min_host_interval_s,
        }
        for name, value in positive.items():
            if not value > 0:
                raise ValueError(f"{name} must be positive, got {value!r}")
        for name, value in not_negative.items():
            if not value >= 0:
                raise ValueError(f"{name} must not be negative, got {value!r}")
        if self.proxy is not None and httpx.URL(self.proxy).scheme not in {
            "http",
            "https",
            "socks5",
            "socks5h",
        }:
            raise ValueError(f"unsupported proxy scheme in {self.proxy!r}")

    def timeout(self) -> httpx.Timeout:
        """httpx's per-operation timeouts; the total deadline is the fetcher's job."""
        return httpx.Timeout(
            connect=self.connect_timeout_s,
            read=self.read_timeout_s,
            write=self.read_timeout_s,
            pool=self.connect_timeout_s,
        )


def accept_encoding() -> str:
    """The codings :mod:`ingest.fetching.decoding` decodes under the body cap."""
    return ACCEPT_ENCODING


def make_client(
    policy: FetchPolicy,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver = system_resolver,
) -> httpx.AsyncClient:
    """The AsyncClient a :class:`HttpFetcher` expects; the caller closes it.

    Redirects are off (the fetcher follows them itself, checking every hop), the
    environment's proxy variables are ignored (the policy is the one source), and
    the policy's timeouts, proxy and identifying headers are set. ``transport`` is
    the test seam (an ``httpx.MockTransport`` or a wrapper); with a proxy set,
    httpx routes requests through the proxy rather than ``transport``.
    """
    return httpx.AsyncClient(
        timeout=policy.timeout(),
        follow_redirects=False,
        trust_env=False,
        proxy=policy.proxy,
        transport=transport
        if transport is not None
        else guarded_transport(allow_private=policy.allow_private_addresses, resolver=resolver),
        headers={
            "User-Agent": policy.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": accept_encoding(),
        },
    )
