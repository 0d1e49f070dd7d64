"""Polls whose page must report nothing: unchanged, stale copies, not a ticker."""

from __future__ import annotations

from datetime import timedelta

from diffing.model import ChangeKind, PollOutcome
from tests.diffing.builders import A, B, C, D, Ticker, entry, kinds


def three() -> tuple[Ticker, list]:  # type: ignore[type-arg]
    ticker = Ticker()
    entries = [entry(C, time="11:40"), entry(B, time="11:20"), entry(A, time="11:00")]
    ticker.poll(*entries, body="body-1")
    return ticker, entries


def test_byte_identical_body_is_unchanged() -> None:
    ticker, entries = three()
    result = ticker.poll(*entries, body="body-1")
    assert result.outcome is PollOutcome.UNCHANGED
    assert result.changes == ()
    assert result.placements == ()


def test_not_a_ticker_page_reports_nothing_and_removes_nothing() -> None:
    ticker, entries = three()
    before = ticker.state.entries
    result = ticker.poll(not_a_ticker="consent wall", headline="Zustimmung erforderlich")
    assert result.outcome is PollOutcome.NOT_A_TICKER
    assert result.changes == ()
    assert result.statuses == ()
    assert ticker.state.entries == before
    assert kinds(ticker.poll(*entries)) == []


def test_ticker_page_without_entries_is_not_a_mass_removal() -> None:
    ticker, _ = three()
    result = ticker.poll()
    assert result.outcome is PollOutcome.NOT_A_TICKER
    assert result.changes == ()


def test_body_seen_before_is_a_stale_copy() -> None:
    ticker, entries = three()
    ticker.poll(entry(D, time="12:05"), *entries, body="body-2")
    result = ticker.poll(*entries, body="body-1")
    assert result.outcome is PollOutcome.STALE
    assert result.changes == ()


def test_older_copy_lacking_the_newest_entries_is_stale_and_its_return_reports_nothing() -> None:
    ticker, entries = three()
    newest = [entry(D, time="12:05"), *entries]
    assert kinds(ticker.poll(*newest)) == [ChangeKind.ADDED]
    stale = ticker.poll(*entries)  # a cache re-rendered the old page: new bytes
    assert stale.outcome is PollOutcome.STALE
    assert stale.changes == ()
    assert stale.placements == ()
    back = ticker.poll(*newest)
    assert back.outcome is PollOutcome.FRESH
    assert back.changes == ()


def test_older_copy_showing_an_entry_before_its_edit_is_stale() -> None:
    ticker, entries = three()
    edited = [entries[0], entry(B + " Auch die Tram steht still.", time="11:20"), entries[2]]
    assert kinds(ticker.poll(*edited)) == [ChangeKind.EDITED]
    stale = ticker.poll(*entries)
    assert stale.outcome is PollOutcome.STALE
    assert kinds(ticker.poll(*edited)) == []


def test_older_copy_under_a_pinned_entry_is_stale() -> None:
    ticker = Ticker()
    pinned = entry(A, time="09:00", pinned=True)
    ticker.poll(pinned, entry(C, time="11:40"), entry(B, time="11:20"))
    ticker.poll(pinned, entry(D, time="12:05"), entry(C, time="11:40"), entry(B, time="11:20"))
    stale = ticker.poll(pinned, entry(C, time="11:40"), entry(B, time="11:20"))
    assert stale.outcome is PollOutcome.STALE


def test_a_stale_looking_page_with_news_is_fresh() -> None:
    ticker, entries = three()
    ticker.poll(entry(D, time="12:05"), *entries)
    # The top entry was deleted, and another entry edited in the same poll: current.
    result = ticker.poll(entries[0], entry(B + " Die Tram fährt.", time="11:20"), entries[2])
    assert result.outcome is PollOutcome.FRESH
    assert kinds(result) == [ChangeKind.EDITED, ChangeKind.REMOVED]


def test_deleted_newest_entry_is_reported_once_the_stale_horizon_has_passed() -> None:
    ticker, entries = three()
    ticker.poll(entry(D, time="12:05"), *entries)
    assert ticker.poll(*entries).outcome is PollOutcome.STALE
    ticker.now += ticker.config.stale_horizon + timedelta(minutes=1)
    late = ticker.poll(*entries)
    assert late.outcome is PollOutcome.FRESH
    assert kinds(late) == [ChangeKind.REMOVED]


def test_a_stale_looking_page_with_a_new_time_is_fresh() -> None:
    ticker, entries = three()
    ticker.poll(entry(D, time="12:05"), *entries)
    # The top entry was deleted, and another entry's time corrected in the same poll:
    # a time the entry never had cannot come from an older copy.
    result = ticker.poll(entries[0], entry(B, time="10:20"), entries[2])
    assert result.outcome is PollOutcome.FRESH
    assert kinds(result) == [ChangeKind.RETIMED, ChangeKind.REMOVED]


def test_older_copy_showing_an_entry_before_its_retime_is_stale() -> None:
    ticker, entries = three()
    retimed = [entries[0], entry(B, time="10:20"), entries[2]]
    assert kinds(ticker.poll(*retimed)) == [ChangeKind.RETIMED]
    stale = ticker.poll(*entries)
    assert stale.outcome is PollOutcome.STALE
    assert kinds(ticker.poll(*retimed)) == []
