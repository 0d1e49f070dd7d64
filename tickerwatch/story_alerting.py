"""Judging desks for story alerts and recording what they call for (the shell around
:func:`stories.judge`).

:class:`StoryAlerter` is what :class:`tickerwatch.desking.StoryFiler` calls: right after
a poll's entries were filed into a desk (a competitor's entry may show that we were
first), and on every later poll of any ticker for the desks whose pending
``competitor_first`` fell due (:attr:`stories.Judgment.next_due`) — so a desk whose N
minutes pass without a poll of its own tickers is judged at the next poll of any
ticker, at most one poll interval of the busiest ticker late. Every desk is also judged
again once :data:`REJUDGE` has passed since this process last judged it: what another
process filed (PostgreSQL workers) falls due here too, should that process stop.

Each alert is recorded with its fired keys (:meth:`storage.ports.PollStore.record_story_alert`),
which refuses a key recorded before, by this process or another, before or after a
restart. The keys of each desk are read once (those fired within the desk's ``retain``,
as long as its stories stay matchable) and kept, so a desk judged again does not
propose them again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from storage.desks import Desk, DeskId, DeskTicker
from storage.errors import EntryNotFound, InvalidValue
from storage.model import StoredChange
from stories import MIN_LEAD, Fired, Story, StoryAlert, alert_detail, judge

log = logging.getLogger(__name__)

# How long a desk goes unjudged by a process at most while it polls: a competitor_first
# another process filed is late by no more than this (plus a poll interval).
REJUDGE = timedelta(minutes=1)


class StoryAlertStore(Protocol):
    """The two methods of :class:`storage.ports.PollStore` story alerts need."""

    def record_story_alert(
        self, alert: StoryAlert, *, detail: str, at: datetime
    ) -> StoredChange | None: ...

    def story_alerts_fired(self, desk_id: int, *, since: datetime) -> tuple[Fired, ...]: ...


class StoryAlerter:
    """Judges desks and records their alerts; not thread-safe by itself (the filer
    holds its lock around every call)."""

    def __init__(self, store: StoryAlertStore, *, min_lead: timedelta = MIN_LEAD) -> None:
        self._store = store
        self._min_lead = min_lead
        self._fired: dict[DeskId, dict[Fired, datetime]] = {}
        self._due: dict[DeskId, datetime] = {}

    def is_due(self, desk: DeskId, now: datetime) -> bool:
        """True for a desk never judged by this process, whose pending alert came due,
        or that it judged :data:`REJUDGE` ago."""
        due = self._due.get(desk)
        return due is None or due <= now

    def forget(self, desk: DeskId) -> None:
        """Drop what is kept of a desk (it was removed, or another process changed it):
        its keys are read again at the next judgment."""
        self._fired.pop(desk, None)
        self._due.pop(desk, None)

    def judge(
        self,
        desk: Desk,
        stories: Iterable[Story],
        tickers: Sequence[DeskTicker],
        *,
        now: datetime,
        retain: timedelta,
    ) -> list[StoredChange]:
        """Judge ``desk`` over ``stories`` at ``now`` and record its alerts; the change
        events recorded (an alert another process recorded first is not among them)."""
        fired = self._keys(desk.id, now=now, retain=retain)
        own = frozenset(int(t.ticker.id) for t in tickers if t.own)
        others = frozenset(int(t.ticker.id) for t in tickers if not t.own)
        judgment = judge(
            stories,
            desk_id=desk.id,
            own=own,
            competitors=others,
            lead_minutes=desk.lead_minutes,
            window=timedelta(minutes=desk.window_minutes),
            now=now,
            fired=fired.keys(),
            min_lead=self._min_lead,
            since=desk.created_at,
        )
        names = {int(t.ticker.id): t.ticker.name for t in tickers}
        recorded = []
        for alert in judgment.alerts:
            detail = alert_detail(alert, names=names, desk=desk.name)
            try:
                change = self._store.record_story_alert(alert, detail=detail, at=now)
            except (EntryNotFound, InvalidValue) as error:
                # The entry went with its ticker, or cannot be stored: not again.
                log.warning(
                    "desk %d: story %d alert not recorded: %s", desk.id, alert.story_id, error
                )
                change = None
            fired[alert.fired] = now
            if change is not None:
                recorded.append(change)
        again = now + REJUDGE
        self._due[desk.id] = min(judgment.next_due, again) if judgment.next_due else again
        return recorded

    def _keys(self, desk: DeskId, *, now: datetime, retain: timedelta) -> dict[Fired, datetime]:
        since = now - retain
        kept = self._fired.get(desk)
        if kept is None:
            kept = self._fired[desk] = dict.fromkeys(
                self._store.story_alerts_fired(desk, since=since), now
            )
        else:
            # Keys older than the stories matching still considers cannot recur.
            for key in [k for k, at in kept.items() if at < since]:
                del kept[key]
        return kept
