"""Literal pages for the differ's tests, and a ticker that polls them like a store.

``Ticker.poll`` builds a page from entries, diffs it against the ticker's state,
folds the diff in with :func:`diffing.advance` and moves its clock on ten minutes.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from diffing import DEFAULT_CONFIG, DiffConfig, advance, diff
from diffing.model import Change, ChangeKind, Diff, TickerState
from ingest.model import Entry, Order, ParsedPage, TimeSource

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 4, 23, 12, 0, tzinfo=BERLIN)
URL = "https://www.example.test/live/ticker-1"


def clock(hhmm: str, day: datetime = START) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def entry(
    text: str,
    *,
    headline: str | None = None,
    time: str | None = None,
    source: TimeSource = TimeSource.LABEL,
    native_id: str | None = None,
    pinned: bool = False,
) -> Entry:
    """An entry at position 0; :func:`page` numbers them."""
    return Entry(
        position=0,
        text=text,
        headline=headline,
        time=clock(time) if time else None,
        time_label=time,
        time_source=source if time else TimeSource.NONE,
        native_id=native_id,
        pinned=pinned,
    )


def page(
    *entries: Entry,
    headline: str | None = "Live: Gipfel in Wladiwostok",
    at: datetime = START,
    order: Order = Order.NEWEST_FIRST,
    not_a_ticker: str | None = None,
) -> ParsedPage:
    return ParsedPage(
        url=URL,
        observed_at=at,
        layout="test",
        headline=headline,
        entries=tuple(replace(e, position=i) for i, e in enumerate(entries)),
        order=order,
        not_a_ticker=not_a_ticker,
    )


def body_of(parsed: ParsedPage) -> str:
    """A body hash that differs whenever the page or the poll time does."""
    return hashlib.sha256(repr(parsed).encode()).hexdigest()


class Ticker:
    """One ticker polled again and again, its state kept as a store would keep it."""

    def __init__(self, config: DiffConfig = DEFAULT_CONFIG) -> None:
        self.state = TickerState()
        self.now = START
        self.config = config

    def poll(
        self,
        *entries: Entry,
        headline: str | None = "Live: Gipfel in Wladiwostok",
        body: str | None = None,
        order: Order = Order.NEWEST_FIRST,
        not_a_ticker: str | None = None,
        after: timedelta = timedelta(minutes=10),
    ) -> Diff:
        parsed = page(
            *entries, headline=headline, at=self.now, order=order, not_a_ticker=not_a_ticker
        )
        return self.poll_page(parsed, body=body, after=after)

    def poll_page(
        self,
        parsed: ParsedPage,
        *,
        body: str | None = None,
        after: timedelta = timedelta(minutes=10),
    ) -> Diff:
        sha = body if body is not None else body_of(parsed)
        result = diff(self.state, parsed, body_sha256=sha, config=self.config)
        self.state = advance(self.state, parsed, result, body_sha256=sha)
        self.now += after
        return result

    def id_at(self, result: Diff, position: int) -> str:
        return next(p.entry_id for p in result.placements if p.position == position)


def kinds(result: Diff, *, alerting_only: bool = True) -> list[ChangeKind]:
    return [c.kind for c in result.changes if c.kind.alerts or not alerting_only]


def only(result: Diff) -> Change:
    changes = [c for c in result.changes if c.kind.alerts]
    assert len(changes) == 1, changes
    return changes[0]


# Entries of a summit ticker, long enough to be "long" texts.
A = "Die Delegation ist am Vormittag am Flughafen gelandet und wurde von einer Ehrengarde empfangen."
B = "Die Polizei hat die Innenstadt weiträumig abgesperrt, der Busverkehr ist eingestellt."
C = "Beide Seiten unterzeichneten eine Absichtserklärung über den Ausbau der Bahnverbindung."
D = "Journalisten durften den Verhandlungssaal nur für wenige Minuten betreten."
E = "Die Börse reagierte zunächst gelassen auf die Nachrichten aus dem Gipfel."
F = "Ein Sprecher des Außenministeriums wollte sich zu den Details der Verhandlungen nicht äußern."
