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
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from storage.desks import DeskId
from storage.errors import NotFound
from stories.model import Story


class StoryNotFound(NotFound):
    """No story with this id on this desk."""


class StoryStore(Protocol):
    """Stories per desk. Every method is one transaction; ``apply`` is all or nothing."""

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
        next_story_id: int,
    ) -> None:
        """Store ``stories`` as they are now (a story's members replace what was stored
        under its id), delete the stories ``removed`` (a placement ``emptied`` them), and
        remember ``next_story_id``."""
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
        """One story of the desk; :class:`StoryNotFound` when there is none."""
        ...

    def close(self) -> None: ...
