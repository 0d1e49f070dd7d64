"""A ticker's change events as timeline rows, and the timeline's filter. Pure.

Each :class:`TimelineRow` names what changed (the entry's headline, else its first
words; the page headline for a page retitle) and shows a short difference: the changed
words with a few words of context for edits and retitles, the first words of the entry
for additions and removals; a parse-health event shows its message.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from diffing.model import ChangeKind
from storage.model import StoredChange
from web.diffview import Segment, compact, first_words, word_diff
from web.entryview import change_diffs

KIND_LABELS: dict[ChangeKind, str] = {
    ChangeKind.ADDED: "added",
    ChangeKind.EDITED: "edited",
    ChangeKind.RETITLED: "retitled",
    ChangeKind.RETIMED: "retimed",
    ChangeKind.REMOVED: "removed",
    ChangeKind.RESTORED: "restored",
    ChangeKind.PAGE_RETITLED: "page retitled",
    ChangeKind.PAGED_OUT: "paged out",
    ChangeKind.TICKER_HEALTH: "parse health",
    ChangeKind.COMPETITOR_FIRST: "competitor first",
    ChangeKind.WE_WERE_FIRST: "we were first",
}


# Kinds whose row shows the entry's first words rather than a difference.
_WHOLE_ENTRY = frozenset({ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.PAGED_OUT})


@dataclass(frozen=True, slots=True)
class TimelineRow:
    change: StoredChange
    title: str
    time_label: str | None
    detail: tuple[Segment, ...]
    # Shown to the second: another row's change was observed in the same minute.
    precise: bool = False

    @property
    def kind(self) -> str:
        return self.change.kind.value

    @property
    def label(self) -> str:
        return KIND_LABELS[self.change.kind]


def timeline_row(change: StoredChange, *, precise: bool = False) -> TimelineRow:
    title, label, detail = _shown(change)
    return TimelineRow(change, title, label, detail, precise)


def _shown(change: StoredChange) -> tuple[str, str | None, tuple[Segment, ...]]:
    """A row's title, time label and difference."""
    if change.kind is ChangeKind.TICKER_HEALTH:
        return change.detail or "(parse health changed)", None, ()
    if change.kind.about_story:
        # The competitor's entry as the title; the detail says who was first.
        version = change.current.version if change.current else None
        title = (version.headline if version else None) or first_words(
            version.text if version else "", 12
        )
        said = (Segment("equal", change.detail),) if change.detail else ()
        return title, version.time_label if version else None, said
    if change.kind is ChangeKind.PAGE_RETITLED:
        retitle = compact(word_diff(change.previous_page_headline, change.page_headline))
        return change.page_headline or "(no page headline)", None, retitle
    shown = change.current or change.previous
    version = shown.version if shown else None
    title = (version.headline if version else None) or first_words(
        version.text if version else "", 12
    )
    label = version.time_label if version else None
    if change.kind in _WHOLE_ENTRY:
        detail: tuple[Segment, ...] = (
            (Segment("equal", first_words(version.text, 40)),) if version else ()
        )
        return title, label, detail
    headline, text, time = change_diffs(change)  # only where the row shows a difference
    if text:
        detail = compact(text)
    elif headline:
        detail = compact(headline)
    elif time:
        detail = (Segment("delete", time[0] or "—"), Segment("insert", time[1] or "—"))
    else:
        detail = ()
    return title, label, detail


def timeline_rows(changes: Sequence[StoredChange]) -> tuple[TimelineRow, ...]:
    """Rows of ``changes``; a row is ``precise`` when changes of other polls share its
    minute, so the seconds tell them apart."""
    polls_in: dict[datetime, set[datetime]] = {}
    for change in changes:
        minute = change.observed_at.replace(second=0, microsecond=0)
        polls_in.setdefault(minute, set()).add(change.observed_at)
    return tuple(
        timeline_row(c, precise=len(polls_in[c.observed_at.replace(second=0, microsecond=0)]) > 1)
        for c in changes
    )


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """Which events a timeline page shows: kinds (None: all), ``[since, until)``, and
    the page (1-based)."""

    kinds: frozenset[ChangeKind] | None = None
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1

    def offset(self, page_size: int) -> int:
        return (self.page - 1) * page_size


def parse_kinds(values: Collection[str]) -> frozenset[ChangeKind] | None:
    """Kinds named by their values (``ValueError`` names an unknown one); none: all."""
    kinds = set()
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                kinds.add(ChangeKind(part.strip()))
            except ValueError as error:
                known = ", ".join(k.value for k in ChangeKind)
                raise ValueError(f"unknown kind {part!r} (known: {known})") from error
    return frozenset(kinds) or None
