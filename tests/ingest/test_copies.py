"""``drop_copies``: one entry shown twice in one reading is one entry."""

from datetime import UTC, datetime, timedelta

from ingest.copies import drop_copies
from ingest.dating import Stamp
from ingest.layouts.base import RawEntry
from ingest.timestamps import ClockLabel

T = datetime(2026, 1, 20, 14, 5, tzinfo=UTC)


def _clock(hour: int, minute: int) -> Stamp:
    return Stamp(clock=ClockLabel(hour, minute, f"{hour}.{minute:02d} GMT"))


def test_same_time_and_text_under_another_headline_is_a_copy() -> None:
    copy = RawEntry(text="The PM insisted.", headline="Politics live", stamp=_clock(14, 5))
    stream = [
        RawEntry(text="Gilt yields rose.", stamp=_clock(15, 52)),
        RawEntry(text="The PM insisted.", stamp=_clock(14, 5)),
    ]
    assert drop_copies([copy, *stream]) == [copy, stream[0]]


def test_a_pinned_copy_gives_way_to_the_entry_in_the_stream() -> None:
    pinned = RawEntry(text="The PM insisted.", stamp=Stamp(machine=T), pinned=True)
    later = RawEntry(text="Gilt yields rose.", stamp=Stamp(machine=T + timedelta(minutes=9)))
    own = RawEntry(text="The PM insisted.", headline="PM speaks", stamp=Stamp(machine=T))
    kept = drop_copies([pinned, later, own])
    assert [(e.text, e.headline, e.pinned) for e in kept] == [
        ("Gilt yields rose.", None, False),
        ("The PM insisted.", "PM speaks", True),
    ]


def test_same_text_at_other_times_or_under_other_ids_is_not_a_copy() -> None:
    goals = [
        RawEntry(text="Goal!", headline=None, stamp=_clock(14, 5)),
        RawEntry(text="Goal!", headline="Second goal", stamp=_clock(14, 31)),
        RawEntry(text="Tor!", stamp=_clock(15, 0), native_id="a"),
        RawEntry(text="Tor!", stamp=_clock(15, 0), native_id="b"),
    ]
    assert drop_copies(goals) == goals
    assert drop_copies([*goals, goals[3]]) == goals
