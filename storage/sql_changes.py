"""Reading change events from SQL: each event with the two revisions it is between, in
one query of plain Core rows.

Every read of change events (a timeline page, an entry's history, the outbox, the
alerts' look-ups) selects through :func:`change_select` and maps with
:func:`changes_from`. Measured with ``bench/bench_web.py`` (a 10,000-event ticker, 50
events a page, SQLite), loading ORM objects for the events and then, in a second query,
for their revisions took most of a timeline page's read, and little of it in SQLite:
the ORM's loading and identity map, ORM-annotated columns (whose cached statement is
matched to each new one column by column), rows fetched one by one. These queries use
the tables' own columns on the session's connection instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, TypeVarTuple

from sqlalchemy import Row, Select, Table, select
from sqlmodel import Session

from storage.columns import StorageTable
from storage.mapping import (
    EVENT_FIELDS,
    REVISION_FIELDS,
    change_from_values,
    revision_from_values,
)
from storage.model import StoredChange

_Ts = TypeVarTuple("_Ts")
_EVENTS = len(EVENT_FIELDS)
_REVISION = len(REVISION_FIELDS)


def table(name: str) -> Table:
    """A table of the schema by name, for the conditions of Core reads: its plain
    columns, not the ORM's annotated ones (see the module docstring)."""
    return StorageTable.metadata.tables[name]


# A Select is immutable: each is built once, and the engine caches its compiled SQL.


@cache
def revision_select() -> Select[Any]:
    """The columns of ``entry_revision`` that :func:`storage.mapping.revision_from_values`
    reads, in its order."""
    revision = table("entry_revision").c
    return select(*(revision[name] for name in REVISION_FIELDS))


@cache
def event_select() -> Select[Any]:
    """Change events without their revisions: the columns of ``change_event`` that
    :func:`storage.mapping.change_from_values` reads, then the previous and the current
    revision's id (for a caller that has read the revisions already)."""
    event = table("change_event").c
    return select(
        *(event[name] for name in EVENT_FIELDS),
        event.previous_revision_id,
        event.current_revision_id,
    )


@cache
def change_select() -> Select[Any]:
    """Change events with their previous and current revisions (outer joins: either
    side may be missing); the caller adds the read's conditions, order and limit."""
    events = table("change_event")
    previous = table("entry_revision").alias("previous_revision")
    current = table("entry_revision").alias("current_revision")
    joined = events.outerjoin(previous, previous.c.id == events.c.previous_revision_id)
    joined = joined.outerjoin(current, current.c.id == events.c.current_revision_id)
    return select(
        *(events.c[name] for name in EVENT_FIELDS),
        *(previous.c[name] for name in REVISION_FIELDS),
        *(current.c[name] for name in REVISION_FIELDS),
    ).select_from(joined)


def core_rows(session: Session, query: Select[*_Ts]) -> Sequence[Row[*_Ts]]:
    """All rows of a Core ``query``, read on the session's connection (in its
    transaction): ``Session.execute`` would pass them through the ORM's loading, which
    for plain columns only costs, and fetching them one by one costs a call each."""
    return session.connection().execute(query).all()


def changes_from(rows: Iterable[Sequence[Any]]) -> tuple[StoredChange, ...]:
    """The change events of rows of :func:`change_select`, in their order."""
    return tuple(
        change_from_values(
            row[:_EVENTS],
            revision_from_values(row[_EVENTS : _EVENTS + _REVISION]),
            revision_from_values(row[_EVENTS + _REVISION :]),
        )
        for row in rows
    )
