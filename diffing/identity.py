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
