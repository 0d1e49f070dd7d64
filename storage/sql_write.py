"""Recording a poll in SQL: gather and plan (:mod:`storage.plan`) in a read, apply in a
short write.

    prepare(reading, ...)   -> Prepared   read transaction: the ticker's mark, the entries
                                          the diff names, the plan, the packed body, rows
    is_current(writing, p)  -> bool       the write transaction: nothing moved since?
    apply(writing, p)       -> PollId     bulk inserts and updates (Core executemany)

Everything that costs time in proportion to the page (reading the known entries,
planning, compressing the body, turning the plan into rows) happens before the write
transaction, so SQLite's write lock is held only for the statements themselves (issue
12: a 200,000-entry poll held it for more than ten minutes). The plan stays valid while
the ticker's *mark* (its row and its latest poll id) is unchanged: only a poll of the
same ticker writes its entries, and every poll adds a poll row. When the mark moved, the
caller prepares again inside the write transaction, where nothing can move. The poll is
written in one transaction either way: any exception rolls all of it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, exists, func, select, update

from diffing.model import Diff
from ingest.model import ParsedPage
from storage import sql_bodies
from storage.codec import PackedBody, sha256_hex
from storage.columns import StorageTable
from storage.errors import TickerNotFound
from storage.mapping import (
    event_values,
    poll_values,
    revision_values,
    snapshot_values,
    status_of,
    version_from_row,
)
from storage.model import PollId, PollRecord, RevisionId, TickerId
from storage.plan import Before, PollPlan, entry_ids_of, plan_poll, resolve
from storage.validate import check_instant

CHUNK = 500  # ids per IN (...) list: far below every database's parameter limit

_TABLES = StorageTable.metadata.tables
TICKER: Table = _TABLES["ticker"]
POLL: Table = _TABLES["poll"]
SNAPSHOT: Table = _TABLES["snapshot"]
ENTRY: Table = _TABLES["entry"]
REVISION: Table = _TABLES["entry_revision"]
EVENT: Table = _TABLES["change_event"]
OUTBOX: Table = _TABLES["alert_outbox"]

Mark = tuple[int, int | None]
"""What a plan was made from: the ticker's id and its latest poll's id (None: none)."""


def chunks(items: Iterable[str], size: int = CHUNK) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True, slots=True)
class Prepared:
    """A poll planned from one read of the store. ``existing`` is the poll's id when it
    is recorded already (the same ticker and start: a retried poll); ``packed`` the
    body compressed, when the store did not hold it at the read."""

    mark: Mark
    existing: PollId | None
    plan: PollPlan | None
    body: bytes | None
    packed: PackedBody | None
    new_entries: tuple[dict[str, Any], ...] = ()
    revisions: tuple[dict[str, Any], ...] = ()  # without snapshot_id, known at apply
    revised: tuple[str, ...] = ()  # the entry id of each revision, in the same order


def mark_of(connection: Connection, ticker_id: TickerId) -> Mark | None:
    """The ticker's mark, None when there is no such ticker."""
    latest = select(func.max(POLL.c.id)).where(POLL.c.ticker_id == ticker_id).scalar_subquery()
    row = connection.execute(select(TICKER.c.id, latest).where(TICKER.c.id == ticker_id)).first()
    return None if row is None else (row[0], row[1])


