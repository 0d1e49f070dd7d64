"""Parse health: one event when a ticker's page stops reading right, one when it reads again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from diffing import DiffConfig
from diffing.health import health_after, judge_health
from diffing.model import ChangeKind, HealthKind, PollOutcome, ReadingHealth
from ingest.model import ParsedPage
from tests.diffing.builders import A, B, C, Ticker, entry, kinds, page

AT = datetime(2026, 4, 23, 12, 5, tzinfo=UTC)
READING = ReadingHealth(layout="jsonld", entries=42)


def parsed(layout: str = "jsonld", entries: int = 3, not_a_ticker: str | None = None) -> ParsedPage:
    shown = [entry(f"Eintrag Nummer {i} des Tickers.") for i in range(entries)]
    return replace(page(*shown, at=AT, not_a_ticker=not_a_ticker), layout=layout)


CASES = [
    # (name, before, page, outcome, expected kind)
    ("normal poll", READING, parsed(), PollOutcome.FRESH, None),
    ("layout changed", READING, parsed("blocks"), PollOutcome.FRESH, HealthKind.LAYOUT_CHANGED),
    ("first page", ReadingHealth(), parsed(), PollOutcome.FRESH, None),
    ("first broken poll", READING, parsed(entries=0), PollOutcome.NOT_A_TICKER, None),
    (
        "second broken poll: no entries",
        replace(READING, broken_polls=1),
        parsed(entries=0),
        PollOutcome.NOT_A_TICKER,
        HealthKind.NO_ENTRIES,
    ),
    (
        "second broken poll: consent wall",
        replace(READING, broken_polls=1),
        parsed(entries=0, not_a_ticker="consent wall"),
        PollOutcome.NOT_A_TICKER,
        HealthKind.NOT_A_TICKER,
    ),
    (
        "third broken poll: reported already",
        replace(READING, broken_polls=2),
        parsed(entries=0),
        PollOutcome.NOT_A_TICKER,
        None,
    ),
    (
        "never read entries: nothing to lose",
        ReadingHealth(layout="jsonld", entries=0, broken_polls=1),
        parsed(entries=0, not_a_ticker="consent wall"),
        PollOutcome.NOT_A_TICKER,
        None,
    ),
    (
        "recovered after a report",
        replace(READING, broken_polls=2),
        parsed("blocks"),
        PollOutcome.FRESH,
        HealthKind.RECOVERED,
    ),
    (
        "fresh after one transient wall",
        replace(READING, broken_polls=1),
        parsed(),
        PollOutcome.FRESH,
        None,
    ),
    ("stale copy", READING, parsed("blocks"), PollOutcome.STALE, None),
    ("unchanged", replace(READING, broken_polls=5), parsed(), PollOutcome.UNCHANGED, None),
]


@pytest.mark.parametrize(
    ("before", "shown", "outcome", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_judge_health(
    before: ReadingHealth, shown: ParsedPage, outcome: PollOutcome, expected: HealthKind | None
) -> None:
    event = judge_health(before, shown, outcome)
    assert (event.kind if event else None) is expected


def test_the_messages_say_what_was_read_and_what_was_before() -> None:
    no_entries = judge_health(
        replace(READING, broken_polls=1), parsed(entries=0), PollOutcome.NOT_A_TICKER
    )
    assert no_entries is not None
    assert no_entries.detail == "Layout changed at 12:05 UTC: 0 entries read, was 42"
    wall = judge_health(
        replace(READING, broken_polls=1),
        parsed(entries=0, not_a_ticker="consent wall"),
        PollOutcome.NOT_A_TICKER,
    )
    assert wall is not None
    assert wall.detail == "Not a ticker at 12:05 UTC: 0 entries read, was 42 (consent wall)"
    layout = judge_health(READING, parsed("blocks", 40), PollOutcome.FRESH)
    assert layout is not None
    assert (
        layout.detail == "Layout changed at 12:05 UTC: 40 entries read as blocks, was 42 as jsonld"
    )


def test_broken_after_is_configurable() -> None:
    at_once = DiffConfig(broken_after=1)
    event = judge_health(READING, parsed(entries=0), PollOutcome.NOT_A_TICKER, config=at_once)
    assert event is not None
    assert event.kind is HealthKind.NO_ENTRIES
    with pytest.raises(ValueError, match="broken_after"):
        DiffConfig(broken_after=0)


def test_health_after() -> None:
    assert health_after(READING, parsed("blocks", 3), PollOutcome.FRESH) == ReadingHealth(
        "blocks", 3, 0
    )
    broken = health_after(READING, parsed(entries=0), PollOutcome.NOT_A_TICKER)
    assert broken == replace(READING, broken_polls=1)
    for outcome in (PollOutcome.STALE, PollOutcome.UNCHANGED):
        assert health_after(broken, parsed("x"), outcome) == broken


def test_a_ticker_that_breaks_reports_once_and_recovers_once() -> None:
    ticker = Ticker()
    polls = [
        ticker.poll(entry(A), entry(B)),
        ticker.poll(entry(A), entry(B)),  # the same page again, a new body
        ticker.poll(),  # no entries: the first broken poll may be transient
        ticker.poll(),
        ticker.poll(),
        ticker.poll(not_a_ticker="error page"),
        ticker.poll(entry(C), entry(A), entry(B)),
        ticker.poll(entry(C), entry(A), entry(B)),
    ]
    assert [p.health.kind if p.health else None for p in polls] == [
        None,
        None,
        None,
        HealthKind.NO_ENTRIES,
        None,
        None,
        HealthKind.RECOVERED,
        None,
    ]
    assert all(p.outcome is PollOutcome.NOT_A_TICKER for p in polls[2:6])
    assert kinds(polls[6]) == [ChangeKind.ADDED]  # nothing removed and re-added


def test_one_consent_wall_between_two_good_pages_reports_nothing() -> None:
    ticker = Ticker()
    first = ticker.poll(entry(A), entry(B))
    wall = ticker.poll(headline=None, not_a_ticker="consent wall")
    back = ticker.poll(entry(A), entry(B))
    assert [first.health, wall.health, back.health] == [None, None, None]


def test_the_last_fresh_page_coming_back_after_a_breakage_is_a_recovery() -> None:
    ticker = Ticker()
    ticker.poll(entry(A), entry(B), body="good")
    ticker.poll(headline=None, not_a_ticker="consent wall", body="wall")
    broken = ticker.poll(headline=None, not_a_ticker="consent wall", body="wall")
    back = ticker.poll(entry(A), entry(B), body="good")
    assert broken.health is not None
    assert broken.health.kind is HealthKind.NOT_A_TICKER
    assert back.outcome is PollOutcome.FRESH
    assert back.health is not None
    assert back.health.kind is HealthKind.RECOVERED
    assert back.changes == ()
    again = ticker.poll(entry(A), entry(B), body="good")
    assert (again.outcome, again.health) == (PollOutcome.UNCHANGED, None)


def test_a_new_template_with_the_same_entries_keeps_every_identity() -> None:
    ticker = Ticker()
    first = ticker.poll_page(replace(page(entry(A), entry(B), entry(C)), layout="jsonld"))
    moved = replace(page(entry(A), entry(B), entry(C), at=ticker.now), layout="blocks")
    second = ticker.poll_page(moved)
    assert second.health is not None
    assert second.health.kind is HealthKind.LAYOUT_CHANGED
    assert second.changes == ()
    assert [p.entry_id for p in second.placements] == [p.entry_id for p in first.placements]
    third = ticker.poll_page(replace(moved, observed_at=ticker.now))
    assert third.health is None
