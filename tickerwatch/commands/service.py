"""``tickerwatch poll|status|run|worker``: polling now, its state, and the services."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, TextIO

from alerts.views import attention_lines
from scheduler.status import (
    TickerStatus,
    outcome_reason,
    status_as_json,
    status_lines,
    ticker_status,
)
from storage import TickerId, TickerNotFound
from storage.model import Ticker
from tickerwatch import alerting, bootstrap
from tickerwatch.bootstrap import utc_now
from tickerwatch.commands import values
from tickerwatch.commands.failing import fail

if TYPE_CHECKING:  # the services are imported by the handlers that run them
    from scheduler.runner import PollTurn
    from tickerwatch import service
    from tickerwatch.settings import Settings


class Progress:
    """A one-line bar on a terminal; nothing when the stream is not one (the result
    lines on stdout are the plain record then)."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.done = 0
        self._stream = stream
        self.live = stream.isatty()

    def step(self) -> None:
        self.done += 1
        if self.live:
            filled = round(30 * self.done / max(self.total, 1))
            bar = "#" * filled + "-" * (30 - filled)
            self._stream.write(f"\r[{bar}] {self.done}/{self.total} polled")
            self._stream.flush()

    def close(self) -> None:
        if self.live:
            self._stream.write("\n")
            self._stream.flush()


def describe(ticker: Ticker, turn: PollTurn) -> str:
    """One result line of ``tickerwatch poll``: everything the log would say of the poll
    (outcome, changes, the stored reason, a parse-health event), said once."""
    from scheduler.runner import TurnKind

    head = f"ticker {ticker.id} {ticker.name}:"
    report = turn.report
    if turn.kind is TurnKind.BUSY:
        return f"{head} not polled: another process is polling it right now"
    if report is None:
        return f"{head} not polled ({turn.kind.value}{': ' + turn.error if turn.error else ''})"
    changes = len(report.changes)
    text = f"{head} {report.outcome.value}, {changes} change{'' if changes == 1 else 's'}"
    if reason := outcome_reason(report.outcome.value, report.error):
        text += f" ({reason})"
    if report.health is not None:
        text += f"; parse health: {report.health.detail}"
    if turn.next_at is not None:
        text += f"; next poll {turn.next_at.astimezone(UTC):%H:%M:%S} UTC"
    return text


async def _poll(tickers: Sequence[Ticker], settings: Settings, out: TextIO, err: TextIO) -> int:
    from scheduler.runner import TurnKind
    from tickerwatch import service

    failed = 0
    progress = Progress(len(tickers), err)
    async with service.open_polling(settings) as polling:

        async def one(ticker: Ticker) -> tuple[Ticker, PollTurn]:
            return ticker, await polling.runner.run(ticker.id, None)

        for finished in asyncio.as_completed([one(t) for t in tickers]):
            ticker, turn = await finished
            if turn.kind is not TurnKind.POLLED or (turn.report and turn.report.failed):
                failed += 1
            if progress.live:
                err.write("\r\x1b[K")
            print(describe(ticker, turn), file=out, flush=True)
            progress.step()
    progress.close()
    return 1 if failed else 0


def _cmd_poll(args: argparse.Namespace, settings: Settings) -> int:
    if not args.all and not args.ids:
        return fail("name tickers to poll (IDs) or --all", 2)
    store = bootstrap.store_for(settings)
    try:
        if args.all:
            tickers = [t for t in store.list() if not t.paused]
        else:
            tickers = [store.get(TickerId(i)) for i in args.ids]
    except TickerNotFound as error:
        return fail(str(error))
    finally:
        store.close()
    if not tickers:
        print("nothing to poll: no active tickers")
        return 0
    with _said_once():
        return asyncio.run(_poll(tickers, settings, sys.stdout, sys.stderr))


# The loggers whose lines report one poll: its outcome and changes, its parse health,
# and why its page could not be read or stored. ``run`` has nothing else to say it.
POLL_REPORTERS = ("scheduler.runner", "tickerwatch.polling")


@contextlib.contextmanager
def _said_once() -> Iterator[None]:
    """While ``poll`` runs, its result lines are the report of each poll: the log lines
    that say the same again (INFO and WARNING) are held back. Errors still show, and at
    log level DEBUG everything does, for whoever is digging."""
    loggers = [logging.getLogger(name) for name in POLL_REPORTERS]
    before = [logger.level for logger in loggers]
    try:
        for logger in loggers:
            if logger.getEffectiveLevel() > logging.DEBUG:
                logger.setLevel(logging.ERROR)
        yield
    finally:
        for logger, level in zip(loggers, before, strict=True):
            logger.setLevel(level)


