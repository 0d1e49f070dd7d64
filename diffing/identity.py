"""Deterministic ids and content digests.

An entry's id is derived from what was seen when it first appeared, never drawn at
random: a poll that crashed after diffing and is retried with the same page and the
same ``observed_at`` yields the same ids, so a store can upsert instead of duplicating.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from diffing.model import EntryVersion
from diffing.normalize import text_key
from diffing.timing import clock_minute, time_changed, wall_minute
from ingest.model import Entry

ENTRY_ID_LENGTH = 16  # hex digits: 64 bits, collision-free for any ticker's lifetime


def new_entry_id(
    *, url: str, observed_at: datetime, position: int, text: str, headline: str | None
) -> str:
    """The id of an entry first seen at ``position`` on the page of ``url`` polled at
    ``observed_at``: a hex digest of those and the entry's normalized text and headline.

    Whitespace-only differences do not change the id; ``observed_at`` is taken as an
    instant (its UTC value), so the same poll gives the same id in any zone.
    """
    if observed_at.utcoffset() is None:
        raise ValueError("observed_at must be timezone-aware")
    instant = observed_at.timestamp()
    material = "\x1f".join(
        (url, f"{instant:.6f}", str(position), text_key(headline), text_key(text))
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:ENTRY_ID_LENGTH]


def version_digest(version: EntryVersion) -> str:
    """A digest of what a reader sees of a version: normalized text and headline.

    Two versions with the same digest are the same revision; time stamps are left out
    because parsers read them with varying precision from poll to poll.
    """
    material = f"{text_key(version.headline)}\x1f{text_key(version.text)}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:ENTRY_ID_LENGTH]


def version_of(entry: Entry) -> EntryVersion:
    """The :class:`EntryVersion` an entry of a parsed page shows."""
    return EntryVersion(
        text=entry.text,
        headline=entry.headline,
        time=entry.time,
        time_label=entry.time_label,
        time_source=entry.time_source,
        html=entry.html,
        native_id=entry.native_id,
        time_evidence=entry.time_evidence,
    )


def retimed_away(before: EntryVersion, after: EntryVersion) -> frozenset[str]:
    """Marks of the time a revision from ``before`` to ``after`` left behind: empty
    unless a reader sees another time (:func:`diffing.timing.time_changed`).

    A mark names a time as the differ compares it (``wall:`` the printed minute of the
    day, ``utc:`` the stated one); a page whose entry shows a marked time again shows
    it as it was before a retime, as an older copy does.
    """
    if not time_changed(
        before.time,
        before.time_source,
        before.time_evidence,
        after.time,
        after.time_source,
        after.time_evidence,
    ):
        return frozenset()
    return time_marks(before)


def time_marks(version: EntryVersion) -> frozenset[str]:
    """The marks (:func:`retimed_away`) of the time a version shows; empty without a
    trustworthy time."""
    wall = wall_minute(version.time, version.time_source)
    utc = clock_minute(version.time, version.time_source)
    marks = set()
    if wall is not None:
        marks.add(f"wall:{wall}")
    if utc is not None and version.time_evidence.explicit:
        marks.add(f"utc:{utc}")
    return frozenset(marks)
