"""``MemoryStoryStore``: the story port in process memory, beside memory desk and ticker stores.

It asks the desk store whether a desk exists on every call (a removed desk's stories
are gone, as ``ON DELETE CASCADE`` has it in SQL) and the ticker repository which
tickers exist: members of a removed ticker are left out when read, and a story left
without members is not returned. Memory ids are never reused, so nothing stale comes
back. One lock stands for the database's transactions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from storage.desks import DeskId, DeskStore
from storage.errors import TickerNotFound
from storage.ports import TickerRepository
from storage.story_store import (
    MAX_MERGE_HOPS,
    StoryConflict,
    StoryNotFound,
    StoryStore,
    check_merges,
    stored_story,
)
from storage.validate import check_window, stored_instant
from stories.model import EntryKey, Story, StoryEntry


@dataclass(slots=True)
class _Desk:
    """One desk's stories, each with the start it had when applied."""

    stories: dict[int, tuple[datetime, Story]] = field(default_factory=dict)
    merged: dict[int, int] = field(default_factory=dict)  # merged id -> into
    next_story_id: int = 1
    revision: int = 0


class MemoryStoryStore:
    """Implements :class:`storage.story_store.StoryStore` over ``desks`` and ``tickers``."""

    def __init__(self, desks: DeskStore, tickers: TickerRepository) -> None:
        self._desks = desks
        self._tickers = tickers
        self._lock = threading.Lock()
        self._rows: dict[DeskId, _Desk] = {}

    def close(self) -> None:
        """Nothing to release."""

    def revision(self, desk: DeskId) -> int:
        with self._lock:
            return self._desk(desk).revision

    def load(self, desk: DeskId, *, since: datetime) -> tuple[tuple[Story, ...], int]:
        since = stored_instant(since)
        with self._lock:
            rows = self._desk(desk)
            live = self._live()
            found = [
                (start, story.id, s)
                for start, story in rows.stories.values()
                if start >= since and (s := _alive(story, live)) is not None
            ]
            found.sort(key=lambda f: (f[0], f[1]))
            return tuple(s for _, _, s in found), rows.next_story_id

    def apply(
        self,
        desk: DeskId,
        stories: Iterable[Story],
        *,
        removed: Iterable[int] = (),
        merged: Mapping[int, int] | None = None,
        next_story_id: int,
        if_revision: int | None = None,
    ) -> int:
        checked = [stored_story(s) for s in stories]
        into = check_merges(merged)
        gone = [*removed, *into]
        with self._lock:
            rows = self._desk(desk)
            if if_revision is not None and if_revision != rows.revision:
                raise StoryConflict(
                    f"desk {desk} is at revision {rows.revision}, not {if_revision}"
                )
            live = self._live()
            for story in checked:
                for member in story.members:
                    if member.ticker_id not in live:
                        raise TickerNotFound(f"no ticker {member.ticker_id}")
            for story_id in gone:
                rows.stories.pop(story_id, None)
            rows.merged.update(into)
            for story in checked:
                rows.stories[story.id] = (story.start, story)
            rows.next_story_id = max(rows.next_story_id, next_story_id)
            rows.revision += 1
            return rows.revision

    def filed(self, desk: DeskId, keys: Iterable[EntryKey]) -> dict[EntryKey, StoryEntry]:
        wanted = set(keys)
        with self._lock:
            rows = self._desk(desk)
            live = self._live()
            return {
                m.key: m
                for _, story in rows.stories.values()
                for m in story.members
                if m.key in wanted and m.ticker_id in live
            }

    def recent(
        self,
        desk: DeskId,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        min_tickers: int = 1,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[Story, ...]:
        check_window(limit, offset)
        low = None if since is None else stored_instant(since)
        high = None if until is None else stored_instant(until)
        with self._lock:
            rows = self._desk(desk)
            live = self._live()
            found = []
            for start, story in rows.stories.values():
                if (low is not None and start < low) or (high is not None and start >= high):
                    continue
                alive = _alive(story, live)
                if alive is not None and len(alive.tickers) >= min_tickers:
                    found.append((start, story.id, alive))
            found.sort(key=lambda f: (f[0], f[1]), reverse=True)
            return tuple(s for _, _, s in found[offset : offset + limit])

    def get(self, desk: DeskId, story: int) -> Story:
        with self._lock:
            rows = self._desk(desk)
            for _ in range(MAX_MERGE_HOPS):
                if story not in rows.merged or story in rows.stories:
                    break
                story = rows.merged[story]
            held = rows.stories.get(story)
            alive = None if held is None else _alive(held[1], self._live())
            if alive is None:
                raise StoryNotFound(f"no story {story} on desk {desk}")
            return alive

    def _desk(self, desk: DeskId) -> _Desk:
        self._desks.get(desk)  # DeskNotFound
        return self._rows.setdefault(desk, _Desk())

    def _live(self) -> frozenset[int]:
        return frozenset(t.id for t in self._tickers.list())


def _alive(story: Story, live: frozenset[int]) -> Story | None:
    """``story`` without the members of removed tickers; None when none is left."""
    members = tuple(m for m in story.members if m.ticker_id in live)
    if not members:
        return None
    return story if len(members) == len(story.members) else Story(story.id, members)


def _conforms(store: MemoryStoryStore) -> StoryStore:
    return store  # mypy checks here that MemoryStoryStore implements the port
