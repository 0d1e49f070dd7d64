"""The service composition: settings → store, fetcher, runner, engine; services in one loop."""

from __future__ import annotations

import asyncio
import os
import signal
from functools import partial

import pytest

from storage import NewTicker
from tests.scheduler.conftest import utc_now, wait_for
from tests.scheduler.farm import TickerFarm
from tickerwatch import service
from tickerwatch.bootstrap import open_store
from tickerwatch.metrics import Metrics
from tickerwatch.settings import FetchSettings, SchedulerSettings, Settings, StorageSettings

pytestmark = pytest.mark.anyio


def settings_for(url: str) -> Settings:
    return Settings(
        storage=StorageSettings(database_url=url),
        fetch=FetchSettings(
            allow_private_addresses=True, honour_robots=False, min_host_interval_s=0, retries=0
        ),
        scheduler=SchedulerSettings(min_interval_s=0.5, max_interval_s=1, resync_every_s=1),
    )


async def test_run_scheduler_polls_from_the_settings_and_counts_into_metrics(
    sqlite_db: str, farm: TickerFarm
) -> None:
    store = open_store(sqlite_db)
    try:
        ticker = store.add(NewTicker(farm.url(1), "one", interval_seconds=1), created_at=utc_now())
        metrics = Metrics()
        stop = asyncio.Event()
        running = asyncio.create_task(
            service.serve(
                [partial(service.run_scheduler, settings_for(sqlite_db), metrics=metrics)], stop
            )
        )
        await wait_for(lambda: len(store.polls(ticker.id)) >= 2, "two polls")
        stop.set()
        await asyncio.wait_for(running, 30)
        exposition = metrics.exposition().decode()
        assert 'tickerwatch_polls_total{outcome="fresh"}' in exposition
        assert "tickerwatch_schedule_lag_seconds_count" in exposition
    finally:
        store.close()


async def test_a_failing_service_stops_the_others_and_its_error_is_raised() -> None:
    stopped = asyncio.Event()

    async def steady(stop: asyncio.Event) -> None:
        await stop.wait()
        stopped.set()

    async def broken(stop: asyncio.Event) -> None:
        raise RuntimeError("cannot bind")

    with pytest.raises(RuntimeError, match="cannot bind"):
        await service.serve([steady, broken], asyncio.Event())
    assert stopped.is_set()


async def test_sigterm_sets_the_stop_event() -> None:
    stop = asyncio.Event()
    with service.stop_on_signals(stop):
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(stop.wait(), 10)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


async def test_worker_mode_refuses_sqlite_before_starting_anything(sqlite_db: str) -> None:
    from scheduler.cluster import NotPostgres

    with pytest.raises(NotPostgres, match="PostgreSQL"):
        await service.run_worker(settings_for(sqlite_db), asyncio.Event())
