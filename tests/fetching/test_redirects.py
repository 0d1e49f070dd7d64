"""Redirects are followed by hand, so every hop passes the guard; loops and chains are capped."""

from __future__ import annotations

import pytest

from ingest.fetching import FetchOutcome, Validators
from tests.fetching.conftest import CountingTransport, FakeTime, open_fetcher, policy, stub_resolver
from tests.fetching.server import LoopbackServer, Reply

pytestmark = pytest.mark.anyio

PAGE = b"<p>final</p>"


def _to(location: str, status: int = 302) -> Reply:
    return Reply(status, {"Location": location})


async def test_relative_redirects_are_followed(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/a"] = _to("b", 301)  # relative to /a
    server.routes["/b"] = _to("/live/c?x=1#top", 307)
    server.routes["/live/c?x=1"] = Reply(200, {"ETag": '"c"'}, PAGE)
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/a"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == PAGE
    assert result.url == server.url("/a")
    assert result.final_url == server.url("/live/c?x=1")
    assert [seen.target for seen in server.seen] == ["/a", "/b", "/live/c?x=1"]


async def test_conditional_headers_travel_with_the_redirect(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/old"] = _to("/new", 308)
    server.routes["/new"] = Reply(304)
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/old"), Validators(etag='"n"'))
    assert result.outcome is FetchOutcome.NOT_MODIFIED
    assert server.seen[1].headers["if-none-match"] == '"n"'


async def test_redirect_loop(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/ping"] = _to("/pong")
    server.routes["/pong"] = _to(server.url("/ping"))  # absolute form of the same URL
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/ping"))
    assert result.outcome is FetchOutcome.REDIRECT_LOOP
    assert result.error == f"redirect loop: {server.url('/ping')} was already visited"
    assert result.final_url == server.url("/pong")
    assert result.attempts == 1  # a loop is not retried
    assert server.hits("/ping") == 1


async def test_self_redirect_is_a_loop(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/me"] = _to("/me#again")
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/me"))
    assert result.outcome is FetchOutcome.REDIRECT_LOOP


async def test_too_many_redirects(server: LoopbackServer, fake_time: FakeTime) -> None:
    for n in range(10):
        server.routes[f"/hop/{n}"] = _to(f"/hop/{n + 1}")
    async with open_fetcher(fake_time, policy(max_redirects=5)) as fetcher:
        result = await fetcher.fetch(server.url("/hop/0"))
    assert result.outcome is FetchOutcome.REDIRECT_LOOP
    assert result.error is not None
    assert result.error.startswith("more than 5 redirects")
    assert len(server.seen) == 6  # the first request and five redirects


async def test_exactly_max_redirects_is_fine(server: LoopbackServer, fake_time: FakeTime) -> None:
    for n in range(5):
        server.routes[f"/hop/{n}"] = _to(f"/hop/{n + 1}")
    server.routes["/hop/5"] = Reply(200, body=PAGE)
    async with open_fetcher(fake_time, policy(max_redirects=5)) as fetcher:
        result = await fetcher.fetch(server.url("/hop/0"))
    assert result.outcome is FetchOutcome.OK


async def test_redirect_to_another_scheme_is_blocked(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/ftp"] = _to("ftp://127.0.0.1/pub/file")
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/ftp"))
    assert result.outcome is FetchOutcome.BLOCKED
    assert result.error is not None
    assert "scheme 'ftp' is not allowed" in result.error


async def test_redirect_without_location_is_an_http_error(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/nowhere"] = Reply(302)
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/nowhere"))
    assert result.outcome is FetchOutcome.HTTP_ERROR
    assert result.http_status == 302


async def test_redirect_hop_to_the_metadata_address_is_refused_before_connecting(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    # Loopback is allowed here (the server lives there); the metadata address never is.
    server.routes["/steal"] = _to("http://169.254.169.254/latest/meta-data/")
    transport = CountingTransport()
    async with open_fetcher(fake_time, transport=transport) as fetcher:
        result = await fetcher.fetch(server.url("/steal"))
    assert result.outcome is FetchOutcome.BLOCKED
    assert result.error is not None
    assert "169.254.169.254 is a cloud metadata address" in result.error
    assert result.final_url == "http://169.254.169.254/latest/meta-data/"
    assert [str(url) for url in transport.requests] == [
        server.url("/steal")
    ]  # nothing else went out


async def test_loopback_is_refused_when_private_addresses_are_not_allowed(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/live"] = Reply(200, body=PAGE)
    async with open_fetcher(fake_time, policy(allow_private_addresses=False)) as fetcher:
        result = await fetcher.fetch(server.url("/live"))
    assert result.outcome is FetchOutcome.BLOCKED
    assert result.error == (
        f"refused {server.url('/live')}: 127.0.0.1 is a loopback address"
        " (allow_private_addresses is off)"
    )
    assert server.seen == []


async def test_public_host_redirecting_to_a_private_one_is_refused(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    """The production shape: private addresses refused, names resolved by DNS (a stub),
    traffic through a proxy, which here is the loopback server itself."""
    server.routes["http://public.test/live"] = _to("http://intranet.test/admin")
    resolver = stub_resolver({"public.test": ["93.184.216.34"], "intranet.test": ["10.1.2.3"]})
    fetch_policy = policy(allow_private_addresses=False, proxy=server.url(""))
    async with open_fetcher(fake_time, fetch_policy, resolver=resolver) as fetcher:
        result = await fetcher.fetch("http://public.test/live")
    assert result.outcome is FetchOutcome.BLOCKED
    assert result.error == (
        "refused http://intranet.test/admin: intranet.test resolves to 10.1.2.3"
        " is a private address (allow_private_addresses is off)"
    )
    assert [seen.target for seen in server.seen] == ["http://public.test/live"]


async def test_proxy_is_used(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["http://public.test/live"] = Reply(200, {"Content-Type": "text/html"}, PAGE)
    resolver = stub_resolver({"public.test": ["2606:2800:220:1:248:1893:25c8:1946"]})
    fetch_policy = policy(allow_private_addresses=False, proxy=server.url(""))
    async with open_fetcher(fake_time, fetch_policy, resolver=resolver) as fetcher:
        result = await fetcher.fetch("http://public.test/live")
    assert result.outcome is FetchOutcome.OK
    assert result.body == PAGE
    assert server.seen[0].headers["host"] == "public.test"
