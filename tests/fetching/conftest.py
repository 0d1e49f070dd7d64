"""Fixtures for the fetcher tests: a loopback server, a fake clock, a fetcher factory.

Nothing here touches anything but 127.0.0.1; names like ``public.test`` only
ever reach the stub resolver, or a loopback proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from ingest.fetching.guard import Resolver
from tests.fetching.server import LoopbackServer

START = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)

# Fast and loopback-friendly; each test overrides what it is about.
LOOPBACK_POLICY = FetchPolicy(
    connect_timeout_s=2.0,
    read_timeout_s=2.0,
    total_timeout_s=5.0,
    max_body_bytes=1024 * 1024,
    backoff_base_s=1.0,
    backoff_cap_s=8.0,
    retry_budget_s=60.0,
    min_host_interval_s=0.0,
    honour_robots=False,
    allow_private_addresses=True,
)


def policy(**overrides: Any) -> FetchPolicy:
    return replace(LOOPBACK_POLICY, **overrides)


class FakeTime:
    """A clock that moves only when the fake sleep is awaited; sleeps are recorded."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)
        await asyncio.sleep(0)  # still a scheduling point, like the real one

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class CountingTransport(httpx.AsyncBaseTransport):
    """The real transport, counting requests and the raw body bytes the client pulled."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.URL] = []
        self.body_bytes_read = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request.url)
        response = await self._inner.handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_CountingStream(response.stream, self),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


class _CountingStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, owner: CountingTransport) -> None:
        self._inner = inner
        self._owner = owner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._owner.body_bytes_read += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


@contextlib.asynccontextmanager
async def open_fetcher(
    fake: FakeTime,
    fetch_policy: FetchPolicy = LOOPBACK_POLICY,
    *,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    seed: int = 7,
) -> AsyncIterator[HttpFetcher]:
    """An HttpFetcher on a client from ``make_client``, closed afterwards."""
    async with make_client(fetch_policy, transport=transport) as client:
        yield HttpFetcher(
            client,
            fetch_policy,
            clock=fake.clock,
            sleep=fake.sleep,
            rng=random.Random(seed),
            resolver=resolver,
        )


def stub_resolver(table: dict[str, list[str]]) -> Resolver:
    """Answers from ``table``; unknown names fail like a real NXDOMAIN."""

    async def resolve(host: str) -> list[str]:
        if host not in table:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return table[host]

    return resolve


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    loopback = LoopbackServer()
    loopback.start()
    yield loopback
    loopback.stop()
    assert loopback.errors == [], "the loopback server's handlers failed"


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
