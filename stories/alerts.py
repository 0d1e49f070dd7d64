"""Who had a story first, judged for alerts: ``competitor_first`` and ``we_were_first``. Pure.

:func:`judge` reads a desk's stories, which of the desk's tickers are our own, the
desk's lead time N and window, ``now`` and the alerts fired already, and returns the
alerts to fire now and when to judge again. The shell (``tickerwatch.desking``) records
each alert with a unique key, so a key fires once however often a desk is judged, by
however many processes.

The rules, per story and per competitor ticker T (a desk ticker not marked own) with an
entry in it. C is T's first entry in the story and O the earliest entry of any own
ticker, both by the poll that first saw them (``first_seen``: the clock a monitor can
vouch for; a page's printed time can be backdated):

- ``competitor_first`` when no own entry was seen by ``C.first_seen + N`` and ``now``
  has reached that moment. An own entry seen later than that does not undo it: the
  competitor was first by more than N minutes.
- ``we_were_first`` when O was seen at least :data:`MIN_LEAD` before C. Smaller leads
  are the order in which one round of polls reached the two pages, not news; a tie is
  nobody's lead.
- Nothing for an entry older than the desk's window at the time of judging (its
  :attr:`~stories.model.StoryEntry.when`, the printed time where the page gave an
  earlier one): a restart, a ticker's first poll of a page of old entries or a desk
  created over old data bring no flood of stale alerts.
- Nothing for a competitor entry first seen before the desk was made: a new desk
  files what its tickers' pages already show (to compare it), which is no news.
- Nothing when the desk has no own ticker, and never for an own ticker's entry.
- Once per (story, competitor ticker), of either kind: the two contradict each other.
  And once per competitor entry: an entry an edit moved into another story has had its
  alert (the new story's is the same news again).

Both leads go with an alert, in minutes: on the seen clock (None while no own entry
exists) and on the printed clock (each entry's printed time, its first sighting where
the page printed none).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from stories.model import Story, StoryEntry

# A we_were_first lead below this is poll order, not news (see the module).
MIN_LEAD = timedelta(minutes=1)


class StoryAlertKind(enum.Enum):
    """Who was first in a story, as an alert says it."""

    COMPETITOR_FIRST = "competitor_first"  # a competitor has it, we did not N min later
    WE_WERE_FIRST = "we_were_first"  # a competitor reports what we had before


@dataclass(frozen=True, slots=True)
class Fired:
    """An alert fired before (read back from the store): its story, the competitor
    ticker and the competitor's entry it was about."""

    story_id: int
    ticker_id: int
    entry_id: str
    kind: StoryAlertKind


@dataclass(frozen=True, slots=True)
class StoryAlert:
    """One alert to fire: about ``competitor`` (the competitor ticker's first entry in
    the story) against ``own`` (the earliest own entry, None while we have none).

    ``lead_seen_minutes`` and ``lead_printed_minutes`` are the lead of whoever was first
    (the competitor for ``competitor_first``, we for ``we_were_first``), on each clock;
    negative on the printed clock when the pages' times say the opposite of the polls.
    ``lead_minutes`` is the desk's N.
    """

    kind: StoryAlertKind
    desk_id: int
    story_id: int
    competitor: StoryEntry
    own: StoryEntry | None
    lead_seen_minutes: float | None
    lead_printed_minutes: float | None
    lead_minutes: int

    @property
    def ticker_id(self) -> int:
        return self.competitor.ticker_id

    @property
    def entry_id(self) -> str:
        return self.competitor.entry_id

    @property
    def fired(self) -> Fired:
        return Fired(self.story_id, self.ticker_id, self.entry_id, self.kind)


@dataclass(frozen=True, slots=True)
class Judgment:
    """The alerts to fire now, and the earliest moment a ``competitor_first`` not yet
    due may become due (None: nothing pending; judge again when entries arrive)."""

    alerts: tuple[StoryAlert, ...]
    next_due: datetime | None


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60.0


def _printed(entry: StoryEntry) -> datetime:
    return entry.printed if entry.printed is not None else entry.first_seen


def _earliest(entries: Iterable[StoryEntry]) -> StoryEntry | None:
    return min(entries, key=lambda e: (e.first_seen, e.ticker_id, e.entry_id), default=None)


