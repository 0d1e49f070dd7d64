"""Copies of one entry within one reading: a pinned post repeated above the stream, a
highlighted entry shown twice. Pure functions of the raw entries.

Two entries are one when they share a native id. Without ids, they are one when they
share headline and text, or time and text: a reading without entry boundaries (time-led
paragraphs) gives the copy above the stream whatever heading stands before it (the
page's ``<h1>``), so its headline is no evidence that it is another entry. Entries with
different native ids are never merged, whatever they say: "Goal!" twice is two goals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.dating import Stamp
from ingest.layouts.base import RawEntry
from ingest.text import comparison_key


def _time_key(stamp: Stamp) -> str | None:
    """The entry's stated time as a key: its machine value, else its printed clock with
    the day a heading gave it. None for an entry without a clock time of its own."""
    if stamp.machine is not None:
        return stamp.machine.isoformat()
    if stamp.clock is not None:
        clock = stamp.clock
        return f"{clock.year}-{clock.month}-{clock.day} {clock.minute_of_day} {stamp.day}"
    return None


def copy_keys(entry: RawEntry) -> tuple[str, ...]:
    """The keys under which ``entry`` is a copy of an earlier entry with any one of them."""
    if entry.native_id:
        return (f"id\x00{entry.native_id}",)
    text = comparison_key(entry.text)
    keys = [f"headline\x00{comparison_key(entry.headline)}\x00{text}"]
    when = _time_key(entry.stamp)
    if when is not None and text:
        keys.append(f"time\x00{when}\x00{text}")
    return tuple(keys)


def drop_copies(raw: Sequence[RawEntry]) -> list[RawEntry]:
    """The entries with every copy dropped (:func:`copy_keys`), in page order.

    The first of the copies is kept, except that a copy flagged pinned gives way to a
    later one in the stream, which is kept at its place there, flagged pinned.
    """
    slots: list[RawEntry | None] = []
    seen: dict[str, int] = {}
    for entry in raw:
        keys = copy_keys(entry)
        index = next((seen[k] for k in keys if k in seen), None)
        if index is None:
            for key in keys:
                seen[key] = len(slots)
            slots.append(entry)
            continue
        kept = slots[index]
        assert kept is not None
        if kept.pinned and not entry.pinned:
            slots[index] = None
            for key in (*copy_keys(kept), *keys):
                seen[key] = len(slots)
            slots.append(replace(entry, pinned=True))
    return [e for e in slots if e is not None]
