"""Values the differ reads and returns.

The differ compares what a ticker is known to hold (:class:`TickerState`, loaded by
the storage layer) with a freshly parsed page and returns a :class:`Diff`: the
identity of every entry on the page and the :class:`Change` events to report. No
I/O, no clock: ``observed_at`` comes in with the page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ingest.model import TimeEvidence, TimeSource


class ChangeKind(enum.Enum):
    """What happened to an entry (or to the page) between two polls.

    ``PAGED_OUT`` is recorded but never alerted: the entry fell off the bottom of a
    paginated page or out of the window the page still covers. ``TICKER_HEALTH`` is
    about the page as a whole (entry_id None): it stopped reading as a ticker, changed
    its layout, or reads again (:class:`HealthEvent`); sinks get it only on request.
    ``COMPETITOR_FIRST`` and ``WE_WERE_FIRST`` are about a story of a desk (:mod:`stories.alerts`):
    recorded against the competitor's entry, with the desk and story, judged when a
    desk's stories change or time passes, not by a diff; sinks get them only on request.
    """

    ADDED = "added"
    EDITED = "edited"
    RETITLED = "retitled"
    RETIMED = "retimed"
    REMOVED = "removed"
    RESTORED = "restored"
    PAGE_RETITLED = "page_retitled"
    PAGED_OUT = "paged_out"
    TICKER_HEALTH = "ticker_health"
    COMPETITOR_FIRST = "competitor_first"
    WE_WERE_FIRST = "we_were_first"

    @property
    def alerts(self) -> bool:
        return self is not ChangeKind.PAGED_OUT

    @property
    def about_story(self) -> bool:
        """True for the kinds about a desk's story rather than one page's change."""
        return self in (ChangeKind.COMPETITOR_FIRST, ChangeKind.WE_WERE_FIRST)


class Field(enum.Enum):
    """A part of an entry that can change on its own."""

    TEXT = "text"
    TITLE = "title"
    TIME = "time"


class EntryStatus(enum.Enum):
    """Where an entry stands after the last fresh poll."""

    LIVE = "live"  # on the last fresh page
    REMOVED = "removed"  # gone from a page that still covers its time
    PAGED_OUT = "paged_out"  # below the page's window; not a deletion


class PollOutcome(enum.Enum):
    """How a poll's page was judged before any change was reported."""

    FRESH = "fresh"  # a current page: its changes are reported
    UNCHANGED = "unchanged"  # byte-identical to the last fresh page, or HTTP 304
    STALE = "stale"  # an older copy served by a cache: recorded, nothing reported
    NOT_A_TICKER = "not_a_ticker"  # consent wall, error page, ...: recorded, nothing reported
    FAILED = "failed"  # the fetch failed, or its page could not be read or stored


class HealthKind(enum.Enum):
    """What a :class:`HealthEvent` says about how the ticker's page reads."""

    LAYOUT_CHANGED = "layout_changed"  # read by another layout than the last fresh page
    NO_ENTRIES = "no_entries"  # still a page, but no entries read from it
    NOT_A_TICKER = "not_a_ticker"  # the parser says it is no ticker (consent wall, ...)
    RECOVERED = "recovered"  # reads as a ticker again after one of the two above

    @property
    def broken(self) -> bool:
        """True while the ticker cannot be read (a layout change alone still reads)."""
        return self in (HealthKind.NO_ENTRIES, HealthKind.NOT_A_TICKER)


class MatchMethod(enum.Enum):
    """How an entry of the page was tied to a known entry, most certain first."""

    NATIVE_ID = "native_id"  # the page's own id, once ids are seen to recur
    EXACT = "exact"  # same normalized text and headline
    TEXT = "text"  # same normalized text
    HEADLINE_TIME = "headline_time"  # same headline and clock minute
    FUZZY = "fuzzy"  # similar text, weighed with time, headline and position


@dataclass(frozen=True, slots=True)
class EntryVersion:
    """The content of one revision of an entry (what the page showed)."""

    text: str
    headline: str | None = None
    time: datetime | None = None
    time_label: str | None = None
    time_source: TimeSource = TimeSource.NONE
    html: str = ""
    native_id: str | None = None
    time_evidence: TimeEvidence = TimeEvidence.NONE


