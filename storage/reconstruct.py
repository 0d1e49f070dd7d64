"""Folding stored rows back into the differ's state and into views of the past. Pure.

Both adapters gather rows their own way and hand them to these functions, so the
memory store and the SQL store answer ``previous_state`` and ``ticker_as_of`` by the
same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from diffing.identity import retimed_away, version_digest
from diffing.model import EntryStatus, EntryVersion, KnownEntry, ReadingHealth, TickerState
from storage.model import EntryAsOf, Revision, SnapshotId, TickerId, TickerView


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """An entry as stored, with the version of its current revision."""

    entry_id: str
    status: EntryStatus
    first_seen: datetime
    last_seen: datetime
    position: int
    version: EntryVersion


def window_start(last_fresh_at: datetime | None, keep_removed_for: timedelta) -> datetime | None:
    """Where the retention window of ``previous_state`` starts: ``keep_removed_for``
    before the last fresh page (None: no fresh page yet, keep everything)."""
    if last_fresh_at is None:
        return None
    return last_fresh_at - keep_removed_for


def kept(status: EntryStatus, last_seen: datetime, start: datetime | None) -> bool:
    """Whether an entry belongs in the differ's state: live, or seen within the window."""
    return status is EntryStatus.LIVE or start is None or last_seen >= start


def superseded(history: Sequence[EntryVersion]) -> frozenset[str]:
    """Digests of the versions an entry was revised away from (``history`` oldest first,
    the current revision last), exactly as :func:`diffing.advance` accumulates them: a
    revision that leaves the digest alone (a new time stamp) supersedes nothing."""
    digests = [version_digest(v) for v in history]
    return frozenset(d for d, after in pairwise(digests) if d != after)


def retimed_from(history: Sequence[EntryVersion]) -> frozenset[str]:
    """Marks of the times an entry was retimed away from (``history`` oldest first), as
    :func:`diffing.advance` accumulates them (:func:`diffing.identity.retimed_away`)."""
    return frozenset().union(*(retimed_away(a, b) for a, b in pairwise(history)))


def ticker_state(
    entries: Iterable[EntryRecord],
    earlier: Mapping[str, Sequence[EntryVersion]],
    *,
    page_headline: str | None,
    last_fresh_at: datetime | None,
    last_body_sha256: str | None,
    seen_bodies: Iterable[str],
    health: ReadingHealth,
) -> TickerState:
    """The differ's state from kept entries and, per entry id, its earlier (non-current)
    revisions oldest first. Entries come in order of first sight."""
    known = [
        KnownEntry(
            entry_id=e.entry_id,
            version=e.version,
            status=e.status,
            first_seen=e.first_seen,
            last_seen=e.last_seen,
            position=e.position,
            superseded=superseded([*earlier.get(e.entry_id, ()), e.version]),
            retimed_from=retimed_from([*earlier.get(e.entry_id, ()), e.version]),
        )
        for e in sorted(entries, key=lambda e: (e.first_seen, e.position, e.entry_id))
    ]
    return TickerState(
        entries=tuple(known),
        page_headline=page_headline,
        last_fresh_at=last_fresh_at,
        last_body_sha256=last_body_sha256,
        seen_bodies=frozenset(seen_bodies),
        health=health,
    )


def reading_health(last_fresh: tuple[str, int] | None, broken_polls: int) -> ReadingHealth:
    """The reading health from the last fresh snapshot's ``(layout, entry count)`` (None
    before the first) and the count of polls judged not a ticker since that poll (of all
    polls, before it), as :func:`diffing.health.health_after` folds them."""
    if last_fresh is None:
        return ReadingHealth(broken_polls=broken_polls)
    layout, entries = last_fresh
    return ReadingHealth(layout=layout, entries=entries, broken_polls=broken_polls)


def latest_by_entry(revisions: Iterable[Revision]) -> dict[str, Revision]:
    """Each entry's last revision among ``revisions`` (by ``observed_at``, then id)."""
    latest: dict[str, Revision] = {}
    for revision in revisions:
        best = latest.get(revision.entry_id)
        if best is None or (revision.observed_at, revision.id) > (best.observed_at, best.id):
            latest[revision.entry_id] = revision
    return latest


def ticker_view(
    ticker_id: TickerId,
    at: datetime,
    *,
    snapshot: tuple[SnapshotId, datetime, Sequence[tuple[str, int]]] | None,
    page_headline: str | None,
    first_seen: Mapping[str, datetime],
    revisions: Iterable[Revision],
) -> TickerView:
    """The view of ``ticker_as_of``: ``snapshot`` is the last fresh one at or before
    ``at`` (id, observed_at, placements in page order), ``revisions`` any superset of
    the placed entries' revisions observed at or before ``at``."""
    if snapshot is None:
        return TickerView(ticker_id, at, None, None, page_headline, ())
    snapshot_id, observed_at, placements = snapshot
    latest = latest_by_entry(r for r in revisions if r.observed_at <= at)
    entries = tuple(
        EntryAsOf(entry_id, position, first_seen[entry_id], latest[entry_id])
        for entry_id, position in placements
    )
    return TickerView(ticker_id, at, snapshot_id, observed_at, page_headline, entries)
