"""``SqlStore``: both storage ports on SQLModel, for SQLite and PostgreSQL alike.

    store = SqlStore(create_engine_for(url))     # after storage.engine.upgrade(url)

Every method is one transaction (``record_poll`` of a page reads and plans in one, then
writes in a second, short one: :mod:`storage.sql_write`; a scheduled turn's claim and
schedule: :mod:`storage.sql_turn`). Writes begin ``IMMEDIATE`` on SQLite (the write lock
is taken before the first read, so a write never fails half-way on a lock); reads run
``REPEATABLE READ`` on PostgreSQL, so the several queries of one read see one state.
The queries live in :mod:`storage.sql_read` and :mod:`storage.sql_write`; row mapping
in :mod:`storage.mapping`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from diffing.model import ChangeKind, Diff, TickerState
from ingest.model import EntrySelectors, ParsedPage
from storage import sql_bodies, sql_changes, sql_read, sql_story_alerts, sql_turn, sql_write
from storage.errors import DuplicateTicker, TickerNotFound
from storage.mapping import selectors_text, tags_text, ticker_from_row
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
from storage.ports import Store
from storage.story_alerts import check_alert
from storage.tables import AlertOutboxRow, PollClaimRow, PollRow, TickerRow
from storage.validate import (
    check_instant,
    check_interval,
    check_name,
    check_new_ticker,
    check_robots_override,
    check_selectors,
    check_tags,
    check_window,
)
from stories import Fired, StoryAlert


class SqlStore:
    """Implements :class:`storage.ports.Store` on a SQLAlchemy engine made by
    :func:`storage.engine.create_engine_for`, whose database is migrated to head."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        postgres = engine.dialect.name == "postgresql"
        self._reader = (
            engine.execution_options(isolation_level="REPEATABLE READ") if postgres else engine
        )
        self._writer = engine.execution_options(sqlite_immediate=True)

    def close(self) -> None:
        self._engine.dispose()

    def _read(self) -> Session:
        return Session(self._reader)

    def _write(self) -> Session:
        return Session(self._writer)

    # TickerRepository

    def add(self, ticker: NewTicker, *, created_at: datetime) -> Ticker:
        check_new_ticker(ticker, created_at)
        with self._write() as session, session.begin():
            taken = session.exec(select(TickerRow.id).where(TickerRow.url == ticker.url)).first()
            if taken is not None:
                raise DuplicateTicker(f"a ticker watches {ticker.url} already")
            row = TickerRow(
                url=ticker.url,
                name=ticker.name,
                zone=ticker.zone,
                profile=ticker.profile,
                interval_seconds=ticker.interval_seconds,
                paused=ticker.paused,
                created_at=created_at,
                next_poll_at=ticker.next_poll_at,
                tags=tags_text(ticker.tags),
                robots_override=ticker.robots_override,
                selectors=selectors_text(ticker.selectors),
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError as error:  # another writer added the URL just now
                raise DuplicateTicker(f"a ticker watches {ticker.url} already") from error
            session.refresh(row)
            return ticker_from_row(row)

    def get(self, ticker_id: TickerId) -> Ticker:
        with self._read() as session, session.begin():
            return sql_read.ticker(session, ticker_id)

    def list(self) -> tuple[Ticker, ...]:
        with self._read() as session, session.begin():
            rows = session.exec(select(TickerRow).order_by(col(TickerRow.id)))
            return tuple(ticker_from_row(r) for r in rows)

    def set_paused(self, ticker_id: TickerId, paused: bool) -> Ticker:
        return self._update(ticker_id, lambda row: setattr(row, "paused", paused))

    def set_interval(self, ticker_id: TickerId, interval_seconds: int) -> Ticker:
        check_interval(interval_seconds)
        return self._update(
            ticker_id, lambda row: setattr(row, "interval_seconds", interval_seconds)
        )

    def rename(self, ticker_id: TickerId, name: str) -> Ticker:
        check_name(name)
        return self._update(ticker_id, lambda row: setattr(row, "name", name))

    def set_tags(self, ticker_id: TickerId, tags: Sequence[str]) -> Ticker:
        check_tags(tags)
        return self._update(ticker_id, lambda row: setattr(row, "tags", tags_text(tuple(tags))))

    def set_robots_override(self, ticker_id: TickerId, reason: str | None) -> Ticker:
        check_robots_override(reason)
        return self._update(ticker_id, lambda row: setattr(row, "robots_override", reason))

    def set_selectors(self, ticker_id: TickerId, selectors: EntrySelectors | None) -> Ticker:
        check_selectors(selectors)
        text = selectors_text(selectors)
        return self._update(ticker_id, lambda row: setattr(row, "selectors", text))

    def set_next_poll_at(
        self, ticker_id: TickerId, at: datetime | None, *, release: str | None = None
    ) -> Ticker:
        check_instant(at, "next_poll_at")
        with self._write() as session, session.begin():
            row = _ticker(session, ticker_id)
            row.next_poll_at = at
            session.add(row)
            if release is not None:
                session.execute(
                    delete(PollClaimRow).where(
                        col(PollClaimRow.ticker_id) == ticker_id,
                        col(PollClaimRow.token) == release,
                    )
                )
            session.flush()
            session.refresh(row)
            return ticker_from_row(row)

    def claim_poll(
        self, ticker_id: TickerId, *, token: str, now: datetime, until: datetime
    ) -> bool:
        check_instant(now, "now")
        check_instant(until, "until")
        # Core, not an ORM session: this runs before every poll.
        with self._writer.begin() as connection:
            return sql_turn.claim(connection, ticker_id, token=token, now=now, until=until)

    def claim_turn(
        self,
        ticker_id: TickerId,
        *,
        token: str,
        now: datetime,
        until: datetime,
        change_kinds: Collection[ChangeKind] | None = None,
    ) -> TurnStart:
        check_instant(now, "now")
        check_instant(until, "until")
        with self._writer.begin() as connection:
            return sql_turn.claim_turn(
                connection, ticker_id, token=token, now=now, until=until, change_kinds=change_kinds
            )

    def _update(self, ticker_id: TickerId, change: Callable[[TickerRow], None]) -> Ticker:
        with self._write() as session, session.begin():
            row = _ticker(session, ticker_id)
            change(row)
            session.add(row)
            session.flush()
            session.refresh(row)
            return ticker_from_row(row)

    def remove(self, ticker_id: TickerId) -> None:
        with self._write() as session, session.begin():
            _ticker(session, ticker_id)
            shas = [
                sha
                for sha in session.exec(
                    select(PollRow.body_sha256).where(PollRow.ticker_id == ticker_id).distinct()
                )
                if sha is not None
            ]
            # The database cascades to polls, snapshots, entries, revisions and events.
            session.execute(delete(TickerRow).where(col(TickerRow.id) == ticker_id))
            sql_bodies.remove_orphans(session.connection(), shas)

    # PollStore

    def record_poll(
        self,
        record: PollRecord,
        body: bytes | None,
        page: ParsedPage | None,
        diff: Diff | None,
        *,
        schedule: PollSchedule | None = None,
    ) -> PollId:
        check_instant(schedule.at if schedule else None, "next_poll_at")
        if page is None and (body is None or diff is not None):
            # Nothing to plan (a 304, a failed fetch, the same bytes again): read and
            # write in one transaction; the write lock waits for no page-sized work.
            with self._writer.begin() as connection:
                prepared = sql_write.prepare(connection, record, body, page, diff)
                return self._apply(connection, prepared, record, schedule)
        # Read and plan first (no write lock), then write in one short transaction; if
        # the ticker moved in between, plan again under the lock (see storage.sql_write).
        with self._reader.connect() as connection, connection.begin():
            prepared = sql_write.prepare(connection, record, body, page, diff)
        if prepared.existing is not None and schedule is None:
            return prepared.existing
        with self._writer.begin() as connection:
            if not sql_write.is_current(connection, prepared):
                prepared = sql_write.prepare(connection, record, body, page, diff)
            return self._apply(connection, prepared, record, schedule)

    def _apply(
        self,
        connection: Connection,
        prepared: sql_write.Prepared,
        record: PollRecord,
        schedule: PollSchedule | None,
    ) -> PollId:
        if schedule is None:
            return sql_write.apply(connection, prepared)
        poll_id = sql_write.apply(connection, prepared, {"next_poll_at": schedule.at})
        sql_turn.release(connection, record.ticker_id, schedule.release)
        return poll_id

    def previous_state(self, ticker_id: TickerId, *, keep_removed_for: timedelta) -> TickerState:
        with self._read() as session, session.begin():
            return sql_read.previous_state(session, ticker_id, keep_removed_for=keep_removed_for)

    def ticker_as_of(self, ticker_id: TickerId, at: datetime) -> TickerView:
        check_instant(at, "at")
        with self._read() as session, session.begin():
            return sql_read.ticker_as_of(session, ticker_id, at)

    def entry_history(self, entry_id: str) -> EntryHistory:
        with self._read() as session, session.begin():
            return sql_changes.entry_history(session, entry_id)

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
        with self._read() as session, session.begin():
            return sql_changes.changes(
                session,
                ticker_id,
                since=since,
                until=until,
                kinds=kinds,
                limit=limit,
                offset=offset,
            )

    def changes_after(self, after_id: int, *, limit: int = 100) -> tuple[StoredChange, ...]:
        check_window(limit, 0)
        with self._read() as session, session.begin():
            return sql_changes.changes_after(session, after_id, limit=limit)

    def changes_by_ids(self, change_ids: Collection[int]) -> dict[int, StoredChange]:
        with self._read() as session, session.begin():
            return sql_changes.changes_by_ids(session, change_ids)

    def parse_health(self) -> tuple[StoredChange, ...]:
        with self._read() as session, session.begin():
            return sql_changes.parse_health(session)

    def outbox(self, *, limit: int = 100) -> tuple[StoredChange, ...]:
        check_window(limit, 0)
        with self._read() as session, session.begin():
            return sql_changes.outbox(session, limit=limit)

    def mark_dispatched(self, change_ids: Collection[int]) -> None:
        ids = sorted(set(change_ids))
        with self._write() as session, session.begin():
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                session.execute(
                    delete(AlertOutboxRow).where(col(AlertOutboxRow.change_event_id).in_(batch))
                )

    def record_story_alert(
        self, alert: StoryAlert, *, detail: str, at: datetime
    ) -> StoredChange | None:
        check_alert(alert, detail=detail, at=at)
        try:
            with self._writer.begin() as connection:
                change_id = sql_story_alerts.record(connection, alert, detail=detail, at=at)
        except IntegrityError:
            # Another process recorded a key of it since this one looked: it fired once.
            with self._reader.connect() as connection, connection.begin():
                if sql_story_alerts.fired_before(connection, alert):
                    return None
            raise
        if change_id is None:
            return None
        return self.changes_by_ids([change_id])[change_id]

    def story_alerts_fired(self, desk_id: int, *, since: datetime) -> tuple[Fired, ...]:
        check_instant(since, "since")
        with self._reader.connect() as connection, connection.begin():
            return sql_story_alerts.fired(connection, desk_id, since=since)

    def polls(
        self, ticker_id: TickerId, *, limit: int = 20, offset: int = 0
    ) -> tuple[StoredPoll, ...]:
        check_window(limit, offset)
        with self._read() as session, session.begin():
            return sql_read.polls(session, ticker_id, limit=limit, offset=offset)

    def raw_body(self, sha256: str) -> bytes:
        with self._read() as session, session.begin():
            return sql_read.raw_body(session, sha256)

    def stats(self, ticker_id: TickerId) -> StorageStats:
        with self._read() as session, session.begin():
            return sql_read.stats(session, ticker_id)


def _ticker(session: Session, ticker_id: TickerId) -> TickerRow:
    row = session.get(TickerRow, ticker_id)
    if row is None:
        raise TickerNotFound(f"no ticker {ticker_id}")
    return row


def _conforms(store: SqlStore) -> Store:
    return store  # mypy checks here that SqlStore implements the port
