"""What an unchanged turn costs the store: the claim with its reads, and the poll recorded
with its next time. Counted, not timed: SQLAlchemy ``begin`` events on the SQL engines,
and the store calls (one lock each) on the memory store."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, event

from diffing.model import PollOutcome
from ingest.fetching.memory import MemoryFetcher
from scheduler.cadence import CadencePolicy
from scheduler.ports import Turn
from scheduler.runner import PollRunner, PollTurn, TurnKind
from storage import MemoryStore, NewTicker, SqlStore, Store, create_engine_for
from storage.model import Ticker
from tests.paths import EVAL
from tickerwatch.polling import PollReport, poll_once

URL = "https://www.beispiel-zeitung.test/politik/gipfel-live-ticker-zr-101.html"
PAGE = (EVAL / "dev" / "ippen-busy" / "0001.html").read_bytes()
CADENCE = CadencePolicy(min_interval_s=30, jitter_ratio=0.0)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 4, 23, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class CountingStore(MemoryStore):
    """The memory store, noting every port method called (each is one transaction)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def __getattribute__(self, name: str) -> Any:
        value = super().__getattribute__(name)
        if not name.startswith("_") and name != "calls" and callable(value):
            super().__getattribute__("calls").append(name)
        return value


class Transactions:
    """What the store did since the last :meth:`take`: store calls (memory) or
    transactions begun on the engine (SQL)."""

    def __init__(self, store: Store, begun: list[str] | None) -> None:
        self.store = store
        self._begun = begun

    def take(self) -> list[str]:
        if isinstance(self.store, CountingStore):
            taken, self.store.calls[:] = list(self.store.calls), []
        else:
            assert self._begun is not None
            taken, self._begun[:] = list(self._begun), []
        return taken


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def counted(request: pytest.FixtureRequest) -> Iterator[Transactions]:
    if request.param == "memory":
        yield Transactions(CountingStore(), None)
        return
    url = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_url")
    engine = create_engine_for(url)
    begun: list[str] = []

    def on_begin(connection: Connection) -> None:
        # SqlStore writes through its engine with this option, on either database.
        write = connection.get_execution_options().get("sqlite_immediate")
        begun.append("write" if write else "read")

    event.listen(engine, "begin", on_begin)
    store = SqlStore(engine)
    yield Transactions(store, begun)
    store.close()


def test_an_unchanged_turn_is_one_claim_and_one_write(counted: Transactions) -> None:
    store, clock = counted.store, Clock()
    fetcher = MemoryFetcher(clock=clock)
    fetcher.publish(URL, PAGE)
    ticker = store.add(NewTicker(URL, "Gipfel", interval_seconds=60), created_at=clock())

    async def poll(t: Ticker, turn: Turn) -> PollReport:
        return await poll_once(t, fetcher=fetcher, store=store, clock=clock, turn=turn)

    runner = PollRunner(store, poll, CADENCE, clock=clock, max_concurrent=1, rng=random.Random(1))

    def scheduled_turn() -> tuple[PollTurn, list[str]]:
        due = store.get(ticker.id).next_poll_at
        assert due is not None
        clock.now = due
        counted.take()
        turn = asyncio.run(runner.run(ticker.id, due))
        return turn, counted.take()

    first = asyncio.run(runner.run(ticker.id, None))  # the first ingest: every entry new
    assert first.kind is TurnKind.POLLED
    assert first.report is not None
    assert first.report.outcome is PollOutcome.FRESH

    # A fresh runner (a restart) knows no last change time: the claim reads it too.
    runner = PollRunner(store, poll, CADENCE, clock=clock, max_concurrent=1, rng=random.Random(1))
    not_modified, spent = scheduled_turn()
    assert not_modified.kind is TurnKind.POLLED
    assert isinstance(not_modified.report, PollReport)
    assert not_modified.report.http_status == 304
    assert not_modified.report.outcome is PollOutcome.UNCHANGED
    assert_one_claim_and_one_write(counted, spent)

    fetcher.publish(URL, PAGE)  # a new ETag: a 200 with the same bytes
    same_bytes, spent = scheduled_turn()
    assert isinstance(same_bytes.report, PollReport)
    assert same_bytes.report.http_status == 200
    assert same_bytes.report.outcome is PollOutcome.UNCHANGED
    assert_one_claim_and_one_write(counted, spent)

    # The planned time was written with the poll, and the claim ended with it.
    assert store.get(ticker.id).next_poll_at == same_bytes.next_at
    assert store.claim_poll(
        ticker.id, token="other", now=clock(), until=clock() + timedelta(minutes=1)
    )
    assert [p.outcome for p in store.polls(ticker.id)] == [PollOutcome.UNCHANGED] * 2 + [
        PollOutcome.FRESH
    ]


def assert_one_claim_and_one_write(counted: Transactions, spent: list[str]) -> None:
    if isinstance(counted.store, CountingStore):
        assert spent == ["claim_turn", "record_poll"]
    else:
        # Both are write transactions: the first takes the claim and carries every read.
        assert spent == ["write", "write"]
