"""A page cut short by the server reports no change (issue 12, item 7).

A loopback server serves a real ticker page whole, then cut (to a third with a matching
``Content-Length``, or inside an entry's text as a chunked body that ends properly),
then whole again. The fetch of the cut page looks complete; before the cut was
recognized it read as one ``edited`` entry (alerted) and the entries after the cut
paged out. Now the poll is recorded as failed with its reason and its body, alerts
nobody, and the next whole page reports exactly what it reports without the cut.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from diffing.model import Change, ChangeKind, PollOutcome
from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from ingest.parse import parse_page
from storage import MemoryStore, NewTicker, Store
from storage.model import Ticker
from tests.fetching.server import LoopbackServer, Reply
from tests.paths import CORPUS, EVAL
from tests.support.clock import SetClock
from tickerwatch.cli import main
from tickerwatch.polling import PollReport, poll_once

HTML = {"Content-Type": "text/html; charset=utf-8"}
START = datetime(2026, 4, 23, 8, 0, tzinfo=UTC)
POLICY = FetchPolicy(allow_private_addresses=True, min_host_interval_s=0, retries=0)
BUSY = EVAL / "dev" / "ippen-busy"
# Two real pages, read whole by three layouts between them, and a case's two versions.
REAL = {
    "nzz": CORPUS / "nzz" / "israel-gaza-live-ticker-2024-07-18.html",
    "guardian": CORPUS / "guardian" / "russia-ukraine-war-live-2023-05-15.html",
}


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    loopback = LoopbackServer()
    loopback.start()
    yield loopback
    loopback.stop()
    assert loopback.errors == []


def poll_in_turn(
    store: Store, server: LoopbackServer, replies: list[Reply]
) -> tuple[list[PollReport], list[int]]:
    """Poll one ticker once per reply, five minutes apart, over HTTP: the reports, and
    the ticker's error streak after each poll."""
    server.routes["/live"] = replies
    clock = SetClock(START)
    ticker = store.add(NewTicker(server.url("/live"), "Live"), created_at=clock())
    streaks: list[int] = []

    async def run() -> list[PollReport]:
        reports = []
        async with make_client(POLICY) as client:
            fetcher = HttpFetcher(client, POLICY, clock=clock)
            for _ in replies:
                reports.append(await poll_once(ticker, fetcher=fetcher, store=store, clock=clock))
                streaks.append(store.get(ticker.id).error_streak)
                clock.now += timedelta(minutes=5)
        return reports

    return asyncio.run(run()), streaks


def kinds(changes: tuple[Change, ...]) -> Counter[str]:
    return Counter(c.kind.value for c in changes)


def summary(changes: tuple[Change, ...]) -> Counter[tuple[str, str | None, str | None]]:
    """The changes as a reader sees them: kind, and the entry's text before and after."""
    return Counter(
        (
            c.kind.value,
            c.previous.text if c.previous else None,
            c.current.text if c.current else None,
        )
        for c in changes
    )


def assert_recorded_as_cut(store: Store, ticker: Ticker, report: PollReport, body: bytes) -> None:
    assert report.outcome is PollOutcome.FAILED
    assert report.changes == ()
    assert report.health is None
    assert report.error is not None
    assert report.error.startswith("page incomplete: ")
    stored = {p.id: p for p in store.polls(ticker.id, limit=10)}[report.poll_id]
    assert (stored.outcome, stored.error) == (PollOutcome.FAILED, report.error)
    # Kept for replay and explain; a failure, so the error streak and the cadence count it.
    assert report.failed
    assert stored.body_sha256 == hashlib.sha256(body).hexdigest()
    assert store.raw_body(stored.body_sha256) == body


def only_ticker(store: Store) -> Ticker:
    [ticker] = store.list()
    return ticker


