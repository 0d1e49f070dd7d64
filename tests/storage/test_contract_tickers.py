"""The storage contract, tickers: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.fetching.model import FetchOutcome
from ingest.model import EntrySelectors
from storage import (
    BodyNotFound,
    DuplicateTicker,
    EntryNotFound,
    InvalidValue,
    NewTicker,
    PollRecord,
    Store,
    TickerId,
    TickerNotFound,
)
from tests.storage.builders import (
    B2,
    CREATED,
    KEEP,
    START,
    A,
    Feed,
    body_of,
    entry_id,
    page,
    sha,
    story,
)


def test_tickers_round_trip(store: Store) -> None:
    next_poll = datetime(2026, 4, 23, 12, 5, tzinfo=timezone(timedelta(hours=2)))
    first = store.add(
        NewTicker(
            "https://www.example.test/live/a",
            "Gipfel-Ticker „Wladiwostok“",
            interval_seconds=120,
            zone="Europe/Berlin",
            profile="sports.fr",
            tags=("politik", "ausland"),
            next_poll_at=next_poll,
        ),
        created_at=CREATED,
    )
    second = store.add(NewTicker("https://www.example.test/live/b", "B"), created_at=CREATED)

    assert store.get(first.id) == first
    assert store.list() == (first, second)
    assert first.id != second.id
    assert (first.name, first.zone, first.profile) == (
        "Gipfel-Ticker „Wladiwostok“",
        "Europe/Berlin",
        "sports.fr",
    )
    assert (first.interval_seconds, first.tags, first.paused) == (
        120,
        ("politik", "ausland"),
        False,
    )
    assert first.created_at == CREATED
    assert first.created_at.utcoffset() == timedelta(0)
    assert first.next_poll_at == next_poll
    assert first.error_streak == 0
    assert second.next_poll_at is None


def test_a_url_is_watched_once(store: Store) -> None:
    store.add(NewTicker("https://www.example.test/live/a", "A"), created_at=CREATED)
    with pytest.raises(DuplicateTicker):
        store.add(NewTicker("https://www.example.test/live/a", "again"), created_at=CREATED)


def test_ticker_updates(store: Store) -> None:
    ticker = store.add(NewTicker("https://www.example.test/live/a", "A"), created_at=CREATED)
    at = datetime(2026, 4, 23, 12, 5, tzinfo=UTC)

    assert store.set_paused(ticker.id, True).paused
    assert store.set_interval(ticker.id, 60).interval_seconds == 60
    assert store.set_next_poll_at(ticker.id, at).next_poll_at == at
    assert store.get(ticker.id) == replace(
        ticker, paused=True, interval_seconds=60, next_poll_at=at
    )
    assert store.set_next_poll_at(ticker.id, None).next_poll_at is None
    with pytest.raises(InvalidValue):
        store.set_interval(ticker.id, 0)
    with pytest.raises(InvalidValue):
        store.set_next_poll_at(ticker.id, datetime(2026, 4, 23, 12, 5))  # noqa: DTZ001
    with pytest.raises(InvalidValue):
        store.add(NewTicker("https://www.example.test/x\x00", "nul"), created_at=CREATED)


def test_one_poll_claim_at_a_time(store: Store) -> None:
    ticker = store.add(NewTicker("https://www.example.test/live/a", "A"), created_at=CREATED)
    until = START + timedelta(minutes=2)
    assert store.claim_poll(ticker.id, token="service", now=START, until=until)
    assert not store.claim_poll(ticker.id, token="manual", now=START, until=until)
    # Another token's release leaves the claim; the holder's ends it.
    store.set_next_poll_at(ticker.id, until, release="manual")
    assert not store.claim_poll(ticker.id, token="manual", now=START, until=until)
    assert store.set_next_poll_at(ticker.id, until, release="service").next_poll_at == until
    assert store.claim_poll(ticker.id, token="manual", now=START, until=until)
    # A holder that died leaves a claim that expires.
    assert not store.claim_poll(
        ticker.id,
        token="service",
        now=until - timedelta(seconds=1),
        until=until + timedelta(minutes=2),
    )
    assert store.claim_poll(
        ticker.id, token="service", now=until, until=until + timedelta(minutes=2)
    )
    with pytest.raises(InvalidValue):
        store.claim_poll(ticker.id, token="x", now=datetime(2026, 4, 23), until=until)  # noqa: DTZ001


def test_concurrent_poll_claims_have_one_winner(store: Store) -> None:
    ticker = store.add(NewTicker("https://www.example.test/live/a", "A"), created_at=CREATED)
    until = START + timedelta(minutes=2)
    barrier = threading.Barrier(8)

    def claim(n: int) -> bool:
        barrier.wait()
        return store.claim_poll(ticker.id, token=f"worker-{n}", now=START, until=until)

    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(claim, range(8)))
    assert won.count(True) == 1


def test_ticker_name_tags_and_robots_override(store: Store) -> None:
    ticker = store.add(
        NewTicker("https://www.example.test/live/a", "A", robots_override="our own site"),
        created_at=CREATED,
    )
    assert ticker.robots_override == "our own site"
    assert store.rename(ticker.id, "Gipfel „live“").name == "Gipfel „live“"
    assert store.set_tags(ticker.id, ["politik", "ausland"]).tags == ("politik", "ausland")
    assert store.set_robots_override(ticker.id, None).robots_override is None
    assert store.get(ticker.id) == replace(
        ticker, name="Gipfel „live“", tags=("politik", "ausland"), robots_override=None
    )
    for bad in (
        lambda: store.rename(ticker.id, "  "),
        lambda: store.set_tags(ticker.id, ["ok", ""]),
        lambda: store.set_robots_override(ticker.id, " "),
        lambda: store.add(
            NewTicker("https://www.example.test/live/b", "B", robots_override=""),
            created_at=CREATED,
        ),
    ):
        with pytest.raises(InvalidValue):
            bad()
    assert store.get(ticker.id).name == "Gipfel „live“"


def test_ticker_selectors(store: Store) -> None:
    selectors = EntrySelectors(
        entry="section.feed > div[data-k]",
        time="i[data-ts]",
        headline="b „Titel“",
        native_id="@data-k",
    )
    ticker = store.add(
        NewTicker("https://www.example.test/live/a", "A", selectors=selectors),
        created_at=CREATED,
    )
    plain = store.add(NewTicker("https://www.example.test/live/b", "B"), created_at=CREATED)
    assert ticker.selectors == selectors
    assert store.get(ticker.id).selectors == selectors
    assert plain.selectors is None
    only_entry = EntrySelectors(entry="li.update")
    assert store.set_selectors(plain.id, only_entry).selectors == only_entry
    assert store.set_selectors(ticker.id, None).selectors is None
    assert store.list() == (replace(ticker, selectors=None), replace(plain, selectors=only_entry))
    for bad in (
        lambda: store.set_selectors(plain.id, EntrySelectors(entry=" ")),
        lambda: store.set_selectors(plain.id, EntrySelectors(entry="li", body="p\x00")),
        lambda: store.add(
            NewTicker("https://www.example.test/live/c", "C", selectors=EntrySelectors(entry="")),
            created_at=CREATED,
        ),
    ):
        with pytest.raises(InvalidValue):
            bad()
    assert store.get(plain.id).selectors == only_entry
    with pytest.raises(TickerNotFound):
        store.set_selectors(TickerId(999), None)


def test_unknown_ticker(store: Store) -> None:
    unknown = TickerId(4711)
    record = PollRecord(unknown, START, 1, FetchOutcome.TIMEOUT)
    calls: list[Callable[[], object]] = [
        lambda: store.get(unknown),
        lambda: store.set_paused(unknown, True),
        lambda: store.set_interval(unknown, 60),
        lambda: store.set_next_poll_at(unknown, None),
        lambda: store.claim_poll(unknown, token="t", now=START, until=START),
        lambda: store.rename(unknown, "x"),
        lambda: store.set_tags(unknown, []),
        lambda: store.set_robots_override(unknown, None),
        lambda: store.remove(unknown),
        lambda: store.previous_state(unknown, keep_removed_for=KEEP),
        lambda: store.record_poll(record, None, None, None),
        lambda: store.ticker_as_of(unknown, START),
        lambda: store.changes(unknown),
        lambda: store.polls(unknown),
        lambda: store.stats(unknown),
    ]
    for call in calls:
        with pytest.raises(TickerNotFound):
            call()
    with pytest.raises(EntryNotFound):
        store.entry_history("0123456789abcdef")
    with pytest.raises(BodyNotFound):
        store.raw_body("0" * 64)


def test_remove_deletes_the_ticker_and_its_bodies_no_one_else_has(store: Store) -> None:
    feed = story(store)
    other = Feed(store, "ticker-2", now=START + timedelta(hours=2))
    other.poll(A, body=feed.last_body)  # a body both tickers have
    gone = entry_id(feed, B2.text)

    store.remove(feed.ticker_id)

    assert store.list() == (store.get(other.ticker_id),)
    with pytest.raises(TickerNotFound):
        store.get(feed.ticker_id)
    with pytest.raises(EntryNotFound):
        store.entry_history(gone)
    with pytest.raises(BodyNotFound):
        store.raw_body(sha(body_of(page(A, url=feed.url, at=START))))
    assert feed.last_body is not None
    assert store.raw_body(sha(feed.last_body)) == feed.last_body
    assert store.stats(other.ticker_id).changes == 1
