"""The storage contract, recording polls: every adapter (memory, SQLite, PostgreSQL)
passes it. Polls go through the real differ (:class:`tests.storage.builders.Feed`); after
each, the stored state must equal the state :func:`diffing.advance` folds from the same
diffs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from diffing import diff
from diffing.model import (
    Change,
    ChangeKind,
    Diff,
    EntryStatus,
    EntryVersion,
    HealthKind,
    Placement,
    PollOutcome,
    TickerState,
)
from ingest.fetching.model import FetchOutcome
from ingest.model import TimeSource
from storage import (
    BodyNotFound,
    InvalidValue,
    PollRecord,
    Store,
)
from tests.storage.builders import (
    B2,
    KEEP,
    RETITLED,
    START,
    A,
    B,
    C,
    D,
    Feed,
    assert_same_state,
    body_of,
    clock,
    entry_id,
    page,
    sha,
    story,
)


def test_first_poll_starts_from_an_empty_state(store: Store) -> None:
    feed = Feed(store)
    assert feed.state() == TickerState()


def test_state_follows_what_the_differ_folds(store: Store) -> None:
    feed = Feed(store)
    steps = [
        ((A,), {}),
        ((B, A), {}),
        ((B2, A), {}),
        ((C, B2, A), {"headline": RETITLED}),
        ((C, A), {"headline": RETITLED}),
        ((D, C, B2, A), {"headline": RETITLED}),
        ((D, C, B2, A), {"headline": RETITLED}),  # unchanged body
        ((C, B2, A), {"headline": RETITLED}),  # an old body again: stale
        ((D, C, B, A), {"headline": RETITLED}),  # an old version, new body: stale
        ((D, C, B2, A), {"headline": None}),  # headline missing: the last one stays
    ]
    outcomes = []
    for entries, kwargs in steps:
        outcomes.append(feed.poll(*entries, **kwargs).outcome)  # type: ignore[arg-type]
        assert_same_state(feed.state(), feed.reference)
    feed.not_modified()
    feed.reference = replace(feed.reference, last_fresh_at=feed.now - timedelta(minutes=10))
    assert_same_state(feed.state(), feed.reference)
    fresh, unchanged, stale = PollOutcome.FRESH, PollOutcome.UNCHANGED, PollOutcome.STALE
    assert outcomes == [fresh] * 6 + [unchanged, stale, stale, fresh]


def test_an_edit_supersedes_the_old_version(store: Store) -> None:
    feed = story(store)
    known = {k.entry_id: k for k in feed.state().entries}
    b = known[entry_id(feed, B2.text)]
    assert b.version.text == B2.text
    assert len(b.superseded) == 1
    assert known[entry_id(feed, A.text)].superseded == frozenset()


def test_entry_times_keep_their_offset(store: Store) -> None:
    feed = story(store)
    known = {k.entry_id: k for k in feed.state().entries}
    a = known[entry_id(feed, A.text)]
    assert a.version.time == clock("12:00")
    assert a.version.time is not None
    assert a.version.time.utcoffset() == timedelta(hours=2)
    assert a.first_seen == START
    assert a.first_seen.utcoffset() is not None


def test_removed_entries_leave_the_state_after_the_window(store: Store) -> None:
    feed = story(store)
    b = entry_id(feed, B2.text)
    feed.poll(D, C, A, headline=RETITLED)  # B removed again at 13:00
    assert {k.entry_id for k in feed.state().entries if k.status is EntryStatus.REMOVED} == {b}

    feed.now += KEEP  # the next fresh page comes after the window has passed
    feed.poll(D, C, A, headline="Tag drei")
    state = feed.state()
    assert b not in {k.entry_id for k in state.entries}
    assert feed.last_body is not None
    assert state.seen_bodies == {sha(feed.last_body)}  # older bodies left the window too
    assert store.entry_history(b).status is EntryStatus.REMOVED  # still stored


def test_failed_fetches_count_into_the_error_streak(store: Store) -> None:
    feed = Feed(store)
    feed.fail()
    feed.fail(FetchOutcome.HTTP_ERROR)
    assert store.get(feed.ticker_id).error_streak == 2
    feed.poll(A)
    assert store.get(feed.ticker_id).error_streak == 0
    feed.fail(FetchOutcome.NETWORK_ERROR)
    assert store.get(feed.ticker_id).error_streak == 1

    polls = store.polls(feed.ticker_id)
    assert [p.outcome for p in polls] == [
        FetchOutcome.NETWORK_ERROR,
        PollOutcome.FRESH,
        FetchOutcome.HTTP_ERROR,
        FetchOutcome.TIMEOUT,
    ]
    failed = polls[0]
    assert (failed.body_sha256, failed.snapshot_id, failed.http_status) == (None, None, None)
    assert failed.error == "read timed out after 20 s"
    assert failed.started_at == failed.observed_at
    fresh = polls[1]
    assert fresh.snapshot_id is not None
    assert fresh.http_status == 200
    assert (fresh.etag, fresh.bytes, fresh.duration_ms) == (
        'W/"abc"',
        len(body_of(page(A, url=feed.url, at=START))),
        120,
    )
    assert store.polls(feed.ticker_id, limit=2, offset=1) == polls[1:3]
    assert store.stats(feed.ticker_id).polls == 4


def test_snapshots_only_for_new_content(store: Store) -> None:
    feed = Feed(store)
    feed.poll(A)
    feed.poll(A)  # unchanged
    for _ in range(3):
        feed.poll(headline=None, not_a_ticker="consent wall", body=b"<html>consent</html>")
    feed.poll(B, A)
    polls = store.polls(feed.ticker_id)
    outcomes = [(p.outcome, p.snapshot_id is not None) for p in reversed(polls)]
    assert outcomes == [
        (PollOutcome.FRESH, True),
        (PollOutcome.UNCHANGED, False),
        (PollOutcome.NOT_A_TICKER, True),
        # The second consent wall in a row reports the ticker broken: the parse-health
        # event needs a snapshot to belong to, although the body is known.
        (PollOutcome.NOT_A_TICKER, True),
        (PollOutcome.NOT_A_TICKER, False),
        (PollOutcome.FRESH, True),
    ]
    stats = store.stats(feed.ticker_id)
    assert (stats.polls, stats.snapshots, stats.bodies) == (6, 4, 3)


def test_a_parse_health_event_is_a_page_level_change_with_its_outbox_row(store: Store) -> None:
    feed = Feed(store)
    feed.poll(A, B)
    wall = b"<html>consent</html>"
    for _ in range(3):
        feed.poll(headline=None, not_a_ticker="consent wall", body=wall)
        assert_same_state(feed.state(), feed.reference)
    feed.poll(C, A, B)
    assert_same_state(feed.state(), feed.reference)
    health = store.changes(feed.ticker_id, kinds=[ChangeKind.TICKER_HEALTH])
    assert [(c.health, c.entry_id, c.previous, c.current) for c in health] == [
        (HealthKind.RECOVERED, None, None, None),
        (HealthKind.NOT_A_TICKER, None, None, None),
    ]
    recovered, broken = health
    assert broken.detail is not None
    assert broken.detail.startswith("Not a ticker at ")
    assert broken.detail.endswith(": 0 entries read, was 2 (consent wall)")
    assert recovered.detail is not None
    assert recovered.detail.startswith("Reading again at ")
    outbox = [c for c in store.outbox(limit=1000) if c.kind is ChangeKind.TICKER_HEALTH]
    assert outbox == list(reversed(health))
    assert [p.outcome for p in store.polls(feed.ticker_id) if p.id == broken.poll_id] == [
        PollOutcome.NOT_A_TICKER
    ]
    assert store.parse_health() == (recovered,)


def test_failed_fetches_and_304s_leave_the_reading_health_alone(store: Store) -> None:
    feed = Feed(store)
    feed.poll(A, B)
    feed.poll(headline=None, not_a_ticker="consent wall", body=b"<p>wall</p>")
    before = feed.state().health
    assert (before.layout, before.entries, before.broken_polls) == ("test", 2, 1)
    feed.fail()
    feed.not_modified()
    assert feed.state().health == before
    second = feed.poll(headline=None, not_a_ticker="consent wall", body=b"<p>wall</p>")
    assert second.health is not None
    assert second.health.kind is HealthKind.NOT_A_TICKER


def test_parse_health_is_the_last_health_event_of_each_ticker(store: Store) -> None:
    quiet, broken = Feed(store, "quiet"), Feed(store, "broken")
    quiet.poll(A)
    broken.poll(A, B)
    for _ in range(2):
        broken.poll(headline=None, not_a_ticker="error page", body=b"<h1>503</h1>")
    (health,) = store.parse_health()
    assert (health.ticker_id, health.kind, health.health) == (
        broken.ticker_id,
        ChangeKind.TICKER_HEALTH,
        HealthKind.NOT_A_TICKER,
    )
    assert health.health is not None
    assert health.health.broken


def test_a_poll_records_how_many_entries_the_cap_dropped(store: Store) -> None:
    feed = Feed(store)
    parsed = replace(page(A, B, url=feed.url, at=feed.now), truncated=7)
    verdict = diff(feed.state(), parsed, body_sha256=sha(body_of(parsed)))
    poll_id = feed.record(verdict, parsed, body_of(parsed))
    (stored,) = store.polls(feed.ticker_id)
    assert (stored.id, stored.truncated) == (poll_id, 7)


def test_a_body_is_stored_once(store: Store) -> None:
    feed = Feed(store)
    feed.poll(A)
    feed.poll(A)
    body = feed.last_body
    assert body is not None
    stats = store.stats(feed.ticker_id)
    assert (stats.polls, stats.bodies, stats.raw_bytes) == (2, 1, len(body))
    assert store.raw_body(sha(body)) == body
    assert {p.body_sha256 for p in store.polls(feed.ticker_id)} == {sha(body)}


def test_recording_a_poll_again_changes_nothing(store: Store) -> None:
    feed = Feed(store)
    feed.poll(A)
    parsed = page(B, A, url=feed.url, at=feed.now)
    body = body_of(parsed)
    verdict = diff(feed.state(), parsed, body_sha256=sha(body))
    first = feed.record(verdict, parsed, body)
    stats = store.stats(feed.ticker_id)
    state = feed.state()

    assert feed.record(verdict, parsed, body) == first  # the same poll (same started_at)
    assert store.stats(feed.ticker_id) == stats
    assert feed.state() == state

    feed.now += timedelta(minutes=1)  # the same diff as another poll: entries upserted
    feed.record(verdict, replace(parsed, observed_at=feed.now), body)
    b = verdict.placements[0].entry_id
    history = store.entry_history(b)
    assert len(history.revisions) == 1
    assert history.first_seen == START + timedelta(minutes=10)
    assert history.last_seen == feed.now
    assert store.stats(feed.ticker_id).revisions == stats.revisions


def test_a_revision_only_when_the_differ_says_so(store: Store) -> None:
    feed = Feed(store)
    feed.poll(B, A)
    feed.poll(B, A, headline=RETITLED)  # new body, same entries
    feed.poll(B2, A, headline=RETITLED)
    stats = store.stats(feed.ticker_id)
    assert (stats.snapshots, stats.entries, stats.revisions) == (3, 2, 3)


# Refusals leave nothing behind


def _fresh_diff(entry_id: str, version: EntryVersion, *, headline: str = "Live") -> Diff:
    return Diff(
        PollOutcome.FRESH,
        placements=(Placement(entry_id, 0, version, is_new=True, revised=False),),
        changes=(
            Change(ChangeKind.ADDED, entry_id, current=version),
            Change(ChangeKind.PAGE_RETITLED, None, None, page_headline=headline),
        ),
    )


def test_a_refused_poll_writes_nothing(store: Store) -> None:
    feed = story(store)
    state, stats = feed.state(), store.stats(feed.ticker_id)
    parsed = page(A, url=feed.url, at=feed.now)
    version = EntryVersion("Text", headline="Kopf", time=clock("13:00"), html="<p>Text</p>")
    record = PollRecord(feed.ticker_id, feed.now, 5, PollOutcome.FRESH, 200)
    fresh = _fresh_diff("aaaa000000000001", version)
    naive = clock("13:00").replace(tzinfo=None)
    refused = [
        (record, _fresh_diff("aaaa000000000001", version, headline="Nul \x00 im Titel")),
        (record, _fresh_diff("aaaa000000000001", replace(version, text="Nul\x00"))),
        (record, _fresh_diff("aaaa000000000001", replace(version, html="\ud800"))),
        (record, _fresh_diff("aaaa000000000001", replace(version, time=naive))),
        (replace(record, etag="\x00"), fresh),
        (replace(record, started_at=naive), fresh),
        (replace(record, outcome=PollOutcome.STALE), fresh),
        (record, replace(fresh, changes=(Change(ChangeKind.EDITED, "ffff000000000000", version),))),
    ]
    for bad_record, bad_diff in refused:
        with pytest.raises(InvalidValue):
            store.record_poll(bad_record, b"<html>neu</html>", parsed, bad_diff)
    with pytest.raises(InvalidValue):  # a fresh poll without its body
        store.record_poll(record, None, parsed, _fresh_diff("aaaa000000000001", version))
    with pytest.raises(InvalidValue):  # a 304 is UNCHANGED, not a fetch failure
        store.record_poll(replace(record, outcome=FetchOutcome.NOT_MODIFIED), None, None, None)
    with pytest.raises(InvalidValue):  # a failed fetch has no page
        store.record_poll(replace(record, outcome=FetchOutcome.TIMEOUT), None, parsed, None)

    assert feed.state() == state
    assert store.stats(feed.ticker_id) == stats
    with pytest.raises(BodyNotFound):
        store.raw_body(sha(b"<html>neu</html>"))

    store.record_poll(record, b"<html>neu</html>", parsed, fresh)
    assert store.entry_history("aaaa000000000001").revisions[0].version == version


def test_a_time_first_estimated_then_printed_is_stored_and_a_later_retime_seen(
    store: Store,
) -> None:
    # Newest items count minutes ("59 mins ago"), older ones print their clock: the
    # printed time replaces the estimate in the stored state (not only in the differ's
    # fold), so a correction of that clock afterwards is a retime.
    feed = Feed(store)
    estimated = replace(B, time_label="59 mins ago", time_source=TimeSource.RELATIVE)
    feed.poll(estimated, A)
    feed.poll(B, A)
    known = {k.entry_id: k for k in feed.state().entries}
    assert known[entry_id(feed, B.text)].version.time_source is TimeSource.LABEL
    assert_same_state(feed.state(), feed.reference)
    corrected = replace(B, time=clock("12:15"), time_label="12:15")
    assert [c.kind for c in feed.poll(corrected, A).changes] == [ChangeKind.RETIMED]
