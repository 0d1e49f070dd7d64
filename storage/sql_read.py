"""Reading from SQL: queries that gather rows for the folds of :mod:`storage.reconstruct`
and the views of :mod:`storage.model`. Each function runs inside the caller's session
(one read transaction, so its queries see one state of the database)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from diffing.model import EntryStatus, EntryVersion, PollOutcome, TickerState
from storage import sql_bodies
from storage.errors import TickerNotFound
from storage.mapping import (
    placements_of,
    poll_from_row,
    revision_from_row,
    status_of,
    ticker_from_row,
    version_from_row,
)
from storage.model import (
    Revision,
    SnapshotId,
    StorageStats,
    StoredPoll,
    Ticker,
    TickerId,
    TickerView,
)
from storage.reconstruct import (
    EntryRecord,
    reading_health,
    ticker_state,
    ticker_view,
    window_start,
)
from storage.sql_core import core_rows, table
from storage.sql_write import chunks
from storage.tables import (
    ChangeEventRow,
    EntryRow,
    PollRow,
    RawBodyRow,
    RevisionRow,
    SnapshotRow,
    TickerRow,
)

FRESH = PollOutcome.FRESH.value


def require_ticker(session: Session, ticker_id: TickerId) -> None:
    if session.get(TickerRow, ticker_id) is None:
        raise TickerNotFound(f"no ticker {ticker_id}")


def previous_state(
    session: Session, ticker_id: TickerId, *, keep_removed_for: timedelta
) -> TickerState:
    require_ticker(session, ticker_id)
    current = (PollOutcome.FRESH.value, PollOutcome.UNCHANGED.value)
    last_fresh_at = session.exec(
        select(func.max(PollRow.observed_at)).where(
            PollRow.ticker_id == ticker_id, col(PollRow.outcome).in_(current)
        )
    ).one()
    last = session.exec(
        select(PollRow.body_sha256, PollRow.started_at, SnapshotRow.layout, SnapshotRow.entry_count)
        .join(SnapshotRow, col(SnapshotRow.poll_id) == col(PollRow.id))
        .where(PollRow.ticker_id == ticker_id, PollRow.outcome == FRESH)
        .order_by(col(PollRow.started_at).desc(), col(PollRow.id).desc())
        .limit(1)
    ).first()
    broken = select(func.count()).where(
        PollRow.ticker_id == ticker_id, PollRow.outcome == PollOutcome.NOT_A_TICKER.value
    )
    if last is not None:
        broken = broken.where(col(PollRow.started_at) > last[1])
    start = window_start(last_fresh_at, keep_removed_for)
    kept: ColumnElement[bool] = col(EntryRow.ticker_id) == ticker_id
    if start is not None:
        kept = kept & or_(
            col(EntryRow.status) == EntryStatus.LIVE.value, col(EntryRow.last_seen) >= start
        )
    entries = [
        EntryRecord(
            entry_id=entry.id,
            status=status_of(entry.status),
            first_seen=entry.first_seen,
            last_seen=entry.last_seen,
            position=entry.position,
            version=version_from_row(revision),
        )
        for entry, revision in session.exec(
            select(EntryRow, RevisionRow)
            .join(RevisionRow, col(RevisionRow.id) == col(EntryRow.current_revision_id))
            .where(kept)
        )
    ]
    earlier: dict[str, list[EntryVersion]] = {}
    for revision in session.exec(
        select(RevisionRow)
        .join(EntryRow, col(EntryRow.id) == col(RevisionRow.entry_id))
        .where(kept, col(RevisionRow.id) != col(EntryRow.current_revision_id))
        .order_by(col(RevisionRow.id))
    ):
        earlier.setdefault(revision.entry_id, []).append(version_from_row(revision))
    bodies = select(PollRow.body_sha256).where(
        PollRow.ticker_id == ticker_id, col(PollRow.body_sha256).is_not(None)
    )
    if start is not None:
        bodies = bodies.where(col(PollRow.started_at) >= start)
    seen = {sha for sha in session.exec(bodies.distinct()) if sha is not None}
    return ticker_state(
        entries,
        earlier,
        page_headline=_headline(session, ticker_id, at=None),
        last_fresh_at=last_fresh_at,
        last_body_sha256=last[0] if last is not None else None,
        seen_bodies=seen,
        health=reading_health(
            (last[2], last[3]) if last is not None else None, session.exec(broken).one()
        ),
    )


def _headline(session: Session, ticker_id: TickerId, *, at: datetime | None) -> str | None:
    """The last page headline a fresh page had (observed at or before ``at``)."""
    query = select(SnapshotRow.page_headline).where(
        SnapshotRow.ticker_id == ticker_id,
        SnapshotRow.outcome == FRESH,
        col(SnapshotRow.page_headline).is_not(None),
    )
    if at is not None:
        query = query.where(col(SnapshotRow.observed_at) <= at)
    order = (col(SnapshotRow.observed_at).desc(), col(SnapshotRow.id).desc())
    return session.exec(query.order_by(*order).limit(1)).first()


def ticker_as_of(session: Session, ticker_id: TickerId, at: datetime) -> TickerView:
    require_ticker(session, ticker_id)
    snapshot = session.exec(
        select(SnapshotRow)
        .where(
            SnapshotRow.ticker_id == ticker_id,
            SnapshotRow.outcome == FRESH,
            col(SnapshotRow.observed_at) <= at,
        )
        .order_by(col(SnapshotRow.observed_at).desc(), col(SnapshotRow.id).desc())
        .limit(1)
    ).first()
    if snapshot is None:
        return ticker_view(
            ticker_id, at, snapshot=None, page_headline=None, first_seen={}, revisions=()
        )
    placements = placements_of(snapshot)
    ids = [entry_id for entry_id, _ in placements]
    first_seen: dict[str, datetime] = {}
    revisions: list[Revision] = []
    for batch in chunks(ids):
        first_seen.update(
            session.exec(
                select(EntryRow.id, EntryRow.first_seen).where(col(EntryRow.id).in_(batch))
            ).all()
        )
        revisions += [
            revision_from_row(r)
            for r in session.exec(
                select(RevisionRow).where(
                    col(RevisionRow.entry_id).in_(batch), col(RevisionRow.observed_at) <= at
                )
            )
        ]
    return ticker_view(
        ticker_id,
        at,
        snapshot=(SnapshotId(_id(snapshot.id)), snapshot.observed_at, placements),
        page_headline=_headline(session, ticker_id, at=at),
        first_seen=first_seen,
        revisions=revisions,
    )


@cache
def _ticker_query() -> Select[Any]:
    tickers = table("ticker")
    return core_select(tickers).where(tickers.c.id == bindparam("ticker_id"))


def ticker(session: Session, ticker_id: TickerId) -> Ticker:
    found = core_rows(session, _ticker_query(), {"ticker_id": ticker_id})
    if not found:
        raise TickerNotFound(f"no ticker {ticker_id}")
    return ticker_from_row(found[0])


@cache
def _polls_query() -> Select[Any]:
    poll = table("poll")
    return (
        core_select(poll)
        .where(poll.c.ticker_id == bindparam("ticker_id"))
        .order_by(poll.c.started_at.desc(), poll.c.id.desc())
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )


def polls(
    session: Session, ticker_id: TickerId, *, limit: int, offset: int
) -> tuple[StoredPoll, ...]:
    parameters = {"ticker_id": ticker_id, "offset": offset, "limit": limit}
    rows = core_rows(session, _polls_query(), parameters)
    if not rows:  # a ticker with polls exists: only an empty page needs the check
        require_ticker(session, ticker_id)
    return tuple(poll_from_row(r) for r in rows)


def raw_body(session: Session, sha256: str) -> bytes:
    return sql_bodies.read(session.connection(), sha256)


def stats(session: Session, ticker_id: TickerId) -> StorageStats:
    require_ticker(session, ticker_id)

    def count(table: type[PollRow | SnapshotRow | EntryRow | ChangeEventRow]) -> int:
        query = select(func.count()).select_from(table).where(table.ticker_id == ticker_id)
        return session.exec(query).one()

    shas = select(PollRow.body_sha256).where(PollRow.ticker_id == ticker_id).distinct()
    bodies, raw_bytes, stored_bytes = session.exec(
        select(
            func.count(),
            func.coalesce(func.sum(RawBodyRow.size), 0),
            func.coalesce(func.sum(RawBodyRow.stored_size), 0),
        ).where(col(RawBodyRow.sha256).in_(shas))
    ).one()
    revisions = session.exec(
        select(func.count())
        .select_from(RevisionRow)
        .join(EntryRow, col(EntryRow.id) == col(RevisionRow.entry_id))
        .where(EntryRow.ticker_id == ticker_id)
    ).one()
    return StorageStats(
        polls=count(PollRow),
        snapshots=count(SnapshotRow),
        entries=count(EntryRow),
        revisions=revisions,
        changes=count(ChangeEventRow),
        bodies=bodies,
        raw_bytes=int(raw_bytes),
        stored_bytes=int(stored_bytes),
    )


def _id(value: int | None) -> int:
    if value is None:
        raise AssertionError("a stored row has no id")
    return value
