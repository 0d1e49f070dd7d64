"""Story alerts end to end: a desk of two tickers served on 127.0.0.1, polled by
``poll_once`` into SQLite and filed into stories by the real ``StoryFiler``, its alerts
delivered by the alert worker to a webhook receiver on loopback that was added with
``tickerwatch alerts add webhook URL --kinds competitor_first,we_were_first``.

The competitor reports a quake; our ticker has nothing ten minutes later: one
``competitor_first``, however many polls follow, also after our ticker reports it late
and after a restart. Then we report a strike six minutes before the competitor: one
``we_were_first``, at once. Both tickers' first pages carry old entries only (printed
before the desk's window): no alert for those. No sleeps: the clock is set by hand.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts.sql import SqlAlertStore
from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from storage import SqlStore, create_engine_for
from storage.model import Ticker
from tests.alerts.conftest import FakeClock, Stores, worker_for
from tests.alerts.receiver import Receiver
from tests.fetching.server import LoopbackServer, Reply
from tests.support.clock import SetClock
from tickerwatch.bootstrap import open_database
from tickerwatch.cli import main
from tickerwatch.desking import StoryFiler
from tickerwatch.polling import poll_once

pytestmark = pytest.mark.anyio
T0 = datetime(2026, 4, 23, 10, 0, tzinfo=UTC)
HTML = {"Content-Type": "text/html; charset=utf-8"}
Update = tuple[str, str, datetime]  # headline, text, printed

OLD_RIVAL = ("Wetter: Sonnig und warm, bis zu 24 Grad", "Am Nachmittag scheint die Sonne.")
OLD_OWN = ("Fußball: Pokalfinale ausverkauft", "Alle Karten für das Finale sind vergeben.")
QUAKE_RIVAL = (
    "Erdbeben in Izmir: Mindestens zwölf Tote",
    "Ein Beben der Stärke 6,8 hat die türkische Stadt Izmir erschüttert.",
)
QUAKE_OWN = (
    "Schweres Erdbeben erschüttert Izmir",
    "Mindestens zwölf Menschen kamen in Izmir ums Leben, das Beben hatte Stärke 6,8.",
)
STRIKE_OWN = (
    "Bahnstreik: GDL legt Fernverkehr lahm",
    "Die GDL bestreikt ab Mitternacht den Fernverkehr der Deutschen Bahn.",
)
STRIKE_RIVAL = (
    "GDL-Streik: Fernverkehr der Bahn steht still",
    "Ab Mitternacht bestreikt die GDL den Fernverkehr der Deutschen Bahn.",
)


def _page(*updates: Update) -> bytes:
    posting = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": "Der Tag im Überblick",
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "datePublished": printed.isoformat(),
                "headline": headline,
                "articleBody": text,
            }
            for headline, text, printed in updates
        ],
    }
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Ticker</title>'
        f'<script type="application/ld+json">{json.dumps(posting, ensure_ascii=False)}'
        "</script></head><body><h1>Ticker</h1></body></html>"
    ).encode()


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.start()
    yield server
    server.stop()
    assert server.errors == []


class Desk:
    """The two tickers, polled by one process (its store and filer)."""

    def __init__(self, url: str, site: LoopbackServer, clock: SetClock) -> None:
        self.url, self.site, self.clock = url, site, clock
        self.database = open_database(url)
        self.store: SqlStore = self.database.store()
        self.filer: StoryFiler = self.database.story_filer()
        own, rival = self.store.list()
        self.own: Ticker = own
        self.rival: Ticker = rival

    def close(self) -> None:
        self.database.close()

    async def poll(self, minute: float, *tickers: Ticker) -> None:
        self.clock.now = _at(minute)
        policy = FetchPolicy(
            allow_private_addresses=True, min_host_interval_s=0, retries=0, honour_robots=False
        )
        async with make_client(policy) as client:
            fetcher = HttpFetcher(client, policy, clock=self.clock)
            for ticker in tickers or (self.own, self.rival):
                report = await poll_once(
                    ticker, fetcher=fetcher, store=self.store, clock=self.clock
                )
                self.filer.file(report)

    def story_events(self) -> list[tuple[str, int]]:
        kinds = ("competitor_first", "we_were_first")
        return [
            (c.kind.value, c.ticker_id)
            for t in (self.own, self.rival)
            for c in self.store.changes(t.id, kinds=None)
            if c.kind.value in kinds
        ]


async def _deliver(url: str, receiver: Receiver, clock: SetClock) -> list[dict[str, object]]:
    """Run the alert worker until the outbox and queue are empty; every message received."""
    pair = Stores("sqlite", SqlStore(create_engine_for(url)), SqlAlertStore(create_engine_for(url)))
    try:
        async with worker_for(pair, FakeClock(clock.now)) as worker:
            for _ in range(5):
                await worker.run_round()
    finally:
        pair.alerts.close()
        pair.store.close()
    return [r.json()["data"] for r in receiver.accepted()]


async def test_competitor_first_and_we_were_first_fire_once_each(
    sqlite_db: str,
    site: LoopbackServer,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", sqlite_db)
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
    old = _at(-8 * 60)  # before the desk's six-hour window
    own_updates: list[Update] = [(*OLD_OWN, old)]
    rival_updates: list[Update] = [(*OLD_RIVAL, old)]
    site.routes["/own"] = lambda _: Reply(200, HTML, _page(*own_updates))
    site.routes["/rival"] = lambda _: Reply(200, HTML, _page(*rival_updates))
    hook = receiver.url("/desk")
    kinds = ["--kinds", "competitor_first,we_were_first"]
    # The desk is made just before the first poll on the test's clock: entries first
    # seen before a desk was made never alert.
    monkeypatch.setattr("tickerwatch.commands.desks.utc_now", lambda: _at(-1))
    for command in (
        ["add", site.url("/own"), "--name", "own", "--no-check"],
        ["add", site.url("/rival"), "--name", "rival", "--no-check"],
        ["desk", "add", "Politik", "--own", "1", "--ticker", "2"],
        ["alerts", "add", "webhook", hook, "--desks", "1", *kinds, "--digest-threshold", "0"],
    ):  # the CLI runs its own event loop: in a thread of its own
        assert await asyncio.to_thread(main, command) == 0

    clock = SetClock(T0)
    desk = Desk(sqlite_db, site, clock)
    await desk.poll(0)  # first pages: old entries only
    rival_updates.insert(0, (*QUAKE_RIVAL, _at(1)))
    await desk.poll(2, desk.rival)
    await desk.poll(5)
    await desk.poll(11.9)  # seen at 2: due at 12
    assert desk.story_events() == []
    await desk.poll(12)
    assert desk.story_events() == [("competitor_first", desk.rival.id)]
    for minute in (15, 20):
        await desk.poll(minute)
    own_updates.insert(0, (*QUAKE_OWN, _at(24)))  # ours, 23 minutes late
    await desk.poll(25)
    assert desk.story_events() == [("competitor_first", desk.rival.id)]

    sent = await _deliver(sqlite_db, receiver, clock)
    assert [d["kind"] for d in sent] == ["competitor_first"]
    (first,) = sent
    assert first["title"] == QUAKE_RIVAL[0]
    story = first["story"]
    assert isinstance(story, dict)
    assert story["lead_minutes"] == {"seen": None, "printed": None}  # judged before ours came
    assert "rival has it; our tickers did not 10 min later" in str(story["detail"])
    desk.close()

    # A restart: new process objects on the same file judge every desk again.
    desk = Desk(sqlite_db, site, clock)
    await desk.poll(26)
    assert desk.story_events() == [("competitor_first", desk.rival.id)]
    own_updates.insert(0, (*STRIKE_OWN, _at(27)))
    await desk.poll(28)
    rival_updates.insert(0, (*STRIKE_RIVAL, _at(33)))
    await desk.poll(34)  # the rival's strike is seen 6 minutes after ours
    await desk.poll(60)
    desk.close()
    desk = Desk(sqlite_db, site, clock)
    await desk.poll(61)
    events = desk.story_events()
    desk.close()
    assert sorted(events) == [
        ("competitor_first", desk.rival.id),
        ("we_were_first", desk.rival.id),
    ]

    sent = await _deliver(sqlite_db, receiver, clock)
    assert [d["kind"] for d in sent] == ["competitor_first", "we_were_first"]
    second = sent[1]
    assert second["title"] == STRIKE_RIVAL[0]
    story = second["story"]
    assert isinstance(story, dict)
    assert story["lead_minutes"] == {"seen": 6.0, "printed": 6.0}
    assert "we were first: own 6 min before rival" in str(story["detail"])
