"""HttpFetcher against a real loopback server: conditional GET, headers, bodies, limits."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Callable
from datetime import timedelta

import pytest

from ingest.fetching import FetchOutcome, Validators
from ingest.fetching.policy import ACCEPT
from tests.fetching.conftest import (
    START,
    CountingTransport,
    FakeTime,
    open_fetcher,
    policy,
    stub_resolver,
)
from tests.fetching.server import LoopbackServer, Reply, Seen

pytestmark = pytest.mark.anyio

PAGE = b"<html><body><article>14.01 Uhr: Es geht los.</article></body></html>"


def _conditional(
    etag: str | None = None, last_modified: str | None = None
) -> Callable[[Seen], Reply]:
    """A route answering 304 when the request's validators match, 200 otherwise."""

    def route(seen: Seen) -> Reply:
        if etag is not None and seen.headers.get("if-none-match") == etag:
            return Reply(304, {"ETag": etag})
        if last_modified is not None and seen.headers.get("if-modified-since") == last_modified:
            return Reply(304)
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if etag is not None:
            headers["ETag"] = etag
        if last_modified is not None:
            headers["Last-Modified"] = last_modified
        return Reply(200, headers, PAGE)

    return route


async def test_ok_carries_body_type_validators_and_times(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/live"] = _conditional(
        etag='"v1"', last_modified="Tue, 03 Nov 2026 11:00:00 GMT"
    )
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/live"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == PAGE
    assert result.http_status == 200
    assert result.content_type == "text/html; charset=utf-8"
    assert result.validators == Validators('"v1"', "Tue, 03 Nov 2026 11:00:00 GMT")
    assert result.url == result.final_url == server.url("/live")
    assert result.fetched_at == START
    assert result.fetched_at.tzinfo is not None
    assert result.duration_ms == 0  # the fake clock did not move
    assert (result.attempts, result.error, result.retry_after_s) == (1, None, None)


