"""Alert delivery as a service: composed from the settings, and never a danger to polling."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from alerts.alert import SinkKind
from diffing.model import ChangeKind
from storage.model import StoredChange
from tests.alerts.conftest import CONFIG, FakeClock, Stores, worker_for
from tests.alerts.receiver import Receiver
from tests.alerts.test_rules import change
from tickerwatch.alerting import deliver_alerts, history_links, run_alerts
from tickerwatch.metrics import Metrics
from tickerwatch.settings import load_settings

pytestmark = pytest.mark.anyio


async def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def test_the_service_delivers_until_stopped(
    sqlite_stores: Stores, receiver: Receiver
) -> None:
    assert sqlite_stores.url is not None
    settings = load_settings(
        storage={"database_url": sqlite_stores.url},
        alerts={"poll_interval_s": 0.05},
        web={"base_url": "https://archive.example.org/tw"},
        fetch={"allow_private_addresses": True},  # the receiver lives on loopback
    )
    sqlite_stores.subscribe(SinkKind.WEBHOOK, receiver.url("/hook"), digest_threshold=0)
    metrics = Metrics()
    stop = asyncio.Event()
    service = asyncio.create_task(run_alerts(settings, stop, metrics=metrics))
    changes = sqlite_stores.add_entries("t1", 2)
    await wait_for(lambda: len(receiver.accepted()) == 2, "two alerts")
    stop.set()
    await asyncio.wait_for(service, timeout=10)
    links = [r.json()["data"]["links"]["history"] for r in receiver.accepted()]
    assert links == [
        f"https://archive.example.org/tw/entries/{c.entry_id}#change-{c.id}" for c in changes
    ]
    assert b'tickerwatch_queue_depth{queue="alerts"}' in metrics.exposition()


async def test_the_service_stays_out_of_the_way_when_switched_off() -> None:
    settings = load_settings(alerts={"enabled": False})
    await asyncio.wait_for(run_alerts(settings, asyncio.Event()), timeout=5)


async def test_a_database_that_cannot_be_opened_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = load_settings(storage={"database_url": "postgresql://nobody@127.0.0.1:1/none"})
    stop = asyncio.Event()
    task = asyncio.create_task(deliver_alerts(settings, stop))
    await wait_for(lambda: "could not run" in caplog.text, "the failure to be logged")
    stop.set()
    await asyncio.wait_for(task, timeout=10)  # returns, does not raise


class FlakyStore:
    """A storage store whose outbox fails the first ``failures`` times."""

    def __init__(self, store: Any, failures: int) -> None:
        self._store = store
        self.failures = failures

    def outbox(self, *, limit: int = 100) -> tuple[StoredChange, ...]:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("database is locked")
        result: tuple[StoredChange, ...] = self._store.outbox(limit=limit)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


async def test_a_failing_round_is_logged_and_retried(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    sqlite_stores.subscribe(SinkKind.WEBHOOK, receiver.url("/hook"))
    sqlite_stores.add_entries("t1", 1)
    flaky = replace(sqlite_stores, store=FlakyStore(sqlite_stores.store, failures=2))
    stop = asyncio.Event()
    async with worker_for(flaky, clock, replace(CONFIG, poll_interval_s=0.01)) as worker:
        task = asyncio.create_task(worker.run(stop))
        await wait_for(lambda: len(receiver.accepted()) == 1, "the alert after two failures")
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    failed = [r for r in caplog.records if "alert delivery failed" in r.getMessage()]
    assert len(failed) == 2
    assert failed[0].levelno == logging.ERROR


def test_history_links_point_into_the_ui() -> None:
    link = history_links("https://archive.example.org")
    entry = change()
    assert link(entry) == f"https://archive.example.org/entries/e1#change-{entry.id}"
    page = replace(entry, entry_id=None)
    assert link(page) == "https://archive.example.org/tickers/7"
    assert history_links(None)(entry) is None
    story = replace(entry, kind=ChangeKind.COMPETITOR_FIRST, desk_id=2, story_id=17)
    assert link(story) == "https://archive.example.org/desks/2/stories/17"
