"""The composition root: the one place where settings meet the packages.

Commands and services get their collaborators from here, built from one
validated :class:`~tickerwatch.settings.Settings`. Nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from ingest.model import ParsedPage
from ingest.parse import parse_page
from storage import SqlStore, create_engine_for, upgrade
from tickerwatch.polling import PollPolicy
from tickerwatch.settings import Settings

USER_AGENT = "tickerwatch/0.1 (+https://github.com/tickerwatch/tickerwatch)"


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # after redirects
    body: bytes
    content_type: str | None


class FetchError(Exception):
    """A page could not be fetched; the message says why, in words."""


def parse(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    observed_at: datetime,
    settings: Settings,
    zone: ZoneInfo | None = None,
    profile: str | None = None,
    date_from_page: bool = False,
) -> ParsedPage:
    """``ingest.parse_page`` with the configured size cap and default zone."""
    default_zone = settings.ingest.default_zone
    return parse_page(
        body,
        url=url,
        content_type=content_type,
        observed_at=observed_at,
        zone=zone,
        default_zone=ZoneInfo(default_zone) if default_zone else None,
        profile=profile,
        max_bytes=settings.ingest.max_body_bytes,
        date_from_page=date_from_page,
    )


def open_store(url: str) -> SqlStore:
    """The SQL store at ``url``, migrated to the newest schema first."""
    upgrade(url)
    return SqlStore(create_engine_for(url))


def poll_policy(settings: Settings) -> PollPolicy:
    """What every poll needs from the settings."""
    return PollPolicy(
        max_body_bytes=settings.ingest.max_body_bytes,
        default_zone=settings.ingest.default_zone,
    )


def fetch_once(url: str, settings: Settings) -> FetchedPage:
    """One plain GET for ``tickerwatch parse URL``: timeouts, at most 5 redirects and
    the body size cap; no retries (the poller's fetcher does those)."""
    cap = settings.ingest.max_body_bytes
    timeout = httpx.Timeout(20.0, connect=10.0)
    try:
        with (
            httpx.Client(
                timeout=timeout,
                follow_redirects=True,
                max_redirects=5,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise FetchError(f"{url}: body larger than the {cap}-byte cap")
                chunks.append(chunk)
            return FetchedPage(
                str(response.url), b"".join(chunks), response.headers.get("content-type")
            )
    except httpx.TooManyRedirects as error:
        raise FetchError(f"{url}: too many redirects") from error
    except httpx.HTTPError as error:
        raise FetchError(f"{url}: {error}") from error