def judge(
    stories: Iterable[Story],
    *,
    desk_id: int,
    own: Collection[int],
    competitors: Collection[int],
    lead_minutes: int,
    window: timedelta,
    now: datetime,
    fired: Collection[Fired],
    min_lead: timedelta = MIN_LEAD,
    since: datetime | None = None,
) -> Judgment:
    """The alerts ``stories`` call for at ``now`` (see the module for the rules).

    ``own`` and ``competitors`` are the desk's ticker ids (members of other tickers, e.g.
    of a ticker that left the desk, are left out); ``fired`` what fired before;
    ``since`` when the desk was made.
    """
    if not own:
        return Judgment((), None)
    lead = timedelta(minutes=lead_minutes)
    oldest = now - window
    done_pairs = {(f.story_id, f.ticker_id) for f in fired}
    done_entries = {(f.ticker_id, f.entry_id) for f in fired}
    alerts: list[StoryAlert] = []
    next_due: datetime | None = None
    for story in stories:
        ours = _earliest(m for m in story.members if m.ticker_id in own)
        theirs_by_ticker: dict[int, list[StoryEntry]] = {}
        for member in story.members:
            if member.ticker_id in competitors and member.ticker_id not in own:
                theirs_by_ticker.setdefault(member.ticker_id, []).append(member)
        for ticker_id, entries in sorted(theirs_by_ticker.items()):
            theirs = _earliest(entries)
            if theirs is None or theirs.when < oldest or (story.id, ticker_id) in done_pairs:
                continue
            if since is not None and theirs.first_seen < since:
                continue  # on the page before the desk watched it
            if any((ticker_id, e.entry_id) in done_entries for e in entries):
                continue
            due = theirs.first_seen + lead
            if ours is None or ours.first_seen > due:
                if now < due:
                    next_due = due if next_due is None else min(next_due, due)
                    continue
                kind = StoryAlertKind.COMPETITOR_FIRST
                seen = _minutes(ours.first_seen, theirs.first_seen) if ours else None
                printed = _minutes(_printed(ours), _printed(theirs)) if ours else None
            elif theirs.first_seen - ours.first_seen >= min_lead:
                kind = StoryAlertKind.WE_WERE_FIRST
                seen = _minutes(theirs.first_seen, ours.first_seen)
                printed = _minutes(_printed(theirs), _printed(ours))
            else:
                continue
            alerts.append(
                StoryAlert(kind, desk_id, story.id, theirs, ours, seen, printed, lead_minutes)
            )
    return Judgment(tuple(alerts), next_due)


def _clock(moment: datetime) -> str:
    """``14:03 UTC``, or ``15:03 +01:00`` at the offset a page printed."""
    offset = moment.utcoffset() or timedelta(0)
    if offset == timedelta(0):
        return moment.strftime("%H:%M UTC")
    sign = "+" if offset > timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{moment:%H:%M} {sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _span(minutes: float) -> str:
    return f"{round(abs(minutes))} min"


def alert_detail(alert: StoryAlert, *, names: Mapping[int, str], desk: str) -> str:
    """The alert in words: who was first, by how many minutes on each clock, e.g.
    ``Politik: Spiegel was first, 14 min before Tagesschau (seen 14:03 UTC and 14:17
    UTC; printed 15:01 +01:00 and 15:15 +01:00: 14 min ahead).``

    ``names`` are the tickers' names (a missing one reads ``ticker N``). The printed
    times are said only when both entries have one."""

    def name(ticker_id: int) -> str:
        return names.get(ticker_id) or f"ticker {ticker_id}"

    theirs, ours = alert.competitor, alert.own
    if ours is None or alert.lead_seen_minutes is None:
        printed = f", printed {_clock(theirs.printed)}" if theirs.printed else ""
        return (
            f"{desk}: {name(theirs.ticker_id)} has it; our tickers did not"
            f" {alert.lead_minutes} min later (seen {_clock(theirs.first_seen)}{printed})."
        )
    lead = _span(alert.lead_seen_minutes)
    if alert.kind is StoryAlertKind.COMPETITOR_FIRST:
        first, later = theirs, ours
        head = f"{name(theirs.ticker_id)} was first, {lead} before {name(ours.ticker_id)}"
    else:
        first, later = ours, theirs
        head = f"we were first: {name(ours.ticker_id)} {lead} before {name(theirs.ticker_id)}"
    clocks = f"seen {_clock(first.first_seen)} and {_clock(later.first_seen)}"
    # The printed clock only where both pages printed a time: a fallback to the
    # first sighting would read as a time the page printed.
    if alert.lead_printed_minutes is not None and first.printed and later.printed:
        side = "ahead" if alert.lead_printed_minutes >= 0 else "behind"
        clocks += (
            f"; printed {_clock(first.printed)} and {_clock(later.printed)}:"
            f" {_span(alert.lead_printed_minutes)} {side}"
        )
    return f"{desk}: {head} ({clocks})."
