"""Who had a story first, and by how many minutes. Pure.

Two clocks answer "first": the time the page *printed* (what the reader sees, but a
newsroom can backdate it) and the poll that first *saw* the entry (what a monitor can
vouch for, to the poll interval). Every figure is given for both (:class:`Basis`).

A ticker's lead in a story is the minutes from its first entry to the earliest first
entry of any other ticker: positive when it was ahead, negative when it lagged, zero on
a tie. Desk figures count only stories that two or more of the desk's tickers have.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from stories.model import Story, StoryEntry


class Basis(enum.Enum):
    """Which clock orders a story's entries."""

    PRINTED = "printed"  # the page's printed time; first seen where the page prints none
    SEEN = "seen"  # the poll that first saw the entry

    def time_of(self, entry: StoryEntry) -> datetime:
        if self is Basis.PRINTED and entry.printed is not None:
            return entry.printed
        return entry.first_seen


@dataclass(frozen=True, slots=True)
class TickerLead:
    """One ticker's first entry in a story on one clock, and its lead over the others.

    ``lead_minutes`` is None when no other ticker has the story.
    """

    ticker_id: int
    entry_id: str
    at: datetime
    lead_minutes: float | None


@dataclass(frozen=True, slots=True)
class StoryLeads:
    """Each ticker's first entry in one story, earliest first, on both clocks."""

    story_id: int
    printed: tuple[TickerLead, ...]
    seen: tuple[TickerLead, ...]

    def on(self, basis: Basis) -> tuple[TickerLead, ...]:
        return self.printed if basis is Basis.PRINTED else self.seen

    def first(self, basis: Basis) -> int:
        """The ticker that was first (on a tie, the lowest ticker id)."""
        return self.on(basis)[0].ticker_id

    def lead_minutes(self, basis: Basis) -> float | None:
        """The first ticker's lead over the runner-up; None for a one-ticker story."""
        return self.on(basis)[0].lead_minutes


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60.0


def _ranked(members: Iterable[StoryEntry], basis: Basis) -> tuple[TickerLead, ...]:
    firsts: dict[int, StoryEntry] = {}
    for member in members:
        held = firsts.get(member.ticker_id)
        if held is None or (basis.time_of(member), member.entry_id) < (
            basis.time_of(held),
            held.entry_id,
        ):
            firsts[member.ticker_id] = member
    order = sorted(firsts.values(), key=lambda m: (basis.time_of(m), m.ticker_id))
    leads = []
    for entry in order:
        others = [basis.time_of(o) for o in order if o.ticker_id != entry.ticker_id]
        lead = _minutes(min(others), basis.time_of(entry)) if others else None
        leads.append(TickerLead(entry.ticker_id, entry.entry_id, basis.time_of(entry), lead))
    return tuple(leads)


def story_leads(story: Story) -> StoryLeads:
    """Each ticker's first entry in ``story`` and its lead, on both clocks."""
    return StoryLeads(
        story_id=story.id,
        printed=_ranked(story.members, Basis.PRINTED),
        seen=_ranked(story.members, Basis.SEEN),
    )


@dataclass(frozen=True, slots=True)
class TickerRecord:
    """One ticker's record on a desk over a period, on one clock.

    ``stories`` counts the shared stories (two or more desk tickers) it has, ``first``
    those it was first in (ties count for each tied ticker), ``missed`` the shared
    stories it does not have. ``median_lead_minutes`` is the median lead in the
    stories it was first in; ``median_delta_minutes`` the median signed lead over all
    its shared stories (negative: it usually lags). None where there is nothing to
    take a median of.
    """

    ticker_id: int
    stories: int
    first: int
    missed: int
    share_first: float | None
    median_lead_minutes: float | None
    median_delta_minutes: float | None


def desk_record(
    stories: Iterable[Story],
    tickers: Iterable[int],
    *,
    start: datetime,
    end: datetime,
    basis: Basis = Basis.SEEN,
) -> tuple[TickerRecord, ...]:
    """Per ticker of the desk (in the order given): its record over the stories that
    started in ``[start, end)`` and that two or more of ``tickers`` have.

    Entries of tickers outside ``tickers`` are left out before anything is counted.
    """
    desk = list(dict.fromkeys(tickers))
    on_desk = set(desk)
    leads: dict[int, list[float]] = {t: [] for t in desk}
    missed = dict.fromkeys(desk, 0)
    for story in stories:
        members = [m for m in story.members if m.ticker_id in on_desk]
        if len({m.ticker_id for m in members}) < 2:
            continue
        if not start <= min(m.when for m in members) < end:
            continue
        ranked = _ranked(members, basis)
        present = {r.ticker_id for r in ranked}
        for lead in ranked:
            assert lead.lead_minutes is not None  # two or more tickers
            leads[lead.ticker_id].append(lead.lead_minutes)
        for ticker in on_desk - present:
            missed[ticker] += 1
    records = []
    for ticker in desk:
        own = leads[ticker]
        ahead = [lead for lead in own if lead >= 0]
        records.append(
            TickerRecord(
                ticker_id=ticker,
                stories=len(own),
                first=len(ahead),
                missed=missed[ticker],
                share_first=len(ahead) / len(own) if own else None,
                median_lead_minutes=statistics.median(ahead) if ahead else None,
                median_delta_minutes=statistics.median(own) if own else None,
            )
        )
    return tuple(records)
