"""Fixtures of the alert tests: stores of every adapter, a loopback receiver, a clock.

``stores`` gives a (storage store, alert store) pair of one adapter: memory, SQLite (a
migrated file) or PostgreSQL (marked ``postgres``); the alert store's deliveries refer to
the storage store's change events. ``changes`` polls literal pages into the storage store
(through the real differ) to make alertable change events.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from alerts.alert import SinkKind
from alerts.delivery import DeliveryWorker, Wakeup, WorkerConfig
from alerts.formatting import render
from alerts.memory import MemoryAlertStore
from alerts.model import NewSubscription, Rules, Subscription
from alerts.policy import DeliveryPolicy
from alerts.ports import AlertStore
from alerts.sender import HttpSender, open_sender
from alerts.sql import SqlAlertStore
from storage import MemoryStore, SqlStore, Store, create_engine_for
from storage.model import StoredChange
from tests.alerts.receiver import Receiver
from tests.storage.builders import Feed, entry

START = datetime(2026, 4, 23, 14, 0, tzinfo=UTC)
# Fast retries and no digests or rate limits unless a test asks for them.
POLICY = DeliveryPolicy(
    max_attempts=5,
    backoff_base_s=1.0,
    backoff_cap_s=8.0,
    max_age_s=3600.0,
    default_rate_per_minute=0.0,
    digest_threshold=0,
)
CONFIG = WorkerConfig(policy=POLICY, poll_interval_s=0.05, lease_s=30.0, keep_delivered_s=None)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@dataclass
class Stores:
    name: str
    store: Store
    alerts: AlertStore
    url: str | None = None
    feeds: dict[str, Feed] = field(default_factory=dict)

    def feed(self, name: str = "ticker-1") -> Feed:
        if name not in self.feeds:
            self.feeds[name] = Feed(self.store, name)
        return self.feeds[name]

    def add_entries(self, name: str, count: int) -> list[StoredChange]:
        """One poll of ticker ``name`` adding ``count`` entries: ``count`` ADDED events."""
        feed = self.feed(name)
        known = [
            entry(k.version.text) for k in sorted(feed.reference.entries, key=lambda k: k.position)
        ]
        start = len(known)
        fresh = [entry(f"{name}: Meldung Nummer {start + i + 1}.") for i in range(count)]
        feed.poll(*reversed(fresh), *known)
        waiting = outbox_of(self.store, feed.ticker_id)
        last = max(c.poll_id for c in waiting)
        return [c for c in waiting if c.poll_id == last]

    def subscribe(self, kind: SinkKind, url: str, **rules: Any) -> Subscription:
        secret = rules.pop("secret", None)
        new = NewSubscription(kind, url, f"{kind.value} test", Rules(**rules), secret)
        return self.alerts.add_subscription(new, created_at=START)


def outbox_of(store: Store, ticker_id: int) -> list[StoredChange]:
    return [c for c in store.outbox(limit=10_000) if c.ticker_id == ticker_id]


def _sql(url: str, name: str) -> Stores:
    return Stores(
        name, SqlStore(create_engine_for(url)), SqlAlertStore(create_engine_for(url)), url
    )


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def stores(request: pytest.FixtureRequest) -> Iterator[Stores]:
    if request.param == "memory":
        yield Stores("memory", MemoryStore(), MemoryAlertStore())
        return
    url = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_url")
    pair = _sql(url, request.param)
    yield pair
    pair.alerts.close()
    pair.store.close()


@pytest.fixture
def sqlite_stores(sqlite_db: str) -> Iterator[Stores]:
    pair = _sql(sqlite_db, "sqlite")
    yield pair
    pair.alerts.close()
    pair.store.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    loopback = Receiver().up()
    yield loopback
    loopback.down()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@contextlib.asynccontextmanager
async def worker_for(
    pair: Stores,
    clock: FakeClock,
    config: WorkerConfig = CONFIG,
    *,
    worker_id: str = "test-worker",
    alerts: AlertStore | None = None,
    wakeup: Wakeup | None = None,
    **knobs: Any,
) -> AsyncIterator[DeliveryWorker]:
    """A worker on ``pair`` with a real sender (2 s timeout) and the fake clock; ``knobs``
    override fields of the :class:`WorkerConfig` or its :class:`DeliveryPolicy`."""
    own = {k: v for k, v in knobs.items() if k in WorkerConfig.__dataclass_fields__}
    policy = {k: v for k, v in knobs.items() if k not in own}
    config = replace(config, **own, policy=replace(config.policy, **policy))
    async with open_sender(
        timeout_s=2.0, user_agent="tickerwatch-test", allow_private_addresses=True
    ) as sender:
        yield make_worker(
            pair, sender, clock, config, worker_id=worker_id, alerts=alerts, wakeup=wakeup
        )


def _links(change: StoredChange) -> str:
    base = "https://archive.example.org"
    if change.entry_id is None:
        return f"{base}/tickers/{change.ticker_id}"
    return f"{base}/entries/{change.entry_id}#change-{change.id}"


def make_worker(
    pair: Stores,
    sender: HttpSender,
    clock: FakeClock,
    config: WorkerConfig = CONFIG,
    *,
    worker_id: str = "test-worker",
    alerts: AlertStore | None = None,
    wakeup: Wakeup | None = None,
) -> DeliveryWorker:
    return DeliveryWorker(
        alerts or pair.alerts,
        pair.store,
        sender,
        config,
        render=render,
        clock=clock,
        worker_id=worker_id,
        links=_links,
        jitter=lambda: 0.5,
        wakeup=wakeup,
    )
