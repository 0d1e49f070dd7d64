"""The fetching port: what the poller asks for and what it gets back.

``Fetcher.fetch`` turns one URL (plus the validators of the last good response)
into one :class:`FetchResult`. Network and HTTP trouble comes back as a
:class:`FetchOutcome` value, never as an exception, so ``poll_once`` can record
it like any other observation. Only programming errors raise.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# Sent unless [fetch] user_agent says otherwise; it names the project to contact.
DEFAULT_USER_AGENT = "tickerwatch/0.1 (+https://github.com/tickerwatch/tickerwatch)"


@dataclass(frozen=True, slots=True)
class Validators:
    """What the last 200 response said, sent back as conditional GET headers.

    ``etag`` becomes ``If-None-Match`` and ``last_modified`` becomes
    ``If-Modified-Since`` (RFC 9110 §13.1.2, §13.1.3). Values are kept exactly as
    the server sent them (quotes and ``W/`` prefix included).
    """

    etag: str | None = None
    last_modified: str | None = None


NO_VALIDATORS = Validators()  # an unconditional GET; the default of ``Fetcher.fetch``


class FetchOutcome(enum.Enum):
    """How a fetch ended."""

    OK = "ok"  # 2xx with a body
    NOT_MODIFIED = "not_modified"  # 304
    HTTP_ERROR = "http_error"  # 4xx/5xx after retries
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"  # body over the cap (streamed, stops reading)
    REDIRECT_LOOP = "redirect_loop"  # loop detected or too many redirects
    BLOCKED = "blocked"  # refused by us: SSRF guard or robots.txt
    NETWORK_ERROR = "network_error"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetch, retries included.

    - ``url`` is the URL as asked; ``final_url`` the last URL requested after
      redirects (equal to ``url`` when nothing redirected or the first hop failed).
    - ``fetched_at`` is aware UTC: when the last response began (its status line
      and headers arrived), or when the last attempt started if none arrived. It
      is the ``observed_at`` the parser dates clock labels against.
    - ``duration_ms`` covers the whole call: every attempt and every wait.
    - ``body`` is set for ``OK`` only: raw bytes after content decoding (gzip,
      deflate), before any charset decoding, which is the parser's job.
    - ``content_type`` is the ``Content-Type`` header as sent, or None.
    - ``validators`` are the new ones on ``OK``, the old ones (refreshed by any
      the 304 carried, RFC 9111 §4.3.4) on ``NOT_MODIFIED``, and the old ones
      unchanged on failures, so the caller can always store what it gets back.
    - ``error`` says in words why a non-``OK`` outcome happened.
    - ``retry_after_s`` is the server's Retry-After (RFC 9110 §10.2.3) on a final
      429/503, capped by policy, for the scheduler to wait before the next poll.
    - ``attempts`` counts HTTP attempts, 1 when nothing was retried.
    """

    outcome: FetchOutcome
    url: str
    final_url: str
    fetched_at: datetime
    duration_ms: int
    http_status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    validators: Validators = NO_VALIDATORS
    error: str | None = None
    retry_after_s: float | None = None
    attempts: int = 1


class Fetcher(Protocol):
    """The port ``poll_once`` depends on. Adapters: ``HttpFetcher`` (the network)
    and ``MemoryFetcher`` (in-memory pages for tests and demos)."""

    async def fetch(
        self, url: str, validators: Validators = NO_VALIDATORS, *, ignore_robots: bool = False
    ) -> FetchResult:
        """Fetch ``url`` conditionally; never raises for network or HTTP problems.

        ``ignore_robots`` skips the robots.txt check (a per-ticker override whose
        reason is stored by the caller); the SSRF guard always applies.
        """
        ...
