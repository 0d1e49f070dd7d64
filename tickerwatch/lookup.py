"""A look at a ticker page before it is saved: fetched as a poll fetches it, then judged.

``tickerwatch add``/``edit``, ``tickerwatch parse URL`` and the UI's "Check" fetch the
page through the poller's :class:`~ingest.fetching.HttpFetcher`, built from the same
``[fetch]`` settings (SSRF guard, robots.txt, size cap, timeouts), so what they report
is what polling will meet. The one difference: no retries, because a person is waiting
and a failure is reported at once. When the policy refuses the URL, the answer names
the setting and the environment variable that decide it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ingest.check import LookRequest, PageCheck, Verdict, judge
from ingest.fetching.model import FetchOutcome, FetchResult
from tickerwatch import bootstrap
from tickerwatch.bootstrap import utc_now

if TYPE_CHECKING:
    from tickerwatch.settings import Settings

Clock = Callable[[], datetime]

PRIVATE_HINT = (
    "setting `fetch.allow_private_addresses`, environment variable "
    "TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES=true; only for intranet hosts you trust"
)
ROBOTS_HINT = (
    "`--ignore-robots REASON` for this ticker, or setting `fetch.honour_robots`, "
    "environment variable TICKERWATCH_FETCH__HONOUR_ROBOTS=false"
)


def checker(settings: Settings) -> Callable[[LookRequest], Awaitable[PageCheck]]:
    """:func:`look` with these settings, for the UI's "Check" (``web.create_app``)."""

    async def check(request: LookRequest) -> PageCheck:
        return await look(request, settings)

    return check


def blocked_hint(error: str) -> str | None:
    """Which setting lets a refused URL through, from the refusal's words (the guard
    and robots checks of ``ingest.fetching`` name their cause); None when none does."""
    if "allow_private_addresses is off" in error:
        return PRIVATE_HINT
    if "robots.txt" in error:
        return ROBOTS_HINT
    return None


async def fetch_page(
    url: str, settings: Settings, *, ignore_robots: bool = False, clock: Clock = utc_now
) -> FetchResult:
    """One fetch through the poller's fetcher and policy, without retries."""
    # Imported here, as in every command path: httpx only when a page is fetched.
    from ingest.fetching import HttpFetcher, make_client

    policy = replace(
        settings.fetch.policy(max_body_bytes=settings.ingest.max_body_bytes), retries=0
    )
    async with make_client(policy) as client:
        fetcher = HttpFetcher(client, policy, clock=clock)
        return await fetcher.fetch(url, ignore_robots=ignore_robots)


async def look(request: LookRequest, settings: Settings, *, clock: Clock = utc_now) -> PageCheck:
    """Fetch the page once and say what reading it gives; never raises for what a page,
    a server or the user's selectors can do."""
    if request.selectors is not None:
        from ingest.layouts.selectors import selector_problems

        problems = selector_problems(request.selectors)
        if problems:
            return PageCheck(request.url, Verdict.INVALID_SELECTORS, "; ".join(problems))
    result = await fetch_page(
        request.url, settings, ignore_robots=request.ignore_robots, clock=clock
    )
    if result.outcome is FetchOutcome.BLOCKED:
        error = result.error or "refused"
        return PageCheck(
            request.url,
            Verdict.BLOCKED,
            f"blocked by the fetch policy: {error}",
            hint=blocked_hint(error),
        )
    if result.outcome is not FetchOutcome.OK or result.body is None:
        status = f"HTTP {result.http_status}: " if result.http_status else ""
        return PageCheck(
            request.url,
            Verdict.FETCH_FAILED,
            f"fetch failed ({result.outcome.value}): {status}{result.error or 'no body'}",
        )
    zone = ZoneInfo(request.zone) if request.zone else None
    page = await asyncio.to_thread(
        bootstrap.parse,
        result.body,
        url=result.final_url,
        content_type=result.content_type,
        observed_at=result.fetched_at,
        settings=settings,
        zone=zone,
        profile=request.profile,
        selectors=request.selectors,
    )
    return judge(request.url, page, selectors=request.selectors, zone=zone)
