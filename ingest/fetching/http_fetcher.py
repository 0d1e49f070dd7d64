"""``HttpFetcher``: the :class:`~ingest.fetching.model.Fetcher` that talks HTTP.

One fetch is a loop of attempts (``fetch``); one attempt follows redirects hop by
hop (``_follow``); one hop is guard → robots.txt → host slot → one exchange
(``_exchange``). Decisions are delegated to pure functions:
:func:`~ingest.fetching.retry.plan_retry`, :func:`~ingest.fetching.response.final_result`,
:func:`~ingest.fetching.robots.classify`, :func:`~ingest.fetching.guard.refusal`.
Every clock reading, sleep, random draw and DNS lookup goes through what the
constructor was given, and all traffic through the injected ``httpx.AsyncClient``.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

import httpx

from ingest.fetching.errors import (
    BadResponse,
    BodyTooLarge,
    FetchFailure,
    NetworkFailure,
    RedirectFailure,
    TimedOut,
    UnsafeURL,
)
from ingest.fetching.guard import Resolver, check_url, system_resolver
from ingest.fetching.limiter import HostLimiter
from ingest.fetching.model import NO_VALIDATORS, FetchOutcome, FetchResult, Validators
from ingest.fetching.policy import ACCEPT, FetchPolicy, accept_encoding
from ingest.fetching.response import Reply, final_result, read_capped, retry_after
from ingest.fetching.retry import plan_retry
from ingest.fetching.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsFetch

# RFC 9110 §15.4: the redirects that carry a Location to follow. 300 Multiple
# Choices and 304 are not followed; 305/306 are deprecated.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_TIMEOUT_NAMES: dict[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "connect",
    httpx.ReadTimeout: "read",
    httpx.WriteTimeout: "write",
    httpx.PoolTimeout: "connection pool",
}


class HttpFetcher:
    """Fetches pages politely and defensively; see :class:`FetchPolicy` for the knobs.

    ``client`` should come from :func:`~ingest.fetching.policy.make_client`; the
    caller owns and closes it. ``clock`` returns aware datetimes; ``sleep``, ``rng``
    and ``resolver`` default to ``asyncio.sleep``, an unseeded ``random.Random``
    and the loop's ``getaddrinfo``. The per-host limiter and the robots.txt cache
    live in the instance, so build one fetcher per process and share it.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: FetchPolicy,
        *,
        clock: Callable[[], datetime],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self._client = client
        self._policy = policy
        self._clock = clock
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()
        self._resolver = resolver if resolver is not None else system_resolver
        self._timeout = policy.timeout()
        self._accept_encoding = accept_encoding()
        self._limiter = HostLimiter(
            max_concurrency=policy.per_host_concurrency,
            min_interval_s=policy.min_host_interval_s,
            clock=clock,
            sleep=sleep,
        )
        self._robots = RobotsCache(
            user_agent=policy.user_agent, ttl_s=policy.robots_ttl_s, clock=clock
        )

    async def fetch(
        self, url: str, validators: Validators = NO_VALIDATORS, *, ignore_robots: bool = False
    ) -> FetchResult:
        """See :meth:`ingest.fetching.model.Fetcher.fetch`."""
        started = self._now()
        check_robots = self._policy.honour_robots and not ignore_robots
        attempts = 0
        slept_s = 0.0
        while True:
            attempts += 1
            result = await self._attempt(url, validators, check_robots=check_robots)
            decision = plan_retry(
                outcome=result.outcome,
                http_status=result.http_status,
                retry_after_s=result.retry_after_s,
                attempts_made=attempts,
                slept_s=slept_s,
                policy=self._policy,
                jitter=self._rng.random(),
            )
            if decision.delay_s is None:
                break
            await self._sleep(decision.delay_s)
            slept_s += decision.delay_s
        error = result.error
        if error is not None and decision.gave_up is not None:
            error = f"{error}; {decision.gave_up}"
        elapsed = self._now() - started
        return replace(
            result,
            error=error,
            attempts=attempts,
            duration_ms=max(0, round(elapsed.total_seconds() * 1000)),
        )

    async def _attempt(
        self, url: str, validators: Validators, *, check_robots: bool
    ) -> FetchResult:
        """One try from the first URL to a final response; failures become values."""
        began = self._now()
        trail: list[httpx.URL] = []
        try:
            reply = await self._follow(
                url,
                validators,
                check_robots=check_robots,
                cap=self._policy.max_body_bytes,
                truncate_ok=False,
                trail=trail,
            )
        except FetchFailure as failure:
            return FetchResult(
                outcome=failure.outcome,
                url=url,
                final_url=str(trail[-1]) if trail else url,
                fetched_at=began,
                duration_ms=0,
                http_status=failure.http_status,
                validators=validators,
                error=str(failure),
                retry_after_s=failure.retry_after_s,
            )
        return final_result(
            url, validators, reply, max_retry_after_s=self._policy.max_retry_after_s
        )

    async def _follow(
        self,
        start: str | httpx.URL,
        validators: Validators,
        *,
        check_robots: bool,
        cap: int,
        truncate_ok: bool,
        trail: list[httpx.URL],
    ) -> Reply:
        """Request ``start`` and follow redirects manually, so that every hop
        passes the guard and robots.txt. Appends each URL requested to ``trail``."""
        try:
            current = httpx.URL(start)
        except httpx.InvalidURL as error:
            raise UnsafeURL(f"invalid URL {start!r}: {error}") from error
        seen = {_visit_key(current)}
        budget_s = self._policy.total_timeout_s
        hops = 0
        while True:
            trail.append(current)
            await check_url(
                current,
                resolver=self._resolver,
                allow_private=self._policy.allow_private_addresses,
                timeout_s=self._policy.connect_timeout_s,
            )
            if check_robots:
                await self._robots.check(current, self._fetch_robots)
            reply, budget_s = await self._exchange(current, validators, cap=cap, budget_s=budget_s)
            if reply.truncated and not truncate_ok:
                raise BodyTooLarge(
                    f"body larger than the cap of {cap} bytes; stopped reading",
                    http_status=reply.status,
                )
            location = reply.headers.get("location")
            if reply.status not in REDIRECT_STATUSES or location is None:
                return reply
            try:
                # Relative references resolve against the current URL (RFC 9110 §10.2.2).
                target = current.join(location.strip()).copy_with(fragment=None)
            except httpx.InvalidURL as error:
                raise BadResponse(
                    f"HTTP {reply.status} with an invalid Location {location!r}",
                    http_status=reply.status,
                ) from error
            hops += 1
            if _visit_key(target) in seen:
                raise RedirectFailure(f"redirect loop: {target} was already visited")
            if hops > self._policy.max_redirects:
                raise RedirectFailure(
                    f"more than {self._policy.max_redirects} redirects (next: {target})"
                )
            seen.add(_visit_key(target))
            current = target

    async def _exchange(
        self, url: httpx.URL, validators: Validators, *, cap: int, budget_s: float
    ) -> tuple[Reply, float]:
        """One request in a host slot, under what is left of the attempt's total
        deadline; returns the reply and the deadline left. Waiting for the slot
        does not count against the deadline."""
        request = self._client.build_request(
            "GET", url, headers=self._headers(validators), timeout=self._timeout
        )
        loop = asyncio.get_running_loop()
        async with self._limiter.slot(url.host):
            started = loop.time()
            try:
                if budget_s <= 0:
                    raise TimeoutError
                async with asyncio.timeout(budget_s):
                    reply = await self._send(request, cap)
            except TimeoutError as error:
                raise TimedOut(
                    f"no complete response within {self._policy.total_timeout_s:g} s"
                ) from error
            except httpx.TimeoutException as error:
                name = _TIMEOUT_NAMES.get(type(error), "network")
                raise TimedOut(f"{name} timeout from {url.host}") from error
            except httpx.TransportError as error:
                detail = str(error) or type(error).__name__
                raise NetworkFailure(f"{type(error).__name__} from {url.host}: {detail}") from error
            return reply, budget_s - (loop.time() - started)

    async def _send(self, request: httpx.Request, cap: int) -> Reply:
        response = await self._client.send(request, stream=True, follow_redirects=False)
        try:
            began = self._now()
            body: bytes | None = None
            truncated = False
            if 200 <= response.status_code < 300:
                body, truncated = await read_capped(response, cap)
            return Reply(
                url=request.url,
                status=response.status_code,
                reason=response.reason_phrase,
                headers=response.headers,
                began_at=began,
                body=body,
                truncated=truncated,
            )
        finally:
            await response.aclose()

    async def _fetch_robots(self, url: httpx.URL) -> RobotsFetch:
        """GET /robots.txt once: same guard and limiter, no retries, no conditions."""
        try:
            reply = await self._follow(
                url,
                NO_VALIDATORS,
                check_robots=False,
                cap=ROBOTS_MAX_BYTES,
                truncate_ok=True,
                trail=[],
            )
        except FetchFailure as failure:
            return RobotsFetch(
                failure.outcome,
                failure.http_status,
                error=str(failure),
                retry_after_s=failure.retry_after_s,
            )
        ok = 200 <= reply.status < 300
        return RobotsFetch(
            FetchOutcome.OK if ok else FetchOutcome.HTTP_ERROR,
            reply.status,
            reply.body or b"",
            error=None if ok else f"HTTP {reply.status}",
            retry_after_s=retry_after(reply, self._policy.max_retry_after_s),
        )

    def _headers(self, validators: Validators) -> dict[str, str]:
        headers = {
            "User-Agent": self._policy.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": self._accept_encoding,
        }
        # Conditional GET (RFC 9110 §13.1.2, §13.1.3). Values that could not be
        # sent as a header (non-ASCII, control characters) are dropped: a stale
        # store must not turn into an exception.
        if validators.etag and _header_safe(validators.etag):
            headers["If-None-Match"] = validators.etag
        if validators.last_modified and _header_safe(validators.last_modified):
            headers["If-Modified-Since"] = validators.last_modified
        return headers

    def _now(self) -> datetime:
        now = self._clock()
        if now.utcoffset() is None:
            raise ValueError("the clock must return timezone-aware datetimes")
        return now.astimezone(UTC)


def _visit_key(url: httpx.URL) -> str:
    """How two redirect targets are compared for loops: normalised, no fragment."""
    return str(url.copy_with(fragment=None))


def _header_safe(value: str) -> bool:
    return value.isascii() and value.isprintable()
