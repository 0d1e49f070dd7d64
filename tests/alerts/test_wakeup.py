"""An idle worker is woken when new work may be waiting, not only by its poll interval.

Every test here sets the poll interval to an hour: an alert that arrives at all arrived
because the worker was woken. The guards around the waits only end a test that would
otherwise hang; nothing is measured.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from alerts.alert import SinkKind
from alerts.model import DeliveryStatus
from alerts.wakeup import DataVersionWakeup, database_wakeup
from storage import create_engine_for
from tests.alerts.conftest import FakeClock, Stores, worker_for
from tests.alerts.receiver import Receiver
from tickerwatch.alerting import deliver_alerts
from tickerwatch.settings import load_settings

pytestmark = pytest.mark.anyio
AN_HOUR = 3600.0
GUARD_S = 60.0


class Bell:
    """A wake-up the test rings by hand; says when the worker is waiting on it."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()
        self._rung = asyncio.Event()

    async def wait(self) -> None:
        self.waiting.set()
        await self._rung.wait()
        self._rung.clear()

    def ring(self) -> None:
        self.waiting.clear()
        self._rung.set()


async def until(event: asyncio.Event) -> None:
    await asyncio.wait_for(event.wait(), timeout=GUARD_S)


async def test_an_idle_worker_woken_sends_at_once(
    stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    stores.subscribe(SinkKind.WEBHOOK, receiver.url("/hook"))
    bell = Bell()
    stop = asyncio.Event()
    async with worker_for(stores, clock, wakeup=bell.wait, poll_interval_s=AN_HOUR) as worker:
        task = asyncio.create_task(worker.run(stop))
        await until(bell.waiting)  # idle: nothing queued
        changes = stores.add_entries("t1", 2)
        bell.ring()
        await until(bell.waiting)  # idle again: the outbox was handed over and sent
        while len(receiver.accepted()) < len(changes):  # the last answer being recorded
            await until(bell.waiting)
        stop.set()
        await asyncio.wait_for(task, timeout=GUARD_S)
    assert len(receiver.accepted()) == 2


@pytest.fixture
def engines(sqlite_db: str) -> Iterator[tuple[Engine, Engine]]:
    watched, other = create_engine_for(sqlite_db), create_engine_for(sqlite_db)
    yield watched, other
    watched.dispose()
    other.dispose()


async def test_a_commit_by_another_connection_rings(engines: tuple[Engine, Engine]) -> None:
    watched, other = engines
    wakeup = database_wakeup(watched)
    assert isinstance(wakeup, DataVersionWakeup)
    try:
        with pytest.raises(TimeoutError):  # nothing committed: it does not ring
            await asyncio.wait_for(wakeup.wait(), timeout=0.2)
        with other.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
        await asyncio.wait_for(wakeup.wait(), timeout=GUARD_S)
        with watched.begin() as connection:  # the watched engine's other connections too
            connection.exec_driver_sql("INSERT INTO scratch VALUES (1)")
        await asyncio.wait_for(wakeup.wait(), timeout=GUARD_S)
    finally:
        wakeup.close()


def test_only_a_sqlite_file_has_a_wakeup() -> None:
    memory = create_engine_for("sqlite://")
    assert database_wakeup(memory) is None
    memory.dispose()
    postgres = create_engine_for("postgresql://nobody@127.0.0.1:1/none")
    assert database_wakeup(postgres) is None  # connects to nothing
    postgres.dispose()


async def test_the_service_sends_a_new_change_without_waiting_for_its_poll_interval(
    sqlite_stores: Stores, receiver: Receiver
) -> None:
    assert sqlite_stores.url is not None
    settings = load_settings(
        storage={"database_url": sqlite_stores.url},
        alerts={"poll_interval_s": 60},
        fetch={"allow_private_addresses": True},  # the receiver lives on loopback
    )
    # Unpaced: a paced sink's next message is due a second later, and nothing commits then.
    sqlite_stores.subscribe(
        SinkKind.WEBHOOK, receiver.url("/hook"), digest_threshold=0, rate_per_minute=0
    )
    stop = asyncio.Event()
    service = asyncio.create_task(deliver_alerts(settings, stop))
    try:
        sqlite_stores.add_entries("t1", 1)
        await _arrived(receiver, 1)  # the worker is up ...
        await _arrived_recorded(sqlite_stores)  # ... and then idle, for up to a minute
        sqlite_stores.add_entries("t1", 1)
        await _arrived(receiver, 2)  # long before that minute: woken by the commit
    finally:
        stop.set()
        await asyncio.wait_for(service, timeout=GUARD_S)


async def _arrived(receiver: Receiver, count: int) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GUARD_S / 2  # half the poll interval: only a wake-up makes it
    while len(receiver.accepted()) < count:
        assert loop.time() < deadline, f"{count} alerts did not arrive"
        await asyncio.sleep(0.02)


async def _arrived_recorded(stores: Stores) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GUARD_S
    while {d.status for d in stores.alerts.deliveries()} != {DeliveryStatus.DELIVERED}:
        assert loop.time() < deadline, "the delivery was not recorded"
        await asyncio.sleep(0.02)
