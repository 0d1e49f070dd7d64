"""A desk's stories as the desk and story pages show them. Pure.

Each story gets a small timeline (:class:`StoryView`): one lane per ticker of the desk
(and per ticker that has left the desk but still has entries in the story), a mark at
each of its entries placed by the printed time across the story's span, with a second,
hollow mark where the poll first saw the entry when that differs. The ticker first on
the chosen clock is highlighted with "first by N min", and :attr:`StoryView.summary`
says the same in words, as the timeline's text alternative.

A ticker's lead, here as in :mod:`stories.leads`, is the minutes from its entry to the
earliest entry of any other ticker: positive when ahead, negative when behind.

Geometry is in the SVG's own units (``viewBox``): the page's CSP allows no inline
styles, so every position is an SVG attribute computed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from stories import Basis, Story, StoryEntry, StoryLeads, story_leads
from web.diffview import first_words
from web.timefmt import shown

WIDTH = 720
NAME_WIDTH = 150
TRACK_START = 160
TRACK_END = 560
NOTE_X = 572
LANE_HEIGHT = 22
AXIS_HEIGHT = 18


@dataclass(frozen=True, slots=True)
class TickerSide:
    """A ticker as a desk page names it: its name, whether it is ours, whether it is
    (still) on the desk."""

    name: str
    own: bool = False
    on_desk: bool = True


@dataclass(frozen=True, slots=True)
class Mark:
    """One entry on its lane: ``x`` at its printed time (first seen where the page
    prints none), ``seen_x`` at the poll that first saw it; ``tip`` says both."""

    entry_id: str
    x: float
    seen_x: float
    tip: str

    @property
    def seen_apart(self) -> bool:
        """Whether the first-seen mark is drawn apart from the printed one."""
        return abs(self.x - self.seen_x) >= 1


@dataclass(frozen=True, slots=True)
class Lane:
    ticker_id: int
    side: TickerSide
    marks: tuple[Mark, ...]
    first: bool  # first on the chosen clock
    note: str  # "first by 12 min", "12 min later", "" without entries
    y: int

    @property
    def middle(self) -> int:
        return self.y + LANE_HEIGHT // 2

    @property
    def has_entries(self) -> bool:
        return bool(self.marks)


@dataclass(frozen=True, slots=True)
class StoryView:
    story: Story
    title: str
    leads: StoryLeads
    basis: Basis
    lanes: tuple[Lane, ...]
    span_start: datetime
    span_end: datetime
    summary: str
    first_ticker: int
    single: bool  # one ticker has the story
    theirs: bool  # competitors have it, none of our own tickers

    @property
    def height(self) -> int:
        return len(self.lanes) * LANE_HEIGHT + AXIS_HEIGHT

    @property
    def axis_y(self) -> int:
        return len(self.lanes) * LANE_HEIGHT + AXIS_HEIGHT - 4

    @property
    def span_minutes(self) -> float:
        return minutes(self.span_end, self.span_start)

    @property
    def lead_minutes(self) -> float | None:
        return self.leads.lead_minutes(self.basis)


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One entry of a story on the story page, earliest (printed) first."""

    entry: StoryEntry
    side: TickerSide
    lead_printed: float | None  # against the other tickers' earliest entry
    lead_seen: float | None
    first: bool  # the first ticker's first entry, on the chosen clock
    source: str | None  # the entry's own link, http(s) only


def minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60.0


def minutes_text(value: float) -> str:
    """``12 min``, ``under a minute``, ``2 h 5 min`` for a non-negative span."""
    if value < 1:
        return "under a minute"
    whole = round(value)
    if whole < 120:
        return f"{whole} min"
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def minutes_figure(value: float | None) -> str:
    """A median or lead in a table: ``11 min``, ``2.5 min``, ``—`` for None."""
    return "—" if value is None else f"{round(value, 1):g} min"


def lead_text(value: float | None) -> str:
    """A lead for people: ``12 min ahead``, ``3 min behind``, ``same time``, ``—``."""
    if value is None:
        return "—"
    if value == 0:
        return "same time"
    return f"{minutes_text(abs(value))} {'ahead' if value > 0 else 'behind'}"


def story_title(story: Story) -> str:
    """The story's name: the headline of its earliest entry, else that entry's first words."""
    earliest = min(story.members, key=lambda m: (m.when, m.ticker_id, m.entry_id))
    return earliest.title.strip() or first_words(earliest.text, 12) or f"story {story.id}"


def safe_source(link: str | None) -> str | None:
    """An entry's own link when it is an absolute http(s) URL, else None (never a
    ``javascript:`` or other scheme into an ``href``)."""
    if not link:
        return None
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return None
    return link.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _side(sides: Mapping[int, TickerSide], ticker_id: int) -> TickerSide:
    return sides.get(ticker_id) or TickerSide(f"ticker {ticker_id}", on_desk=False)


def _first_phrase(leads: StoryLeads, basis: Basis, sides: Mapping[int, TickerSide]) -> str:
    first = leads.on(basis)[0]
    name = _side(sides, first.ticker_id).name
    lead = first.lead_minutes
    if lead is None:
        return name
    if lead == 0:
        tied = [t for t in leads.on(basis)[1:] if t.at == first.at]
        return f"{name}, tied with {', '.join(_side(sides, t.ticker_id).name for t in tied)}"
    runner = _side(sides, leads.on(basis)[1].ticker_id).name
    return f"{name}, {minutes_text(lead)} before {runner}"


