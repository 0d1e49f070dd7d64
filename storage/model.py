"""Values that cross the storage ports: what goes in and what comes back.

All are frozen dataclasses; datetimes are timezone-aware. What the store returns holds
only plain values and values of :mod:`diffing.model` (an entry's content is an
:class:`~diffing.model.EntryVersion` wherever it appears), never a row or a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NewType
from urllib.parse import urlsplit

from diffing.model import (
    Change,
    ChangeKind,
    EntryStatus,
    EntryVersion,
    Field,
    HealthEvent,
    HealthKind,
    PollOutcome,
    WordOp,
)
from diffing.wire import change_as_json, health_as_json
from ingest.fetching.model import FetchOutcome
from ingest.model import EntrySelectors

# The range of every stored id (a signed 64-bit integer in both databases).
MAX_ID = 2**63 - 1
# A ticker's poll interval: from one second to a week. A ticker polled more rarely is not
# being watched; the bound also keeps every schedule computed from it within range.
MIN_INTERVAL_SECONDS = 1
MAX_INTERVAL_SECONDS = 7 * 24 * 3600

TickerId = NewType("TickerId", int)
PollId = NewType("PollId", int)
SnapshotId = NewType("SnapshotId", int)
RevisionId = NewType("RevisionId", int)


@dataclass(frozen=True, slots=True)
class NewTicker:
    """A ticker to watch, as the user configures it. The URL is unique in a store."""

    url: str
    name: str
    interval_seconds: int = 300
    zone: str | None = None  # IANA name for clock labels, when the page does not say
    profile: str | None = None  # a site profile of ingest.layouts.profiles
    paused: bool = False
    tags: tuple[str, ...] = ()
    next_poll_at: datetime | None = None
    # Why robots.txt is not honoured for this ticker (e.g. "our own site"); None: honoured.
    robots_override: str | None = None
    # CSS selectors of the page's entries, when discovery reads it wrong; None: discovery.
    selectors: EntrySelectors | None = None


def default_name(url: str) -> str:
    """The name of a ticker the user did not name: host and last path segment of its
    URL."""
    parts = urlsplit(url)
    host = (parts.hostname or url).removeprefix("www.")
    segment = next((s for s in reversed(parts.path.split("/")) if s), "")
    return f"{host}: {segment}" if segment else host


@dataclass(frozen=True, slots=True)
class Ticker:
    """A watched ticker. ``error_streak`` counts consecutive failed fetches (set by
    :meth:`~storage.ports.PollStore.record_poll`); ``next_poll_at`` is the scheduler's."""

    id: TickerId
    url: str
    name: str
    interval_seconds: int
    zone: str | None
    profile: str | None
    paused: bool
    tags: tuple[str, ...]
    created_at: datetime
    next_poll_at: datetime | None
    error_streak: int
    robots_override: str | None = None
    selectors: EntrySelectors | None = None


@dataclass(frozen=True, slots=True)
class PollRecord:
    """One fetch of a ticker, whatever came of it.

    ``outcome`` is the differ's verdict (:class:`PollOutcome`) for a response that was
    judged (an HTTP 304 is ``UNCHANGED``), or the fetch's :class:`FetchOutcome` when no
    usable response arrived (``TIMEOUT``, ``HTTP_ERROR``, ...; ``OK`` and
    ``NOT_MODIFIED`` are refused: they are no failures).

    ``started_at`` identifies the poll: recording a second poll of the same ticker with
    the same ``started_at`` returns the first one's id and writes nothing, so a retried
    ``record_poll`` cannot duplicate a poll.
    ``bytes`` is the size of the body as received, None when none arrived.
    """

    ticker_id: TickerId
    started_at: datetime
    duration_ms: int
    outcome: PollOutcome | FetchOutcome
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    bytes: int | None = None

    @property
    def failed(self) -> bool:
        """True for a fetch that got no usable response (counts into ``error_streak``)."""
        if isinstance(self.outcome, FetchOutcome):
            return self.outcome not in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED)
        return self.outcome is PollOutcome.FAILED


@dataclass(frozen=True, slots=True)
class StoredPoll:
    """A recorded poll. ``observed_at`` is the parsed page's, else ``started_at``;
    ``snapshot_id`` is set when the poll's content was new (see ``record_poll``)."""

    id: PollId
    ticker_id: TickerId
    started_at: datetime
    observed_at: datetime
    duration_ms: int
    outcome: PollOutcome | FetchOutcome
    http_status: int | None
    bytes: int | None
    etag: str | None
    last_modified: str | None
    error: str | None
    body_sha256: str | None
    snapshot_id: SnapshotId | None
    truncated: int = 0  # entries the parser's entry cap dropped (the oldest)


