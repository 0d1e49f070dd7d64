"""Reading change events from SQL: each event with the two revisions it is between, in
one query (two outer joins), as plain Core rows (:mod:`storage.sql_core`).

Every read of change events goes through here: a timeline page, an entry's history,
the parse health of the tickers, the outbox, the alerts' look-ups by id. Each function
runs inside the caller's session (one read transaction).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select
from sqlmodel import Session

from diffing.model import ChangeKind
from storage.errors import EntryNotFound, TickerNotFound
from storage.mapping import (
    EVENT_FIELDS,
    REVISION_FIELDS,
    change_from_values,
    revision_from_values,
    status_of,
)
from storage.model import EntryHistory, Revision, StoredChange, TickerId
from storage.sql_core import core_rows, table

_EVENTS = len(EVENT_FIELDS)
_REVISION = len(REVISION_FIELDS)


@cache
def change_select() -> Select[Any]:
    """Change events with their previous and current revisions (outer joins: either
    side may be missing); a read adds its conditions, order and limit."""
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


@cache
def _page_query(since: bool, until: bool, kinds: bool) -> Select[Any]:
    """A ticker's events newest first, in the window ``:offset``/``:limit``, with the
    conditions asked for (one statement per combination, each built once).

    The window is chosen by ids first, the revisions joined to its events only: joined
    before the window, a deep page (``OFFSET`` 10,000) joined every event it skips, 18
    times the time of the bare read of its rows (bench/bench_web.py)."""
    event = table("change_event").c
    window = select(event.id).where(event.ticker_id == bindparam("ticker_id"))
    if since:
        window = window.where(event.observed_at >= bindparam("since"))
    if until:
        window = window.where(event.observed_at < bindparam("until"))
    if kinds:
        window = window.where(event.kind.in_(bindparam("kinds", expanding=True)))
    newest_first = (event.observed_at.desc(), event.id.desc())
    window = window.order_by(*newest_first).offset(bindparam("offset")).limit(bindparam("limit"))
    return change_select().where(event.id.in_(window)).order_by(*newest_first)


def changes(
    session: Session,
    ticker_id: TickerId,
    *,
    since: datetime | None,
    until: datetime | None,
    kinds: Collection[ChangeKind] | None,
    limit: int,
    offset: int,
) -> tuple[StoredChange, ...]:
    query = _page_query(since is not None, until is not None, kinds is not None)
    parameters = {
        "ticker_id": ticker_id,
        "since": since,
        "until": until,
        "kinds": sorted(k.value for k in kinds) if kinds is not None else None,
        "offset": offset,
        "limit": limit,
    }
    found = changes_from(core_rows(session, query, parameters))
    if not found:  # a ticker with events exists: only an empty page needs the check
        tickers = table("ticker")
        if not core_rows(session, select(tickers.c.id).where(tickers.c.id == ticker_id)):
            raise TickerNotFound(f"no ticker {ticker_id}")
    return found


@cache
def _history_queries() -> tuple[Select[Any, Any, Any, Any, Any, Any], Select[Any], Select[Any]]:
    """An entry's own columns, its revisions and its events (without their revisions,
    which are among the entry's), each oldest first."""
    entry = table("entry").c
    revision = table("entry_revision").c
    event = table("change_event").c
    wanted: BindParameter[str] = bindparam("entry_id")
    return (
        select(
            entry.ticker_id,
            entry.first_seen,
            entry.last_seen,
            entry.status,
            entry.position,
            entry.native_id,
        ).where(entry.id == wanted),
        select(*(revision[name] for name in REVISION_FIELDS))
        .where(revision.entry_id == wanted)
        .order_by(revision.observed_at, revision.id),
        select(
            *(event[name] for name in EVENT_FIELDS),
            event.previous_revision_id,
            event.current_revision_id,
        )
        .where(event.entry_id == wanted)
        .order_by(event.observed_at, event.id),
    )


def entry_history(session: Session, entry_id: str) -> EntryHistory:
    entry_query, revision_query, event_query = _history_queries()
    parameters = {"entry_id": entry_id}
    found = core_rows(session, entry_query, parameters)
    if not found:
        raise EntryNotFound(f"no entry {entry_id}")
    ticker_id, first_seen, last_seen, status, position, native_id = found[0]
    rows = core_rows(session, revision_query, parameters)
    revisions = tuple(r for r in map(revision_from_values, rows) if r is not None)
    by_id: dict[int, Revision] = {r.id: r for r in revisions}

    def revision(revision_id: int | None) -> Revision | None:
        return by_id[revision_id] if revision_id is not None else None

    return EntryHistory(
        entry_id=entry_id,
        ticker_id=TickerId(ticker_id),
        first_seen=first_seen,
        last_seen=last_seen,
        status=status_of(status),
        position=position,
        native_id=native_id,
        revisions=revisions,
        changes=tuple(
            change_from_values(row[:_EVENTS], revision(row[_EVENTS]), revision(row[_EVENTS + 1]))
            for row in core_rows(session, event_query, parameters)
        ),
    )


def changes_after(session: Session, after_id: int, *, limit: int) -> tuple[StoredChange, ...]:
    event = table("change_event").c
    query = change_select().where(event.id > after_id).order_by(event.id).limit(limit)
    return changes_from(core_rows(session, query))


def changes_by_ids(session: Session, change_ids: Collection[int]) -> dict[int, StoredChange]:
    event = table("change_event").c
    wanted = sorted(set(change_ids))
    found: dict[int, StoredChange] = {}
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        rows = core_rows(session, change_select().where(event.id.in_(batch)))
        found.update((change.id, change) for change in changes_from(rows))
    return found


@cache
def _health_query() -> Select[Any]:
    """Each ticker's last parse-health event (on the index by kind and ticker)."""
    event = table("change_event").c
    last = (
        select(func.max(event.id))
        .where(event.kind == ChangeKind.TICKER_HEALTH.value)
        .group_by(event.ticker_id)
    )
    return change_select().where(event.id.in_(last)).order_by(event.ticker_id)


def parse_health(session: Session) -> tuple[StoredChange, ...]:
    return changes_from(core_rows(session, _health_query()))


def outbox(session: Session, *, limit: int) -> tuple[StoredChange, ...]:
    event = table("change_event").c
    queued = table("alert_outbox").c
    query = (
        change_select()
        .where(event.id.in_(select(queued.change_event_id)))
        .order_by(event.id)
        .limit(limit)
    )
    return changes_from(core_rows(session, query))
