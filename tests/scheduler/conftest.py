"""The scheduling engines under test, on real databases against a loopback ticker farm.

``rig`` is parametrized over both engines: APScheduler on SQLite (``local``) and
procrastinate on the throwaway PostgreSQL (``cluster``, marked ``postgres``). Cadences
are scaled down to about a second so a test sees several polls per ticker quickly;
nothing asserts on how long anything took.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from scheduler.cadence import CadencePolicy
from scheduler.cluster import ClusterWorker, apply_queue_schema, conninfo
from scheduler.local import LocalScheduler
from scheduler.ports import EngineConfig, PollService, Turn
from scheduler.runner import PollRunner, PollTurn
from storage import NewTicker, SqlStore
from storage.model import Ticker
from tests.scheduler.farm import TickerFarm
from tickerwatch.bootstrap import open_store
from tickerwatch.polling import PollReport, poll_once

CADENCE = CadencePolicy(
    min_interval_s=0.5,
    max_interval_s=2.0,
    follow_ratio=0.25,
    quiet_after_s=3600.0,
    ended_interval_s=3600.0,
    jitter_ratio=0.2,
    breaker_threshold=2,
    open_interval_s=3600.0,
)
ENGINE = EngineConfig(
    max_concurrent_polls=4,
    resync_every_s=1,
    shutdown_grace_s=20.0,
    queue="test",
    lease_s=3.0,
    heartbeat_s=0.5,
    fetch_job_polling_interval_s=0.1,
)
FETCH = FetchPolicy(
    connect_timeout_s=5.0,
    read_timeout_s=10.0,
    total_timeout_s=20.0,
    retries=0,
    min_host_interval_s=0.0,
    per_host_concurrency=64,
    honour_robots=False,
    allow_private_addresses=True,
)
TIMEOUT_S = 60.0  # generous: waits end as soon as their condition holds


def utc_now() -> datetime:
    return datetime.now(UTC)


async def wait_for(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT_S) -> None:
    """Wait until ``condition()`` holds, checking every 50 ms; fail after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@dataclass
class Running:
    """A running engine: its turns so far, and how to stop it."""

    runner: PollRunner
    stop: asyncio.Event
    task: asyncio.Task[None]
    turns: list[PollTurn] = field(default_factory=list)

    async def finish(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, TIMEOUT_S)


@dataclass
class Rig:
    """A store, a farm and a way to start the engine under test on them."""

    kind: str
    url: str
    store: SqlStore
    farm: TickerFarm
    dsn: str | None = None

    def add(self, n: int, *, interval: int = 1, paused: bool = False) -> Ticker:
        return self.store.add(
            NewTicker(self.farm.url(n), f"ticker {n}", interval_seconds=interval, paused=paused),
            created_at=utc_now(),
        )

    def polls(self, ticker: Ticker) -> list[datetime]:
        """Start times of the ticker's stored polls, oldest first."""
        return sorted(p.started_at for p in self.store.polls(ticker.id, limit=10_000))

    @contextlib.asynccontextmanager
    async def running(
        self,
        *,
        cadence: CadencePolicy = CADENCE,
        engine: EngineConfig = ENGINE,
        fetch: FetchPolicy = FETCH,
    ) -> AsyncIterator[Running]:
        """The engine running in this loop, on a store of its own (as a process has)."""
        store = open_store(self.url)
        async with make_client(fetch) as client:
            fetcher = HttpFetcher(client, fetch, clock=utc_now)

            async def poll(ticker: Ticker, turn: Turn) -> PollReport:
                return await poll_once(
                    ticker, fetcher=fetcher, store=store, clock=utc_now, turn=turn
                )

            turns: list[PollTurn] = []
            runner = PollRunner(
                store,
                poll,
                cadence,
                clock=utc_now,
                max_concurrent=engine.max_concurrent_polls,
                rng=random.Random(7),
                observer=turns.append,
            )
            service: PollService
            if self.kind == "local":
                service = LocalScheduler(runner, engine, clock=utc_now)
            else:
                assert self.dsn is not None
                service = ClusterWorker(runner, engine, dsn=self.dsn, clock=utc_now)
            stop = asyncio.Event()
            running = Running(runner, stop, asyncio.create_task(service.run(stop)), turns)
            try:
                yield running
            finally:
                if not running.task.done():
                    await running.finish()
                store.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def farm() -> Iterator[TickerFarm]:
    running = TickerFarm().start()
    yield running
    running.stop()


@pytest.fixture(params=["local", pytest.param("cluster", marks=pytest.mark.postgres)])
def rig(request: pytest.FixtureRequest, farm: TickerFarm) -> Iterator[Rig]:
    if request.param == "local":
        url: str = request.getfixturevalue("sqlite_db")
        dsn = None
    else:
        url = request.getfixturevalue("pg_url")
        dsn = conninfo(url)
        asyncio.run(apply_queue_schema(dsn))
    store = open_store(url)
    yield Rig(request.param, url, store, farm, dsn)
    store.close()
