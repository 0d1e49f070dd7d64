"""What the matcher looks at in an entry, computed once per entry and poll."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from diffing.model import EntryStatus, KnownEntry
from diffing.normalize import text_key
from diffing.timing import matching_minute
from ingest.model import Entry


@dataclass(frozen=True, slots=True)
class Features:
    """An entry reduced to its comparable parts.

    ``text`` and ``headline`` are comparison keys (case kept); ``fuzzy`` is the
    case-folded text, or the headline for an entry without body text; ``minute`` the
    trustworthy clock minute or None (:func:`diffing.timing.matching_minute`);
    ``position`` the page position (for a known entry: where the last fresh page
    showed it); ``instant`` the entry's time however it was placed (a relative
    label's estimate included), or None.
    """

    text: str
    headline: str
    fuzzy: str
    minute: int | None
    native_id: str | None
    position: int
    live: bool
    instant: datetime | None = None


def of_entry(entry: Entry, position: int) -> Features:
    text, headline = text_key(entry.text), text_key(entry.headline)
    return Features(
        text=text,
        headline=headline,
        fuzzy=(text or headline).casefold(),
        minute=matching_minute(entry.time, entry.time_source, entry.time_evidence),
        native_id=entry.native_id or None,
        position=position,
        live=True,
        instant=entry.time,
    )


def of_known(known: KnownEntry) -> Features:
    version = known.version
    text, headline = text_key(version.text), text_key(version.headline)
    return Features(
        text=text,
        headline=headline,
        fuzzy=(text or headline).casefold(),
        minute=matching_minute(version.time, version.time_source, version.time_evidence),
        native_id=version.native_id or None,
        position=known.position,
        live=known.status is EntryStatus.LIVE,
        instant=version.time,
    )
