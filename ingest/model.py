"""The values a parsed live-ticker page is made of.

A parser turns one fetched page into a :class:`ParsedPage`: the page's headline and
teaser and its :class:`Entry` values in page order. These are plain frozen values:
they carry no tree, no session and no clock, so the diffing core can compare them
and the storage layer can persist them without knowing how they were read.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Order(enum.Enum):
    """Which end of the page holds the newest entry."""

    NEWEST_FIRST = "newest_first"
    OLDEST_FIRST = "oldest_first"
    UNKNOWN = "unknown"


class TimeSource(enum.Enum):
    """Where an entry's time stamp came from, most trustworthy first.

    ``RELATIVE`` times ("vor 5 Min.", "3 mins ago") are estimates that drift from
    poll to poll; the differ must not treat their drift as a correction.
    """

    MACHINE = "machine"  # ISO or epoch value in markup or JSON-LD
    LABEL = "label"  # a visible clock label such as "14.01 Uhr" or "10:32 BST"
    RELATIVE = "relative"
    NONE = "none"


class TimeEvidence(enum.Enum):
    """What placed an entry's time on the time line, strongest first.

    The printed label (``Entry.time_label``) is what the page said; the instant
    (``Entry.time``) is that label resolved with this evidence. Only ``OFFSET`` times
    are instants the page itself stated; every other instant depends on a zone we
    chose, so the differ compares such times by their printed wall clock, never by
    the instant (:mod:`diffing.timing`).
    """

    OFFSET = "offset"  # an offset or zone printed with the time, or an ISO/epoch instant
    PAGE = "page"  # the zone agrees with the offset of the page's own dates (metadata)
    TICKER_ZONE = "ticker_zone"  # the zone configured for the ticker
    FRESHNESS = "freshness"  # the offset that makes the newest entries minutes old
    LOCALE = "locale"  # the zone of the page's language or domain
    DEFAULT = "default"  # nothing said anything: the configured default zone, or UTC
    RELATIVE = "relative"  # "vor 5 Min.": an estimate from the fetch time
    NONE = "none"  # no time at all

    @property
    def explicit(self) -> bool:
        """True when the page itself stated the instant (not just a wall-clock time)."""
        return self is TimeEvidence.OFFSET


@dataclass(frozen=True, slots=True)
class Entry:
    """One update block of a ticker as the page showed it.

    ``text`` is the body as plain text, without the time label and headline, with
    paragraphs separated by a blank line; ``html`` is the same body as sanitized
    HTML for display. ``time`` is timezone-aware or None, its wall clock in its own
    offset being the time the page printed; ``time_label`` keeps what the page printed
    and ``time_evidence`` what placed the label on the time line. ``position`` is the
    0-based index in page order.
    """

    position: int
    text: str
    html: str = ""
    headline: str | None = None
    time: datetime | None = None
    time_label: str | None = None
    time_source: TimeSource = TimeSource.NONE
    native_id: str | None = None
    pinned: bool = False
    time_evidence: TimeEvidence = TimeEvidence.NONE

    def __post_init__(self) -> None:
        if self.time is not None and self.time.utcoffset() is None:
            raise ValueError("Entry.time must be timezone-aware")


@dataclass(frozen=True, slots=True)
class EntrySelectors:
    """CSS selectors that say where a ticker's entries are, when discovery gets it wrong.

    ``entry`` selects the entry blocks on the page; the others are relative to one
    block: its time element, headline, body and the element (or attribute, as
    ``@name``) carrying its id. Set per ticker; a reading with them wins outright.
    """

    entry: str
    time: str | None = None
    headline: str | None = None
    body: str | None = None
    native_id: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One structure a reader considered as the page's entries, for ``parse --explain``.

    ``selector`` is a CSS selector of its entry blocks where it has one (ready to copy
    into per-ticker selectors); ``verdict`` says "chosen" or why it lost.
    """

    layout: str
    entries: int
    timed: int
    score: float
    verdict: str
    selector: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """Everything a parser read from one page.

    ``not_a_ticker`` is None for a ticker page and otherwise the reason the page is
    not one (consent wall, error page, article without updates, ...); such a page has
    no entries. ``incomplete`` says why the page was cut short, when it was: what it
    holds is read all the same, but is not the whole page. ``warnings`` lists what the
    parser had to guess or skip.
    """

    url: str
    observed_at: datetime
    layout: str
    headline: str | None = None
    teaser: str | None = None
    entries: tuple[Entry, ...] = ()
    order: Order = Order.UNKNOWN
    not_a_ticker: str | None = None
    warnings: tuple[str, ...] = ()
    zone: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    coverage_end: datetime | None = None
    paginated: bool = False
    lang: str | None = None
    # The structures considered and why the winner won (``parse --explain``).
    candidates: tuple[Candidate, ...] = ()
    # Entries dropped by the entry cap (the oldest go first); 0 when none were.
    truncated: int = 0
    # How the entries' times were placed in time: which zone rule decided, and why.
    time_rule: str | None = None
    # Why the markup is a document cut short (``ingest.completeness``), None when whole:
    # its entries may be cut, and those after the cut are missing, not gone.
    incomplete: str | None = None

    @property
    def is_ticker(self) -> bool:
        return self.not_a_ticker is None


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Page-level facts every layout may use: headline, teaser, dates, language."""

    headline: str | None = None
    teaser: str | None = None
    lang: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    date_line: tuple[int, int] | None = None  # (year, month) from a "date 2019-04" line
    paginated: bool = False
    extra_warnings: tuple[str, ...] = field(default=())
