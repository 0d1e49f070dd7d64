"""The storage contract, scheduled turns: ``claim_turn`` and ``record_poll(schedule=...)``
on every adapter (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

import pytest

from diffing.model import ChangeKind, Diff, PollOutcome
from storage import InvalidValue, NewTicker, PollRecord, Store, TickerId, TickerNotFound
from storage.model import PollSchedule, TurnStart
from tests.storage.builders import CREATED, START, A, B, Feed

ACTIVITY = frozenset(ChangeKind) - {ChangeKind.PAGED_OUT, ChangeKind.TICKER_HEALTH}
UNTIL = START + timedelta(minutes=5)


def claim(
    store: Store,
    ticker_id: TickerId,
    token: str = "turn",
    *,
    change_kinds: Collection[ChangeKind] | None = None,
) -> TurnStart:
    return store.claim_turn(
        ticker_id, token=token, now=START, until=UNTIL, change_kinds=change_kinds
    )


def assert_agrees_with_the_other_reads(store: Store, feed: Feed, start: TurnStart) -> None:
    """What the claim read is what the separate reads of the ports say."""
    state = feed.state()
    latest = store.polls(feed.ticker_id, limit=1)
    assert start.ticker == store.get(feed.ticker_id)
    assert start.latest == (latest[0] if latest else None)
    assert start.last_body_sha256 == state.last_body_sha256
    assert start.broken_polls == state.health.broken_polls


def test_a_turn_reads_what_an_unchanged_poll_needs_with_its_claim(store: Store) -> None:
    feed = Feed(store)
    first = claim(store, feed.ticker_id, change_kinds=ACTIVITY)
    assert first.claimed
    assert (first.latest, first.last_body_sha256, first.broken_polls) == (None, None, 0)
    assert (first.changes_read, first.last_change_at) == (True, None)
    store.set_next_poll_at(feed.ticker_id, None, release="turn")

    feed.poll(A)
    feed.poll(B, A)
    feed.not_modified()
    assert_agrees_with_the_other_reads(store, feed, claim(store, feed.ticker_id, "t1"))
    wall = b"<html>consent</html>"
    for n in range(2):
        feed.poll(headline=None, not_a_ticker="consent wall", body=wall)
        start = claim(store, feed.ticker_id, f"wall-{n}")
        assert start.broken_polls == n + 1
        assert_agrees_with_the_other_reads(store, feed, start)
        store.set_next_poll_at(feed.ticker_id, None, release=f"wall-{n}")
    feed.not_modified()
    start = claim(store, feed.ticker_id, change_kinds=ACTIVITY)
    assert_agrees_with_the_other_reads(store, feed, start)
    newest = store.changes(feed.ticker_id, kinds=ACTIVITY, limit=1)
    assert start.changes_read
    assert start.last_change_at == newest[0].observed_at
    assert not claim(store, feed.ticker_id, "t1").changes_read


def test_a_turn_claims_as_claim_poll_does(store: Store) -> None:
    ticker = store.add(NewTicker("https://www.example.test/live/a", "A"), created_at=CREATED)
    assert claim(store, ticker.id, "service").claimed
    other = claim(store, ticker.id, "manual")  # still read, nothing taken
    assert not other.claimed
    assert other.ticker == store.get(ticker.id)
    assert not store.claim_poll(ticker.id, token="manual", now=START, until=UNTIL)
    later = UNTIL + timedelta(minutes=5)
    assert store.claim_turn(ticker.id, token="manual", now=UNTIL, until=later).claimed  # expired
    with pytest.raises(TickerNotFound):
        claim(store, TickerId(ticker.id + 1000))


def test_a_poll_records_its_schedule_and_ends_the_claim_in_its_transaction(
    store: Store,
) -> None:
    feed = Feed(store)
    feed.poll(A)
    assert claim(store, feed.ticker_id, "turn").claimed
    record = PollRecord(feed.ticker_id, feed.now, 80, PollOutcome.UNCHANGED, 304)
    at = feed.now + timedelta(minutes=2)
    unchanged = Diff(PollOutcome.UNCHANGED)
    # A refused poll writes nothing: neither the time nor the end of the claim.
    with pytest.raises(InvalidValue):
        store.record_poll(
            PollRecord(feed.ticker_id, feed.now, 80, PollOutcome.UNCHANGED, 304, error="\x00"),
            None,
            None,
            unchanged,
            schedule=PollSchedule(at, release="turn"),
        )
    assert store.get(feed.ticker_id).next_poll_at is None
    assert not claim(store, feed.ticker_id, "other").claimed

    poll_id = store.record_poll(record, None, None, unchanged, schedule=PollSchedule(at, "turn"))
    assert store.get(feed.ticker_id).next_poll_at == at
    assert store.polls(feed.ticker_id, limit=1)[0].id == poll_id
    assert claim(store, feed.ticker_id, "other").claimed
    # Recorded again (a re-run): the same poll, and the schedule written anew.
    later = at + timedelta(minutes=1)
    again = store.record_poll(record, None, None, unchanged, schedule=PollSchedule(later, "other"))
    assert again == poll_id
    assert store.get(feed.ticker_id).next_poll_at == later
    assert claim(store, feed.ticker_id, "third").claimed


def test_the_same_bytes_with_a_schedule(store: Store) -> None:
    feed = Feed(store)
    feed.poll(A)
    assert feed.last_body is not None
    start = claim(store, feed.ticker_id)
    record = PollRecord(feed.ticker_id, feed.now, 80, PollOutcome.UNCHANGED, 200)
    verdict = Diff(PollOutcome.UNCHANGED, reason="same bytes as the last page")
    at = feed.now + timedelta(minutes=1)
    store.record_poll(record, feed.last_body, None, verdict, schedule=PollSchedule(at, "turn"))
    latest = store.polls(feed.ticker_id, limit=1)[0]
    assert (latest.outcome, latest.body_sha256, latest.snapshot_id) == (
        PollOutcome.UNCHANGED,
        start.last_body_sha256,
        None,
    )
    assert store.get(feed.ticker_id).next_poll_at == at
    assert store.stats(feed.ticker_id).bodies == 1
