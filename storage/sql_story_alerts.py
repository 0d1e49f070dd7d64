"""Story alerts in SQL: the three rows of :mod:`storage.story_alerts` in one transaction.

The fired keys are the ``story_alert`` table's primary key (desk, story, competitor
ticker) and unique constraint (desk, competitor ticker, entry). A transaction reads
them first and writes nothing when the alert fired before; when two transactions pass
that read at once (PostgreSQL workers), the second insert of a key fails on the
constraint and the caller rolls the whole transaction back (SQLite's write lock,
taken before the first read, serializes them anyway).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Table, or_, select

from storage.columns import StorageTable
from storage.errors import EntryNotFound, InvalidValue
from storage.mapping import event_values
from storage.model import RevisionId, TickerId
from storage.story_alerts import alert_event, fired_keys
from storage.validate import stored_instant
from stories import Fired, StoryAlert

_TABLES = StorageTable.metadata.tables
ENTRY: Table = _TABLES["entry"]
REVISION: Table = _TABLES["entry_revision"]
SNAPSHOT: Table = _TABLES["snapshot"]
EVENT: Table = _TABLES["change_event"]
OUTBOX: Table = _TABLES["alert_outbox"]
STORY_ALERT: Table = _TABLES["story_alert"]


def fired_before(connection: Connection, alert: StoryAlert) -> bool:
    """True when a key of ``alert`` is recorded already."""
    query = select(STORY_ALERT.c.desk_id).where(
        STORY_ALERT.c.desk_id == alert.desk_id,
        STORY_ALERT.c.ticker_id == alert.ticker_id,
        or_(
            STORY_ALERT.c.story_id == alert.story_id,
            STORY_ALERT.c.entry_id == alert.entry_id,
        ),
    )
    return connection.execute(query.limit(1)).first() is not None


def record(connection: Connection, alert: StoryAlert, *, detail: str, at: datetime) -> int | None:
    """Write the alert's rows (an ``IntegrityError`` when a concurrent transaction
    recorded one of its keys since :func:`fired_before`); its change event id, or None
    when it fired before."""
    if fired_before(connection, alert):
        return None
    row = connection.execute(
        select(ENTRY.c.ticker_id, REVISION.c.id, REVISION.c.snapshot_id, SNAPSHOT.c.poll_id)
        .join(REVISION, REVISION.c.id == ENTRY.c.current_revision_id)
        .join(SNAPSHOT, SNAPSHOT.c.id == REVISION.c.snapshot_id)
        .where(ENTRY.c.id == alert.entry_id)
    ).first()
    if row is None:
        raise EntryNotFound(f"no entry {alert.entry_id}")
    ticker_id, revision_id, snapshot_id, poll_id = row
    if ticker_id != alert.ticker_id:
        raise InvalidValue(f"entry {alert.entry_id} belongs to ticker {ticker_id}")
    write = alert_event(alert, detail=detail, current=RevisionId(revision_id))
    values = event_values(
        write,
        ticker_id=TickerId(ticker_id),
        poll_id=poll_id,
        snapshot_id=snapshot_id,
        observed_at=stored_instant(at),
        previous=None,
        current=RevisionId(revision_id),
    )
    event_id = connection.execute(EVENT.insert().returning(EVENT.c.id), [values]).scalar_one()
    connection.execute(
        STORY_ALERT.insert(),
        [
            {
                "desk_id": alert.desk_id,
                "story_id": alert.story_id,
                "ticker_id": ticker_id,
                "entry_id": alert.entry_id,
                "kind": write.kind.value,
                "change_event_id": event_id,
                "fired_at": stored_instant(at),
            }
        ],
    )
    connection.execute(OUTBOX.insert(), [{"change_event_id": event_id, "ticker_id": ticker_id}])
    return int(event_id)


def fired(connection: Connection, desk_id: int, *, since: datetime) -> tuple[Fired, ...]:
    rows = connection.execute(
        select(
            STORY_ALERT.c.story_id,
            STORY_ALERT.c.ticker_id,
            STORY_ALERT.c.entry_id,
            STORY_ALERT.c.kind,
        )
        .where(STORY_ALERT.c.desk_id == desk_id, STORY_ALERT.c.fired_at >= since)
        .order_by(STORY_ALERT.c.fired_at, STORY_ALERT.c.change_event_id)
    ).all()
    return fired_keys([(int(s), int(t), str(e), str(k)) for s, t, e, k in rows])
