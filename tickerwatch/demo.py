"""The demo: the service watching the bundled Kim–Putin ticker as it evolves on loopback.

:func:`run_demo` starts :class:`~tickerwatch.demo_site.DemoServer` (the twelve saved
polls of the seed ticker, one after another every ``step_s`` seconds, or one per
completed poll with ``advance_on_poll``, which the tests use), a throwaway SQLite
database with that one ticker, and the services of ``tickerwatch run`` (scheduler, web UI)
with settings tuned to the demo's pace; it prints every poll and every change as they
happen and stops once the last version has been polled (unless ``keep_running``).

The console lines come from :func:`poll_lines`, a pure function of a poll turn.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import secrets
import socket
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TextIO

import web
from alerts.alert import SinkKind
from alerts.dispatch import add_sink
from alerts.formatting import KIND_WORDS as ALERT_WORDS
from alerts.formatting.text import cut_words
from alerts.model import NewSubscription
from diffing.model import Change, ChangeKind, PollOutcome
from scheduler.runner import Observer, PollTurn
from storage import sqlite_url
from storage.model import NewTicker
from tickerwatch import alerting, bootstrap, service
from tickerwatch.demo_receiver import LABEL_CHARS, AlertReceiver
from tickerwatch.demo_site import DemoServer, DemoSite, bundled_case
from tickerwatch.metrics import Metrics
from tickerwatch.polling import PollReport
from tickerwatch.settings import Settings

log = logging.getLogger(__name__)

# The alerts' words, in lower case for the middle of a console line, and the one kind
# that is recorded but never alerted.
KIND_WORDS = {kind: word.lower() for kind, word in ALERT_WORDS.items()} | {
    ChangeKind.PAGED_OUT: "paged out"
}
OUTCOME_WORDS = {
    PollOutcome.FRESH: "new version",
    PollOutcome.UNCHANGED: "unchanged",
    PollOutcome.STALE: "stale cache copy: ignored",
    PollOutcome.NOT_A_TICKER: "not a ticker page: ignored",
}


@dataclass(frozen=True, slots=True)
class DemoOptions:
    step_s: float = 4.0  # seconds each saved version stays live
    keep_running: bool = False  # keep serving the UI after the last version
    web: bool = True
    database_url: str | None = None  # None: a temporary SQLite file
    # The site moves to the next version after each completed poll, never on time: what
    # each poll meets no longer depends on the machine's load (the tests). The polls
    # keep their ``step_s / 2`` pace.
    advance_on_poll: bool = False
    alert_wait_s: float = 15.0  # how long the demo waits for the last alerts before it ends


def demo_settings(settings: Settings, *, database_url: str, step_s: float) -> Settings:
    """``settings`` adjusted to a ticker that changes every ``step_s`` seconds on loopback:
    polls twice per step, loopback fetches allowed, this database."""
    interval = step_s / 2
    scheduler = settings.scheduler.model_copy(
        update={
            "min_interval_s": interval,
            "max_interval_s": interval,
            "ended_interval_s": interval,
            "jitter_ratio": 0.05,
            "resync_every_s": max(1, int(step_s)),
        }
    )
    fetch = settings.fetch.model_copy(
        update={"allow_private_addresses": True, "min_host_interval_s": 0.0, "retries": 0}
    )
    storage = settings.storage.model_copy(update={"database_url": database_url})
    return settings.model_copy(update={"scheduler": scheduler, "fetch": fetch, "storage": storage})


def _entry_label(change: Change) -> str:
    if change.kind is ChangeKind.PAGE_RETITLED:
        return f"“{change.page_headline}” (was “{change.previous_page_headline}”)"
    shown = change.current or change.previous
    if shown is None:
        return ""
    time = shown.time_label or (shown.time.strftime("%H:%M") if shown.time else "")
    words = shown.headline or shown.text
    words = cut_words(words, LABEL_CHARS)
    label = f"{time} {words}".strip()
    previous = change.previous
    if change.kind is ChangeKind.RETITLED and previous is not None:
        label += f"  (headline was: {previous.headline or '—'})"
    if change.kind is ChangeKind.EDITED and change.similarity is not None:
        label += f"  (similarity {change.similarity:.2f})"
    return label


def poll_lines(turn: PollTurn, *, version: int, versions: int) -> list[str]:
    """What the console shows for one poll: the outcome, then one line per change."""
    report = turn.report
    if not isinstance(report, PollReport):  # the runner hands back what poll_once returned
        return [f"poll failed: {turn.error}"] if turn.error else []
    at = report.started_at.astimezone().strftime("%H:%M:%S")
    if report.http_status == 304:
        outcome = "304 not modified"
    elif isinstance(report.outcome, PollOutcome) and report.outcome in OUTCOME_WORDS:
        outcome = OUTCOME_WORDS[report.outcome]
    else:
        outcome = f"failed: {report.error or report.outcome}"
    if report.outcome is PollOutcome.FRESH and not report.changes:
        outcome += ": nothing worth an alert"
    lines = [f"{at}  site at version {version:>2}/{versions}  {outcome}"]
    lines += [f"          {KIND_WORDS[c.kind]:<22} {_entry_label(c)}" for c in report.changes]
    return lines


def summary_lines(counts: Counter[ChangeKind], polls: int, alerts: int) -> list[str]:
    kinds = ", ".join(f"{n} {KIND_WORDS[k]}" for k, n in counts.most_common()) or "none"
    return [f"{polls} poll{'' if polls == 1 else 's'}; changes: {kinds}; alerts received: {alerts}"]


class Console:
    """Prints poll turns as they happen and counts what they found; built in the event
    loop whose :meth:`wait_for_alerts` the receiver's thread wakes."""

    def __init__(self, server: DemoServer, out: TextIO, clock: Callable[[], datetime]) -> None:
        self._server = server
        self._site = server.site
        self._out = out
        self._clock = clock
        self._loop = asyncio.get_running_loop()
        self._alerted = asyncio.Event()  # set from the receiver's thread on each alert
        self.counts: Counter[ChangeKind] = Counter()
        self.polls = 0
        self.last_version_polled = False
        self.muted = False  # set once the story is told: the polls that follow change nothing
        self.alerts = 0  # changes shown by the alert sink

    @property
    def alertable(self) -> int:
        """Changes that should reach the alert sink (all but entries paged out)."""
        return sum(n for kind, n in self.counts.items() if kind is not ChangeKind.PAGED_OUT)

    def alert(self, lines: list[str]) -> None:
        """Show what the alert sink received (called from the receiver's thread)."""
        self.alerts += len(lines)
        for line in lines:
            print(
                f"          \N{RIGHTWARDS ARROW} alert received: {line}", file=self._out, flush=True
            )
        # A request still in the receiver's hands when the demo has ended finds the
        # loop closed: nobody waits for it any more.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._alerted.set)

    async def wait_for_alerts(self, timeout_s: float) -> None:
        """Return once every alertable change seen so far was received, or after
        ``timeout_s`` (a lost alert must not hang the demo)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                while self.alerts < self.alertable:
                    self._alerted.clear()
                    if self.alerts < self.alertable:  # one may have come in meanwhile
                        await self._alerted.wait()

    def observe(self, turn: PollTurn) -> None:
        if self.muted or (turn.report is None and turn.error is None):
            return
        served = self._server.last_served
        index = served if served is not None else self._site.index_at(self._clock())
        versions = self._site.versions
        self.polls += turn.report is not None
        if turn.report is not None:
            self.counts.update(c.kind for c in turn.report.changes)
        self.last_version_polled |= index == versions - 1
        for line in poll_lines(turn, version=index + 1, versions=versions):
            print(line, file=self._out, flush=True)


@dataclass
class _Database:
    url: str
    folder: tempfile.TemporaryDirectory[str] | None

    def close(self) -> None:
        if self.folder is not None:
            self.folder.cleanup()


def _database(url: str | None) -> _Database:
    if url is not None:
        return _Database(url, None)
    folder = tempfile.TemporaryDirectory(prefix="tickerwatch-demo-")
    return _Database(sqlite_url(Path(folder.name) / "demo.db"), folder)


async def run_demo(settings: Settings, options: DemoOptions, out: TextIO) -> int:
    """Run the demo until the last version was polled (or until stopped)."""
    case = bundled_case()
    clock = bootstrap.utc_now
    # The console lines tell the story; the services' own INFO lines would drown it.
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.WARNING))
    if options.advance_on_poll:
        site = DemoSite.on_demand(case, start=clock())
    else:
        site = DemoSite(case, step_s=options.step_s, start=clock())
    server = DemoServer(site, clock=clock).start()
    console = Console(server, out, clock)
    observer = _advancing(console.observe, site) if options.advance_on_poll else console.observe
    receiver = AlertReceiver(
        "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode(), console.alert
    ).start()
    database = _database(options.database_url)
    shared: bootstrap.Database | None = None
    try:
        demo = demo_settings(settings, database_url=database.url, step_s=options.step_s)
        sock = _bind(demo) if options.web else None
        ui = "http://{}:{}/".format(*sock.getsockname()[:2]) if sock else None
        if ui:
            demo = demo.model_copy(
                update={"web": demo.web.model_copy(update={"base_url": ui.rstrip("/")})}
            )
        shared = bootstrap.database_for(demo)
        _watch(shared, server.url, receiver, interval_s=options.step_s / 2, now=clock())
        metrics = Metrics()
        services: list[service.Service] = [
            partial(
                service.run_scheduler, demo, metrics=metrics, observer=observer, database=shared
            ),
            partial(alerting.run_alerts, demo, metrics=metrics, database=shared),
            partial(_after_last_version, site, console, options, ui=ui, out=out),
        ]
        if sock is not None:
            services.append(
                partial(service.run_web, demo, sock=sock, metrics=metrics, database=shared)
            )
        pace = "one per poll" if options.advance_on_poll else f"one every {options.step_s:g} s"
        print(
            f"demo: {case.name}, {len(case.snapshots)} saved versions served at {server.url}, "
            f"{pace}",
            file=out,
        )
        print(f"demo: alerts go to a signed webhook receiver at {receiver.url}", file=out)
        if ui:
            print(f"demo: web UI at {ui}", file=out)
        print(file=out, flush=True)
        stop = asyncio.Event()
        with service.stop_on_signals(stop):
            await service.serve(services, stop)
        return 0
    finally:
        # The services have returned (serve waits for all of them): nothing polls or
        # delivers any more when the servers stop and the database goes.
        receiver.stop()
        server.stop()
        if shared is not None:
            shared.close()
        database.close()
        root.setLevel(level)


def _advancing(observe: Observer, site: DemoSite) -> Observer:
    """``observe``, then the site's next version goes live after each turn that polled.
    The scheduler starts a ticker's next turn only after this returns, so each poll
    meets exactly one version more than the last."""

    def observe_then_advance(turn: PollTurn) -> None:
        observe(turn)
        if turn.report is not None:
            site.advance()

    return observe_then_advance


def _watch(
    database: bootstrap.Database,
    url: str,
    receiver: AlertReceiver,
    *,
    interval_s: float,
    now: datetime,
) -> None:
    """Add the demo ticker, and the receiver as a generic-webhook alert sink."""
    store, alerts = database.store(), database.alerts()
    store.add(
        NewTicker(
            url=url,
            name="Kim–Putin summit (demo replay)",
            interval_seconds=max(1, int(interval_s)),
            zone="Europe/Berlin",
        ),
        created_at=now,
    )
    add_sink(
        store,
        alerts,
        NewSubscription(
            kind=SinkKind.WEBHOOK, url=receiver.url, name="demo", secret=receiver.secret
        ),
        now=now,
    )


def _bind(settings: Settings) -> socket.socket:
    """The configured port, or any free one when it is taken (the demo must start)."""
    try:
        return web.bind(settings.web.host, settings.web.port)
    except OSError:
        return web.bind(settings.web.host, 0)


async def _after_last_version(
    site: DemoSite,
    console: Console,
    options: DemoOptions,
    stop: asyncio.Event,
    *,
    ui: str | None,
    out: TextIO,
) -> None:
    """One step after the last version was first polled: stop, or say where to look."""
    while not console.last_version_polled:
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.2)
            return
        except TimeoutError:
            continue
    if not options.advance_on_poll:
        await asyncio.sleep(options.step_s)  # the pace shown: the last version stays a step
    # Alerts are delivered from the outbox a moment after their poll: wait for them.
    await console.wait_for_alerts(options.alert_wait_s)
    console.muted = True
    print(file=out)
    print(
        "\n".join(summary_lines(console.counts, console.polls, console.alerts)),
        file=out,
        flush=True,
    )
    if not options.keep_running:
        stop.set()
        return
    where = f"browse the revisions at {ui} " if ui else ""
    print(f"all {site.versions} versions seen; {where}(Ctrl-C stops)", file=out)
    await stop.wait()
