"""The rows of a :class:`~storage.memory.MemoryStore` and how a poll plan is applied to them.

The same rows the SQL schema has (``storage.tables``), as frozen values in dicts keyed
by id, with one id sequence per kind of row. Not thread-safe by itself: the store holds
its lock around every use.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from diffing.model import ChangeKind, EntryStatus, EntryVersion, PollOutcome
from storage.codec import PackedBody, sha256_hex
from storage.deltas import Keyframe, open_body, pack_for_ticker, tries_delta
from storage.errors import BodyNotFound, CorruptBody, EntryNotFound, InvalidValue
from storage.model import (
    PollId,
    Revision,
    RevisionId,
    SnapshotId,
    StoredChange,
    StoredPoll,
    Ticker,
    TickerId,
    TurnStart,
)
from storage.plan import Before, EventWrite, PollPlan, resolve
from storage.reconstruct import EntryRecord
from storage.story_alerts import alert_event, already_fired, check_alert
from storage.validate import stored_instant, stored_time
from stories import Fired, StoryAlert


@dataclass(frozen=True, slots=True)
class SnapshotItem:
    id: SnapshotId
    ticker_id: TickerId
    poll_id: PollId
    observed_at: datetime
    outcome: PollOutcome
    page_headline: str | None
    placements: tuple[tuple[str, int], ...]
    layout: str = ""
    entry_count: int = 0


@dataclass(frozen=True, slots=True)
class EntryItem:
    entry_id: str
    ticker_id: TickerId
    first_seen: datetime
    last_seen: datetime
    status: EntryStatus
    position: int
    native_id: str | None
    current_revision_id: RevisionId


@dataclass(frozen=True, slots=True)
class EventItem:
    """A change event with its revision references resolved to ids."""

    id: int
    ticker_id: TickerId
    poll_id: PollId
    snapshot_id: SnapshotId
    observed_at: datetime
    write: EventWrite
    previous: RevisionId | None
    current: RevisionId | None


@dataclass(frozen=True, slots=True)
class StoryAlertItem:
    """A story alert fired: its keys and its change event (``story_alert`` in SQL)."""

    desk_id: int
    fired: Fired
    change_event_id: int
    fired_at: datetime


class MemoryTables:
    """Every row of a memory store."""

    def __init__(self) -> None:
        self.ticker_ids = itertools.count(1)
        self.poll_ids = itertools.count(1)
        self.snapshot_ids = itertools.count(1)
        self.revision_ids = itertools.count(1)
        self.event_ids = itertools.count(1)
        self.tickers: dict[TickerId, Ticker] = {}
        self.bodies: dict[str, PackedBody] = {}
        self.polls: dict[PollId, StoredPoll] = {}
        self.snapshots: dict[SnapshotId, SnapshotItem] = {}
        self.entries: dict[str, EntryItem] = {}
        self.revisions: dict[RevisionId, Revision] = {}
        self.events: dict[int, EventItem] = {}
        self.outbox: dict[int, None] = {}  # alertable event ids not yet handed over, in order
        # Story alerts fired, by (desk, story, competitor ticker): the key SQL's primary
        # key holds; the entry key is checked against the values (storage.story_alerts).
        self.story_alerts: dict[tuple[int, int, int], StoryAlertItem] = {}

    def store_body(self, body: bytes, ticker_id: TickerId) -> None:
        """Keep ``body`` compressed as the ticker stores it (a delta against its current
        keyframe or whole: :mod:`storage.deltas`), unless a body with its SHA-256 is
        kept already."""
        if sha256_hex(body) in self.bodies:
            return
        keyframe = self.current_keyframe(ticker_id)
        raw = None
        if keyframe is not None and tries_delta(keyframe):
            try:
                raw = self.read_body(keyframe.sha256)
            except (CorruptBody, InvalidValue):
                raw = None  # never build on a damaged keyframe: this body becomes the next
        packed = pack_for_ticker(body, keyframe, raw)
        self.bodies[packed.sha256] = packed

    def current_keyframe(self, ticker_id: TickerId) -> Keyframe | None:
        """The body of the ticker's latest poll stored as a keyframe, None before its first."""
        polls = sorted(
            (p for p in self.polls.values() if p.ticker_id == ticker_id),
            key=lambda p: (p.started_at, p.id),
            reverse=True,
        )
        for poll in polls:
            kept = self.bodies.get(poll.body_sha256) if poll.body_sha256 is not None else None
            if kept is not None and kept.keyframe_sha256 is None:
                deltas = sum(1 for b in self.bodies.values() if b.keyframe_sha256 == kept.sha256)
                return Keyframe(kept.sha256, len(kept.data), deltas)
        return None

    def body_rows(self, sha256: str) -> tuple[PackedBody, PackedBody | None]:
        """A kept body and the keyframe it names, if any: what
        :func:`storage.deltas.open_body` reads (BodyNotFound)."""
        packed = self.bodies.get(sha256)
        if packed is None:
            raise BodyNotFound(f"no body with SHA-256 {sha256}")
        keyframe = None
        if packed.keyframe_sha256 is not None:
            keyframe = self.bodies.get(packed.keyframe_sha256)
        return packed, keyframe

    def read_body(self, sha256: str) -> bytes:
        """The raw bytes of a kept body (BodyNotFound, CorruptBody, InvalidValue)."""
        return open_body(*self.body_rows(sha256))

    def remove_ticker(self, ticker_id: TickerId) -> None:
        """Delete the ticker, everything of it, and the bodies no poll refers to any more."""
        del self.tickers[ticker_id]
        entry_ids = {e.entry_id for e in self.entries.values() if e.ticker_id == ticker_id}
        self.polls = {k: p for k, p in self.polls.items() if p.ticker_id != ticker_id}
        self.snapshots = {k: s for k, s in self.snapshots.items() if s.ticker_id != ticker_id}
        self.entries = {k: e for k, e in self.entries.items() if k not in entry_ids}
        self.revisions = {k: r for k, r in self.revisions.items() if r.entry_id not in entry_ids}
        self.events = {k: e for k, e in self.events.items() if e.ticker_id != ticker_id}
        self.outbox = {k: None for k in self.outbox if k in self.events}
        self.story_alerts = {
            k: a for k, a in self.story_alerts.items() if a.change_event_id in self.events
        }
        # A keyframe stays while a kept delta names it (storage.deltas: deleting).
        used = {p.body_sha256 for p in self.polls.values() if p.body_sha256 is not None}
        used |= {k for s in used if (k := self._keyframe_of(s)) is not None}
        self.bodies = {k: b for k, b in self.bodies.items() if k in used}

    def _keyframe_of(self, sha256: str) -> str | None:
        kept = self.bodies.get(sha256)
        return kept.keyframe_sha256 if kept is not None else None

    def before(self, entry: EntryItem) -> Before:
        return Before(
            entry_id=entry.entry_id,
            ticker_id=entry.ticker_id,
            first_seen=entry.first_seen,
            status=entry.status,
            current_revision_id=entry.current_revision_id,
            current=self.revisions[entry.current_revision_id].version,
        )

    def apply(self, plan: PollPlan) -> PollId:
        row = plan.poll
        poll_id = PollId(next(self.poll_ids))
        snapshot_id = None
        if plan.snapshot is not None:
            snapshot_id = SnapshotId(next(self.snapshot_ids))
            self.snapshots[snapshot_id] = SnapshotItem(
                id=snapshot_id,
                ticker_id=row.ticker_id,
                poll_id=poll_id,
                observed_at=stored_instant(plan.snapshot.observed_at),
                outcome=plan.snapshot.outcome,
                page_headline=plan.snapshot.page_headline,
                placements=plan.snapshot.placements,
                layout=plan.snapshot.layout,
                entry_count=plan.snapshot.entry_count,
            )
        self.polls[poll_id] = StoredPoll(
            id=poll_id,
            ticker_id=row.ticker_id,
            started_at=stored_instant(row.started_at),
            observed_at=stored_instant(row.observed_at),
            duration_ms=row.duration_ms,
            outcome=row.outcome,
            http_status=row.http_status,
            bytes=row.bytes,
            etag=row.etag,
            last_modified=row.last_modified,
            error=row.error,
            body_sha256=row.body_sha256,
            snapshot_id=snapshot_id,
            truncated=row.truncated,
        )
        new_revisions: dict[str, RevisionId] = {}
        for write in plan.entries:
            if snapshot_id is None:  # plan_poll places entries of fresh polls only
                raise AssertionError("entries placed without a snapshot")
            revision_id = None
            if write.revision is not None:
                revision_id = RevisionId(next(self.revision_ids))
                self.revisions[revision_id] = Revision(
                    id=revision_id,
                    entry_id=write.entry_id,
                    snapshot_id=snapshot_id,
                    observed_at=stored_instant(row.observed_at),
                    version=_stored_version(write.revision),
                )
                new_revisions[write.entry_id] = revision_id
            old = self.entries.get(write.entry_id)
            if revision_id is None:
                if old is None:
                    raise AssertionError(f"new entry {write.entry_id} without a revision")
                revision_id = old.current_revision_id
            self.entries[write.entry_id] = EntryItem(
                entry_id=write.entry_id,
                ticker_id=row.ticker_id,
                first_seen=stored_instant(write.first_seen),
                last_seen=stored_instant(write.last_seen),
                status=write.status,
                position=write.position,
                native_id=write.native_id or (old.native_id if old is not None else None),
                current_revision_id=revision_id,
            )
        for entry_id, status in plan.statuses:
            self.entries[entry_id] = replace(self.entries[entry_id], status=status)
        for event in plan.events:
            if snapshot_id is None:
                raise AssertionError("change events without a snapshot")
            event_id = next(self.event_ids)
            self.events[event_id] = EventItem(
                id=event_id,
                ticker_id=row.ticker_id,
                poll_id=poll_id,
                snapshot_id=snapshot_id,
                observed_at=stored_instant(row.observed_at),
                write=event,
                previous=resolve(event.previous, new_revisions),
                current=resolve(event.current, new_revisions),
            )
            if event.kind.alerts:
                self.outbox[event_id] = None
        ticker = self.tickers[row.ticker_id]
        streak = ticker.error_streak + 1 if plan.failed else 0
        self.tickers[row.ticker_id] = replace(ticker, error_streak=streak)
        return poll_id

    def record_story_alert(
        self, alert: StoryAlert, *, detail: str, at: datetime
    ) -> StoredChange | None:
        """The three rows of a story alert (see :mod:`storage.story_alerts`)."""
        check_alert(alert, detail=detail, at=at)
        desk = [a.fired for a in self.story_alerts.values() if a.desk_id == alert.desk_id]
        if already_fired(alert, desk):
            return None
        entry = self.entries.get(alert.entry_id)
        if entry is None:
            raise EntryNotFound(f"no entry {alert.entry_id}")
        if entry.ticker_id != alert.ticker_id:
            raise InvalidValue(f"entry {alert.entry_id} belongs to ticker {entry.ticker_id}")
        revision = self.revisions[entry.current_revision_id]
        snapshot = self.snapshots[revision.snapshot_id]
        event_id = next(self.event_ids)
        event = EventItem(
            id=event_id,
            ticker_id=entry.ticker_id,
            poll_id=snapshot.poll_id,
            snapshot_id=snapshot.id,
            observed_at=stored_instant(at),
            write=alert_event(alert, detail=detail, current=revision.id),
            previous=None,
            current=revision.id,
        )
        self.events[event_id] = event
        self.outbox[event_id] = None
        key = (alert.desk_id, alert.story_id, alert.ticker_id)
        self.story_alerts[key] = StoryAlertItem(
            alert.desk_id, alert.fired, event_id, event.observed_at
        )
        return self.change(event)

    def story_alerts_fired(self, desk_id: int, *, since: datetime) -> tuple[Fired, ...]:
        found = sorted(
            (a for a in self.story_alerts.values() if a.desk_id == desk_id and a.fired_at >= since),
            key=lambda a: (a.fired_at, a.change_event_id),
        )
        return tuple(a.fired for a in found)

    def turn_start(
        self, ticker: Ticker, *, claimed: bool, change_kinds: Collection[ChangeKind] | None
    ) -> TurnStart:
        """What ``claim_turn`` reads of ``ticker`` (see :class:`TurnStart`)."""
        polls = sorted(
            (p for p in self.polls.values() if p.ticker_id == ticker.id),
            key=lambda p: (p.started_at, p.id),
        )
        fresh = [i for i, p in enumerate(polls) if p.outcome is PollOutcome.FRESH]
        since = polls[fresh[-1] + 1 :] if fresh else polls
        last_change_at = None
        if change_kinds is not None:
            last_change_at = max(
                (
                    e.observed_at
                    for e in self.events.values()
                    if e.ticker_id == ticker.id and e.write.kind in change_kinds
                ),
                default=None,
            )
        return TurnStart(
            ticker=ticker,
            claimed=claimed,
            latest=polls[-1] if polls else None,
            last_body_sha256=polls[fresh[-1]].body_sha256 if fresh else None,
            broken_polls=sum(1 for p in since if p.outcome is PollOutcome.NOT_A_TICKER),
            changes_read=change_kinds is not None,
            last_change_at=last_change_at,
        )

    def entry_record(self, entry: EntryItem) -> EntryRecord:
        return EntryRecord(
            entry_id=entry.entry_id,
            status=entry.status,
            first_seen=entry.first_seen,
            last_seen=entry.last_seen,
            position=entry.position,
            version=self.revisions[entry.current_revision_id].version,
        )

    def change(self, event: EventItem) -> StoredChange:
        write = event.write
        return StoredChange(
            id=event.id,
            ticker_id=event.ticker_id,
            poll_id=event.poll_id,
            snapshot_id=event.snapshot_id,
            observed_at=event.observed_at,
            kind=write.kind,
            entry_id=write.entry_id,
            changed=write.changed,
            similarity=write.similarity,
            word_ops=write.word_ops,
            previous=self.revisions[event.previous] if event.previous is not None else None,
            current=self.revisions[event.current] if event.current is not None else None,
            page_headline=write.page_headline,
            previous_page_headline=write.previous_page_headline,
            health=write.health,
            detail=write.detail,
            desk_id=write.desk_id,
            story_id=write.story_id,
            lead_seen_minutes=write.lead_seen_minutes,
            lead_printed_minutes=write.lead_printed_minutes,
        )


def _stored_version(version: EntryVersion) -> EntryVersion:
    if version.time is None:
        return version
    return replace(version, time=stored_time(version.time))
