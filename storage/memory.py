"""``MemoryStore``: both storage ports in process memory, for tests, demos and dry runs.

A real implementation, not a mock: it keeps the same rows the SQL store keeps
(:mod:`storage.memory_tables`), decides
what to write with the same pure :func:`storage.plan.plan_poll`, answers reads with the
same folds of :mod:`storage.reconstruct`, compresses bodies with the same codec and
returns datetimes as the SQL store does (instants in UTC, entry times at their offset).
It passes the contract suite the SQL adapters pass.

Atomicity: a poll is validated and planned completely before the first row changes, and
applying a plan only assigns to dicts, so a refused poll leaves nothing behind. One lock
serializes every call, so threads may share a store.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from diffing.model import ChangeKind, Diff, EntryVersion, PollOutcome, TickerState
from ingest.model import ParsedPage
from storage.codec import sha256_hex
from storage.deltas import open_body
from storage.errors import EntryNotFound
from storage.memory_tables import EventItem
from storage.memory_tickers import MemoryTickers
from storage.model import (
    EntryHistory,
    PollId,
    PollRecord,
    PollSchedule,
    StorageStats,
    StoredChange,
    StoredPoll,
    TickerId,
    TickerView,
)
from storage.plan import entry_ids_of, plan_poll
from storage.ports import Store
from storage.reconstruct import kept, reading_health, ticker_state, ticker_view, window_start
from storage.validate import (
    check_instant,
    check_window,
)
from stories import Fired, StoryAlert

_FRESH_OR_UNCHANGED = (PollOutcome.FRESH, PollOutcome.UNCHANGED)


class MemoryStore(MemoryTickers):
    """Implements :class:`storage.ports.Store` without a database."""

    # PollStore: writing

    def record_poll(
        self,
        record: PollRecord,
        body: bytes | None,
        page: ParsedPage | None,
        diff: Diff | None,
        *,
        schedule: PollSchedule | None = None,
    ) -> PollId:
        body_sha256 = sha256_hex(body) if body is not None else None
        check_instant(schedule.at if schedule else None, "next_poll_at")
        with self._lock:
            self._ticker(record.ticker_id)
            poll_id = self._record(record, body, body_sha256, page, diff)
            if schedule is not None:
                self._schedule(record.ticker_id, schedule.at, schedule.release)
            return poll_id

    def _record(
        self,
        record: PollRecord,
        body: bytes | None,
        body_sha256: str | None,
        page: ParsedPage | None,
        diff: Diff | None,
    ) -> PollId:
        """Record a poll under the lock (see ``record_poll``)."""
        for poll in self._t.polls.values():
            if poll.ticker_id == record.ticker_id and poll.started_at == record.started_at:
                return poll.id
        before = {
            entry_id: self._t.before(self._t.entries[entry_id])
            for entry_id in entry_ids_of(diff)
            if entry_id in self._t.entries
        }
        body_seen = any(
            p.ticker_id == record.ticker_id and p.body_sha256 == body_sha256
            for p in self._t.polls.values()
            if body_sha256 is not None
        )
        plan = plan_poll(
            record,
            body_sha256=body_sha256,
            page=page,
            diff=diff,
            before=before,
            body_seen=body_seen,
        )
        if body is not None:
            self._t.store_body(body, record.ticker_id)
        return self._t.apply(plan)

    # PollStore: reading

    def previous_state(self, ticker_id: TickerId, *, keep_removed_for: timedelta) -> TickerState:
        with self._lock:
            self._ticker(ticker_id)
            polls = sorted(
                (p for p in self._t.polls.values() if p.ticker_id == ticker_id),
                key=lambda p: (p.started_at, p.id),
            )
            fresh = [p for p in polls if p.outcome is PollOutcome.FRESH]
            last_fresh = fresh[-1] if fresh else None
            since = polls[polls.index(last_fresh) + 1 :] if last_fresh is not None else polls
            snapshot = (
                self._t.snapshots[last_fresh.snapshot_id]
                if last_fresh is not None and last_fresh.snapshot_id is not None
                else None
            )
            current = [p.observed_at for p in polls if p.outcome in _FRESH_OR_UNCHANGED]
            last_fresh_at = max(current, default=None)
            start = window_start(last_fresh_at, keep_removed_for)
            entries = {
                e.entry_id: e
                for e in self._t.entries.values()
                if e.ticker_id == ticker_id and kept(e.status, e.last_seen, start)
            }
            earlier: dict[str, list[EntryVersion]] = {}
            for revision in sorted(self._t.revisions.values(), key=lambda r: r.id):
                entry = entries.get(revision.entry_id)
                if entry is not None and revision.id != entry.current_revision_id:
                    earlier.setdefault(entry.entry_id, []).append(revision.version)
            headlines = [
                s.page_headline
                for s in sorted(self._t.snapshots.values(), key=lambda s: (s.observed_at, s.id))
                if s.ticker_id == ticker_id
                and s.outcome is PollOutcome.FRESH
                and s.page_headline is not None
            ]
            return ticker_state(
                (self._t.entry_record(e) for e in entries.values()),
                earlier,
                page_headline=headlines[-1] if headlines else None,
                last_fresh_at=last_fresh_at,
                last_body_sha256=last_fresh.body_sha256 if last_fresh is not None else None,
                seen_bodies={
                    p.body_sha256
                    for p in polls
                    if p.body_sha256 is not None and (start is None or p.started_at >= start)
                },
                health=reading_health(
                    (snapshot.layout, snapshot.entry_count) if snapshot is not None else None,
                    sum(1 for p in since if p.outcome is PollOutcome.NOT_A_TICKER),
                ),
            )

    def ticker_as_of(self, ticker_id: TickerId, at: datetime) -> TickerView:
        check_instant(at, "at")
        with self._lock:
            self._ticker(ticker_id)
            fresh = sorted(
                (
                    s
                    for s in self._t.snapshots.values()
                    if s.ticker_id == ticker_id
                    and s.outcome is PollOutcome.FRESH
                    and s.observed_at <= at
                ),
                key=lambda s: (s.observed_at, s.id),
            )
            if not fresh:
                return ticker_view(
                    ticker_id, at, snapshot=None, page_headline=None, first_seen={}, revisions=()
                )
            last = fresh[-1]
            ids = {entry_id for entry_id, _ in last.placements}
            headlines = [s.page_headline for s in fresh if s.page_headline is not None]
            return ticker_view(
                ticker_id,
                at,
                snapshot=(last.id, last.observed_at, last.placements),
                page_headline=headlines[-1] if headlines else None,
                first_seen={i: self._t.entries[i].first_seen for i in ids},
                revisions=(r for r in self._t.revisions.values() if r.entry_id in ids),
            )

    def entry_history(self, entry_id: str) -> EntryHistory:
        with self._lock:
            entry = self._t.entries.get(entry_id)
            if entry is None:
                raise EntryNotFound(f"no entry {entry_id}")
            revisions = sorted(
                (r for r in self._t.revisions.values() if r.entry_id == entry_id),
                key=lambda r: (r.observed_at, r.id),
            )
            events = sorted(
                (e for e in self._t.events.values() if e.write.entry_id == entry_id),
                key=lambda e: (e.observed_at, e.id),
            )
            return EntryHistory(
                entry_id=entry_id,
                ticker_id=entry.ticker_id,
                first_seen=entry.first_seen,
                last_seen=entry.last_seen,
                status=entry.status,
                position=entry.position,
                native_id=entry.native_id,
                revisions=tuple(revisions),
                changes=tuple(self._t.change(e) for e in events),
            )

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
        check_instant(since, "since")
        check_instant(until, "until")
        check_window(limit, offset)
        with self._lock:
            self._ticker(ticker_id)
            events = sorted(
                (
                    e
                    for e in self._t.events.values()
                    if e.ticker_id == ticker_id
                    and (since is None or e.observed_at >= since)
                    and (until is None or e.observed_at < until)
                    and (kinds is None or e.write.kind in kinds)
                ),
                key=lambda e: (e.observed_at, e.id),
                reverse=True,
            )
            return tuple(self._t.change(e) for e in events[offset : offset + limit])

    def changes_after(self, after_id: int, *, limit: int = 100) -> tuple[StoredChange, ...]:
        check_window(limit, 0)
        with self._lock:
            events = sorted(
                (e for e in self._t.events.values() if e.id > after_id), key=lambda e: e.id
            )
            return tuple(self._t.change(e) for e in events[:limit])

    def changes_by_ids(self, change_ids: Collection[int]) -> dict[int, StoredChange]:
        with self._lock:
            events = self._t.events
            return {i: self._t.change(events[i]) for i in set(change_ids) if i in events}

    def parse_health(self) -> tuple[StoredChange, ...]:
        with self._lock:
            last: dict[TickerId, EventItem] = {}
            for event in self._t.events.values():
                if event.write.kind is ChangeKind.TICKER_HEALTH:
                    best = last.get(event.ticker_id)
                    if best is None or event.id > best.id:
                        last[event.ticker_id] = event
            return tuple(self._t.change(last[t]) for t in sorted(last))

    def outbox(self, *, limit: int = 100) -> tuple[StoredChange, ...]:
        check_window(limit, 0)
        with self._lock:
            pending = sorted(self._t.outbox)[:limit]
            return tuple(self._t.change(self._t.events[i]) for i in pending)

    def mark_dispatched(self, change_ids: Collection[int]) -> None:
        with self._lock:
            for change_id in change_ids:
                self._t.outbox.pop(change_id, None)

    def record_story_alert(
        self, alert: StoryAlert, *, detail: str, at: datetime
    ) -> StoredChange | None:
        with self._lock:
            return self._t.record_story_alert(alert, detail=detail, at=at)

    def story_alerts_fired(self, desk_id: int, *, since: datetime) -> tuple[Fired, ...]:
        check_instant(since, "since")
        with self._lock:
            return self._t.story_alerts_fired(desk_id, since=since)

    def polls(
        self, ticker_id: TickerId, *, limit: int = 20, offset: int = 0
    ) -> tuple[StoredPoll, ...]:
        check_window(limit, offset)
        with self._lock:
            self._ticker(ticker_id)
            polls = sorted(
                (p for p in self._t.polls.values() if p.ticker_id == ticker_id),
                key=lambda p: (p.started_at, p.id),
                reverse=True,
            )
            return tuple(polls[offset : offset + limit])

    def raw_body(self, sha256: str) -> bytes:
        with self._lock:
            rows = self._t.body_rows(sha256)
        return open_body(*rows)  # decompressed outside the lock

    def stats(self, ticker_id: TickerId) -> StorageStats:
        with self._lock:
            self._ticker(ticker_id)
            polls = [p for p in self._t.polls.values() if p.ticker_id == ticker_id]
            bodies = [self._t.bodies[s] for s in {p.body_sha256 for p in polls} if s is not None]
            entry_ids = {e.entry_id for e in self._t.entries.values() if e.ticker_id == ticker_id}
            return StorageStats(
                polls=len(polls),
                snapshots=sum(1 for s in self._t.snapshots.values() if s.ticker_id == ticker_id),
                entries=len(entry_ids),
                revisions=sum(1 for r in self._t.revisions.values() if r.entry_id in entry_ids),
                changes=sum(1 for e in self._t.events.values() if e.ticker_id == ticker_id),
                bodies=len(bodies),
                raw_bytes=sum(b.size for b in bodies),
                stored_bytes=sum(len(b.data) for b in bodies),
            )


def _conforms(store: MemoryStore) -> Store:
    return store  # mypy checks here that MemoryStore implements the port
