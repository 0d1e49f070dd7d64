"""``SqlDeskStore``: the desk port on SQLModel, for SQLite and PostgreSQL alike.

    desks = SqlDeskStore(create_engine_for(url))   # the database of the tickers

Every method is one transaction; writes begin ``IMMEDIATE`` on SQLite. Members refer to
their ticker ``ON DELETE CASCADE``, so removing a ticker takes it out of every desk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.desks import (
    Desk,
    DeskId,
    DeskMember,
    DeskNotFound,
    DeskStore,
    DeskTag,
    DuplicateDesk,
    NewDesk,
    check_new_desk,
)
from storage.errors import TickerNotFound
from storage.model import TickerId
from storage.tables import DeskMemberRow, DeskRow, DeskTagRow, TickerRow
from storage.validate import stored_instant


class SqlDeskStore:
    """Implements :class:`storage.desks.DeskStore` on an engine made by
    :func:`storage.engine.create_engine_for`, whose database is migrated to head."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(sqlite_immediate=True)

    def close(self) -> None:
        self._engine.dispose()

    def add(self, desk: NewDesk, *, created_at: datetime) -> Desk:
        check_new_desk(desk)
        instant = stored_instant(created_at)
        with Session(self._writer) as session, session.begin():
            _check(session, desk, None)
            row = DeskRow(
                name=desk.name,
                window_minutes=desk.window_minutes,
                lead_minutes=desk.lead_minutes,
                created_at=instant,
            )
            session.add(row)
            _flush(session, desk)
            if row.id is None:  # pragma: no cover - the flush assigns it
                raise AssertionError("a desk row without an id after the flush")
            _write_rules(session, row.id, desk)
            return _desks(session, [row])[0]

    def get(self, desk_id: DeskId) -> Desk:
        with Session(self._engine) as session, session.begin():
            return _desks(session, [_row(session, desk_id)])[0]

    def named(self, name: str) -> Desk:
        with Session(self._engine) as session, session.begin():
            row = session.exec(select(DeskRow).where(DeskRow.name == name.strip())).first()
            if row is None:
                raise DeskNotFound(f"no desk named {name.strip()!r}")
            return _desks(session, [row])[0]

    def update(self, desk_id: DeskId, desk: NewDesk) -> Desk:
        check_new_desk(desk)
        with Session(self._writer) as session, session.begin():
            row = _row(session, desk_id)
            _check(session, desk, desk_id)
            row.name = desk.name
            row.window_minutes = desk.window_minutes
            row.lead_minutes = desk.lead_minutes
            session.add(row)
            _flush(session, desk)
            session.execute(delete(DeskMemberRow).where(col(DeskMemberRow.desk_id) == desk_id))
            session.execute(delete(DeskTagRow).where(col(DeskTagRow.desk_id) == desk_id))
            _write_rules(session, desk_id, desk)
            return _desks(session, [row])[0]

    def remove(self, desk_id: DeskId) -> None:
        with Session(self._writer) as session, session.begin():
            _row(session, desk_id)
            session.execute(delete(DeskRow).where(col(DeskRow.id) == desk_id))

    def list(self) -> tuple[Desk, ...]:
        with Session(self._engine) as session, session.begin():
            rows = list(session.exec(select(DeskRow).order_by(col(DeskRow.id))))
            return _desks(session, rows)


def _row(session: Session, desk_id: DeskId) -> DeskRow:
    row = session.get(DeskRow, desk_id)
    if row is None:
        raise DeskNotFound(f"no desk {desk_id}")
    return row


def _check(session: Session, desk: NewDesk, desk_id: DeskId | None) -> None:
    taken = session.exec(select(DeskRow.id).where(DeskRow.name == desk.name)).first()
    if taken is not None and taken != desk_id:
        raise DuplicateDesk(f"a desk named {desk.name!r} exists already")
    for member in desk.members:
        if session.get(TickerRow, member.ticker_id) is None:
            raise TickerNotFound(f"no ticker {member.ticker_id}")


def _flush(session: Session, desk: NewDesk) -> None:
    try:
        session.flush()
    except IntegrityError as error:  # another writer took the name just now
        raise DuplicateDesk(f"a desk named {desk.name!r} exists already") from error


def _write_rules(session: Session, desk_id: int, desk: NewDesk) -> None:
    for position, member in enumerate(desk.members):
        session.add(
            DeskMemberRow(
                desk_id=desk_id, ticker_id=member.ticker_id, own=member.own, position=position
            )
        )
    for position, rule in enumerate(desk.tags):
        session.add(DeskTagRow(desk_id=desk_id, tag=rule.tag, own=rule.own, position=position))
    try:
        session.flush()
    except IntegrityError as error:  # a member's ticker was removed since _check read it
        raise TickerNotFound("a ticker of the desk was removed meanwhile") from error


def _desks(session: Session, rows: Iterable[DeskRow]) -> tuple[Desk, ...]:
    """The rows as desks, with their members and tags (two queries for all of them)."""
    rows = list(rows)
    ids = [r.id for r in rows]
    members: defaultdict[int, list[DeskMemberRow]] = defaultdict(list)
    tags: defaultdict[int, list[DeskTagRow]] = defaultdict(list)
    if ids:
        for member in session.exec(
            select(DeskMemberRow).where(col(DeskMemberRow.desk_id).in_(ids))
        ):
            members[member.desk_id].append(member)
        for tag in session.exec(select(DeskTagRow).where(col(DeskTagRow.desk_id).in_(ids))):
            tags[tag.desk_id].append(tag)
    desks = []
    for row in rows:
        if row.id is None:  # pragma: no cover - stored rows have ids
            raise AssertionError("a stored desk without an id")
        desks.append(
            Desk(
                id=DeskId(row.id),
                name=row.name,
                created_at=row.created_at,
                members=tuple(
                    DeskMember(TickerId(m.ticker_id), m.own)
                    for m in sorted(members[row.id], key=lambda m: m.position)
                ),
                tags=tuple(
                    DeskTag(t.tag, t.own) for t in sorted(tags[row.id], key=lambda t: t.position)
                ),
                window_minutes=row.window_minutes,
                lead_minutes=row.lead_minutes,
            )
        )
    return tuple(desks)


def _conforms(store: SqlDeskStore) -> DeskStore:
    return store  # mypy checks here that SqlDeskStore implements the port
