"""``SqlArchive``: the archive port on the SQL database the store writes.

    archive = SqlArchive(create_engine_for(url))     # after storage.engine.upgrade(url)

Reads storage's tables (never writes them) and the full-text index ``fts_revision`` of
migration ``0004_search``. That index is kept in sync by triggers on ``entry_revision``
in the database itself, in the transaction that stores a revision: an FTS5 table over
the revision rows on SQLite (external content, so the text is not stored twice),
a table of ``tsvector`` documents with a GIN index on PostgreSQL. Every query of one
call runs in one read transaction (``REPEATABLE READ`` on PostgreSQL, as the store).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Engine, Select, bindparam, column, func, table, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.expression import ColumnClause, TableClause, TextClause
from sqlmodel import Session, col, select

from storage.archive import Activity, Archive, ArchiveUnavailable, SearchHit, SearchPage
from storage.errors import TickerNotFound
from storage.mapping import poll_from_row, revision_from_row
from storage.model import Revision, StoredPoll, TickerId
from storage.search_query import SearchQuery, fts5_match, tsquery
from storage.sql_core import core_rows
from storage.sql_core import table as table_of
from storage.tables import EntryRow, PollRow, RevisionRow, TickerRow


class SqlArchive:
    """Implements :class:`storage.archive.Archive` on an engine of a migrated database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        self._reader = (
            engine.execution_options(isolation_level="REPEATABLE READ")
            if self._postgres
            else engine
        )

    def close(self) -> None:
        self._engine.dispose()

    def _read(self) -> Session:
        return Session(self._reader)

    def _index(self) -> tuple[TableClause, ColumnClause[Any], TextClause]:
        """The index table, its revision id column, and the match condition."""
        if self._postgres:
            index = table("fts_revision", column("revision_id"), column("document"))
            condition = text("fts_revision.document @@ to_tsquery('simple', :match)")
            return index, index.c.revision_id, condition
        index = table("fts_revision", column("rowid"))
        return index, index.c.rowid, text("fts_revision MATCH :match")

    def search(
        self,
        query: SearchQuery,
        *,
        ticker_id: TickerId | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        index, revision_id, condition = self._index()
        expression = tsquery(query) if self._postgres else fts5_match(query)
        hits: Select[int, str, datetime, int] = (
            sa_select(
                col(RevisionRow.id).label("revision_id"),
                col(RevisionRow.entry_id).label("entry_id"),
                col(RevisionRow.observed_at).label("observed_at"),
                col(EntryRow.ticker_id).label("ticker_id"),
            )
            .select_from(index)
            .join(RevisionRow, col(RevisionRow.id) == revision_id)
            .join(EntryRow, col(EntryRow.id) == col(RevisionRow.entry_id))
            .where(condition.bindparams(match=expression))
        )
        if ticker_id is not None:
            hits = hits.where(col(EntryRow.ticker_id) == ticker_id)
        matched = hits.subquery("hits")
        with self._read() as session, session.begin():
            total = session.execute(
                sa_select(func.count(func.distinct(matched.c.entry_id)))
            ).scalar_one()
            newest = func.max(matched.c.observed_at)
            page = session.execute(
                sa_select(matched.c.entry_id, matched.c.ticker_id, func.count())
                .group_by(matched.c.entry_id, matched.c.ticker_id)
                .order_by(newest.desc(), matched.c.entry_id)
                .limit(limit)
                .offset(offset)
            ).all()
            ids = [entry_id for entry_id, _, _ in page]
            best: dict[str, Revision] = {}
            if ids:
                rows = session.exec(
                    select(RevisionRow).where(
                        col(RevisionRow.id).in_(
                            sa_select(matched.c.revision_id).where(matched.c.entry_id.in_(ids))
                        )
                    )
                )
                for row in rows:
                    revision = revision_from_row(row)
                    known = best.get(revision.entry_id)
                    if known is None or (revision.observed_at, revision.id) > (
                        known.observed_at,
                        known.id,
                    ):
                        best[revision.entry_id] = revision
        return SearchPage(
            hits=tuple(
                SearchHit(entry_id, TickerId(ticker), best[entry_id], count)
                for entry_id, ticker, count in page
            ),
            total=total,
            limit=limit,
            offset=offset,
        )

    def activity(
        self, since: datetime, *, ticker_id: TickerId | None = None
    ) -> Mapping[TickerId, Activity]:
        found: dict[TickerId, Activity] = {}
        with self._read() as session, session.begin():
            # One ticker's counts need no listing: an unknown one counts nothing.
            listed = (
                [ticker_id]
                if ticker_id is not None
                else [i for (i,) in core_rows(session, sa_select(table_of("ticker").c.id))]
            )
            for listed_id in listed:
                parameters = {"ticker_id": listed_id, "since": since}
                ((entries, changes),) = core_rows(session, _activity_query(), parameters)
                if entries or changes:
                    found[TickerId(listed_id)] = Activity(entries=entries, changes_since=changes)
        return found

    def captures(self, ticker_id: TickerId) -> tuple[StoredPoll, ...]:
        with self._read() as session, session.begin():
            if session.get(TickerRow, ticker_id) is None:
                raise TickerNotFound(f"no ticker {ticker_id}")
            rows = session.exec(
                select(PollRow)
                .where(
                    col(PollRow.ticker_id) == ticker_id,
                    col(PollRow.body_sha256).is_not(None),
                )
                .order_by(col(PollRow.started_at), col(PollRow.id))
            )
            return tuple(poll_from_row(r) for r in rows)

    def capture(self, ticker_id: TickerId, poll_id: int) -> StoredPoll | None:
        with self._read() as session, session.begin():
            row = session.get(PollRow, poll_id)
            if row is None or row.ticker_id != ticker_id or row.body_sha256 is None:
                return None
            return poll_from_row(row)

    def entry_ids(self, ticker_id: TickerId) -> tuple[str, ...]:
        with self._read() as session, session.begin():
            return tuple(
                session.exec(
                    select(EntryRow.id)
                    .where(col(EntryRow.ticker_id) == ticker_id)
                    .order_by(col(EntryRow.first_seen), col(EntryRow.id))
                ).all()
            )

    def ping(self) -> None:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            raise ArchiveUnavailable(f"the database does not answer: {error}") from error


def _conforms(archive: SqlArchive) -> Archive:
    return archive  # mypy checks here that SqlArchive implements the port


@cache
def _activity_query() -> Select[int, int]:
    """A ticker's entries, and its change events since ``:since``: counted per ticker,
    so that both counts run on the (ticker_id, …) indexes; built once, as a Core
    statement (storage.sql_core)."""
    entries = table_of("entry").c
    events = table_of("change_event").c
    ticker: BindParameter[int] = bindparam("ticker_id")
    return sa_select(
        sa_select(func.count()).where(entries.ticker_id == ticker).scalar_subquery(),
        sa_select(func.count())
        .where(events.ticker_id == ticker, events.observed_at >= bindparam("since"))
        .scalar_subquery(),
    )