async def test_etag_round_trip_gives_not_modified(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/live"] = _conditional(etag='W/"abc"')
    async with open_fetcher(fake_time) as fetcher:
        first = await fetcher.fetch(server.url("/live"))
        second = await fetcher.fetch(server.url("/live"), first.validators)
    assert first.validators == Validators(etag='W/"abc"')
    assert second.outcome is FetchOutcome.NOT_MODIFIED
    assert (second.http_status, second.body) == (304, None)
    assert second.validators == first.validators
    assert server.seen[1].headers["if-none-match"] == 'W/"abc"'
    assert "if-none-match" not in server.seen[0].headers


async def test_last_modified_round_trip_keeps_the_old_validators(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    stamp = "Tue, 03 Nov 2026 11:00:00 GMT"
    server.routes["/live"] = _conditional(last_modified=stamp)
    async with open_fetcher(fake_time) as fetcher:
        first = await fetcher.fetch(server.url("/live"))
        second = await fetcher.fetch(server.url("/live"), first.validators)
    assert first.validators == Validators(last_modified=stamp)
    assert second.outcome is FetchOutcome.NOT_MODIFIED
    assert second.validators == Validators(last_modified=stamp)  # the 304 carried none
    assert server.seen[1].headers["if-modified-since"] == stamp


async def test_a_304_to_an_unconditional_request_is_an_error(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/odd"] = Reply(304)
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/odd"))
    assert result.outcome is FetchOutcome.HTTP_ERROR
    assert result.error is not None
    assert "unconditional" in result.error


async def test_identifying_headers_are_sent(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/live"] = Reply(200, {"Content-Type": "text/html"}, PAGE)
    fetch_policy = policy(user_agent="tickerwatch-test/1.0 (+https://example.org/contact)")
    async with open_fetcher(fake_time, fetch_policy) as fetcher:
        await fetcher.fetch(server.url("/live"))
    headers = server.seen[0].headers
    assert headers["user-agent"] == "tickerwatch-test/1.0 (+https://example.org/contact)"
    assert headers["accept"] == ACCEPT
    assert headers["accept-encoding"].startswith("gzip, deflate")


async def test_latin1_page_without_charset_comes_back_as_raw_bytes(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    body = "<p>Schöne Grüße aus Köln, 14.01 Uhr</p>".encode("iso-8859-1")
    server.routes["/latin1"] = Reply(200, {"Content-Type": "text/html"}, body)
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/latin1"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == body  # undecoded: charset sniffing is the parser's job
    assert result.content_type == "text/html"


async def test_gzip_body_is_decoded(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/gz"] = Reply(
        200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzip.compress(PAGE)
    )
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/gz"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == PAGE


async def test_the_cap_counts_decoded_bytes(server: LoopbackServer, fake_time: FakeTime) -> None:
    bomb = gzip.compress(b"\0" * 1_000_000)  # about 1 KB on the wire
    assert len(bomb) < 10_000
    server.routes["/bomb"] = Reply(200, {"Content-Encoding": "gzip"}, bomb)
    async with open_fetcher(fake_time, policy(max_body_bytes=10_000)) as fetcher:
        result = await fetcher.fetch(server.url("/bomb"))
    assert result.outcome is FetchOutcome.TOO_LARGE
    assert result.body is None
    assert result.error is not None
    assert "10000 bytes" in result.error


async def test_oversize_streamed_body_stops_reading_early(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/huge"] = Reply(200, chunks=[b"x" * 16_384] * 64)  # 1 MiB, chunked
    transport = CountingTransport()
    async with open_fetcher(fake_time, policy(max_body_bytes=10_240), transport=transport) as f:
        result = await f.fetch(server.url("/huge"))
    assert result.outcome is FetchOutcome.TOO_LARGE
    assert result.attempts == 1  # not retried
    # Reading stopped within one network read (httpcore reads ≤ 64 KiB) past the cap.
    assert transport.body_bytes_read <= 10_240 + 65_536


async def test_oversize_content_length_is_refused_unread(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/huge"] = Reply(200, {"Content-Type": "text/html"}, b"x" * 1_048_576)
    transport = CountingTransport()
    async with open_fetcher(fake_time, policy(max_body_bytes=10_240), transport=transport) as f:
        result = await f.fetch(server.url("/huge"))
    assert result.outcome is FetchOutcome.TOO_LARGE
    assert transport.body_bytes_read == 0


async def test_read_timeout(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/slow"] = Reply(200, body=PAGE, delay_s=5.0)  # cut short at teardown
    fetch_policy = policy(read_timeout_s=0.2, retries=0)
    async with open_fetcher(fake_time, fetch_policy) as fetcher:
        result = await fetcher.fetch(server.url("/slow"))
    assert result.outcome is FetchOutcome.TIMEOUT
    assert result.error is not None
    assert "read timeout" in result.error


async def test_total_deadline_cuts_a_dripping_body(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    # Each byte arrives well within the read timeout; only the total deadline ends it.
    server.routes["/drip"] = Reply(200, chunks=[b"."] * 200, chunk_delay_s=0.02)
    fetch_policy = policy(read_timeout_s=1.0, total_timeout_s=0.3, retries=0)
    async with open_fetcher(fake_time, fetch_policy) as fetcher:
        result = await fetcher.fetch(server.url("/drip"))
    assert result.outcome is FetchOutcome.TIMEOUT
    assert result.error is not None
    assert "0.3 s" in result.error


async def test_connection_refused_is_a_network_error_and_retried(fake_time: FakeTime) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with open_fetcher(fake_time, policy(retries=1)) as fetcher:
        result = await fetcher.fetch(f"http://127.0.0.1:{port}/")
    assert result.outcome is FetchOutcome.NETWORK_ERROR
    assert result.attempts == 2
    assert len(fake_time.sleeps) == 1


async def test_unresolvable_name_is_a_network_error(fake_time: FakeTime) -> None:
    async with open_fetcher(fake_time, policy(retries=0), resolver=stub_resolver({})) as f:
        result = await f.fetch("http://nowhere.test/")
    assert result.outcome is FetchOutcome.NETWORK_ERROR
    assert result.error is not None
    assert "cannot resolve nowhere.test" in result.error


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1/file", "file:///etc/passwd", ""])
async def test_unfetchable_urls_come_back_blocked(fake_time: FakeTime, url: str) -> None:
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(url)
    assert result.outcome is FetchOutcome.BLOCKED
    assert result.url == url
    assert result.error


async def test_duration_covers_the_waits(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/flaky"] = [Reply(500), Reply(200, body=PAGE)]
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/flaky"))
    assert result.outcome is FetchOutcome.OK
    waited = timedelta(seconds=sum(fake_time.sleeps))
    assert result.duration_ms == round(waited.total_seconds() * 1000)
    assert result.fetched_at == START + waited  # when the successful response began