def gather_status(settings: Settings, *, now: datetime) -> list[TickerStatus]:
    store = bootstrap.store_for(settings)
    policy = settings.scheduler.cadence()
    try:
        rows = []
        health = {event.ticker_id: event for event in store.parse_health()}
        for ticker in store.list():
            last = store.polls(ticker.id, limit=1)
            entries = store.stats(ticker.id).entries
            rows.append(
                ticker_status(
                    ticker,
                    last[0] if last else None,
                    entries,
                    policy,
                    now=now,
                    health=health.get(ticker.id),
                )
            )
        return rows
    finally:
        store.close()


def _cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    now = utc_now()
    rows = gather_status(settings, now=now)
    if args.json:
        json.dump([status_as_json(r) for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not rows:
        print("no tickers yet: tickerwatch add URL")
    for row in rows:
        print("\n".join(status_lines(row, now=now)))
    if lines := alert_status(settings):
        print("\n".join(lines))
    return 0


def alert_status(settings: Settings) -> list[str]:
    """The alert sinks' part of ``status``: totals, then sinks that need a person."""
    store, alerts = alerting.open_stores(settings)
    try:
        return attention_lines(alerts.subscriptions(), alerts.counts())
    finally:
        alerts.close()
        store.close()


# What ``run`` and ``worker`` let finish when they are told to stop.
FINISHING = "the polls and alert sends in flight"


async def _serve(services: Sequence[service.Service]) -> None:
    from tickerwatch import service

    stop = asyncio.Event()
    with service.stop_on_signals(stop, finishing=FINISHING):
        await service.serve(services, stop)


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    import web
    from tickerwatch import service
    from tickerwatch.metrics import Metrics

    metrics = Metrics()
    sock = None
    if not args.no_web:
        try:
            sock = web.bind(settings.web.host, settings.web.port)
        except OSError as error:
            return fail(
                f"cannot serve the web UI on {settings.web.host}:{settings.web.port}: "
                f"{error.strerror or error} (set [web] port, or --no-web)"
            )
    # One database, one connection pool, for polling, delivery and the web UI.
    with bootstrap.database_for(settings) as database:
        services: list[service.Service] = [
            partial(service.run_scheduler, settings, metrics=metrics, database=database),
            partial(alerting.run_alerts, settings, metrics=metrics, database=database),
        ]
        if sock is not None:
            services.append(
                partial(service.run_web, settings, sock=sock, metrics=metrics, database=database)
            )
        asyncio.run(_serve(services))
    return 0


def _cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from scheduler.cluster import NotPostgres, conninfo
    from tickerwatch import service
    from tickerwatch.metrics import Metrics

    try:
        conninfo(settings.storage.resolved_url())
    except NotPostgres as error:
        return fail(str(error), 2)
    # Workers deliver alerts too: deliveries are claimed under leases, so any number of
    # processes share the queue without sending one twice.
    metrics = Metrics()
    with bootstrap.database_for(settings) as database:
        asyncio.run(
            _serve(
                [
                    partial(service.run_worker, settings, metrics=metrics, database=database),
                    partial(alerting.run_alerts, settings, metrics=metrics, database=database),
                ]
            )
        )
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    poll = commands.add_parser(
        "poll",
        help="poll tickers once, now",
        description="Poll tickers once, now, and print each outcome and its number of "
        "changes. Exits 1 when a poll failed.",
    )
    poll.add_argument("ids", type=values.row_id, nargs="*", metavar="ID", help="tickers to poll")
    poll.add_argument("--all", action="store_true", help="every ticker that is not paused")
    poll.set_defaults(handler=_cmd_poll)

    status = commands.add_parser("status", help="last and next poll, errors and circuit per ticker")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_cmd_status)

    run = commands.add_parser(
        "run",
        help="poll every ticker on its schedule, deliver alerts and serve the web UI, in "
        "this process (SIGINT/SIGTERM stop it)",
    )
    run.add_argument("--no-web", action="store_true", help="do not serve the web UI")
    run.set_defaults(handler=_cmd_run)

    worker = commands.add_parser(
        "worker",
        help="one of several worker processes sharing a PostgreSQL database: polls and "
        "delivers alerts",
    )
    worker.set_defaults(handler=_cmd_worker)