def summary(story: Story, leads: StoryLeads, basis: Basis, sides: Mapping[int, TickerSide]) -> str:
    """Who was first, in words: the text alternative of the timeline."""
    tickers = story.tickers
    if len(tickers) == 1:
        (only,) = tickers
        side = _side(sides, only)
        ours = any(s.own for s in sides.values())
        tail = " We don't have it." if ours and not side.own else ""
        return f"Only {side.name} has this story.{tail}"
    other = Basis.SEEN if basis is Basis.PRINTED else Basis.PRINTED
    text = f"First by {basis.value} time: {_first_phrase(leads, basis, sides)}."
    if leads.first(other) != leads.first(basis) or leads.lead_minutes(other) != leads.lead_minutes(
        basis
    ):
        text += f" First {other.value}: {_first_phrase(leads, other, sides)}."
    missing = [s.name for t, s in sides.items() if s.on_desk and t not in tickers]
    if missing:
        text += f" Not reported by {', '.join(missing)}."
    return text


def _x(at: datetime, start: datetime, span: float) -> float:
    if span <= 0:
        return (TRACK_START + TRACK_END) / 2
    return round(TRACK_START + (TRACK_END - TRACK_START) * minutes(at, start) / span, 1)


def _tip(entry: StoryEntry, side: TickerSide, zone: ZoneInfo) -> str:
    printed = f"printed {shown(entry.printed, zone)}" if entry.printed else "no time printed"
    seen = shown(entry.first_seen, zone, seconds=True)
    return f"{side.name}: {printed}; first seen {seen} — {entry.title or entry.text[:80]}"


def _note(lead: float | None, first: bool) -> str:
    if lead is None:
        return ""
    if first:
        return "first (tied)" if lead == 0 else f"first by {minutes_text(lead)}"
    return "same time" if lead == 0 else f"{minutes_text(-lead)} later"


def story_view(
    story: Story,
    sides: Mapping[int, TickerSide],
    zone: ZoneInfo,
    *,
    basis: Basis = Basis.PRINTED,
) -> StoryView:
    """The timeline of ``story``: a lane per ticker of ``sides`` (the desk's, in the
    desk's order), then one per ticker of the story not in ``sides``."""
    leads = story_leads(story)
    times = [t for m in story.members for t in (Basis.PRINTED.time_of(m), m.first_seen)]
    start, end = min(times), max(times)
    span = minutes(end, start)
    order = list(sides) + sorted(t for t in story.tickers if t not in sides)
    first_ticker = leads.first(basis)
    lead_of = {t.ticker_id: t.lead_minutes for t in leads.on(basis)}
    lanes = []
    for index, ticker_id in enumerate(order):
        side = _side(sides, ticker_id)
        entries = sorted(
            (m for m in story.members if m.ticker_id == ticker_id),
            key=lambda m: (Basis.PRINTED.time_of(m), m.entry_id),
        )
        marks = tuple(
            Mark(
                m.entry_id,
                _x(Basis.PRINTED.time_of(m), start, span),
                _x(m.first_seen, start, span),
                _tip(m, side, zone),
            )
            for m in entries
        )
        is_first = bool(entries) and ticker_id == first_ticker and len(story.tickers) > 1
        lanes.append(
            Lane(
                ticker_id,
                side,
                marks,
                is_first,
                _note(lead_of.get(ticker_id), is_first),
                index * LANE_HEIGHT,
            )
        )
    own = {t for t, s in sides.items() if s.own}
    return StoryView(
        story=story,
        title=story_title(story),
        leads=leads,
        basis=basis,
        lanes=tuple(lanes),
        span_start=start,
        span_end=end,
        summary=summary(story, leads, basis, sides),
        first_ticker=first_ticker,
        single=len(story.tickers) == 1,
        theirs=bool(own) and not story.tickers & own,
    )


def entry_lead(entry: StoryEntry, members: Iterable[StoryEntry], basis: Basis) -> float | None:
    """Minutes from ``entry`` to the earliest entry of any other ticker on ``basis``'s
    clock (positive: ahead); None when no other ticker has the story."""
    others = [basis.time_of(m) for m in members if m.ticker_id != entry.ticker_id]
    if not others:
        return None
    return minutes(min(others), basis.time_of(entry))


def entry_rows(
    story: Story, sides: Mapping[int, TickerSide], *, basis: Basis = Basis.PRINTED
) -> tuple[EntryRow, ...]:
    """Every entry of ``story``, earliest first on the printed clock."""
    leads = story_leads(story)
    first = leads.on(basis)[0]
    shared = len(story.tickers) > 1
    ordered: Sequence[StoryEntry] = sorted(
        story.members, key=lambda m: (Basis.PRINTED.time_of(m), m.ticker_id, m.entry_id)
    )
    return tuple(
        EntryRow(
            entry=m,
            side=_side(sides, m.ticker_id),
            lead_printed=entry_lead(m, story.members, Basis.PRINTED),
            lead_seen=entry_lead(m, story.members, Basis.SEEN),
            first=shared and m.key == (first.ticker_id, first.entry_id),
            source=safe_source(m.link),
        )
        for m in ordered
    )
