"""One contract, every Fetcher adapter: the in-memory one and HTTP over loopback."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from ingest.fetching import Fetcher, FetchOutcome, MemoryFetcher, Validators
from tests.fetching.conftest import FakeTime, open_fetcher
from tests.fetching.server import LoopbackServer, Reply, Seen

pytestmark = pytest.mark.anyio


@dataclass
class Site:
    """Publishes pages where a fetcher can reach them."""

    fetcher: Fetcher
    publish: Callable[[str, bytes], None]
    url: Callable[[str], str]


class _LoopbackPages:
    """Pages served by the loopback server with ETags, like MemoryFetcher serves them."""

    def __init__(self, server: LoopbackServer) -> None:
        self._server = server
        self._version = 0

    def publish(self, path: str, body: bytes) -> None:
        self._version += 1
        etag = f'"v{self._version}"'

        def route(seen: Seen) -> Reply:
            if seen.headers.get("if-none-match") == etag:
                return Reply(304, {"ETag": etag})
            return Reply(200, {"Content-Type": "text/html; charset=utf-8", "ETag": etag}, body)

        self._server.routes[path] = route


@contextlib.asynccontextmanager
async def _http_site(server: LoopbackServer, fake: FakeTime) -> AsyncIterator[Site]:
    pages = _LoopbackPages(server)
    async with open_fetcher(fake) as fetcher:
        yield Site(fetcher, pages.publish, server.url)


@contextlib.asynccontextmanager
async def _memory_site(server: LoopbackServer, fake: FakeTime) -> AsyncIterator[Site]:
    fetcher = MemoryFetcher(clock=fake.clock)

    def url(path: str) -> str:
        return f"https://news.test{path}"

    def publish(path: str, body: bytes) -> None:
        fetcher.publish(url(path), body)

    yield Site(fetcher, publish, url)


@pytest.fixture(params=[_http_site, _memory_site], ids=["http", "memory"])
def site_factory(request: pytest.FixtureRequest) -> object:
    return request.param


async def test_conditional_fetch_contract(
    site_factory: Callable[..., contextlib.AbstractAsyncContextManager[Site]],
    server: LoopbackServer,
    fake_time: FakeTime,
) -> None:
    async with site_factory(server, fake_time) as site:
        site.publish("/live", b"<p>one</p>")
        first = await site.fetcher.fetch(site.url("/live"))
        again = await site.fetcher.fetch(site.url("/live"), first.validators)
        site.publish("/live", b"<p>two</p>")
        changed = await site.fetcher.fetch(site.url("/live"), first.validators)
        missing = await site.fetcher.fetch(site.url("/gone"), first.validators)

    assert (first.outcome, first.body, first.http_status) == (FetchOutcome.OK, b"<p>one</p>", 200)
    assert first.validators.etag is not None
    assert first.content_type == "text/html; charset=utf-8"
    assert first.url == first.final_url == site.url("/live")
    assert first.fetched_at.tzinfo is not None

    assert (again.outcome, again.body) == (FetchOutcome.NOT_MODIFIED, None)
    assert again.validators == first.validators

    assert (changed.outcome, changed.body) == (FetchOutcome.OK, b"<p>two</p>")
    assert changed.validators not in (first.validators, Validators())

    assert (missing.outcome, missing.http_status) == (FetchOutcome.HTTP_ERROR, 404)
    assert missing.validators == first.validators  # failures hand the old ones back
    assert missing.error


def test_memory_fetcher_scripts_failures(fake_time: FakeTime) -> None:
    fetcher = MemoryFetcher(clock=fake_time.clock)
    fetcher.publish("https://news.test/live", b"<p>x</p>")
    fetcher.fail_next("https://news.test/live", FetchOutcome.TIMEOUT, "read timeout")

    async def twice() -> tuple[FetchOutcome, FetchOutcome]:
        first = await fetcher.fetch("https://news.test/live", ignore_robots=True)
        second = await fetcher.fetch("https://news.test/live")
        return first.outcome, second.outcome

    assert asyncio.run(twice()) == (FetchOutcome.TIMEOUT, FetchOutcome.OK)
    assert [request.ignore_robots for request in fetcher.requests] == [True, False]
    with pytest.raises(ValueError, match="failure outcome"):
        fetcher.fail_next("https://news.test/live", FetchOutcome.OK)