def prepare(
    connection: Connection,
    record: PollRecord,
    body: bytes | None,
    page: ParsedPage | None,
    diff: Diff | None,
) -> Prepared:
    """Read what the poll depends on and plan it (TickerNotFound, InvalidValue)."""
    check_instant(record.started_at, "PollRecord.started_at")
    mark = mark_of(connection, record.ticker_id)
    if mark is None:
        raise TickerNotFound(f"no ticker {record.ticker_id}")
    existing = connection.execute(
        select(POLL.c.id).where(
            POLL.c.ticker_id == record.ticker_id, POLL.c.started_at == record.started_at
        )
    ).scalar()
    if existing is not None:
        return Prepared(mark, PollId(existing), None, body, None)
    body_sha256 = sha256_hex(body) if body is not None else None
    body_seen = body_sha256 is not None and bool(
        connection.execute(
            select(
                exists().where(
                    POLL.c.ticker_id == record.ticker_id, POLL.c.body_sha256 == body_sha256
                )
            )
        ).scalar()
    )
    before = _before(connection, entry_ids_of(diff))
    plan = plan_poll(
        record, body_sha256=body_sha256, page=page, diff=diff, before=before, body_seen=body_seen
    )
    packed = None
    if body is not None and not sql_bodies.is_stored(connection, body_sha256):
        # Stored already: skip compressing it again. A new one is packed against the
        # ticker's keyframe, which only a poll of this ticker (it moves the mark) changes.
        packed = sql_bodies.pack_new(connection, record.ticker_id, body)
    observed_at = plan.poll.observed_at
    new_entries = tuple(
        {
            "id": entry.entry_id,
            "ticker_id": record.ticker_id,
            "first_seen": entry.first_seen,
            "last_seen": entry.last_seen,
            "status": entry.status.value,
            "position": entry.position,
            "native_id": entry.native_id,
        }
        for entry in plan.entries
        if entry.insert
    )
    revised = tuple(entry.entry_id for entry in plan.entries if entry.revision is not None)
    revisions = tuple(
        revision_values(entry.revision, entry_id=entry.entry_id, observed_at=observed_at)
        for entry in plan.entries
        if entry.revision is not None
    )
    return Prepared(mark, None, plan, body, packed, new_entries, revisions, revised)


def is_current(connection: Connection, prepared: Prepared) -> bool:
    """Whether ``prepared`` still holds: the ticker's mark has not moved since the read."""
    return mark_of(connection, TickerId(prepared.mark[0])) == prepared.mark


def apply(
    connection: Connection, prepared: Prepared, ticker_values: Mapping[str, Any] | None = None
) -> PollId:
    """Write a prepared poll in the caller's write transaction (a current one: see
    :func:`is_current`); ``ticker_values`` are more columns of the ticker to set with
    its error streak (a poll recorded already sets only those)."""
    if prepared.existing is not None:
        if ticker_values:
            connection.execute(
                update(TICKER).where(TICKER.c.id == prepared.mark[0]).values(**ticker_values)
            )
        return prepared.existing
    plan = prepared.plan
    if plan is None:
        raise AssertionError("a poll not recorded yet has a plan")
    write = plan.poll
    if prepared.body is not None:
        sql_bodies.store(connection, write.ticker_id, prepared.body, prepared.packed)
    poll_id = PollId(
        connection.execute(POLL.insert().returning(POLL.c.id), poll_values(write)).scalar_one()
    )
    if plan.snapshot is not None:
        snapshot_id = connection.execute(
            SNAPSHOT.insert().returning(SNAPSHOT.c.id),
            snapshot_values(plan.snapshot, ticker_id=write.ticker_id, poll_id=poll_id),
        ).scalar_one()
        connection.execute(update(POLL).where(POLL.c.id == poll_id).values(snapshot_id=snapshot_id))
        _apply_content(connection, prepared, plan, poll_id, snapshot_id)
    streak = TICKER.c.error_streak + 1 if plan.failed else 0
    connection.execute(
        update(TICKER)
        .where(TICKER.c.id == write.ticker_id)
        .values(error_streak=streak, **(ticker_values or {}))
    )
    return poll_id


