"""The storage ports: what the rest of tickerwatch may ask of a store.

Adapters: :class:`storage.memory.MemoryStore` (in-process, no database) and
:class:`storage.sql.SqlStore` (SQLModel on SQLite or PostgreSQL). Both implement both
ports and pass one contract suite (``tests/storage/test_contract_*.py``). Errors are
those of :mod:`storage.errors`; a method that raises has written nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from diffing.model import ChangeKind, Diff, TickerState
from ingest.model import EntrySelectors, ParsedPage
from storage.model import (
    EntryHistory,
    NewTicker,
    PollId,
    PollRecord,
    PollSchedule,
    StorageStats,
    StoredChange,
    StoredPoll,
    Ticker,
    TickerId,
    TickerView,
    TurnStart,
)

if TYPE_CHECKING:  # the port names them; importing stories would load RapidFuzz
    from stories import Fired, StoryAlert


class TickerRepository(Protocol):
    """The watched tickers. Every method raises ``TickerNotFound`` for an unknown id."""

    def add(self, ticker: NewTicker, *, created_at: datetime) -> Ticker:
        """Store a new ticker (``DuplicateTicker`` if its URL is watched already)."""
        ...

    def get(self, ticker_id: TickerId) -> Ticker: ...

    def set_paused(self, ticker_id: TickerId, paused: bool) -> Ticker: ...

    def set_interval(self, ticker_id: TickerId, interval_seconds: int) -> Ticker:
        """``interval_seconds`` must be positive."""
        ...

    def rename(self, ticker_id: TickerId, name: str) -> Ticker:
        """``name`` must not be blank."""
        ...

    def set_tags(self, ticker_id: TickerId, tags: Sequence[str]) -> Ticker:
        """Replace the ticker's tags (non-blank strings, order kept)."""
        ...

    def set_robots_override(self, ticker_id: TickerId, reason: str | None) -> Ticker:
        """Stop honouring robots.txt for this ticker, for the stated ``reason`` (not
        blank); None honours it again."""
        ...

    def set_selectors(self, ticker_id: TickerId, selectors: EntrySelectors | None) -> Ticker:
        """Set the ticker's own entry selectors (None: back to discovery). Only text is
        checked here (``InvalidValue`` for a blank entry selector); whether the CSS
        compiles is the caller's to check, with ``ingest.layouts.selectors``."""
        ...

    def set_next_poll_at(
        self, ticker_id: TickerId, at: datetime | None, *, release: str | None = None
    ) -> Ticker:
        """Persist the ticker's next poll time; with ``release``, also end the poll claim
        that token holds (a claim another token holds stays)."""
        ...

    def claim_poll(
        self, ticker_id: TickerId, *, token: str, now: datetime, until: datetime
    ) -> bool:
        """Claim the ticker for one poll by ``token`` until ``until``; False, and nothing
        changed, while another token's claim has not expired at ``now``. A claim ends
        with ``set_next_poll_at(..., release=token)``, or when it expires. This is what
        keeps two processes (the service, a ``tickerwatch poll``, a misconfigured second
        scheduler) from polling one ticker at once."""
        ...

    def remove(self, ticker_id: TickerId) -> None:
        """Delete the ticker with all its polls, snapshots, entries and changes, and the
        raw bodies no other ticker's poll refers to."""
        ...

    def list(self) -> tuple[Ticker, ...]:
        """Every ticker, in the order they were added."""
        ...


