"""A poll's changes as story matching sees them: :class:`~stories.StoryEntry` values.

Story matching takes new and edited entries (changes ``added``, ``edited``,
``retitled``, ``retimed``, ``restored``) as the page shows them now. A new entry is
first seen at its poll; an edited one keeps the ``first_seen`` it already has, which
the caller looks up (``first_seen_of``). An entry's own link is its native id when
that is a web address: the items of newsticker lists are known by their article's
link; live-blog entries have none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from diffing.model import Change, ChangeKind, EntryVersion
from stories import StoryEntry

FILED_KINDS = frozenset(
    {
        ChangeKind.ADDED,
        ChangeKind.EDITED,
        ChangeKind.RETITLED,
        ChangeKind.RETIMED,
        ChangeKind.RESTORED,
    }
)
FirstSeen = Callable[[str], datetime]


def entry_link(native_id: str | None) -> str | None:
    """The entry's own link: its native id when that is an http(s) address."""
    if native_id and native_id.startswith(("https://", "http://")):
        return native_id
    return None


def story_entries(
    ticker_id: int, changes: Sequence[Change], *, seen_at: datetime, first_seen_of: FirstSeen
) -> list[StoryEntry]:
    """The entries a poll's ``changes`` bring to story matching: new and edited ones,
    as they are now. ``first_seen_of(entry_id)`` answers for entries that are not new."""
    entries = []
    for change in changes:
        version = change.current
        if change.kind not in FILED_KINDS or version is None or change.entry_id is None:
            continue
        first_seen = seen_at if change.kind is ChangeKind.ADDED else first_seen_of(change.entry_id)
        entries.append(story_entry(ticker_id, change.entry_id, version, first_seen))
    return entries


def story_entry(
    ticker_id: int, entry_id: str, version: EntryVersion, first_seen: datetime
) -> StoryEntry:
    """An entry as story matching sees it: ``version`` as the page showed it."""
    return StoryEntry(
        ticker_id=ticker_id,
        entry_id=entry_id,
        title=version.headline or "",
        text=version.text,
        first_seen=first_seen,
        printed=version.time,
        link=entry_link(version.native_id),
    )
