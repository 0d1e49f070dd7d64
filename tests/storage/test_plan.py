"""The pure parts shared by every adapter: what a poll writes, and the folds back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import fields
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from diffing import version_digest
from diffing.identity import time_marks
from diffing.model import (
    Change,
    ChangeKind,
    Diff,
    EntryStatus,
    EntryVersion,
    HealthEvent,
    KnownEntry,
    Placement,
    PollOutcome,
    ReadingHealth,
    TickerState,
)
from ingest.model import TimeSource
from storage.errors import InvalidValue
from storage.mapping import VERSION_FIELDS
from storage.model import PollRecord, TickerId
from storage.plan import Before, plan_poll
from storage.reconstruct import retimed_from, superseded, window_start
from storage.validate import stored_time, to_utc, version_key
from tests.storage.builders import START, entry, page

V1 = EntryVersion("Der Zug fährt ein.")
V2 = EntryVersion("Der Zug fährt gleich ein.")


def test_the_mapping_stores_every_field_of_an_entry_version() -> None:
    # Fails when the differ's EntryVersion grows a field: storage/mapping.py,
    # storage/tables.py and a migration must learn it first.
    assert {f.name for f in fields(EntryVersion)} == VERSION_FIELDS


# What the store reads from or fills in of the differ's values. When diffing/model.py
# grows a field, the test below names it: storage must learn to keep it (tables, mapping,
# a migration, memory_tables) or this list must say why it is not kept.
HANDLED = {
    TickerState: {
        "entries",
        "page_headline",
        "last_fresh_at",
        "last_body_sha256",
        "seen_bodies",
        "health",  # from the last fresh snapshot and the polls after it
    },
    KnownEntry: {
        "entry_id",
        "version",
        "status",
        "first_seen",
        "last_seen",
        "position",
        "superseded",
        "retimed_from",
    },
    Diff: {"outcome", "placements", "changes", "statuses", "reason", "health"},
    ReadingHealth: {"layout", "entries", "broken_polls"},
    HealthEvent: {"kind", "detail"},  # a TICKER_HEALTH change event's health and detail
    # matched_by: how the differ matched an entry is diagnostics, not history
    Placement: {"entry_id", "position", "version", "is_new", "revised", "matched_by"},
    # previous/current: stored as references to the entry's revisions
    Change: {
        "kind",
        "entry_id",
        "current",
        "previous",
        "changed",
        "similarity",
        "word_ops",
        "page_headline",
        "previous_page_headline",
    },
}


@pytest.mark.parametrize("model", list(HANDLED), ids=lambda m: m.__name__)
def test_the_store_knows_every_field_of_the_differs_values(model: type) -> None:
    assert {f.name for f in fields(model)} == HANDLED[model]


def test_superseded_follows_advance() -> None:
    retimed = EntryVersion(V1.text, time=datetime(2026, 1, 1, tzinfo=UTC))
    assert superseded([V1]) == frozenset()
    assert superseded([V1, V2]) == {version_digest(V1)}
    assert superseded([V1, V2, V1]) == {version_digest(V1), version_digest(V2)}
    assert superseded([V1, retimed]) == frozenset()  # a new time stamp supersedes nothing


def test_retimed_from_follows_advance() -> None:
    def at(hour: int) -> EntryVersion:
        time = datetime(2026, 1, 1, hour, 0, tzinfo=UTC)
        return EntryVersion(V1.text, time=time, time_source=TimeSource.LABEL)

    at_11, at_10 = at(11), at(10)
    assert retimed_from([at_11]) == frozenset()
    assert retimed_from([at_11, V2]) == frozenset()  # no time on one side: no retime
    assert retimed_from([at_11, at_10]) == time_marks(at_11)
    assert retimed_from([at_11, at_10, at_11]) == time_marks(at_11) | time_marks(at_10)


def test_the_window_is_anchored_at_the_last_fresh_page() -> None:
    assert window_start(None, timedelta(days=1)) is None
    assert window_start(START, timedelta(days=1)) == START - timedelta(days=1)


def test_versions_compare_by_instant_and_offset() -> None:
    berlin = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Berlin"))
    same = stored_time(berlin)
    assert same.utcoffset() == timedelta(hours=1)
    assert version_key(EntryVersion("x", time=berlin)) == version_key(EntryVersion("x", time=same))
    other = berlin.astimezone(UTC)
    assert version_key(EntryVersion("x", time=berlin)) != version_key(EntryVersion("x", time=other))


def test_unstorable_datetimes() -> None:
    with pytest.raises(InvalidValue):
        to_utc(datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(InvalidValue):
        to_utc(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))))
    with pytest.raises(InvalidValue):
        to_utc(datetime(2026, 1, 1, tzinfo=timezone(timedelta(microseconds=1))))


def test_a_stale_copy_with_a_known_body_gets_no_snapshot() -> None:
    record = PollRecord(TickerId(1), START, 1, PollOutcome.STALE)
    parsed = page(entry("a"), url="https://www.example.test/", at=START)
    kwargs = {"body_sha256": "ab" * 32, "page": parsed, "diff": None, "before": {}}
    assert plan_poll(record, body_seen=True, **kwargs).snapshot is None  # type: ignore[arg-type]
    assert plan_poll(record, body_seen=False, **kwargs).snapshot is not None  # type: ignore[arg-type]


def test_an_entry_of_another_ticker_is_refused() -> None:
    record = PollRecord(TickerId(1), START, 1, PollOutcome.FRESH)
    parsed = page(entry("a"), url="https://www.example.test/", at=START)
    diff = Diff(PollOutcome.FRESH, placements=(Placement("e1", 0, V1, False, False),))
    theirs = Before("e1", TickerId(2), START, EntryStatus.LIVE, None, V1)
    with pytest.raises(InvalidValue, match="ticker 2"):
        plan_poll(
            record,
            body_sha256="ab" * 32,
            page=parsed,
            diff=diff,
            before={"e1": theirs},
            body_seen=False,
        )


class CountingEntries(Mapping[str, Before]):
    """The stored entries, counting every id handed out by iteration: planning's work on
    them, measured as an operation count and not as time."""

    def __init__(self, entries: dict[str, Before]) -> None:
        self._entries = entries
        self.visits = 0

    def __getitem__(self, key: str) -> Before:
        return self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        for key in self._entries:
            self.visits += 1
            yield key


def _visits_to_plan(n: int) -> int:
    """Entries planning visits for a poll that edits every one of ``n`` known entries."""
    record = PollRecord(TickerId(1), START, 1, PollOutcome.FRESH)
    parsed = page(entry("a"), url="https://www.example.test/", at=START)
    edited = [EntryVersion(f"Meldung {i}, korrigiert.") for i in range(n)]
    diff = Diff(
        PollOutcome.FRESH,
        placements=tuple(Placement(f"e{i}", i, v, False, True) for i, v in enumerate(edited)),
        changes=tuple(
            Change(ChangeKind.EDITED, f"e{i}", v, EntryVersion(f"Meldung {i}."))
            for i, v in enumerate(edited)
        ),
    )
    before = CountingEntries(
        {f"e{i}": Before(f"e{i}", TickerId(1), START, EntryStatus.LIVE, None, V1) for i in range(n)}
    )
    plan = plan_poll(
        record, body_sha256="ab" * 32, page=parsed, diff=diff, before=before, body_seen=True
    )
    assert len(plan.entries) == len(plan.events) == n
    return before.visits


def test_planning_is_linear_in_the_entries() -> None:
    # Issue 12: the check of each change against the known ids rebuilt their union once
    # per change, so a 200,000-entry page took hours to plan (4x the visits per doubling).
    small, large = _visits_to_plan(500), _visits_to_plan(1000)
    assert large <= 2 * small + 10
