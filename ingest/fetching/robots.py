"""robots.txt (RFC 9309): read once per origin, cached, asked before every request.

What a robots.txt fetch means (:func:`classify`):

- 2xx: the rules apply.
- 4xx (401, 403 and 404 included): "unavailable", we MAY access anything
  (RFC 9309 §2.3.1.3). Cached for the TTL like a real file.
- 5xx, network errors and timeouts: "unreachable", we MUST assume complete
  disallow (RFC 9309 §2.3.1.4), so the page is not requested. Not cached: the
  next fetch of that origin asks again. If an earlier copy is cached, it is used
  instead (RFC 9309 §2.4 allows a cached copy past its age while unreachable).
- 429 is a 4xx, but a rate-limited server is telling us to back off, not that
  it has no rules; we treat it as unreachable, as Google's crawler does.
- Redirects are followed like the page's, up to ``max_redirects`` (RFC 9309
  §2.3.1.2 asks for at least five, the default); a loop, too many hops, or a
  hop the SSRF guard refuses leaves the file unavailable.

At most :data:`ROBOTS_MAX_BYTES` are parsed (RFC 9309 §2.5 requires at least
500 KiB); the rest is ignored.

Parsing is the stdlib :class:`urllib.robotparser.RobotFileParser`. Known gaps
against RFC 9309: it takes the *first* matching rule in file order instead of
the longest match (§2.2.2), and it does not understand the ``*`` and ``$``
wildcards (§2.2.3). Both make it stricter in some files and laxer in others.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.robotparser import RobotFileParser

import httpx

from ingest.fetching.errors import RobotsDisallowed, RobotsUnreachable
from ingest.fetching.model import FetchOutcome

ROBOTS_MAX_BYTES = 500 * 1024


class RobotsStatus(enum.Enum):
    FOUND = "found"  # 2xx: parse it
    UNAVAILABLE = "unavailable"  # 4xx and friends: allow everything
    UNREACHABLE = "unreachable"  # 5xx, 429, network: disallow everything, for now


@dataclass(frozen=True, slots=True)
class RobotsFetch:
    """What requesting ``/robots.txt`` gave. ``http_status`` is None when no
    response arrived; ``outcome`` is that request's own outcome."""

    outcome: FetchOutcome
    http_status: int | None = None
    body: bytes = b""
    error: str | None = None
    retry_after_s: float | None = None


def classify(fetch: RobotsFetch) -> RobotsStatus:
    """Map a robots.txt fetch onto RFC 9309's three cases. Pure."""
    if fetch.outcome in {FetchOutcome.TIMEOUT, FetchOutcome.NETWORK_ERROR}:
        return RobotsStatus.UNREACHABLE
    status = fetch.http_status
    if status is None:  # refused by the guard, redirect loop: we cannot read it
        return RobotsStatus.UNAVAILABLE
    if 200 <= status < 300:
        return RobotsStatus.FOUND
    if status == 429 or status >= 500:
        return RobotsStatus.UNREACHABLE
    return RobotsStatus.UNAVAILABLE


class RobotsRules:
    """The parsed rules of one robots.txt. ``None`` text means allow everything."""

    __slots__ = ("_parser",)

    def __init__(self, text: str | None) -> None:
        self._parser: RobotFileParser | None = None
        if text is not None:
            parser = RobotFileParser()
            parser.parse(text.splitlines())
            self._parser = parser

    @classmethod
    def from_body(cls, body: bytes) -> RobotsRules:
        """RFC 9309 §2.3: the file is UTF-8; a BOM is skipped, bad bytes replaced."""
        return cls(body[:ROBOTS_MAX_BYTES].decode("utf-8-sig", errors="replace"))

    def allows(self, url: str, user_agent: str) -> bool:
        """Whether ``user_agent`` may fetch ``url``. Groups are matched on the
        product token (the part before ``/``), case-insensitively (RFC 9309 §2.2.1)."""
        if self._parser is None:
            return True
        return self._parser.can_fetch(product_token(user_agent), url)


def product_token(user_agent: str) -> str:
    """``tickerwatch/0.1 (+https://…)`` → ``tickerwatch``."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0].strip()


def robots_url(url: httpx.URL) -> httpx.URL:
    """The robots.txt governing ``url``: same scheme, host and port (RFC 9309 §2.3)."""
    return url.join("/robots.txt")


def origin(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.raw_host.decode('ascii')}:{url.port or ''}"


@dataclass(slots=True)
class _Cached:
    rules: RobotsRules
    expires_at: datetime


RobotsFetcher = Callable[[httpx.URL], Awaitable[RobotsFetch]]


class RobotsCache:
    """Per-origin robots.txt rules, fetched through ``fetch_robots`` on first use
    and again once ``ttl_s`` has passed. Concurrent checks of one origin share one
    robots request. One event loop; not thread-safe."""

    def __init__(self, *, user_agent: str, ttl_s: float, clock: Callable[[], datetime]) -> None:
        self._user_agent = user_agent
        self._ttl = timedelta(seconds=ttl_s)
        self._clock = clock
        self._cache: dict[str, _Cached] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: httpx.URL, fetch_robots: RobotsFetcher) -> None:
        """Return if robots.txt lets us fetch ``url``; raise :class:`RobotsDisallowed`
        if it does not, :class:`RobotsUnreachable` if it cannot be read."""
        rules = await self._rules(url, fetch_robots)
        if not rules.allows(str(url), self._user_agent):
            raise RobotsDisallowed("disallowed by robots.txt")

    async def _rules(self, url: httpx.URL, fetch_robots: RobotsFetcher) -> RobotsRules:
        key = origin(url)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._cache.get(key)
            if cached is not None and self._clock() < cached.expires_at:
                return cached.rules
            fetched = await fetch_robots(robots_url(url))
            status = classify(fetched)
            if status is RobotsStatus.UNREACHABLE:
                if cached is not None:  # keep the stale copy; ask again next time
                    return cached.rules
                where = f"HTTP {fetched.http_status}" if fetched.http_status else fetched.error
                raise RobotsUnreachable(
                    f"robots.txt unreachable ({where}); not fetching (RFC 9309 §2.3.1.4)",
                    outcome=fetched.outcome,
                    http_status=fetched.http_status,
                    retry_after_s=fetched.retry_after_s,
                )
            rules = (
                RobotsRules.from_body(fetched.body)
                if status is RobotsStatus.FOUND
                else RobotsRules(None)
            )
            self._cache[key] = _Cached(rules, self._clock() + self._ttl)
            return rules
