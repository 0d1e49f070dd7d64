"""Recording a poll in SQL: gather, plan (:mod:`storage.plan`), apply, in one session.

The caller owns the transaction (``SqlStore.record_poll`` opens it); any exception
here rolls all of it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import exists
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from diffing.model import Diff
from ingest.model import ParsedPage
from storage.codec import pack, sha256_hex
from storage.errors import TickerNotFound
from storage.mapping import (
    event_row,
    poll_row,
    revision_row,
    snapshot_row,
    status_of,
    version_from_row,
)
from storage.model import PollId, PollRecord, RevisionId, SnapshotId, TickerId
from storage.plan import Before, PollPlan, entry_ids_of, plan_poll, resolve
from storage.tables import (
    AlertOutboxRow,
    EntryRow,
    PollRow,
    RawBodyRow,
    RevisionRow,
    TickerRow,
)
from storage.validate import check_instant

CHUNK = 500  # ids per IN (...) list: far below every database's parameter limit


def chunks(items: Iterable[str], size: int = CHUNK) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def record_poll(
    session: Session,
    record: PollRecord,
    body: bytes | None,
    page: ParsedPage | None,
    diff: Diff | None,
) -> PollId:
    check_instant(record.started_at, "PollRecord.started_at")
    ticker = session.get(TickerRow, record.ticker_id)
    if ticker is None:
        raise TickerNotFound(f"no ticker {record.ticker_id}")
    existing = session.exec(
        select(PollRow.id).where(
            PollRow.ticker_id == record.ticker_id, PollRow.started_at == record.started_at
        )
    ).first()
    if existing is not None:
        return PollId(existing)
    body_sha256 = sha256_hex(body) if body is not None else None
    body_seen = (
        body_sha256 is not None
        and session.exec(
            select(
                exists().where(
                    col(PollRow.ticker_id) == record.ticker_id,
                    col(PollRow.body_sha256) == body_sha256,
                )
            )
        ).one()
    )
    rows = _entries(session, entry_ids_of(diff))
    before = {
        entry_id: Before(
            entry_id=entry_id,
            ticker_id=TickerId(row.ticker_id),
            first_seen=row.first_seen,
            status=status_of(row.status),
            current_revision_id=(
                RevisionId(row.current_revision_id) if row.current_revision_id is not None else None
            ),
            current=version_from_row(current) if current is not None else None,
        )
        for entry_id, (row, current) in rows.items()
    }
    plan = plan_poll(
        record,
        body_sha256=body_sha256,
        page=page,
        diff=diff,
        before=before,
        body_seen=body_seen,
    )
    if body is not None:
        _store_body(session, body)
    poll_id = _apply(session, plan, {entry_id: row for entry_id, (row, _) in rows.items()})
    ticker.error_streak = ticker.error_streak + 1 if plan.failed else 0
    session.add(ticker)
    return poll_id


def _entries(
    session: Session, ids: Iterable[str]
) -> dict[str, tuple[EntryRow, RevisionRow | None]]:
    """Stored entries among ``ids``, each with its current revision."""
    found: dict[str, tuple[EntryRow, RevisionRow | None]] = {}
    for batch in chunks(sorted(ids)):
        query = (
            select(EntryRow, RevisionRow)
            .join(
                RevisionRow,
                col(RevisionRow.id) == col(EntryRow.current_revision_id),
                isouter=True,
            )
            .where(col(EntryRow.id).in_(batch))
        )
        for entry, revision in session.exec(query):
            found[entry.id] = (entry, revision)
    return found


def _store_body(session: Session, body: bytes) -> None:
    """Insert the body unless a row with its SHA-256 exists (also when a concurrent
    transaction inserts it first: ON CONFLICT DO NOTHING)."""
    sha256 = sha256_hex(body)
    if session.exec(select(exists().where(col(RawBodyRow.sha256) == sha256))).one():
        return  # stored already: skip compressing it again
    packed = pack(body)
    values = {
        "sha256": packed.sha256,
        "codec": packed.codec.value,
        "size": packed.size,
        "stored_size": len(packed.data),
        "data": packed.data,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(RawBodyRow).values(values).on_conflict_do_nothing())


def _apply(session: Session, plan: PollPlan, stored: dict[str, EntryRow]) -> PollId:
    write = plan.poll
    poll = poll_row(write)
    session.add(poll)
    session.flush()
    poll_id = PollId(_flushed(poll.id))
    if plan.snapshot is None:
        return poll_id
    snapshot = snapshot_row(plan.snapshot, ticker_id=write.ticker_id, poll_id=poll_id)
    session.add(snapshot)
    session.flush()
    snapshot_id = SnapshotId(_flushed(snapshot.id))
    poll.snapshot_id = snapshot_id
    session.add(poll)

    rows: dict[str, EntryRow] = {}
    for entry in plan.entries:
        row = stored.get(entry.entry_id)
        if row is None:
            row = EntryRow(
                id=entry.entry_id,
                ticker_id=write.ticker_id,
                first_seen=entry.first_seen,
                last_seen=entry.last_seen,
                status=entry.status.value,
                position=entry.position,
                native_id=entry.native_id,
            )
        else:
            row.last_seen = entry.last_seen
            row.status = entry.status.value
            row.position = entry.position
            row.native_id = entry.native_id or row.native_id
        rows[entry.entry_id] = row
        session.add(row)
    session.flush()  # entries first: revisions refer to them

    revisions = {
        entry.entry_id: revision_row(
            entry.revision,
            entry_id=entry.entry_id,
            snapshot_id=snapshot_id,
            observed_at=write.observed_at,
        )
        for entry in plan.entries
        if entry.revision is not None
    }
    session.add_all(revisions.values())
    session.flush()
    new: dict[str, RevisionId] = {}
    for entry_id, revision in revisions.items():
        new[entry_id] = RevisionId(_flushed(revision.id))
        rows[entry_id].current_revision_id = new[entry_id]
    for entry_id, status in plan.statuses:
        stored[entry_id].status = status.value
    session.add_all([*rows.values(), *(stored[entry_id] for entry_id, _ in plan.statuses)])

    events = [
        event_row(
            event,
            ticker_id=write.ticker_id,
            poll_id=poll_id,
            snapshot_id=snapshot_id,
            observed_at=write.observed_at,
            previous=resolve(event.previous, new),
            current=resolve(event.current, new),
        )
        for event in plan.events
    ]
    session.add_all(events)
    session.flush()
    session.add_all(
        AlertOutboxRow(change_event_id=_flushed(row.id), ticker_id=write.ticker_id)
        for row, event in zip(events, plan.events, strict=True)
        if event.kind.alerts
    )
    session.flush()
    return poll_id


def _flushed(value: int | None) -> int:
    if value is None:
        raise AssertionError("a flushed row has no id")
    return value
