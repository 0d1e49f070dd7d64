"""``SqlStoryStore``: the story port on SQLModel, for SQLite and PostgreSQL alike.

    stories = SqlStoryStore(create_engine_for(url))   # the database of the desks

Every method is one transaction; writes begin ``IMMEDIATE`` on SQLite, and ``apply``
locks the desk's counter row (``SELECT … FOR UPDATE``) on PostgreSQL, so applies of
one desk are serialized and ``if_revision`` is checked against what no other writer
can change before this one commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.desks import DeskId, DeskNotFound
from storage.errors import TickerNotFound
from storage.story_store import (
    MAX_MERGE_HOPS,
    StoryConflict,
    StoryNotFound,
    StoryStore,
    check_merges,
    stored_story,
)
from storage.tables import (
    DeskRow,
    StoryDeskRow,
    StoryMemberRow,
    StoryMergeRow,
    StoryRow,
    TickerRow,
)
from storage.validate import check_window, stored_instant
from stories.model import EntryKey, Story, StoryEntry

# Entry ids per IN (...) of ``filed``: well under SQLite's and PostgreSQL's bound.
_KEYS_PER_QUERY = 500


class SqlStoryStore:
    """Implements :class:`storage.story_store.StoryStore` on an engine made by
    :func:`storage.engine.create_engine_for`, whose database is migrated to head."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(sqlite_immediate=True)

    def close(self) -> None:
        self._engine.dispose()

    def revision(self, desk: DeskId) -> int:
        with Session(self._engine) as session, session.begin():
            counters = _counters(session, desk, lock=False)
            return 0 if counters is None else counters.revision

    def load(self, desk: DeskId, *, since: datetime) -> tuple[tuple[Story, ...], int]:
        since = stored_instant(since)
        with Session(self._engine) as session, session.begin():
            counters = _counters(session, desk, lock=False)
            rows = session.exec(
                select(StoryRow)
                .where(StoryRow.desk_id == desk, col(StoryRow.start) >= since)
                .order_by(col(StoryRow.start), col(StoryRow.id))
            ).all()
            stories = _stories(session, desk, [r.id for r in rows])
            return stories, 1 if counters is None else counters.next_story_id

    def apply(
        self,
        desk: DeskId,
        stories: Iterable[Story],
        *,
        removed: Iterable[int] = (),
        merged: Mapping[int, int] | None = None,
        next_story_id: int,
        if_revision: int | None = None,
    ) -> int:
        checked = [stored_story(s) for s in stories]
        into = check_merges(merged)
        gone = list(dict.fromkeys([*removed, *into]))
        with Session(self._writer) as session, session.begin():
            counters = _counters(session, desk, lock=True)
            if counters is None:
                counters = StoryDeskRow(desk_id=desk, next_story_id=1, revision=0)
            if if_revision is not None and if_revision != counters.revision:
                raise StoryConflict(
                    f"desk {desk} is at revision {counters.revision}, not {if_revision}"
                )
            _check_tickers(session, checked)
            replaced = [s.id for s in checked] + gone
            if replaced:
                # Members go with their story (ON DELETE CASCADE).
                session.execute(
                    delete(StoryRow).where(
                        col(StoryRow.desk_id) == desk, col(StoryRow.id).in_(replaced)
                    )
                )
            if into:
                session.execute(
                    delete(StoryMergeRow).where(
                        col(StoryMergeRow.desk_id) == desk, col(StoryMergeRow.story_id).in_(into)
                    )
                )
                session.add_all(
                    StoryMergeRow(desk_id=desk, story_id=story, into_id=target)
                    for story, target in into.items()
                )
            for story in checked:
                session.add(
                    StoryRow(
                        desk_id=desk, id=story.id, start=story.start, tickers=len(story.tickers)
                    )
                )
            session.flush()
            for story in checked:
                session.add_all(_member_rows(desk, story))
            counters.next_story_id = max(counters.next_story_id, next_story_id)
            counters.revision += 1
            session.add(counters)
            try:
                session.flush()
            except IntegrityError as error:
                # Another writer created the desk's counters first, or a member's
                # ticker was removed since _check_tickers read it.
                raise StoryConflict(f"desk {desk} changed during the apply") from error
            return counters.revision

    def filed(self, desk: DeskId, keys: Iterable[EntryKey]) -> dict[EntryKey, StoryEntry]:
        by_ticker: defaultdict[int, list[str]] = defaultdict(list)
        for ticker, entry_id in set(keys):
            by_ticker[ticker].append(entry_id)
        found: dict[EntryKey, StoryEntry] = {}
        with Session(self._engine) as session, session.begin():
            _desk(session, desk)
            for ticker, entry_ids in sorted(by_ticker.items()):
                entry_ids.sort()
                for start in range(0, len(entry_ids), _KEYS_PER_QUERY):
                    for row in session.exec(
                        select(StoryMemberRow).where(
                            col(StoryMemberRow.desk_id) == desk,
                            col(StoryMemberRow.ticker_id) == ticker,
                            col(StoryMemberRow.entry_id).in_(
                                entry_ids[start : start + _KEYS_PER_QUERY]
                            ),
                        )
                    ):
                        found[(row.ticker_id, row.entry_id)] = _entry(row)
        return found

    def recent(
        self,
        desk: DeskId,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        min_tickers: int = 1,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[Story, ...]:
        check_window(limit, offset)
        with Session(self._engine) as session, session.begin():
            _desk(session, desk)
            left = (
                select(func.count(func.distinct(StoryMemberRow.ticker_id)))
                .where(
                    col(StoryMemberRow.desk_id) == col(StoryRow.desk_id),
                    col(StoryMemberRow.story_id) == col(StoryRow.id),
                )
                .scalar_subquery()
            )
            query = select(StoryRow.id).where(
                StoryRow.desk_id == desk,
                col(StoryRow.tickers) >= min_tickers,
                left >= max(min_tickers, 1),
            )
            if since is not None:
                query = query.where(col(StoryRow.start) >= stored_instant(since))
            if until is not None:
                query = query.where(col(StoryRow.start) < stored_instant(until))
            query = query.order_by(col(StoryRow.start).desc(), col(StoryRow.id).desc())
            ids = session.exec(query.offset(offset).limit(limit)).all()
            return _stories(session, desk, list(ids))

    def get(self, desk: DeskId, story: int) -> Story:
        with Session(self._engine) as session, session.begin():
            _desk(session, desk)
            found = _stories(session, desk, [story])
            for _ in range(MAX_MERGE_HOPS):
                if found:
                    break
                target = session.get(StoryMergeRow, (desk, story))
                if target is None:
                    break
                story = target.into_id
                found = _stories(session, desk, [story])
            if not found:
                raise StoryNotFound(f"no story {story} on desk {desk}")
            return found[0]


def _desk(session: Session, desk: DeskId) -> None:
    if session.get(DeskRow, desk) is None:
        raise DeskNotFound(f"no desk {desk}")


def _counters(session: Session, desk: DeskId, *, lock: bool) -> StoryDeskRow | None:
    """The desk's counter row (None before the first apply); DeskNotFound.

    With ``lock``, the desk row is locked on PostgreSQL (the counter row may not exist
    yet), so that concurrent applies of one desk run one after the other."""
    query = select(DeskRow.id).where(DeskRow.id == desk)
    if lock:
        query = query.with_for_update()
    if session.exec(query).first() is None:
        raise DeskNotFound(f"no desk {desk}")
    return session.get(StoryDeskRow, desk)


def _check_tickers(session: Session, stories: Sequence[Story]) -> None:
    wanted = {m.ticker_id for s in stories for m in s.members}
    if not wanted:
        return
    known = set(session.exec(select(TickerRow.id).where(col(TickerRow.id).in_(wanted))).all())
    missing = sorted(wanted - known)
    if missing:
        raise TickerNotFound(f"no ticker {missing[0]}")


def _member_rows(desk: DeskId, story: Story) -> list[StoryMemberRow]:
    rows = []
    for position, member in enumerate(story.members):
        printed = member.printed
        offset = printed.utcoffset() if printed is not None else None
        rows.append(
            StoryMemberRow(
                desk_id=desk,
                story_id=story.id,
                ticker_id=member.ticker_id,
                entry_id=member.entry_id,
                title=member.title,
                text=member.text,
                link=member.link,
                printed=printed,
                printed_offset=None if offset is None else int(offset.total_seconds()),
                first_seen=member.first_seen,
                position=position,
            )
        )
    return rows


def _stories(session: Session, desk: DeskId, ids: Sequence[int]) -> tuple[Story, ...]:
    """The stories ``ids`` in that order, with their members; those without any left out."""
    if not ids:
        return ()
    members: defaultdict[int, list[StoryMemberRow]] = defaultdict(list)
    for row in session.exec(
        select(StoryMemberRow).where(
            col(StoryMemberRow.desk_id) == desk, col(StoryMemberRow.story_id).in_(ids)
        )
    ):
        members[row.story_id].append(row)
    stories = []
    for story_id in ids:
        rows = sorted(members.get(story_id, ()), key=lambda r: r.position)
        if rows:
            stories.append(Story(story_id, tuple(_entry(r) for r in rows)))
    return tuple(stories)


def _entry(row: StoryMemberRow) -> StoryEntry:
    printed = row.printed
    if printed is not None and row.printed_offset is not None:
        printed = printed.astimezone(timezone(timedelta(seconds=row.printed_offset)))
    return StoryEntry(
        ticker_id=row.ticker_id,
        entry_id=row.entry_id,
        title=row.title,
        text=row.text,
        first_seen=row.first_seen,
        printed=printed,
        link=row.link,
    )


def _conforms(store: SqlStoryStore) -> StoryStore:
    return store  # mypy checks here that SqlStoryStore implements the port
