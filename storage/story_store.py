"""The stories of each desk, as story matching (:mod:`stories`) left them: the port.

Story matching is pure: each poll's new and edited entries go to
:func:`stories.place`, which returns the desk's new state and a placement per entry.
A :class:`StoryStore` keeps what the state says between polls and processes — each
story with its members as they stood when filed — so that story ids stay stable across
restarts, and the desk pages, exports and feeds read them back.

A member is the entry as matching saw it (title, text, link, printed time, first seen),
named by ``(ticker_id, entry_id)``: ``entry_id`` is the entry's id in its ticker's
history (:class:`storage.model.Revision.entry_id`), so a story links to each entry's
revisions. Stories are kept after matching stops considering them (they leave the
state after ``StoryConfig.retain``): the archive keeps every story.

Times come back as every store returns them: ``first_seen`` as aware UTC, ``printed``
at the UTC offset the page gave (:func:`storage.validate.stored_time`). A story's
``start``, by which ``recent`` filters and orders, is the one it had when last applied.
Removing a ticker removes its members from every story (``ON DELETE CASCADE``); a story
left without members is no longer returned. Removing a desk removes its stories.

Several processes may file into one desk (PostgreSQL workers). Each keeps the desk's
state in memory, so the store counts the applies of each desk (:meth:`StoryStore.revision`):
a writer passes the revision its state was loaded at (``if_revision``) and gets
:class:`StoryConflict` — nothing written — when another writer applied since; it then
loads the desk again and places its poll's entries anew. Applies of one desk are
serialized (a row lock on the desk's counter on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from storage.desks import DeskId
from storage.errors import InvalidValue, NotFound, StorageError
from storage.model import MAX_ID
from storage.validate import check_texts, stored_instant, stored_time
from stories.model import EntryKey, Story, StoryEntry


class StoryNotFound(NotFound):
    """No story with this id on this desk."""


class StoryConflict(StorageError):
    """Another writer applied to the desk's stories since the given revision."""


class StoryStore(Protocol):
    """Stories per desk. Every method is one transaction; ``apply`` is all or nothing.
    Every method raises ``DeskNotFound`` for an unknown desk; ``apply`` raises
    ``TickerNotFound`` for a member of an unknown ticker and ``InvalidValue`` for a
    story without members or text that cannot be stored."""

    def revision(self, desk: DeskId) -> int:
        """How many applies the desk's stories have had (0 before the first). Read it
        before ``load``: an apply in between then shows as a conflict, never as lost."""
        ...

    def load(self, desk: DeskId, *, since: datetime) -> tuple[tuple[Story, ...], int]:
        """The desk's stories whose start is at or after ``since`` (those matching may
        still file entries into), oldest first, and the next story id to give (1 on a
        desk that never had a story; never an id given before, even of a deleted story).
        """
        ...

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
        """Store ``stories`` as they are now (a story's members replace what was stored
        under its id), delete the stories ``removed`` (a placement ``emptied`` them),
        delete the stories ``merged`` (merged id -> the id it went into,
        :func:`stories.merges`) and remember where each went, and remember
        ``next_story_id`` (the stored one never goes down). Applying the same
        stories twice stores them once. With ``if_revision``, raise
        :class:`StoryConflict` unless the desk is still at that revision. Returns the
        desk's new revision."""
        ...

    def filed(self, desk: DeskId, keys: Iterable[EntryKey]) -> dict[EntryKey, StoryEntry]:
        """The stored member of each of ``keys`` filed in one of the desk's stories,
        however old the story; keys filed in none are left out."""
        ...

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
        """The desk's stories newest first (by :attr:`Story.start`, then id), those
        starting in ``[since, until)`` and reported by at least ``min_tickers`` tickers."""
        ...

    def get(self, desk: DeskId, story: int) -> Story:
        """One story of the desk; :class:`StoryNotFound` when there is none. A story
        merged into another answers with the one it went into (followed as far as it
        was merged on), under that one's id: a page shown for the merged id redirects."""
        ...

    def close(self) -> None: ...


# Merges followed by ``get`` at most: a chain longer than this is a loop.
MAX_MERGE_HOPS = 1000


def stored_story(story: Story) -> Story:
    """``story`` as every store returns it (times normalized, see the module); raise
    InvalidValue for a story no store keeps: no members, a member twice, text with NUL."""
    if not story.members:
        raise InvalidValue(f"story {story.id} has no members")
    if not 1 <= story.id <= MAX_ID:
        raise InvalidValue(f"a story id is from 1 to {MAX_ID}, got {story.id}")
    keys = [m.key for m in story.members]
    if len(set(keys)) != len(keys):
        raise InvalidValue(f"story {story.id} names an entry twice")
    members = []
    for member in story.members:
        check_texts(
            (
                (member.entry_id, "story entry id"),
                (member.title, "story entry title"),
                (member.text, "story entry text"),
                (member.link, "story entry link"),
            )
        )
        members.append(
            replace(
                member,
                first_seen=stored_instant(member.first_seen),
                printed=None if member.printed is None else stored_time(member.printed),
            )
        )
    return Story(story.id, tuple(members))


def check_merges(merged: Mapping[int, int] | None) -> dict[int, int]:
    """``merged`` as a dict; InvalidValue for a story merged into itself or a bad id."""
    into = dict(merged or {})
    for story, target in into.items():
        if not (1 <= story <= MAX_ID and 1 <= target <= MAX_ID):
            raise InvalidValue(f"a story id is from 1 to {MAX_ID}, got {story} -> {target}")
        if story == target:
            raise InvalidValue(f"story {story} cannot be merged into itself")
    return into
