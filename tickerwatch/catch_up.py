"""What a desk's tickers recorded that its stories do not hold yet (read back to file).

A process can stop between recording a poll and filing it into stories, and a desk or
a ticker can be new to a desk: :class:`~tickerwatch.desking.StoryFiler` then files
what these functions read from the poll store. Reads only; the filer decides what of
it is filed already.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from diffing.model import Change
from storage.model import StoredChange, TickerId
from storage.ports import PollStore
from stories import DeskState, StoryEntry
from tickerwatch.story_entries import FILED_KINDS, FirstSeen, story_entries, story_entry

# ``ticker_as_of`` answers "at or before": a page observed at the filing's own time is
# the poll being filed, which follows anyway.
_JUST_BEFORE = timedelta(microseconds=1)
# Change events read back per query.
_PAGE = 500


def marks(state: DeskState) -> dict[TickerId, datetime]:
    """Per ticker, when the latest of its entries in the desk's stories was first seen:
    the poll filed last, as far as the stories show."""
    found: dict[TickerId, datetime] = {}
    for story in state.stories.values():
        for member in story.members:
            ticker = TickerId(member.ticker_id)
            if ticker not in found or member.first_seen > found[ticker]:
                found[ticker] = member.first_seen
    return found


def recorded_since(
    recorded: PollStore,
    since: dict[TickerId, datetime],
    cutoff: datetime,
    until: datetime,
    *,
    first_seen_of: Callable[[TickerId], FirstSeen],
) -> list[StoryEntry]:
    """The entries each ticker's polls brought (new and edited) after its mark in
    ``since`` (not before ``cutoff``) and before ``until``, poll by poll, oldest
    first; ``first_seen_of(ticker)`` answers for entries that are not new."""
    entries: list[StoryEntry] = []
    for ticker, mark in since.items():
        changes: list[StoredChange] = []
        while True:
            page = recorded.changes(
                ticker,
                since=max(mark, cutoff),
                until=until,
                kinds=FILED_KINDS,
                limit=_PAGE,
                offset=len(changes),
            )
            changes += page
            if len(page) < _PAGE:
                break
        by_poll: dict[datetime, list[Change]] = {}
        for stored in reversed(changes):  # oldest first
            by_poll.setdefault(stored.observed_at, []).append(stored.as_change())
        for seen_at, polled in by_poll.items():
            entries += story_entries(
                ticker, polled, seen_at=seen_at, first_seen_of=first_seen_of(ticker)
            )
    return entries


def on_page(
    recorded: PollStore, tickers: Sequence[TickerId], cutoff: datetime, now: datetime
) -> list[StoryEntry]:
    """The entries the tickers' pages showed just before ``now``, as they were then,
    those of ``cutoff`` or later."""
    entries = []
    for ticker in tickers:
        view = recorded.ticker_as_of(ticker, now - _JUST_BEFORE)
        for shown in view.entries:
            entry = story_entry(ticker, shown.entry_id, shown.revision.version, shown.first_seen)
            if entry.when >= cutoff:
                entries.append(entry)
    return entries
