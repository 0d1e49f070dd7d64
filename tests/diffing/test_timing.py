"""Times compared like with like: printed wall clocks, or stated instants on both sides.

An inferred instant that moves (another season's offset, another date) is never a
retime and never splits an entry; a matched entry keeps the instant it was stored with.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from diffing.differ import keep_stored_time
from diffing.model import ChangeKind, EntryStatus, EntryVersion, KnownEntry
from diffing.timing import confirmed_freshness_offset, matching_minute, time_changed
from ingest.model import TimeEvidence, TimeSource
from tests.diffing.builders import A, B, C, Ticker, entry, kinds

SUMMER = timezone(timedelta(hours=2))
WINTER = timezone(timedelta(hours=1))
LABEL, MACHINE, RELATIVE = TimeSource.LABEL, TimeSource.MACHINE, TimeSource.RELATIVE
OFFSET, LOCALE, FRESH = TimeEvidence.OFFSET, TimeEvidence.LOCALE, TimeEvidence.FRESHNESS

APRIL_1401 = datetime(2026, 4, 23, 14, 1, tzinfo=SUMMER)
DECEMBER_1401 = datetime(2026, 12, 3, 14, 1, tzinfo=WINTER)


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        # The same printed 14:01 placed in another season: not a retime.
        ((APRIL_1401, LABEL, LOCALE), (DECEMBER_1401, LABEL, LOCALE), False),
        ((APRIL_1401, LABEL, LOCALE), (DECEMBER_1401, LABEL, FRESH), False),
        # The printed label changed: a retime.
        ((APRIL_1401, LABEL, LOCALE), (APRIL_1401.replace(minute=11), LABEL, LOCALE), True),
        # Both stated instants: compared as instants (the same instant, other offsets).
        ((APRIL_1401, MACHINE, OFFSET), (APRIL_1401.astimezone(WINTER), MACHINE, OFFSET), False),
        ((APRIL_1401, MACHINE, OFFSET), (DECEMBER_1401, MACHINE, OFFSET), True),
        # One side stated, the other printed: the wall clocks.
        ((APRIL_1401, MACHINE, OFFSET), (DECEMBER_1401, LABEL, LOCALE), False),
        # Relative estimates and missing times never retime.
        ((APRIL_1401, RELATIVE, TimeEvidence.RELATIVE), (DECEMBER_1401, LABEL, LOCALE), False),
        ((None, TimeSource.NONE, TimeEvidence.NONE), (DECEMBER_1401, LABEL, LOCALE), False),
    ],
)
def test_time_changed(
    before: tuple[datetime | None, TimeSource, TimeEvidence],
    after: tuple[datetime | None, TimeSource, TimeEvidence],
    changed: bool,
) -> None:
    assert time_changed(*before, *after) is changed


def test_matching_minute_is_the_printed_minute_unless_the_instant_is_stated() -> None:
    assert matching_minute(APRIL_1401, LABEL, LOCALE) == 14 * 60 + 1
    assert matching_minute(DECEMBER_1401, LABEL, LOCALE) == 14 * 60 + 1
    assert matching_minute(APRIL_1401, MACHINE, OFFSET) == 12 * 60 + 1
    assert matching_minute(APRIL_1401, RELATIVE, TimeEvidence.RELATIVE) is None


def test_a_kept_time_is_the_stored_instant() -> None:
    stored = EntryVersion(text=A, time=APRIL_1401, time_source=LABEL, time_evidence=LOCALE)
    shown = replace(stored, time=DECEMBER_1401, time_evidence=FRESH)
    assert keep_stored_time(stored, shown).time == APRIL_1401
    assert keep_stored_time(stored, shown).time_evidence is LOCALE
    estimate = replace(stored, time_source=RELATIVE)
    assert keep_stored_time(estimate, shown).time == DECEMBER_1401


def _at(when: datetime, text: str, evidence: TimeEvidence = LOCALE):
    return replace(
        entry(text, time=when.strftime("%H:%M")),
        time=when,
        time_evidence=evidence,
    )


def test_an_inference_that_moves_is_no_change_and_the_stored_date_stays() -> None:
    ticker = Ticker()
    first = ticker.poll(_at(APRIL_1401, A), _at(APRIL_1401.replace(hour=13), B))
    ids = {p.version.text: p.entry_id for p in first.placements}
    # The same page, its undated labels now placed on the poll's day in winter.
    second = ticker.poll(
        _at(DECEMBER_1401, A, FRESH),
        _at(DECEMBER_1401.replace(hour=13), B, FRESH),
        _at(DECEMBER_1401.replace(hour=12), C, FRESH),
    )
    assert kinds(second) == [ChangeKind.ADDED]
    assert {p.version.text: p.entry_id for p in second.placements if not p.is_new} == ids
    kept = {k.version.text: k.version.time for k in ticker.state.entries}
    assert kept[A] == APRIL_1401
    assert kept[B] == APRIL_1401.replace(hour=13)


FRESHNESS = TimeEvidence.FRESHNESS


def _known(entry_id: str, seen: datetime, time: datetime, evidence: TimeEvidence) -> KnownEntry:
    return KnownEntry(
        entry_id=entry_id,
        version=EntryVersion(
            text=entry_id, time=time, time_source=TimeSource.LABEL, time_evidence=evidence
        ),
        status=EntryStatus.LIVE,
        first_seen=seen,
        last_seen=seen,
        position=0,
    )


def test_a_freshness_offset_counts_once_two_polls_agree() -> None:
    minus_four = timezone(timedelta(hours=-4))
    first = datetime(2026, 7, 20, 13, 0, tzinfo=UTC)
    second = first + timedelta(minutes=15)
    one = _known("a", first, datetime(2026, 7, 20, 8, 55, tzinfo=minus_four), FRESHNESS)
    assert confirmed_freshness_offset([one]) is None
    two = _known("b", second, datetime(2026, 7, 20, 9, 10, tzinfo=minus_four), FRESHNESS)
    assert confirmed_freshness_offset([one, two]) == (timedelta(hours=-4), second)
    other = _known(
        "c", second, datetime(2026, 7, 20, 10, 10, tzinfo=timezone(timedelta(hours=-3))), FRESHNESS
    )
    assert confirmed_freshness_offset([one, two, other]) is None
    stated = _known(
        "d", second, datetime(2026, 7, 20, 9, 10, tzinfo=minus_four), TimeEvidence.OFFSET
    )
    assert confirmed_freshness_offset([one, stated]) is None
