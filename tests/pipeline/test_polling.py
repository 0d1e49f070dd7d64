"""poll_once: fetch → parse → match → store, on the in-memory and the SQLite store."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from diffing.model import ChangeKind, PollOutcome
from ingest.fetching.memory import MemoryFetcher
from ingest.fetching.model import FetchOutcome
from storage import NewTicker, Store
from storage.model import Ticker
from tests.paths import EVAL
from tests.support.clock import SetClock
from tests.support.crafted import EXPECTED, SELECTORS, crafted_page
from tickerwatch.polling import PollReport, poll_once

URL = "https://www.beispiel-zeitung.test/politik/gipfel-live-ticker-zr-101.html"
CASE = EVAL / "dev" / "ippen-busy"


@pytest.fixture
def clock() -> SetClock:
    return SetClock(datetime(2026, 4, 23, 8, 6, tzinfo=UTC))


@pytest.fixture
def fetcher(clock: SetClock) -> MemoryFetcher:
    return MemoryFetcher(clock=clock)


@pytest.fixture
def ticker(store: Store, clock: SetClock) -> Ticker:
    return store.add(NewTicker(URL, "Gipfel"), created_at=clock())


def poll(ticker: Ticker, store: Store, fetcher: MemoryFetcher, clock: SetClock) -> PollReport:
    report = asyncio.run(poll_once(ticker, fetcher=fetcher, store=store, clock=clock))
    clock.advance()
    return report


def snapshot(name: str) -> bytes:
    return (CASE / name).read_bytes()


def test_first_poll_adds_every_entry(
    ticker: Ticker, store: Store, fetcher: MemoryFetcher, clock: SetClock
) -> None:
    fetcher.publish(URL, snapshot("0001.html"))
    report = poll(ticker, store, fetcher, clock)
    assert report.outcome is PollOutcome.FRESH
    assert report.entries
    assert report.entries > 0
    assert [c.kind for c in report.changes] == [ChangeKind.ADDED] * report.entries
    assert store.stats(ticker.id).snapshots == 1


def test_not_modified_is_a_poll_row_only(
    ticker: Ticker, store: Store, fetcher: MemoryFetcher, clock: SetClock
) -> None:
    validators = fetcher.publish(URL, snapshot("0001.html"))
    poll(ticker, store, fetcher, clock)
    report = poll(ticker, store, fetcher, clock)
    assert fetcher.requests[1].validators == validators  # the ETag went back as If-None-Match
    assert report.outcome is PollOutcome.UNCHANGED
    assert report.http_status == 304
    assert report.changes == ()
    stats = store.stats(ticker.id)
    assert (stats.polls, stats.snapshots) == (2, 1)


def test_byte_identical_body_is_not_a_new_snapshot(
    ticker: Ticker, store: Store, fetcher: MemoryFetcher, clock: SetClock
) -> None:
    fetcher.publish(URL, snapshot("0001.html"))
    poll(ticker, store, fetcher, clock)
    fetcher.publish(URL, snapshot("0001.html"))  # new ETag, same bytes
    report = poll(ticker, store, fetcher, clock)
    assert report.outcome is PollOutcome.UNCHANGED
    assert report.page is None  # judged by its hash, not parsed
    stats = store.stats(ticker.id)
    assert (stats.polls, stats.snapshots, stats.bodies) == (2, 1, 1)


def test_failed_fetch_is_recorded_and_counted(
    ticker: Ticker, store: Store, fetcher: MemoryFetcher, clock: SetClock
) -> None:
    fetcher.publish(URL, snapshot("0001.html"))
    poll(ticker, store, fetcher, clock)
    fetcher.fail_next(URL, FetchOutcome.TIMEOUT, "read timed out")
    fetcher.fail_next(URL, FetchOutcome.HTTP_ERROR, "HTTP 503", http_status=503, retry_after_s=60)
    first = poll(ticker, store, fetcher, clock)
    second = poll(ticker, store, fetcher, clock)
    assert (first.outcome, first.error) == (FetchOutcome.TIMEOUT, "read timed out")
    assert second.failed
    assert second.retry_after_s == 60
    assert store.get(ticker.id).error_streak == 2
    latest = store.polls(ticker.id, limit=1)[0]
    assert (latest.outcome, latest.http_status) == (FetchOutcome.HTTP_ERROR, 503)
    # The next good poll resets the streak and reports only what changed.
    fetcher.publish(URL, snapshot("0002.html"))
    report = poll(ticker, store, fetcher, clock)
    assert report.outcome is PollOutcome.FRESH
    assert store.get(ticker.id).error_streak == 0


def test_a_vanished_page_is_a_failure_not_a_mass_removal(
    ticker: Ticker, store: Store, fetcher: MemoryFetcher, clock: SetClock
) -> None:
    fetcher.publish(URL, snapshot("0001.html"))
    first = poll(ticker, store, fetcher, clock)
    fetcher.remove(URL)
    gone = poll(ticker, store, fetcher, clock)
    assert gone.outcome is FetchOutcome.HTTP_ERROR
    assert gone.changes == ()
    view = store.ticker_as_of(ticker.id, clock())
    assert len(view.entries) == first.entries


def test_consent_wall_is_recorded_without_events(
    ticker: Ticker, store: Store, fetcher: MemoryFetcher, clock: SetClock
) -> None:
    fetcher.publish(URL, snapshot("0001.html"))
    poll(ticker, store, fetcher, clock)
    wall = (
        b"<html><head><title>Zustimmung</title></head><body><h1>Wir brauchen Ihre Zustimmung"
        b"</h1><p>Wir und unsere Partner verwenden Cookies. Alle akzeptieren</p></body></html>"
    )
    fetcher.publish(URL, wall)
    report = poll(ticker, store, fetcher, clock)
    assert report.outcome is PollOutcome.NOT_A_TICKER
    assert report.changes == ()
    assert report.error  # the reason, in words


def test_polls_follow_the_case(
    ticker: Ticker, store: Store, fetcher: MemoryFetcher, clock: SetClock
) -> None:
    kinds: list[ChangeKind] = []
    for name in ("0001.html", "0002.html", "0003.html"):
        fetcher.publish(URL, snapshot(name))
        report = poll(ticker, store, fetcher, clock)
        assert report.outcome is PollOutcome.FRESH
        kinds.extend(c.kind for c in report.changes)
    changes = store.changes(ticker.id, limit=1000)
    assert sorted(c.kind.value for c in changes) == sorted(k.value for k in kinds)


def test_a_ticker_with_selectors_is_read_with_them(
    store: Store, fetcher: MemoryFetcher, clock: SetClock
) -> None:
    url = "https://www.example.test/budget-live"
    plain = store.add(NewTicker(url, "Budget"), created_at=clock())
    fetcher.publish(url, crafted_page(), content_type="text/html; charset=utf-8")
    assert poll(plain, store, fetcher, clock).entries == 0
    chosen = store.set_selectors(plain.id, SELECTORS)
    fetcher.publish(url, crafted_page() + b"\n", content_type="text/html; charset=utf-8")
    report = poll(chosen, store, fetcher, clock)
    assert report.page is not None
    assert report.page.layout == "selectors"
    assert [(e.time, e.headline, e.text, e.native_id) for e in report.page.entries] == EXPECTED
    assert [c.kind for c in report.changes] == [ChangeKind.ADDED] * 3
