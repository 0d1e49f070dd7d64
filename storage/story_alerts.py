"""Recording a story alert (:mod:`stories.alerts`): what every adapter writes. Pure.

A fired alert is three rows written in one transaction
(:meth:`storage.ports.PollStore.record_story_alert`):

- a change event of kind ``competitor_first`` or ``we_were_first``, about the
  competitor's entry: its ticker, the entry's current revision as ``current`` (so every
  reader of change events shows the entry's headline and text), that revision's poll
  and snapshot, ``observed_at`` the moment of judging, the desk and story, the leads
  and ``detail`` (who was first, by how much, in words);
- its outbox row, so alert delivery hands it to the sinks whose rules name the kind;
- the fired key: one per (desk, story, competitor ticker) and one per (desk,
  competitor entry), of either kind — a primary key and a unique constraint in SQL,
  so of two processes judging one desk at once only one records it; the other gets
  None and writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from diffing.model import ChangeKind
from storage.errors import InvalidValue
from storage.model import RevisionId
from storage.plan import EventWrite
from storage.validate import check_instant, check_text
from stories import Fired, StoryAlert, StoryAlertKind

KINDS: dict[StoryAlertKind, ChangeKind] = {
    StoryAlertKind.COMPETITOR_FIRST: ChangeKind.COMPETITOR_FIRST,
    StoryAlertKind.WE_WERE_FIRST: ChangeKind.WE_WERE_FIRST,
}
STORY_KINDS = frozenset(KINDS.values())


def alert_kind(kind: ChangeKind | str) -> StoryAlertKind:
    """The story alert kind a stored change kind (or its value) names."""
    value = kind.value if isinstance(kind, ChangeKind) else kind
    return StoryAlertKind(value)


def check_alert(alert: StoryAlert, *, detail: str, at: datetime) -> None:
    """Raise InvalidValue for an alert no store keeps."""
    check_instant(at, "story alert time")
    check_text(detail, "story alert detail")
    check_text(alert.entry_id, "story alert entry id")
    if not detail.strip():
        raise InvalidValue("a story alert needs its detail")
    if alert.own is not None and alert.own.ticker_id == alert.ticker_id:
        raise InvalidValue("a story alert compares two different tickers")


def already_fired(alert: StoryAlert, fired: Iterable[Fired]) -> bool:
    """True when ``fired`` holds the alert's story and ticker, or its entry."""
    return any(
        (f.story_id, f.ticker_id) == (alert.story_id, alert.ticker_id)
        or (f.ticker_id, f.entry_id) == (alert.ticker_id, alert.entry_id)
        for f in fired
    )


def alert_event(alert: StoryAlert, *, detail: str, current: RevisionId) -> EventWrite:
    """The change event of ``alert``; ``current`` is the competitor entry's revision."""
    return EventWrite(
        kind=KINDS[alert.kind],
        entry_id=alert.entry_id,
        changed=(),
        similarity=None,
        word_ops=(),
        previous=None,
        current=current,
        page_headline=None,
        previous_page_headline=None,
        detail=detail,
        desk_id=alert.desk_id,
        story_id=alert.story_id,
        lead_seen_minutes=alert.lead_seen_minutes,
        lead_printed_minutes=alert.lead_printed_minutes,
    )


def fired_keys(rows: Collection[tuple[int, int, str, str]]) -> tuple[Fired, ...]:
    """``Fired`` values of (story id, ticker id, entry id, kind value) rows, in order."""
    return tuple(
        Fired(story, ticker, entry, alert_kind(kind)) for story, ticker, entry, kind in rows
    )
