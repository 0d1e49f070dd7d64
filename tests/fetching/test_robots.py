"""robots.txt: checked before each hop, fetched once per origin and cached (RFC 9309)."""

from __future__ import annotations

import pytest

from ingest.fetching import FetchOutcome
from ingest.fetching.robots import RobotsFetch, RobotsRules, RobotsStatus, classify, product_token
from tests.fetching.conftest import FakeTime, open_fetcher, policy
from tests.fetching.server import LoopbackServer, Reply

PAGE = b"<p>live</p>"
ROBOTS = b"""# tickerwatch test site
User-agent: *
Disallow: /private/

User-agent: tickerwatch
Disallow: /members/
"""
POLITE = policy(honour_robots=True, robots_ttl_s=3600.0)


def _site(server: LoopbackServer, robots: Reply | list[Reply]) -> None:
    server.routes["/robots.txt"] = robots
    for path in ("/live", "/live2", "/members/live", "/private/live"):
        server.routes[path] = Reply(200, {"Content-Type": "text/html"}, PAGE)


@pytest.mark.anyio
async def test_disallowed_url_is_blocked_without_requesting_it(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    _site(server, Reply(200, {"Content-Type": "text/plain"}, ROBOTS))
    async with open_fetcher(fake_time, POLITE) as fetcher:
        result = await fetcher.fetch(server.url("/members/live"))
    assert result.outcome is FetchOutcome.BLOCKED
    assert result.error == "disallowed by robots.txt"
    assert result.attempts == 1
    assert [seen.target for seen in server.seen] == ["/robots.txt"]
    assert server.seen[0].headers["user-agent"] == POLITE.user_agent


@pytest.mark.anyio
async def test_robots_txt_is_fetched_once_for_several_fetches(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    _site(server, Reply(200, body=ROBOTS))
    async with open_fetcher(fake_time, POLITE) as fetcher:
        outcomes = [
            (await fetcher.fetch(server.url(path))).outcome
            for path in ("/live", "/live2", "/members/live", "/live")
        ]
    assert outcomes == [FetchOutcome.OK, FetchOutcome.OK, FetchOutcome.BLOCKED, FetchOutcome.OK]
    assert server.hits("/robots.txt") == 1


@pytest.mark.anyio
async def test_robots_txt_is_fetched_again_after_its_ttl(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    _site(server, [Reply(200, body=b""), Reply(200, body=b"User-agent: *\nDisallow: /\n")])
    async with open_fetcher(fake_time, POLITE) as fetcher:
        first = await fetcher.fetch(server.url("/live"))
        fake_time.advance(3599)
        cached = await fetcher.fetch(server.url("/live"))
        fake_time.advance(2)
        refreshed = await fetcher.fetch(server.url("/live"))
    assert (first.outcome, cached.outcome) == (FetchOutcome.OK, FetchOutcome.OK)
    assert refreshed.outcome is FetchOutcome.BLOCKED
    assert server.hits("/robots.txt") == 2


@pytest.mark.anyio
async def test_ignore_robots_skips_the_check(server: LoopbackServer, fake_time: FakeTime) -> None:
    _site(server, Reply(200, body=b"User-agent: *\nDisallow: /\n"))
    async with open_fetcher(fake_time, POLITE) as fetcher:
        result = await fetcher.fetch(server.url("/live"), ignore_robots=True)
    assert result.outcome is FetchOutcome.OK
    assert server.hits("/robots.txt") == 0


@pytest.mark.anyio
async def test_honour_robots_off_skips_the_check(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    _site(server, Reply(200, body=b"User-agent: *\nDisallow: /\n"))
    async with open_fetcher(fake_time, policy(honour_robots=False)) as fetcher:
        result = await fetcher.fetch(server.url("/live"))
    assert result.outcome is FetchOutcome.OK
    assert server.hits("/robots.txt") == 0


@pytest.mark.anyio
@pytest.mark.parametrize("status", [404, 403, 410])
async def test_robots_4xx_allows_everything(
    server: LoopbackServer, fake_time: FakeTime, status: int
) -> None:
    _site(server, Reply(status))
    async with open_fetcher(fake_time, POLITE) as fetcher:
        first = await fetcher.fetch(server.url("/private/live"))
        second = await fetcher.fetch(server.url("/live"))
    assert (first.outcome, second.outcome) == (FetchOutcome.OK, FetchOutcome.OK)
    assert server.hits("/robots.txt") == 1  # "unavailable" is cached like a file


@pytest.mark.anyio
async def test_robots_5xx_means_complete_disallow_and_asking_again(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    _site(server, [Reply(503), Reply(503), Reply(200, body=ROBOTS)])
    async with open_fetcher(fake_time, policy(honour_robots=True, retries=0)) as fetcher:
        refused = await fetcher.fetch(server.url("/live"))
        later = await fetcher.fetch(server.url("/live"))
        recovered = await fetcher.fetch(server.url("/live"))
    assert refused.outcome is FetchOutcome.HTTP_ERROR  # transient: the scheduler backs off
    assert refused.error is not None
    assert "robots.txt unreachable (HTTP 503)" in refused.error
    assert later.outcome is FetchOutcome.HTTP_ERROR
    assert recovered.outcome is FetchOutcome.OK
    assert server.hits("/robots.txt") == 3  # never cached while unreachable
    assert server.hits("/live") == 1  # the page was only requested once robots.txt was read


@pytest.mark.anyio
async def test_unreachable_robots_falls_back_to_the_stale_copy(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    _site(server, [Reply(200, body=ROBOTS), Reply(500)])
    async with open_fetcher(fake_time, POLITE) as fetcher:
        await fetcher.fetch(server.url("/live"))
        fake_time.advance(7200)
        allowed = await fetcher.fetch(server.url("/live"))
        blocked = await fetcher.fetch(server.url("/members/live"))
    assert allowed.outcome is FetchOutcome.OK
    assert blocked.outcome is FetchOutcome.BLOCKED
    assert server.hits("/robots.txt") == 3  # stale copy used, and asked again each time


@pytest.mark.anyio
async def test_each_redirect_hop_is_checked(server: LoopbackServer, fake_time: FakeTime) -> None:
    _site(server, Reply(200, body=ROBOTS))
    server.routes["/moved"] = Reply(301, {"Location": "/members/live"})
    async with open_fetcher(fake_time, POLITE) as fetcher:
        result = await fetcher.fetch(server.url("/moved"))
    assert result.outcome is FetchOutcome.BLOCKED
    assert result.final_url == server.url("/members/live")
    assert server.hits("/members/live") == 0


@pytest.mark.anyio
async def test_robots_fetch_follows_redirects(server: LoopbackServer, fake_time: FakeTime) -> None:
    _site(server, Reply(301, {"Location": "/robots-real.txt"}))
    server.routes["/robots-real.txt"] = Reply(200, body=ROBOTS)
    async with open_fetcher(fake_time, POLITE) as fetcher:
        result = await fetcher.fetch(server.url("/members/live"))
    assert result.outcome is FetchOutcome.BLOCKED


@pytest.mark.anyio
async def test_robots_requests_respect_the_host_spacing(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    _site(server, Reply(200, body=ROBOTS))
    async with open_fetcher(fake_time, policy(honour_robots=True, min_host_interval_s=1.0)) as f:
        await f.fetch(server.url("/live"))
    assert fake_time.sleeps == [1.0]  # robots.txt, then the page a second later


# --- the pure parts -----------------------------------------------------------------


def test_rules_for_our_product_token() -> None:
    rules = RobotsRules.from_body(b"\xef\xbb\xbf" + ROBOTS)  # with a UTF-8 BOM
    agent = "tickerwatch/0.1 (+https://github.com/tickerwatch/tickerwatch)"
    assert product_token(agent) == "tickerwatch"
    assert not rules.allows("https://news.test/members/x", agent)
    assert rules.allows("https://news.test/private/x", agent)  # our group replaces '*'
    assert not rules.allows("https://news.test/private/x", "otherbot/2.0")
    assert RobotsRules(None).allows("https://news.test/anything", agent)


@pytest.mark.parametrize(
    ("fetch", "status"),
    [
        (RobotsFetch(FetchOutcome.OK, 200, ROBOTS), RobotsStatus.FOUND),
        (RobotsFetch(FetchOutcome.HTTP_ERROR, 404), RobotsStatus.UNAVAILABLE),
        (RobotsFetch(FetchOutcome.HTTP_ERROR, 401), RobotsStatus.UNAVAILABLE),
        (RobotsFetch(FetchOutcome.HTTP_ERROR, 429), RobotsStatus.UNREACHABLE),
        (RobotsFetch(FetchOutcome.HTTP_ERROR, 500), RobotsStatus.UNREACHABLE),
        (RobotsFetch(FetchOutcome.TIMEOUT), RobotsStatus.UNREACHABLE),
        (RobotsFetch(FetchOutcome.NETWORK_ERROR), RobotsStatus.UNREACHABLE),
        (RobotsFetch(FetchOutcome.REDIRECT_LOOP), RobotsStatus.UNAVAILABLE),
        (RobotsFetch(FetchOutcome.BLOCKED), RobotsStatus.UNAVAILABLE),
    ],
)
def test_classify(fetch: RobotsFetch, status: RobotsStatus) -> None:
    assert classify(fetch) is status
