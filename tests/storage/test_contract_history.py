"""The storage contract, reading the past: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import pytest

from diffing.model import (
    ChangeKind,
    EntryStatus,
    EntryVersion,
    Field,
)
from ingest.model import TimeSource
from storage import (
    InvalidValue,
    Store,
)
from tests.storage.builders import (
    B2,
    HEADLINE,
    RETITLED,
    A,
    B,
    C,
    D,
    clock,
    entry_id,
    story,
)


def test_as_of_shows_each_entry_as_it_was_then(store: Store) -> None:
    feed = story(store)
    a, b, c, d = (entry_id(feed, e.text) for e in (A, B2, C, D))

    def shown(hhmm: str) -> list[tuple[str, str]]:
        view = store.ticker_as_of(feed.ticker_id, clock(hhmm))
        return [(e.entry_id, e.revision.version.text) for e in view.entries]

    assert store.ticker_as_of(feed.ticker_id, clock("11:59")).entries == ()
    assert shown("12:00") == [(a, A.text)]
    assert shown("12:15") == [(b, B.text), (a, A.text)]  # before the edit
    assert shown("12:20") == [(b, B2.text), (a, A.text)]  # after it
    assert shown("12:45") == [(c, C.text), (a, A.text)]  # B removed
    assert shown("12:55") == [(d, D.text), (c, C.text), (b, B2.text), (a, A.text)]  # restored

    view = store.ticker_as_of(feed.ticker_id, clock("12:29"))
    assert view.page_headline == HEADLINE
    assert view.observed_at == clock("12:20")
    assert [e.position for e in view.entries] == [0, 1]
    assert view.entries[0].first_seen == clock("12:10")
    assert view.entries[0].revision.observed_at == clock("12:20")
    assert store.ticker_as_of(feed.ticker_id, clock("12:30")).page_headline == RETITLED


def test_as_of_ignores_stale_and_broken_pages(store: Store) -> None:
    feed = story(store)
    feed.poll(C, B2, A, headline=RETITLED)  # an old body: stale (13:00)
    feed.poll(headline=None, not_a_ticker="error page", body=b"<html>503</html>")  # 13:10
    view = store.ticker_as_of(feed.ticker_id, clock("13:15"))
    assert view.observed_at == clock("12:50")
    assert len(view.entries) == 4


def test_entry_history(store: Store) -> None:
    feed = story(store)
    b = entry_id(feed, B2.text)
    history = store.entry_history(b)

    assert history.ticker_id == feed.ticker_id
    assert (history.first_seen, history.last_seen) == (clock("12:10"), clock("12:50"))
    assert (history.status, history.position) == (EntryStatus.LIVE, 2)
    assert [r.version.text for r in history.revisions] == [B.text, B2.text]
    assert [r.observed_at for r in history.revisions] == [clock("12:10"), clock("12:20")]
    first, second = history.revisions
    assert first.version == EntryVersion(
        text=B.text,
        headline="Ankunft",
        time=clock("12:05"),
        time_label="12:05",
        time_source=TimeSource.LABEL,
        html=f"<p>{B.text}</p>",
    )
    kinds = [c.kind for c in history.changes]
    assert kinds == [ChangeKind.ADDED, ChangeKind.EDITED, ChangeKind.REMOVED, ChangeKind.RESTORED]
    added, edited, removed, restored = history.changes
    assert (added.previous, added.current) == (None, first)
    assert (edited.previous, edited.current) == (first, second)
    assert edited.changed == (Field.TEXT,)
    assert edited.similarity is not None
    assert 0 < edited.similarity < 1
    assert any(op.op != "equal" and "späten" in op.new for op in edited.word_ops)
    assert (removed.previous, removed.current) == (second, None)
    assert (restored.previous, restored.current) == (second, second)
    assert [c.observed_at for c in history.changes] == [
        clock("12:10"),
        clock("12:20"),
        clock("12:40"),
        clock("12:50"),
    ]
    assert len({c.poll_id for c in history.changes}) == 4


def test_changes_newest_first_with_filters(store: Store) -> None:
    feed = story(store)
    everything = store.changes(feed.ticker_id)
    assert [c.kind for c in everything] == [
        ChangeKind.RESTORED,  # 12:50, recorded after ADDED of D
        ChangeKind.ADDED,
        ChangeKind.REMOVED,
        ChangeKind.ADDED,  # 12:30, C; recorded after the page retitle
        ChangeKind.PAGE_RETITLED,
        ChangeKind.EDITED,
        ChangeKind.ADDED,
        ChangeKind.ADDED,
    ]
    retitle = everything[4]
    assert retitle.entry_id is None
    assert (retitle.previous_page_headline, retitle.page_headline) == (HEADLINE, RETITLED)
    assert retitle.previous is None
    assert retitle.current is None

    window = store.changes(feed.ticker_id, since=clock("12:20"), until=clock("12:40"))
    assert [c.observed_at for c in window] == [clock("12:30")] * 2 + [clock("12:20")]
    added = store.changes(feed.ticker_id, kinds={ChangeKind.ADDED})
    assert [c.current.version.text for c in added if c.current] == [D.text, C.text, B.text, A.text]
    assert store.changes(feed.ticker_id, limit=2, offset=1) == everything[1:3]
    assert store.stats(feed.ticker_id).changes == len(everything)
    with pytest.raises(InvalidValue):
        store.changes(feed.ticker_id, limit=-1)
    with pytest.raises(InvalidValue):
        store.polls(feed.ticker_id, offset=-1)


def test_changes_after_is_a_feed_across_tickers(store: Store) -> None:
    feed = story(store)
    everything = store.changes(feed.ticker_id, limit=1000)
    oldest_first = sorted(everything, key=lambda c: c.id)
    assert store.changes_after(0, limit=1000) == tuple(oldest_first)
    cursor = oldest_first[2].id
    assert store.changes_after(cursor, limit=2) == tuple(oldest_first[3:5])
    assert store.changes_after(oldest_first[-1].id) == ()
    with pytest.raises(InvalidValue):
        store.changes_after(0, limit=-1)


def test_changes_by_ids_reads_the_events_that_exist(store: Store) -> None:
    feed = story(store)
    everything = {c.id: c for c in store.changes(feed.ticker_id, limit=1000)}
    chosen = sorted(everything)[1::2]
    assert store.changes_by_ids([*chosen, chosen[0], 10**9]) == {i: everything[i] for i in chosen}
    assert store.changes_by_ids([]) == {}
    store.remove(feed.ticker_id)
    assert store.changes_by_ids(chosen) == {}


def test_outbox_holds_each_alertable_event_until_dispatched(store: Store) -> None:
    feed = story(store)
    alertable = sorted(
        (c for c in store.changes(feed.ticker_id, limit=1000) if c.kind.alerts),
        key=lambda c: c.id,
    )
    assert store.outbox(limit=1000) == tuple(alertable)
    assert store.outbox(limit=2) == tuple(alertable[:2])
    store.mark_dispatched([alertable[0].id, alertable[1].id, 10**9])
    assert store.outbox(limit=1000) == tuple(alertable[2:])
    store.mark_dispatched([c.id for c in alertable])
    assert store.outbox() == ()
    store.mark_dispatched([alertable[0].id])  # twice is harmless


def test_stats(store: Store) -> None:
    feed = story(store)
    stats = store.stats(feed.ticker_id)
    assert (stats.polls, stats.snapshots, stats.bodies) == (6, 6, 6)
    assert (stats.entries, stats.revisions, stats.changes) == (4, 5, 8)
    assert stats.raw_bytes > 0
    assert stats.stored_bytes > 0
    assert stats.compression_ratio == stats.raw_bytes / stats.stored_bytes