def _apply_content(
    connection: Connection, prepared: Prepared, plan: PollPlan, poll_id: int, snapshot_id: int
) -> None:
    """The entries, revisions, change events and outbox rows of a poll with a snapshot."""
    write = plan.poll
    if prepared.new_entries:
        connection.execute(ENTRY.insert(), list(prepared.new_entries))  # entries first:
    new: dict[str, RevisionId] = {}  # revisions refer to them
    if prepared.revisions:
        ids = _inserted_ids(
            connection,
            REVISION,
            [{**values, "snapshot_id": snapshot_id} for values in prepared.revisions],
        )
        new = dict(zip(prepared.revised, (RevisionId(i) for i in ids), strict=True))
    if plan.entries:
        connection.execute(
            update(ENTRY)
            .where(ENTRY.c.id == bindparam("b_id"))
            .values(
                last_seen=bindparam("b_last_seen"),
                status=bindparam("b_status"),
                position=bindparam("b_position"),
                native_id=func.coalesce(bindparam("b_native_id"), ENTRY.c.native_id),
                current_revision_id=func.coalesce(
                    bindparam("b_revision"), ENTRY.c.current_revision_id
                ),
            ),
            [
                {
                    "b_id": entry.entry_id,
                    "b_last_seen": entry.last_seen,
                    "b_status": entry.status.value,
                    "b_position": entry.position,
                    "b_native_id": entry.native_id or None,  # an empty one keeps the stored
                    "b_revision": new.get(entry.entry_id),
                }
                for entry in plan.entries
            ],
        )
    if plan.statuses:
        connection.execute(
            update(ENTRY)
            .where(ENTRY.c.id == bindparam("b_id"))
            .values(status=bindparam("b_status")),
            [{"b_id": entry_id, "b_status": status.value} for entry_id, status in plan.statuses],
        )
    if not plan.events:
        return
    events = [
        event_values(
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
    event_ids = _inserted_ids(connection, EVENT, events)
    outbox = [
        {"change_event_id": event_id, "ticker_id": write.ticker_id}
        for event_id, event in zip(event_ids, plan.events, strict=True)
        if event.kind.alerts
    ]
    if outbox:
        connection.execute(OUTBOX.insert(), outbox)


def _inserted_ids(
    connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> list[int]:
    """Insert ``rows`` in bulk and return their new ids in the order of ``rows``."""
    if connection.dialect.name != "sqlite":
        # PostgreSQL: insertmanyvalues, hundreds of rows a statement, ids in row order.
        statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        return list(connection.execute(statement, list(rows)).scalars())
    # SQLite cannot promise RETURNING's order for a many-row INSERT, so SQLAlchemy would
    # send one statement a row. The write lock is held, so the ids are known: SQLite
    # gives a rowid table without AUTOINCREMENT max(id) + 1 anyway.
    last = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    ids = list(range(last + 1, last + 1 + len(rows)))
    connection.execute(
        table.insert(), [{**values, "id": i} for values, i in zip(rows, ids, strict=True)]
    )
    return ids


def _before(connection: Connection, ids: Iterable[str]) -> dict[str, Before]:
    """The stored entries among ``ids``, each with its current version."""
    found: dict[str, Before] = {}
    columns = (
        ENTRY.c.id,
        ENTRY.c.ticker_id,
        ENTRY.c.first_seen,
        ENTRY.c.status,
        ENTRY.c.current_revision_id,
        REVISION.c.id.label("revision_id"),
        REVISION.c.text,
        REVISION.c.headline,
        REVISION.c.time,
        REVISION.c.time_offset,
        REVISION.c.time_label,
        REVISION.c.time_source,
        REVISION.c.html,
        REVISION.c.native_id,
        REVISION.c.time_evidence,
    )
    for batch in chunks(sorted(ids)):
        query = (
            select(*columns)
            .select_from(ENTRY)
            .outerjoin(REVISION, REVISION.c.id == ENTRY.c.current_revision_id)
            .where(ENTRY.c.id.in_(batch))
        )
        for row in connection.execute(query):
            found[row.id] = Before(
                entry_id=row.id,
                ticker_id=TickerId(row.ticker_id),
                first_seen=row.first_seen,
                status=status_of(row.status),
                current_revision_id=(
                    RevisionId(row.current_revision_id)
                    if row.current_revision_id is not None
                    else None
                ),
                current=version_from_row(row) if row.revision_id is not None else None,
            )
    return found
