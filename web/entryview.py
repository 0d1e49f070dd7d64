"""The history of one entry, ready to show: every change with its word diff. Pure.

:func:`entry_view` turns an :class:`~storage.model.EntryHistory` into the changes newest
first, each with the differences of its headline and text (insertions and deletions
marked) and links to its older and newer neighbours, the headlines the entry has had,
and its revisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from diffing.model import ChangeKind, Field
from storage.model import EntryHistory, Revision, StoredChange
from web.diffview import Segment, changed, word_diff


@dataclass(frozen=True, slots=True)
class ChangeView:
    """One change of the entry. ``headline`` and ``text`` are its differences (empty
    when that part did not change); ``time`` the labels before and after a retime;
    ``older``/``newer`` the ids of the neighbouring changes of this entry."""

    change: StoredChange
    number: int  # 1 for the oldest change of the entry
    headline: tuple[Segment, ...]
    text: tuple[Segment, ...]
    time: tuple[str | None, str | None] | None
    older: int | None
    newer: int | None

    @property
    def kind(self) -> str:
        return self.change.kind.value


@dataclass(frozen=True, slots=True)
class HeadlineStep:
    """A headline the entry showed from ``since`` on (None: it had none)."""

    since: datetime
    headline: str | None


@dataclass(frozen=True, slots=True)
class EntryView:
    history: EntryHistory
    current: Revision
    changes: tuple[ChangeView, ...]  # newest first
    headlines: tuple[HeadlineStep, ...]  # oldest first
    removed: tuple[datetime, ...]  # when it was removed from the page
    restored: tuple[datetime, ...]  # when it came back

    @property
    def title(self) -> str:
        version = self.current.version
        return version.headline or version.time_label or self.history.entry_id


def _time_label(revision: Revision | None) -> str | None:
    if revision is None:
        return None
    version = revision.version
    if version.time_label:
        return version.time_label
    return version.time.isoformat() if version.time else None


def change_diffs(
    change: StoredChange,
) -> tuple[tuple[Segment, ...], tuple[Segment, ...], tuple[str | None, str | None] | None]:
    """Headline difference, text difference and time labels (before, after) of one
    change; empty (or None) for the parts it did not change."""
    before, after = change.previous, change.current
    if change.kind is ChangeKind.ADDED and after is not None:
        first = after.version
        return word_diff(None, first.headline), word_diff(None, first.text), None
    if before is None or after is None:
        return (), (), None
    old, new = before.version, after.version
    headline: tuple[Segment, ...] = ()
    text: tuple[Segment, ...] = ()
    if Field.TITLE in change.changed or old.headline != new.headline:
        headline = word_diff(old.headline, new.headline)
        headline = headline if changed(headline) else ()
    if Field.TEXT in change.changed:
        text = word_diff(old.text, new.text, change.word_ops)
    time = None
    if Field.TIME in change.changed:
        time = (_time_label(before), _time_label(after))
    return headline, text, time


def _headlines(revisions: Sequence[Revision]) -> tuple[HeadlineStep, ...]:
    steps: list[HeadlineStep] = []
    for revision in revisions:
        headline = revision.version.headline
        if not steps or steps[-1].headline != headline:
            steps.append(HeadlineStep(revision.observed_at, headline))
    return tuple(steps)


def entry_view(history: EntryHistory) -> EntryView:
    """The view of an entry with at least one revision (every stored entry has one)."""
    if not history.revisions:
        raise ValueError(f"entry {history.entry_id} has no revision")
    ordered = history.changes  # oldest first, as the store returns them
    views: list[ChangeView] = []
    for index, change in enumerate(ordered):
        headline, text, time = change_diffs(change)
        views.append(
            ChangeView(
                change=change,
                number=index + 1,
                headline=headline,
                text=text,
                time=time,
                older=ordered[index - 1].id if index > 0 else None,
                newer=ordered[index + 1].id if index + 1 < len(ordered) else None,
            )
        )
    return EntryView(
        history=history,
        current=history.revisions[-1],
        changes=tuple(reversed(views)),
        headlines=_headlines(history.revisions),
        removed=tuple(c.observed_at for c in ordered if c.kind is ChangeKind.REMOVED),
        restored=tuple(c.observed_at for c in ordered if c.kind is ChangeKind.RESTORED),
    )
