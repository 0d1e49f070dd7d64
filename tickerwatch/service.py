"""The long-running services, composed from one :class:`~tickerwatch.settings.Settings`.

A service is an ``async`` function of a stop event (:data:`Service`): it runs until the
event is set, then finishes its work in flight and returns. :func:`serve` runs several in
one event loop, so ``tickerwatch run`` can add alert delivery and the web UI next to
the scheduler::

    stop = asyncio.Event()
    with stop_on_signals(stop):
        await serve([partial(run_scheduler, settings, metrics=metrics), ...], stop)

Each service takes the process's :class:`~tickerwatch.bootstrap.Database` (``run``
opens one and shares it, so polling, delivery and the web UI draw on one connection
pool) or, without one, opens the settings' database for itself.

The pieces every poll shares are built once per process by :func:`open_polling`: the
store, one ``HttpFetcher`` (its per-host limiter and robots
cache are per instance), the story filer (each poll's entries into its desks' stories,
:mod:`tickerwatch.desking`) and the :class:`~scheduler.runner.PollRunner`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import web
from alerts.sql import SqlAlertStore
from ingest.fetching import HttpFetcher, make_client
from scheduler.cluster import ClusterWorker, apply_queue_schema, conninfo
from scheduler.local import LocalScheduler
from scheduler.ports import Turn
from scheduler.runner import Observer, PollRunner, PollTurn
from storage import SqlArchive, SqlStore
from storage.desks_sql import SqlDeskStore
from storage.model import Ticker
from storage.story_store_sql import SqlStoryStore
from tickerwatch import bootstrap, lookup
from tickerwatch.bootstrap import Database, utc_now
from tickerwatch.metrics import Metrics
from tickerwatch.polling import PollReport, poll_once
from tickerwatch.settings import Settings
from web.config import WebConfig

log = logging.getLogger(__name__)

Service = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class Polling:
    """What polls share in one process."""

    store: SqlStore
    fetcher: HttpFetcher
    runner: PollRunner


@contextlib.asynccontextmanager
async def open_polling(
    settings: Settings, *, observer: Observer | None = None, database: Database | None = None
) -> AsyncIterator[Polling]:
    """Store, fetcher and runner from the settings, on ``database`` or the settings'
    own (opened here and closed on exit)."""
    own = None
    if database is None:
        own = database = await asyncio.to_thread(bootstrap.database_for, settings)
    store = database.store()
    filer = database.story_filer()
    try:
        fetch_policy = settings.fetch.policy(max_body_bytes=settings.ingest.max_body_bytes)
        poll_policy = bootstrap.poll_policy(settings)
        async with make_client(fetch_policy) as client:
            fetcher = HttpFetcher(client, fetch_policy, clock=utc_now)

            async def poll(ticker: Ticker, turn: Turn) -> PollReport:
                report = await poll_once(
                    ticker,
                    fetcher=fetcher,
                    store=store,
                    clock=utc_now,
                    policy=poll_policy,
                    turn=turn,
                )
                # Stories of the ticker's desks, once the poll is stored (never fails it).
                await asyncio.to_thread(filer.file, report)
                return report

            runner = PollRunner(
                store,
                poll,
                settings.scheduler.cadence(),
                clock=utc_now,
                max_concurrent=settings.scheduler.max_concurrent_polls,
                observer=observer,
                claim_s=settings.scheduler.poll_claim_s,
            )
            yield Polling(store, fetcher, runner)
    finally:
        if own is not None:
            own.close()


def metrics_observer(metrics: Metrics) -> Observer:
    """Counts every poll a turn made, with its schedule lag, into ``metrics``."""

    def observe(turn: PollTurn) -> None:
        # The runner hands back what poll_once returned.
        if isinstance(turn.report, PollReport):
            metrics.observe_poll(turn.report, schedule_lag_s=turn.lag_s)

    return observe


def _observers(metrics: Metrics | None, observer: Observer | None) -> Observer | None:
    chosen = [o for o in (metrics_observer(metrics) if metrics else None, observer) if o]
    if len(chosen) < 2:
        return chosen[0] if chosen else None

    def observe(turn: PollTurn) -> None:
        for one in chosen:
            one(turn)

    return observe


async def run_scheduler(
    settings: Settings,
    stop: asyncio.Event,
    *,
    metrics: Metrics | None = None,
    observer: Observer | None = None,
    database: Database | None = None,
) -> None:
    """The single-machine service: every ticker polled from this process (APScheduler).
    ``observer`` sees every turn (after ``metrics`` counted it)."""
    async with open_polling(
        settings, observer=_observers(metrics, observer), database=database
    ) as polling:
        engine = LocalScheduler(polling.runner, settings.scheduler.engine(), clock=utc_now)
        await engine.run(stop)


async def run_worker(
    settings: Settings,
    stop: asyncio.Event,
    *,
    metrics: Metrics | None = None,
    database: Database | None = None,
) -> None:
    """One scale-out worker on the PostgreSQL of ``storage.database_url`` (procrastinate).

    Raises :class:`scheduler.cluster.NotPostgres` before anything starts when the
    database is not PostgreSQL. Installs the job queue's schema when missing.
    """
    dsn = conninfo(settings.storage.resolved_url())
    await apply_queue_schema(dsn)
    observer = metrics_observer(metrics) if metrics is not None else None
    async with open_polling(settings, observer=observer, database=database) as polling:
        worker = ClusterWorker(
            polling.runner,
            settings.scheduler.engine(),
            dsn=dsn,
            clock=utc_now,
            name=f"tickerwatch-{socket.gethostname()}-{os.getpid()}",
        )
        await worker.run(stop)


def web_config(settings: Settings) -> WebConfig:
    """The web app's configuration, from the ``[web]`` and ``[scheduler]`` settings."""
    web_settings = settings.web
    token = web_settings.admin_token
    return WebConfig(
        host=web_settings.host,
        base_url=web_settings.base_url,
        allowed_hosts=tuple(web_settings.allowed_hosts),
        admin_token=token.get_secret_value() if token is not None else None,
        zone=web_settings.zone,
        page_size=web_settings.page_size,
        session_hours=web_settings.session_hours,
        cadence=settings.scheduler.cadence(),
    )