class PollStore(Protocol):
    """Polls, snapshots, entries with their revisions, and change events."""

    def previous_state(self, ticker_id: TickerId, *, keep_removed_for: timedelta) -> TickerState:
        """What the differ needs before the next poll (:class:`TickerState`).

        The window is anchored at the last fresh page, not at the clock: it holds the
        live entries, the removed and paged-out ones last seen within
        ``keep_removed_for`` before the last fresh poll, and ``seen_bodies`` of the polls
        started within it (all of them before the first fresh poll). ``page_headline``
        is the last one a fresh page had; ``last_fresh_at`` the ``observed_at`` of the
        last fresh or unchanged poll; ``last_body_sha256`` the last fresh poll's body.
        Each entry's ``version`` is its current revision, ``superseded`` the digests of
        the revisions it was revised away from, as :func:`diffing.advance` folds them.
        """
        ...

    def record_poll(
        self,
        record: PollRecord,
        body: bytes | None,
        page: ParsedPage | None,
        diff: Diff | None,
        *,
        schedule: PollSchedule | None = None,
    ) -> PollId:
        """Store one poll in one transaction; on any error nothing of it is visible.

        With ``schedule``, the same transaction also sets the ticker's ``next_poll_at``
        and ends the claim it names, as ``set_next_poll_at(..., release=...)`` would
        (also when the poll was recorded already). A poll with no page and either no
        body or a diff (a 304, a failed fetch, the same bytes again) is one transaction
        on every adapter, reads included.

        Writes: the raw body (once per SHA-256, however often it recurs); the poll; a
        snapshot when the content is new (``FRESH``, or ``STALE`` / ``NOT_A_TICKER``
        with a body this ticker never had); for a ``FRESH`` diff, every placed entry
        (upserted by id: live, at its position, ``last_seen`` moved on) with a new
        revision when the differ says it is new or revised and it differs from the
        stored one; the status changes; one change event per ``Diff.changes``; and the
        ticker's ``error_streak`` (reset, or one more for a failed fetch).

        A diff must agree with ``record.outcome``; a ``FRESH`` poll needs body, page and
        diff. Text with NUL or lone surrogates and naive datetimes raise
        ``InvalidValue``. Idempotent per ``(ticker_id, started_at)``: see PollRecord.
        """
        ...

    def ticker_as_of(self, ticker_id: TickerId, at: datetime) -> TickerView:
        """The ticker as it stood at instant ``at`` (see :class:`TickerView`); the page
        headline is the last one a fresh page observed at or before ``at`` had."""
        ...

    def entry_history(self, entry_id: str) -> EntryHistory:
        """All revisions and change events of an entry (``EntryNotFound``)."""
        ...

    def changes(
        self,
        ticker_id: TickerId,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        kinds: Collection[ChangeKind] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[StoredChange, ...]:
        """Change events newest first (ties: last recorded first), observed in
        ``[since, until)``, of the given kinds (all when None)."""
        ...

    def changes_after(self, after_id: int, *, limit: int = 100) -> tuple[StoredChange, ...]:
        """Change events of every ticker with ``id > after_id``, in id order (a feed for
        readers; alert delivery uses the outbox, which cannot skip a late commit)."""
        ...

    def changes_by_ids(self, change_ids: Collection[int]) -> dict[int, StoredChange]:
        """The change events of these ids that exist (a removed ticker's are gone),
        by id. Readers that keep change ids of their own (alert delivery's queue) get
        the events through this, not from the tables."""
        ...

    def parse_health(self) -> tuple[StoredChange, ...]:
        """The last recorded ``TICKER_HEALTH`` event of every ticker that has one, in
        ticker id order: the ticker's parse health is bad while it says ``broken``."""
        ...

    def outbox(self, *, limit: int = 100) -> tuple[StoredChange, ...]:
        """Alertable change events (every kind but ``paged_out``) not yet handed over to
        alert delivery, in id order. ``record_poll`` puts them there in the poll's
        transaction."""
        ...

    def mark_dispatched(self, change_ids: Collection[int]) -> None:
        """Take these events out of the outbox (ids not in it are ignored)."""
        ...

    def record_story_alert(
        self, alert: StoryAlert, *, detail: str, at: datetime
    ) -> StoredChange | None:
        """Record a story alert judged at ``at`` in one transaction: its change event
        (about the competitor's entry at its current revision), its outbox row and its
        fired keys (:mod:`storage.story_alerts`). None, and nothing written, when the
        desk's story and competitor ticker, or the competitor's entry, fired before —
        also when another process recorded it a moment ago. ``EntryNotFound`` when the
        entry is not stored (its ticker was removed), ``InvalidValue`` for an entry of
        another ticker or text that cannot be stored."""
        ...

    def story_alerts_fired(self, desk_id: int, *, since: datetime) -> tuple[Fired, ...]:
        """The story alerts of the desk recorded at or after ``since``, oldest first."""
        ...

    def polls(
        self, ticker_id: TickerId, *, limit: int = 20, offset: int = 0
    ) -> tuple[StoredPoll, ...]:
        """Recorded polls newest first (the latest carries the validators to send)."""
        ...

    def raw_body(self, sha256: str) -> bytes:
        """The raw bytes of a stored body (``BodyNotFound``, ``CorruptBody``)."""
        ...

    def stats(self, ticker_id: TickerId) -> StorageStats: ...


class TurnStore(Protocol):
    """What a scheduled turn asks of the store before it polls: one transaction."""

    def claim_turn(
        self,
        ticker_id: TickerId,
        *,
        token: str,
        now: datetime,
        until: datetime,
        change_kinds: Collection[ChangeKind] | None = None,
    ) -> TurnStart:
        """Claim the ticker for one poll as :meth:`TickerRepository.claim_poll` does and,
        in the same transaction, read what the turn and an unchanged poll need
        (:class:`TurnStart`); with ``change_kinds``, also when the ticker's entries last
        changed in one of those kinds. The claim ends with ``record_poll(...,
        schedule=PollSchedule(at, release=token))`` or ``set_next_poll_at(...,
        release=token)``, or when it expires (``TickerNotFound`` for an unknown id)."""
        ...


class ChangeReader(Protocol):
    """The one read of :class:`PollStore` that alert delivery needs."""

    def changes_by_ids(self, change_ids: Collection[int]) -> dict[int, StoredChange]: ...


class Store(TickerRepository, PollStore, TurnStore, Protocol):
    """The ports, as every adapter implements them."""

    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""
        ...
