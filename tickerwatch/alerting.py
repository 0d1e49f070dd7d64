"""Alert delivery as a service, and the alert store for the commands.

:func:`run_alerts` is a service like :func:`tickerwatch.service.run_scheduler`: ``tickerwatch
run`` runs it next to the scheduler and the web UI, ``tickerwatch alerts deliver`` on its
own. It never raises into :func:`~tickerwatch.service.serve`: a failure of alert delivery
(a database hiccup, a sink misbehaving) is logged and retried, and polling goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from storage.model import StoredChange
from tickerwatch import bootstrap
from tickerwatch.bootstrap import Database, utc_now

if TYPE_CHECKING:  # each imported where it is built: `alerts list` needs no httpx or web
    from alerts.delivery import DeliveryWorker, Links
    from alerts.sql import SqlAlertStore
    from storage import SqlStore
    from tickerwatch.metrics import Metrics
    from tickerwatch.settings import Settings

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
RESTART_PAUSE_S = 30.0  # after delivery could not even start (database unreachable, ...)


def history_links(base_url: str | None) -> Links:
    """Where an alert links to in the UI: the entry's history at the change (the ticker
    for a page change, the desk's story page for a story alert); nothing without a
    public base URL (``[web] base_url``)."""
    if base_url is None:
        return lambda change: None
    from web.links import Links as UiLinks

    ui = UiLinks(base_url)

    def link(change: StoredChange) -> str | None:
        if change.kind.about_story and change.desk_id is not None and change.story_id:
            return ui.desk_story(change.desk_id, change.story_id)
        if change.entry_id is None:
            return ui.ticker(change.ticker_id)
        return ui.entry(change.entry_id, change.id)

    return link


def open_stores(settings: Settings) -> tuple[SqlStore, SqlAlertStore]:
    """The store and the alert store on ``storage.database_url`` (migrated first), on
    one engine; the caller closes both (either releases the database)."""
    database = bootstrap.database_for(settings)
    return database.store(), database.alerts()


@contextlib.asynccontextmanager
async def open_worker(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    metrics: Metrics | None = None,
    database: Database | None = None,
) -> AsyncIterator[DeliveryWorker]:
    """A delivery worker wired from the settings, on ``database`` or the settings' own
    (opened here and closed on exit); its HTTP client closed on exit."""
    from alerts.delivery import DeliveryWorker
    from alerts.formatting import render
    from alerts.sender import open_sender
    from alerts.wakeup import database_wakeup

    own = None
    if database is None:
        own = database = await asyncio.to_thread(bootstrap.database_for, settings)
    store, alerts = database.store(), database.alerts()
    wakeup = None
    try:
        wakeup = database_wakeup(alerts.engine)
        async with open_sender(
            timeout_s=settings.alerts.request_timeout_s,
            user_agent=bootstrap.USER_AGENT,
            allow_private_addresses=settings.fetch.allow_private_addresses,
        ) as sender:
            yield DeliveryWorker(
                alerts,
                store,
                sender,
                settings.alerts.worker(),
                render=render,
                clock=clock,
                worker_id=f"{socket.gethostname()}-{os.getpid()}",
                links=history_links(settings.web.base_url),
                on_depth=_depth_gauge(metrics),
                wakeup=wakeup.wait if wakeup is not None else None,
            )
    finally:
        if wakeup is not None:
            wakeup.close()
        if own is not None:
            own.close()


def _depth_gauge(metrics: Metrics | None) -> Callable[[int], None] | None:
    if metrics is None:
        return None

    def report(depth: int) -> None:
        metrics.set_queue_depth("alerts", depth)

    return report


async def run_alerts(
    settings: Settings,
    stop: asyncio.Event,
    *,
    metrics: Metrics | None = None,
    clock: Clock = utc_now,
    database: Database | None = None,
) -> None:
    """The service: deliver alerts until ``stop`` is set; returns at once when
    ``[alerts] enabled`` is off (delivery then runs as ``tickerwatch alerts deliver``)."""
    if not settings.alerts.enabled:
        log.info("alert delivery is off here ([alerts] enabled = false)")
        return
    await deliver_alerts(settings, stop, metrics=metrics, clock=clock, database=database)


async def deliver_alerts(
    settings: Settings,
    stop: asyncio.Event,
    *,
    metrics: Metrics | None = None,
    clock: Clock = utc_now,
    until_empty: bool = False,
    database: Database | None = None,
) -> None:
    """Deliver until ``stop`` is set or, with ``until_empty``, until nothing is left to
    send to an enabled sink. Never raises: if delivery cannot start (database down), it
    says why and tries again."""
    while not stop.is_set():
        try:
            async with open_worker(
                settings, clock=clock, metrics=metrics, database=database
            ) as worker:
                log.info("alert delivery started")
                await worker.run(stop, until_empty=until_empty)
                log.info("alert delivery stopped")
                return
        except Exception:
            log.exception("alert delivery could not run; trying again in %.0f s", RESTART_PAUSE_S)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=RESTART_PAUSE_S)
