"""The contract of a scheduling engine, run against APScheduler (SQLite) and procrastinate
(PostgreSQL): the same turns, the same invariants, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from diffing.model import ChangeKind
from ingest.fetching import HttpFetcher, make_client
from scheduler.cadence import Circuit, circuit_state
from scheduler.ports import Turn
from scheduler.runner import PollRunner, PollTurn, TurnKind
from storage.model import Ticker
from tests.scheduler.conftest import CADENCE, ENGINE, FETCH, Rig, utc_now, wait_for
from tests.scheduler.farm import Failure
from tickerwatch.bootstrap import open_store
from tickerwatch.polling import PollReport, poll_once

pytestmark = pytest.mark.anyio

FLOOR = timedelta(seconds=CADENCE.min_interval_s)


def assert_polled_once_per_turn(rig: Rig, ticker: Ticker) -> None:
    """Consecutive polls of one ticker are at least the floor apart: no turn ran twice."""
    starts = rig.polls(ticker)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert all(gap >= FLOOR for gap in gaps), f"ticker {ticker.id} polled twice: {gaps}"


def assert_no_change_twice(rig: Rig, ticker: Ticker) -> None:
    changes = rig.store.changes(ticker.id, limit=10_000)
    added = Counter(c.entry_id for c in changes if c.kind is ChangeKind.ADDED)
    assert added, "the ticker's entries were never reported"
    assert max(added.values()) == 1, f"entries added twice: {added.most_common(3)}"
    revisions = Counter((c.entry_id, c.current.id) for c in changes if c.current is not None)
    assert max(revisions.values()) == 1, "a revision was reported twice"


async def test_every_active_ticker_is_polled_again_and_again(rig: Rig) -> None:
    active = [rig.add(n) for n in range(1, 6)]
    paused = rig.add(6, paused=True)
    async with rig.running() as running:
        await wait_for(lambda: all(len(rig.polls(t)) >= 4 for t in active), "four polls each")
    assert rig.farm.overlaps == []
    assert rig.polls(paused) == []
    assert rig.farm.requests(6) == 0
    for ticker in active:
        assert_polled_once_per_turn(rig, ticker)
        assert_no_change_twice(rig, ticker)
        stored = rig.store.get(ticker.id)
        assert stored.next_poll_at is not None
        assert stored.next_poll_at > rig.polls(ticker)[-1], "the next poll time is persisted"
    assert {t.kind for t in running.turns} <= {TurnKind.POLLED, TurnKind.MOVED}


async def test_fetches_in_flight_never_exceed_the_cap(rig: Rig) -> None:
    tickers = [rig.add(n) for n in range(1, 13)]
    rig.farm.delay_s = 0.3
    async with rig.running():
        await wait_for(lambda: all(len(rig.polls(t)) >= 2 for t in tickers), "two polls each")
    assert 1 <= rig.farm.max_in_flight <= ENGINE.max_concurrent_polls
    assert rig.farm.overlaps == []


async def test_tickers_added_paused_and_removed_while_running_are_picked_up(rig: Rig) -> None:
    first, second, third = rig.add(1), rig.add(2), rig.add(3)
    async with rig.running():
        await wait_for(lambda: len(rig.polls(first)) >= 2, "the first ticker polled")
        rig.store.set_paused(second.id, True)
        rig.store.remove(third.id)
        paused_at = rig.farm.requests(2)
        removed_at = rig.farm.requests(3)
        late = rig.add(4)
        await wait_for(lambda: len(rig.polls(late)) >= 2, "the added ticker polled")
        await wait_for(lambda: len(rig.polls(first)) >= 6, "more polls of the first")
        # A turn already past its checks when the pause came may finish: at most one.
        assert rig.farm.requests(2) <= paused_at + 1
        assert rig.farm.requests(3) <= removed_at + 1
        rig.store.set_paused(second.id, False)
        resumed_at = len(rig.polls(second))
        await wait_for(lambda: len(rig.polls(second)) >= resumed_at + 2, "the resumed ticker")
    assert rig.farm.overlaps == []


async def test_stop_lets_polls_in_flight_finish(rig: Rig) -> None:
    tickers = [rig.add(n) for n in range(1, 9)]
    rig.farm.delay_s = 0.5
    async with rig.running() as running:
        await wait_for(lambda: rig.farm.in_flight() >= 2, "polls in flight")
        await running.finish()
        assert rig.farm.in_flight() == 0
    for n, ticker in enumerate(tickers, start=1):
        # Every page the farm served was recorded: nothing fetched was thrown away.
        assert rig.farm.answered(n) == len(rig.polls(ticker)), f"ticker {n}"


async def test_failures_back_off_open_the_circuit_and_retry_after_is_honoured(rig: Rig) -> None:
    broken, throttled, healthy = rig.add(1), rig.add(2), rig.add(3)
    rig.farm.statuses[1] = Failure(500)
    rig.farm.statuses[2] = Failure(503, {"Retry-After": "1800"})
    async with rig.running():
        await wait_for(lambda: rig.store.get(broken.id).error_streak >= 2, "two failures")
        await wait_for(lambda: len(rig.polls(throttled)) >= 1, "the throttled poll")
        await wait_for(lambda: len(rig.polls(healthy)) >= 3, "polls of the healthy one")
        await asyncio.sleep(0)  # let the turns persist their next times
    first_failure = rig.store.get(broken.id)
    assert circuit_state(first_failure.error_streak, CADENCE) is Circuit.OPEN
    assert first_failure.error_streak == 2, "an open circuit is probed rarely, not hammered"
    assert first_failure.next_poll_at is not None
    last = rig.polls(broken)[-1]
    assert first_failure.next_poll_at >= last + timedelta(seconds=CADENCE.open_interval_s)
    after_503 = rig.store.get(throttled.id)
    assert len(rig.polls(throttled)) == 1
    assert after_503.next_poll_at is not None
    assert after_503.next_poll_at >= rig.polls(throttled)[0] + timedelta(seconds=1800)
    assert circuit_state(rig.store.get(healthy.id).error_streak, CADENCE) is Circuit.CLOSED


async def test_a_manual_poll_never_overlaps_the_services_poll(rig: Rig) -> None:
    """``tickerwatch poll`` runs in a process of its own, polling now: the store's poll
    claim keeps it from fetching a ticker the service is fetching, and the other way."""
    tickers = [rig.add(n) for n in range(1, 5)]
    rig.farm.delay_s = 0.3
    manual_turns: list[PollTurn] = []
    async with manual_runner(rig) as manual, rig.running():
        for _ in range(8):
            manual_turns += await asyncio.gather(*(manual.run(t.id, None) for t in tickers))
    assert rig.farm.overlaps == []
    assert {t.kind for t in manual_turns} <= {TurnKind.POLLED, TurnKind.BUSY}
    for ticker in tickers:
        assert_no_change_twice(rig, ticker)


async def test_a_ticker_being_polled_is_busy_for_every_other_runner(rig: Rig) -> None:
    ticker = rig.add(1)
    rig.farm.delay_s = 1.0
    async with manual_runner(rig) as first, manual_runner(rig) as second:
        polling = asyncio.create_task(first.run(ticker.id, None))
        await wait_for(lambda: rig.farm.requests(1) == 1, "the first poll to reach the page")
        busy = await second.run(ticker.id, None)
        assert busy.kind is TurnKind.BUSY
        assert busy.report is None
        assert busy.next_at is not None
        assert (await polling).kind is TurnKind.POLLED
        rig.farm.delay_s = 0.0
        assert (await second.run(ticker.id, None)).kind is TurnKind.POLLED
    assert rig.farm.requests(1) == 2
    assert rig.farm.overlaps == []


@contextlib.asynccontextmanager
async def manual_runner(rig: Rig) -> AsyncIterator[PollRunner]:
    """A runner on a store and fetcher of its own, as ``tickerwatch poll`` has."""
    store = open_store(rig.url)
    try:
        async with make_client(FETCH) as client:
            fetcher = HttpFetcher(client, FETCH, clock=utc_now)

            async def poll(ticker: Ticker, turn: Turn) -> PollReport:
                return await poll_once(
                    ticker, fetcher=fetcher, store=store, clock=utc_now, turn=turn
                )

            yield PollRunner(store, poll, CADENCE, clock=utc_now, max_concurrent=4)
    finally:
        store.close()