@dataclass(frozen=True, slots=True)
class KnownEntry:
    """An entry the ticker has known, with its latest revision."""

    entry_id: str
    version: EntryVersion
    status: EntryStatus
    first_seen: datetime
    last_seen: datetime
    position: int  # position on the page where it was last seen
    # Digests (diffing.identity.version_digest) of the entry's earlier revisions: a page
    # showing one of them again is an old copy served by a cache, not a revert.
    superseded: frozenset[str] = frozenset()
    # Marks (diffing.identity.time_marks) of the times it was retimed away from: a page
    # showing one of them again is an old copy too, and a time with no mark is news.
    retimed_from: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ReadingHealth:
    """How the ticker's page has been reading, as far as its parse health is judged.

    ``layout`` and ``entries`` are the last fresh page's (None and 0 before the first);
    ``broken_polls`` counts the polls judged not a ticker since that page (or since the
    first poll, before it). Stale, unchanged and failed polls leave it as it is.
    """

    layout: str | None = None
    entries: int = 0
    broken_polls: int = 0


@dataclass(frozen=True, slots=True)
class HealthEvent:
    """A change of how the ticker's page reads; ``detail`` says it in one sentence
    ("Layout changed at 14:05 UTC: 0 entries read, was 42")."""

    kind: HealthKind
    detail: str


@dataclass(frozen=True, slots=True)
class TickerState:
    """What the differ needs to know about a ticker before a poll.

    ``entries`` holds live and recently removed or paged-out entries;
    ``seen_bodies`` the SHA-256 of raw bodies already stored for earlier polls (a
    byte-identical repeat of an older page is a stale copy); ``last_body_sha256`` the
    body of the last fresh poll and ``last_fresh_at`` when it was observed;
    ``health`` how the page has been reading (:class:`ReadingHealth`).
    """

    entries: tuple[KnownEntry, ...] = ()
    page_headline: str | None = None
    last_fresh_at: datetime | None = None
    last_body_sha256: str | None = None
    seen_bodies: frozenset[str] = frozenset()
    health: ReadingHealth = ReadingHealth()


@dataclass(frozen=True, slots=True)
class WordOp:
    """One word-level edit operation: ``op`` is ``equal``, ``insert``, ``delete`` or ``replace``.

    ``old`` and ``new`` are the words of the span joined by single spaces ("" for the
    side an insert or delete does not have).
    """

    op: Literal["equal", "insert", "delete", "replace"]
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Change:
    """One reportable (or, for ``PAGED_OUT``, recordable) change of one entry or the page.

    Several fields changed in one poll are one change: ``changed`` lists them and
    ``kind`` names the main one. Page-level changes have ``entry_id`` None.
    """

    kind: ChangeKind
    entry_id: str | None
    current: EntryVersion | None
    previous: EntryVersion | None = None
    changed: tuple[Field, ...] = ()
    similarity: float | None = None
    word_ops: tuple[WordOp, ...] = ()
    page_headline: str | None = None
    previous_page_headline: str | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an entry of the new page went: its identity and its version.

    ``position`` is the index in ``ParsedPage.entries``. The store keeps ``version`` as
    the entry's latest version on every fresh poll (it also carries drifting details
    such as relative time labels) and writes a revision only when ``revised``: the
    text, headline or trustworthy time changed in a way a reader sees.
    """

    entry_id: str
    position: int
    version: EntryVersion
    is_new: bool
    revised: bool  # True when this version differs from the stored one in a way worth a revision
    matched_by: MatchMethod | None = None  # None for a new entry


@dataclass(frozen=True, slots=True)
class Diff:
    """The differ's verdict on one poll.

    Only a ``FRESH`` diff has placements, changes and statuses; every other outcome
    leaves the ticker's entries as they were (:func:`diffing.advance.advance` shows how
    a store folds a diff into the state). ``health`` is the page-level parse-health
    event of this poll (:mod:`diffing.health`), of any outcome; a store records it as a
    ``TICKER_HEALTH`` change event.
    """

    outcome: PollOutcome
    placements: tuple[Placement, ...] = ()
    changes: tuple[Change, ...] = ()
    statuses: tuple[tuple[str, EntryStatus], ...] = ()  # entries whose status changed
    reason: str | None = None
    health: HealthEvent | None = None