@dataclass(frozen=True, slots=True)
class TurnStart:
    """What a scheduled turn reads in the transaction that claims its ticker
    (:meth:`~storage.ports.TurnStore.claim_turn`): enough to decide whether to poll, to
    send the validators and to tell an unchanged page without reading its entries.

    ``claimed`` is False while another token's claim holds (nothing was written then).
    ``latest`` is the ticker's latest poll; ``last_body_sha256`` the last fresh page's
    body and ``broken_polls`` the polls judged not a ticker since it, as
    :meth:`~storage.ports.PollStore.previous_state` tells them. ``last_change_at`` is
    the ``observed_at`` of the newest change of the kinds asked for, and meaningful only
    when ``changes_read`` (they were asked for)."""

    ticker: Ticker
    claimed: bool
    latest: StoredPoll | None
    last_body_sha256: str | None
    broken_polls: int
    changes_read: bool = False
    last_change_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """What a poll's transaction also writes for the scheduler: the ticker's next poll
    time (``at``), and the end of the poll claim ``release`` holds (None: none)."""

    at: datetime | None
    release: str | None = None


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored revision of an entry: what the page showed from ``observed_at`` on."""

    id: RevisionId
    entry_id: str
    snapshot_id: SnapshotId
    observed_at: datetime
    version: EntryVersion


@dataclass(frozen=True, slots=True)
class StoredChange:
    """A change event as stored: the differ's :class:`~diffing.model.Change` with the
    poll it came from and the revisions it is between (``previous`` is the entry's
    current revision before the poll, ``current`` after it; None where the change has
    no such side, e.g. ``current`` of a removal). A ``TICKER_HEALTH`` event has no entry
    and no revisions: ``health`` says what happened to the page, ``detail`` in words.

    A story alert (``COMPETITOR_FIRST``, ``WE_WERE_FIRST``) is about the competitor's
    entry: ``current`` is its revision when judged (``previous`` None, the poll and
    snapshot that revision's), ``desk_id`` and ``story_id`` name the story, ``detail``
    says who was first by how much, and the leads of whoever was first are kept in
    minutes on both clocks (``lead_seen_minutes`` None while we do not have it)."""

    id: int
    ticker_id: TickerId
    poll_id: PollId
    snapshot_id: SnapshotId
    observed_at: datetime
    kind: ChangeKind
    entry_id: str | None
    changed: tuple[Field, ...]
    similarity: float | None
    word_ops: tuple[WordOp, ...]
    previous: Revision | None
    current: Revision | None
    page_headline: str | None
    previous_page_headline: str | None
    health: HealthKind | None = None
    detail: str | None = None
    desk_id: int | None = None
    story_id: int | None = None
    lead_seen_minutes: float | None = None
    lead_printed_minutes: float | None = None

    def as_change(self) -> Change:
        """The differ's :class:`~diffing.model.Change` this event stored: the one
        conversion back from a stored event (alerts, exports and the wire format read
        the revisions' content through it)."""
        return Change(
            kind=self.kind,
            entry_id=self.entry_id,
            current=self.current.version if self.current else None,
            previous=self.previous.version if self.previous else None,
            changed=self.changed,
            similarity=self.similarity,
            word_ops=self.word_ops,
            page_headline=self.page_headline,
            previous_page_headline=self.previous_page_headline,
        )

    def as_json(self) -> dict[str, Any]:
        """The event in the replay contract's shape (:mod:`diffing.wire`), its snapshot
        id as the snapshot."""
        snapshot = str(self.snapshot_id)
        if self.kind is ChangeKind.TICKER_HEALTH and self.health is not None:
            return health_as_json(HealthEvent(self.health, self.detail or ""), snapshot=snapshot)
        shape = change_as_json(self.as_change(), snapshot=snapshot)
        if self.kind.about_story:
            shape["story"] = {
                "desk_id": self.desk_id,
                "story_id": self.story_id,
                "detail": self.detail,
                "lead_minutes": {
                    "seen": self.lead_seen_minutes,
                    "printed": self.lead_printed_minutes,
                },
            }
        return shape


@dataclass(frozen=True, slots=True)
class EntryHistory:
    """Everything stored about one entry: revisions and change events, oldest first."""

    entry_id: str
    ticker_id: TickerId
    first_seen: datetime
    last_seen: datetime
    status: EntryStatus
    position: int
    native_id: str | None
    revisions: tuple[Revision, ...]
    changes: tuple[StoredChange, ...]


@dataclass(frozen=True, slots=True)
class EntryAsOf:
    """An entry as the page showed it at some instant."""

    entry_id: str
    position: int
    first_seen: datetime
    revision: Revision


@dataclass(frozen=True, slots=True)
class TickerView:
    """A ticker as it stood at ``at``: the entries of the last fresh page observed at or
    before ``at`` (``observed_at``), in page order, each with the revision it had at
    ``at``. Before the first fresh poll, no snapshot and no entries."""

    ticker_id: TickerId
    at: datetime
    snapshot_id: SnapshotId | None
    observed_at: datetime | None
    page_headline: str | None
    entries: tuple[EntryAsOf, ...]


@dataclass(frozen=True, slots=True)
class StorageStats:
    """What one ticker occupies. Bodies are counted once each, even when several polls
    (or several tickers) share one; ``stored_bytes`` is their compressed size."""

    polls: int
    snapshots: int
    entries: int
    revisions: int
    changes: int
    bodies: int
    raw_bytes: int
    stored_bytes: int

    @property
    def compression_ratio(self) -> float | None:
        return self.raw_bytes / self.stored_bytes if self.stored_bytes else None


def outcome_from_value(value: str) -> PollOutcome | FetchOutcome:
    """The outcome a stored string names (the two enums share no value)."""
    try:
        return PollOutcome(value)
    except ValueError:
        return FetchOutcome(value)
