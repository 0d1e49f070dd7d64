"""``tickerwatch status`` per ticker: parse health and the entry cap in text and JSON."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from diffing.model import ChangeKind, HealthKind, PollOutcome
from scheduler.cadence import CadencePolicy
from scheduler.status import status_as_json, status_lines, ticker_status
from storage.model import PollId, SnapshotId, StoredChange, StoredPoll, Ticker, TickerId

NOW = datetime(2026, 4, 23, 14, 30, tzinfo=UTC)
TICKER = Ticker(
    id=TickerId(3),
    url="https://www.example.test/live",
    name="Gipfel",
    interval_seconds=300,
    zone=None,
    profile=None,
    paused=False,
    tags=(),
    created_at=NOW,
    next_poll_at=NOW,
    error_streak=0,
)
POLL = StoredPoll(
    id=PollId(9),
    ticker_id=TickerId(3),
    started_at=NOW,
    observed_at=NOW,
    duration_ms=100,
    outcome=PollOutcome.NOT_A_TICKER,
    http_status=200,
    bytes=100,
    etag=None,
    last_modified=None,
    error=None,
    body_sha256=None,
    snapshot_id=None,
)


def event(health: HealthKind, detail: str) -> StoredChange:
    return StoredChange(
        id=1,
        ticker_id=TickerId(3),
        poll_id=PollId(9),
        snapshot_id=SnapshotId(4),
        observed_at=NOW,
        kind=ChangeKind.TICKER_HEALTH,
        entry_id=None,
        changed=(),
        similarity=None,
        word_ops=(),
        previous=None,
        current=None,
        page_headline=None,
        previous_page_headline=None,
        health=health,
        detail=detail,
    )


def test_a_broken_ticker_gets_a_line_with_the_message() -> None:
    detail = "Layout changed at 14:05 UTC: 0 entries read, was 42"
    status = ticker_status(
        TICKER, POLL, 42, CadencePolicy(), now=NOW, health=event(HealthKind.NO_ENTRIES, detail)
    )
    assert status.parse_broken
    assert status_lines(status, now=NOW)[-1] == f"      PARSE HEALTH BAD: {detail}"
    shown = status_as_json(status)["parse_health"]
    assert shown == {
        "ok": False,
        "last_event": "no_entries",
        "detail": detail,
        "at": NOW.isoformat(),
    }


def test_a_healthy_ticker_gets_no_health_line_and_a_cut_is_shown() -> None:
    recovered = event(HealthKind.RECOVERED, "Reading again at 14:30 UTC: 43 entries read")
    status = ticker_status(
        TICKER, replace(POLL, truncated=5), 43, CadencePolicy(), now=NOW, health=recovered
    )
    lines = status_lines(status, now=NOW)
    assert len(lines) == 3
    assert "43 entries (5 oldest cut by the entry cap on the last poll)" in lines[-1]
    assert status_as_json(status)["parse_health"]["ok"] is True
    assert status_as_json(status)["truncated"] == 5
    never = ticker_status(TICKER, None, 0, CadencePolicy(), now=NOW)
    assert status_as_json(never)["parse_health"]["last_event"] is None
    assert len(status_lines(never, now=NOW)) == 3


def test_a_layout_change_is_noted_but_not_bad() -> None:
    detail = "Layout changed at 14:05 UTC: 40 entries read as blocks, was 42 as jsonld"
    status = ticker_status(
        TICKER, POLL, 40, CadencePolicy(), now=NOW, health=event(HealthKind.LAYOUT_CHANGED, detail)
    )
    assert not status.parse_broken
    assert status_lines(status, now=NOW)[-1] == f"      parse health: {detail}"