@pytest.mark.parametrize("name", list(REAL))
def test_a_real_page_cut_to_a_third_with_its_length_reports_nothing(
    store: Store, server: LoopbackServer, name: str
) -> None:
    page = REAL[name].read_bytes()
    cut = page[: len(page) // 3]  # the server sets a Content-Length that matches
    (first, during, after), streaks = poll_in_turn(
        store, server, [Reply(200, HTML, page), Reply(200, HTML, cut), Reply(200, HTML, page)]
    )
    assert streaks == [0, 1, 0]
    assert first.outcome is PollOutcome.FRESH
    assert first.entries
    assert_recorded_as_cut(store, only_ticker(store), during, cut)
    assert after.outcome is PollOutcome.UNCHANGED
    assert after.changes == ()
    ticker = only_ticker(store)
    # Only the first poll's entries, ever: nothing edited, paged out or removed.
    stored = store.changes(ticker.id, limit=1000)
    assert Counter(c.kind for c in stored) == {ChangeKind.ADDED: first.entries}


def test_a_cut_page_between_two_versions_changes_nothing_that_follows(
    store: Store, server: LoopbackServer
) -> None:
    before, later = (BUSY / "0030.html").read_bytes(), (BUSY / "0031.html").read_bytes()
    cut = later[: len(later) // 3]
    etag = {**HTML, "ETag": '"cut"'}
    replies = [Reply(200, HTML, before), Reply(200, etag, cut), Reply(200, HTML, later)]
    (_, during, after), streaks = poll_in_turn(store, server, replies)
    assert streaks == [0, 1, 0]
    assert_recorded_as_cut(store, only_ticker(store), during, cut)
    # The cut page's validators were not kept: the next fetch asked for the whole page.
    assert "if-none-match" not in server.seen[-1].headers
    # What the whole page reports is what it reports without the cut in between.
    unbroken = LoopbackServer()
    unbroken.start()
    try:
        expected = poll_in_turn(
            MemoryStore(), unbroken, [Reply(200, HTML, before), Reply(200, HTML, later)]
        )[0][-1]
    finally:
        unbroken.stop()
    assert expected.changes
    assert after.outcome is expected.outcome is PollOutcome.FRESH
    assert summary(after.changes) == summary(expected.changes)
    # No restoration of what the cut page seemed to drop, no second edit of its last entry.
    assert ChangeKind.RESTORED not in {c.kind for c in after.changes}


def test_a_chunked_page_cut_inside_an_entry_reports_nothing(
    store: Store, server: LoopbackServer
) -> None:
    page = (BUSY / "0030.html").read_bytes()
    entries = parse_page(page, url="https://example.org/live", observed_at=START).entries
    # In the middle of the text of the fifth entry: the rest of the page never comes.
    words = entries[4].text.split()
    at = page.index(" ".join(words[:3]).encode()) + len(" ".join(words[:3]))
    chunks = [page[i : min(i + 1000, at)] for i in range(0, at, 1000)]  # no Content-Length
    replies = [Reply(200, HTML, page), Reply(200, HTML, chunks=chunks), Reply(200, HTML, page)]
    (first, during, after), streaks = poll_in_turn(store, server, replies)
    assert streaks == [0, 1, 0]
    assert "content-length" not in server.seen[1].headers
    assert first.outcome is PollOutcome.FRESH
    assert_recorded_as_cut(store, only_ticker(store), during, page[:at])
    assert during.error == "page incomplete: ends in the middle of text"
    assert (after.outcome, after.changes) == (PollOutcome.UNCHANGED, ())
    # Alerts: the first page's entries, and nothing since.
    assert kinds(first.changes) == {"added": len(entries)}
    assert Counter(c.kind for c in store.outbox(limit=1000)) == {ChangeKind.ADDED: len(entries)}


def test_parse_says_a_saved_page_is_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    page = (BUSY / "0030.html").read_bytes()
    saved = tmp_path / "cut.html"
    saved.write_bytes(page[: len(page) // 3])
    assert main(["parse", str(saved), "--json"]) == 0
    read = json.loads(capsys.readouterr().out)
    assert read["incomplete"] == "ends in the middle of text"
    assert read["entries"]  # read all the same: ``parse`` shows what the page holds
    assert main(["parse", str(saved)]) == 0
    assert "warning: page incomplete: ends in the middle of text" in capsys.readouterr().err
