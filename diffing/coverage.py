"""Which part of a ticker a page still shows: removed versus paged out.

Tickers show a window of their entries: the newest N, or the last few hours. An
entry that falls out of that window was not deleted. An entry counts as removed only
when the page still covers its place: some entry that sat on its older side on the
last page is still shown. Positions, not times, decide, because late entries are filed
between older ones ("14.28" below "14.30") and a window cut by count would otherwise
look like a deletion. One exception: an entry older than every entry still shown sat
out of its time's place (pinned to the top), and its place is below the window.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime

from diffing.model import EntryStatus, KnownEntry
from ingest.model import Entry, Order, ParsedPage, TimeSource


def newest_first(page: ParsedPage) -> bool:
    """Whether the page lists its newest entry first: as the parser says, else as its
    time stamps run, else yes (what nearly every ticker does)."""
    if page.order is Order.NEWEST_FIRST:
        return True
    if page.order is Order.OLDEST_FIRST:
        return False
    return _times_descend(page.entries)


def _times_descend(entries: Sequence[Entry]) -> bool:
    times = [e.time for e in entries if e.time is not None]
    descending = sum(1 for a, b in itertools.pairwise(times) if a > b)
    ascending = sum(1 for a, b in itertools.pairwise(times) if a < b)
    return descending >= ascending


def vanished_statuses(
    missing: Iterable[KnownEntry], survivors: Iterable[KnownEntry], *, newest_first: bool
) -> dict[str, EntryStatus]:
    """``REMOVED`` or ``PAGED_OUT`` for each live entry the page no longer shows.

    ``survivors`` are the live entries the page still shows, as the last page had them.
    An entry is removed when one of them sat on its older side, unless its printed time
    is older than every survivor's: then it sat out of its time's place (a pinned entry
    let go) and was paged out with the rest of its hour.
    """
    kept = list(survivors)
    if not kept:
        return {known.entry_id: EntryStatus.PAGED_OUT for known in missing}
    positions = [k.position for k in kept]
    oldest_survivor = max(positions) if newest_first else min(positions)
    times = [t for t in map(_stated_time, kept) if t is not None]
    oldest_time = min(times) if times else None
    out = {}
    for known in missing:
        covered = (
            known.position < oldest_survivor if newest_first else known.position > oldest_survivor
        )
        time = _stated_time(known)
        if covered and time is not None and oldest_time is not None and time < oldest_time:
            covered = False
        out[known.entry_id] = EntryStatus.REMOVED if covered else EntryStatus.PAGED_OUT
    return out


def _stated_time(known: KnownEntry) -> datetime | None:
    """The entry's time when the page stated it; relative labels are estimates that
    drift between polls, and order nothing."""
    version = known.version
    if version.time is None or version.time_source is TimeSource.RELATIVE:
        return None
    return version.time


def is_above_page(known: KnownEntry, survivor_positions: Sequence[int], newest_first: bool) -> bool:
    """Whether a live entry sat on the newer side of every entry the page still shows."""
    if not survivor_positions:
        return False
    if newest_first:
        return known.position < min(survivor_positions)
    return known.position > max(survivor_positions)
