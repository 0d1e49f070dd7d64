"""Per-host concurrency and spacing, with a fake clock (never wall-clock assertions)."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest

from ingest.fetching import FetchOutcome
from ingest.fetching.limiter import HostLimiter
from tests.fetching.conftest import START, FakeTime, open_fetcher, policy
from tests.fetching.server import LoopbackServer, Reply, Seen


def _limiter(fake: FakeTime, concurrency: int = 2, interval: float = 1.0) -> HostLimiter:
    return HostLimiter(
        max_concurrency=concurrency, min_interval_s=interval, clock=fake.clock, sleep=fake.sleep
    )


def test_starts_to_one_host_are_spaced(fake_time: FakeTime) -> None:
    limiter = _limiter(fake_time, concurrency=1, interval=1.5)
    starts: list[timedelta] = []

    async def request(host: str) -> None:
        async with limiter.slot(host):
            starts.append(fake_time.now - START)

    async def main() -> None:
        for _ in range(3):
            await request("news.test")

    asyncio.run(main())
    assert starts == [timedelta(0), timedelta(seconds=1.5), timedelta(seconds=3)]
    assert fake_time.sleeps == [1.5, 1.5]


def test_hosts_do_not_wait_for_each_other(fake_time: FakeTime) -> None:
    limiter = _limiter(fake_time)

    async def main() -> None:
        for host in ("a.test", "b.test", "c.test"):
            async with limiter.slot(host):
                pass

    asyncio.run(main())
    assert fake_time.sleeps == []


def test_concurrency_per_host_is_capped(fake_time: FakeTime) -> None:
    limiter = _limiter(fake_time, concurrency=2, interval=0.0)
    active = {"news.test": 0, "other.test": 0}
    peak = dict(active)

    async def request(host: str, release: asyncio.Event) -> None:
        async with limiter.slot(host):
            active[host] += 1
            peak[host] = max(peak[host], active[host])
            await release.wait()
            active[host] -= 1

    async def main() -> None:
        release = asyncio.Event()
        tasks = [asyncio.create_task(request("news.test", release)) for _ in range(5)]
        tasks.append(asyncio.create_task(request("other.test", release)))
        for _ in range(10):  # let every task run as far as it can
            await asyncio.sleep(0)
        assert active == {"news.test": 2, "other.test": 1}
        assert limiter.in_flight("news.test") == 5  # two holding, three waiting
        release.set()
        await asyncio.gather(*tasks)

    asyncio.run(main())
    assert peak == {"news.test": 2, "other.test": 1}
    assert limiter.in_flight("news.test") == 0


def test_concurrent_requests_reserve_distinct_start_times(fake_time: FakeTime) -> None:
    # A frozen clock: the three requests arrive at the same instant.
    limiter = HostLimiter(
        max_concurrency=3, min_interval_s=1.0, clock=lambda: START, sleep=fake_time.sleep
    )

    async def request() -> None:
        async with limiter.slot("news.test"):
            pass

    async def main() -> None:
        await asyncio.gather(*(request() for _ in range(3)))

    asyncio.run(main())
    # All three got a slot at once; their starts were spread one second apart.
    assert fake_time.sleeps == [1.0, 2.0]


def test_a_clock_stepping_backwards_does_not_stall_a_host(fake_time: FakeTime) -> None:
    limiter = _limiter(fake_time, concurrency=2, interval=1.0)

    async def main() -> None:
        async with limiter.slot("news.test"):
            pass
        fake_time.advance(-3600)  # NTP steps the wall clock back an hour
        async with limiter.slot("news.test"):
            pass

    asyncio.run(main())
    assert fake_time.sleeps == [2.0]  # bounded by concurrency × interval, not by the hour


@pytest.mark.anyio
async def test_fetches_to_one_host_are_spaced(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/live"] = Reply(200, body=b"ok")
    async with open_fetcher(fake_time, policy(min_host_interval_s=1.0)) as fetcher:
        for _ in range(3):
            await fetcher.fetch(server.url("/live"))
    assert fake_time.sleeps == [1.0, 1.0]


@pytest.mark.anyio
async def test_at_most_two_requests_in_flight_per_host(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    lock = threading.Condition()
    state = {"active": 0, "peak": 0, "arrived": 0}

    def rendezvous(seen: Seen) -> Reply:
        # Hold each request until a second one is in flight (or it is the last), so
        # the peak reaches the limit whatever the timing; the response is written
        # only after "active" drops, so the server never counts more than the
        # client has in flight.
        with lock:
            state["active"] += 1
            state["arrived"] += 1
            state["peak"] = max(state["peak"], state["active"])
            lock.notify_all()
            lock.wait_for(
                lambda: state["active"] >= 2 or state["arrived"] == 6 or server.stopping.is_set(),
                timeout=5.0,
            )
        try:
            return Reply(200, body=b"ok")
        finally:
            with lock:
                state["active"] -= 1

    server.routes["/live"] = rendezvous
    async with open_fetcher(fake_time, policy(per_host_concurrency=2)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url("/live")) for _ in range(6)))
    assert all(result.outcome is FetchOutcome.OK for result in results)
    assert state["peak"] == 2