@contextlib.contextmanager
def open_web(
    settings: Settings, database: Database | None = None
) -> Iterator[tuple[SqlStore, SqlArchive, SqlAlertStore, SqlDeskStore, SqlStoryStore]]:
    """The store (migrated first), the archive, the alert store, the desk store and the
    story store of ``database`` or of ``storage.database_url`` (then closed on exit).
    The alert pages need the alert store even where delivery runs elsewhere: sinks and
    queue live in the shared database; so do the stories the pollers file."""
    with bootstrap.using_database(settings, database) as db:
        yield db.store(), db.archive(), db.alerts(), db.desks(), db.stories()


async def run_web(
    settings: Settings,
    stop: asyncio.Event,
    *,
    sock: socket.socket | None = None,
    metrics: Metrics | None = None,
    database: Database | None = None,
) -> None:
    """Serve the UI on ``[web] host``:``port`` (or ``sock``, bound beforehand so a busy
    port fails before anything starts) until ``stop`` is set; ``metrics`` at /metrics."""
    listening = sock if sock is not None else web.bind(settings.web.host, settings.web.port)
    host, port = listening.getsockname()[:2]
    with open_web(settings, database) as (store, archive, alerts, desks, stories):
        app = web.create_app(
            store,
            web_config(settings),
            archive=archive,
            metrics=metrics,
            alerts=alerts,
            checker=lookup.checker(settings),
            desks=desks,
            stories=stories,
            clock=utc_now,
        )
        log.info("web UI on http://%s:%s/", host, port)
        if settings.web.admin_token is None:
            log.warning("no [web] admin_token: the UI is read-only")
        await web.serve(app, stop=stop, sock=listening)


async def serve(services: Sequence[Service], stop: asyncio.Event) -> None:
    """Run ``services`` in this loop until ``stop`` is set; when one fails, stop the
    others and raise its error once they have returned."""
    tasks = [asyncio.create_task(service(stop)) for service in services]
    failure: BaseException | None = None
    for finished in asyncio.as_completed(tasks):
        try:
            await finished
        except Exception as error:
            if failure is None:
                failure = error
                log.error("a service failed; stopping the others", exc_info=error)
            stop.set()
    if failure is not None:
        raise failure


@contextlib.contextmanager
def stop_on_signals(
    stop: asyncio.Event, *, finishing: str = "the work in progress"
) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (a graceful stop); a second one stops at once.
    ``finishing`` is what the process lets finish, as the log line says it (a process
    that polls nothing must not say it waits for polls)."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)

    def graceful(signum: int) -> None:
        if stop.is_set():
            log.warning("second %s: stopping now", signal.Signals(signum).name)
            for sig in signals:
                loop.remove_signal_handler(sig)
            signal.raise_signal(signum)
            return
        log.info("%s: stopping after %s", signal.Signals(signum).name, finishing)
        stop.set()

    for sig in signals:
        loop.add_signal_handler(sig, graceful, sig)
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
