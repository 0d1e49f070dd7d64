"""Which of a desk's stories a page, the API, an export or the feed asks for, and
reading them from the :class:`storage.story_store.StoryStore`.

A :class:`StoryFilter` is read from query parameters by the routes: ``[since, until)``
on the story's start, ``min_tickers`` (default 2: stories two or more tickers share),
and ``only``: ``single`` keeps the stories one ticker has alone, ``theirs`` those of
them that a competitor has and none of our own tickers ("what they have that we
don't"). The store filters by time and ticker count itself; ``only`` is applied here,
reading the store in batches, so that paging stays exact.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.desks import DeskId
from storage.story_store import StoryStore
from stories import Story

DEFAULT_MIN_TICKERS = 2
# The desk's record covers this much before now when the page names no period.
RECORD_PERIOD = timedelta(days=7)
# At most this many shared stories go into one record (a desk's busiest weeks hold a
# few thousand); the page says when the period held more.
RECORD_LIMIT = 10_000
_BATCH = 200


class Only(enum.Enum):
    ANY = ""  # every story with at least ``min_tickers`` tickers
    SINGLE = "single"  # stories one ticker has alone
    THEIRS = "theirs"  # stories competitors have and none of our own tickers


@dataclass(frozen=True, slots=True)
class StoryFilter:
    since: datetime | None = None
    until: datetime | None = None
    min_tickers: int = DEFAULT_MIN_TICKERS
    only: Only = Only.ANY

    def keeps(self, story: Story, own: Collection[int]) -> bool:
        """Whether ``story`` passes ``only`` (time and ticker count are the store's)."""
        if self.only is Only.ANY:
            return True
        if len(story.tickers) != 1:
            return False
        return self.only is Only.SINGLE or not story.tickers & set(own)

    @property
    def store_min_tickers(self) -> int:
        return self.min_tickers if self.only is Only.ANY else 1


def _scan(
    store: StoryStore, desk: DeskId, chosen: StoryFilter, own: Collection[int]
) -> Iterator[Story]:
    offset = 0
    while True:
        batch = store.recent(
            desk,
            since=chosen.since,
            until=chosen.until,
            min_tickers=chosen.store_min_tickers,
            limit=_BATCH,
            offset=offset,
        )
        yield from (s for s in batch if chosen.keeps(s, own))
        if len(batch) < _BATCH:
            return
        offset += _BATCH


def select(
    store: StoryStore,
    desk: DeskId,
    chosen: StoryFilter,
    own: Collection[int],
    *,
    limit: int,
    offset: int = 0,
) -> tuple[Story, ...]:
    """The ``limit`` stories after ``offset`` that ``chosen`` keeps, newest first."""
    if chosen.only is Only.ANY:
        return store.recent(
            desk,
            since=chosen.since,
            until=chosen.until,
            min_tickers=chosen.min_tickers,
            limit=limit,
            offset=offset,
        )
    found: list[Story] = []
    for index, story in enumerate(_scan(store, desk, chosen, own)):
        if index >= offset:
            found.append(story)
            if len(found) == limit:
                break
    return tuple(found)


def every(
    store: StoryStore, desk: DeskId, chosen: StoryFilter, own: Collection[int]
) -> Iterator[Story]:
    """Every story ``chosen`` keeps, newest first, read in batches (for exports)."""
    return _scan(store, desk, chosen, own)


def _before(at: datetime, span: timedelta) -> datetime:
    try:
        return at - span
    except OverflowError:  # an ``until`` in the first days of year 1
        return datetime.min.replace(tzinfo=at.tzinfo)


@dataclass(frozen=True, slots=True)
class RecordPeriod:
    start: datetime
    end: datetime
    stories: tuple[Story, ...]
    cut: bool  # the period held more than RECORD_LIMIT shared stories


def record_period(
    store: StoryStore,
    desk: DeskId,
    *,
    since: datetime | None,
    until: datetime | None,
    now: datetime,
) -> RecordPeriod:
    """The shared stories of ``[since, until)``; without ``until`` up to ``now``,
    without ``since`` the :data:`RECORD_PERIOD` before that end; for :func:`stories.desk_record`."""
    # A story's start is never after the poll that saw it: one second past now keeps
    # the story that started this very instant.
    end = until if until is not None else now + timedelta(seconds=1)
    start = since if since is not None else _before(min(end, now), RECORD_PERIOD)
    found: list[Story] = []
    chosen = StoryFilter(since=start, until=end)
    for story in _scan(store, desk, chosen, ()):
        if len(found) == RECORD_LIMIT:
            return RecordPeriod(start, end, tuple(found), cut=True)
        found.append(story)
    return RecordPeriod(start, end, tuple(found), cut=False)
