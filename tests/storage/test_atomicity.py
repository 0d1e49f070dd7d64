"""A poll is recorded whole or not at all, even when the database gives up half-way.

The database refuses the write after the body, the poll, the snapshot, the entries and
their revisions are written, at the first change event, three ways: a trigger that
raises (both databases), the SQLite connection switched to read-only
(``PRAGMA query_only``), and the PostgreSQL session killed with
``pg_terminate_backend``. Afterwards the store must look exactly as before, and the
same poll must record cleanly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from diffing import new_entry_id
from storage import BodyNotFound, EntryNotFound
from tests.storage.builders import Feed, assert_same_state, body_of, entry, page, sha
from tests.storage.conftest import SqlBackend
from tests.support.pg import PostgresCluster

A = entry("Die Delegation ist in Wladiwostok gelandet.", time="12:00")
B = entry("Kim Jong Un trifft am Nachmittag ein.", time="12:05")
B2 = entry("Kim Jong Un trifft am späten Nachmittag ein.", time="12:05")
C = entry("Die Polizei sperrt die Innenstadt ab.", time="12:10")
D = entry("Der Sonderzug steht am Bahnsteig.", time="12:20")

TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER refuse_changes BEFORE INSERT ON change_event "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    ],
    "postgres": [
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
        "CREATE TRIGGER refuse_changes BEFORE INSERT ON change_event "
        "FOR EACH ROW EXECUTE FUNCTION refuse()",
    ],
}
DROP = {
    "sqlite": ["DROP TRIGGER refuse_changes"],
    "postgres": ["DROP TRIGGER refuse_changes ON change_event"],
}


def _prepared(backend: SqlBackend) -> Feed:
    feed = Feed(backend.store)
    feed.poll(B, A)
    feed.poll(C, B, A)
    return feed


def _everything(feed: Feed) -> tuple[object, ...]:
    store = feed.store
    return (
        feed.state(),
        store.stats(feed.ticker_id),
        store.polls(feed.ticker_id),
        store.changes(feed.ticker_id),
        store.ticker_as_of(feed.ticker_id, feed.now),
        store.get(feed.ticker_id),
    )


def _refused_then_recorded(feed: Feed, refuse: Callable[[], Any]) -> None:
    """Record a poll that edits B, removes C and adds D while ``refuse`` makes the
    database fail at the first change event; then check nothing changed and retry."""
    before = _everything(feed)
    body = body_of(page(D, B2, A, url=feed.url, at=feed.now))
    with refuse(), pytest.raises(DBAPIError):
        feed.poll(D, B2, A)
    assert _everything(feed) == before
    with pytest.raises(BodyNotFound):
        feed.store.raw_body(sha(body))
    d = new_entry_id(url=feed.url, observed_at=feed.now, position=0, text=D.text, headline=None)
    with pytest.raises(EntryNotFound):
        feed.store.entry_history(d)

    verdict = feed.poll(D, B2, A)  # the same poll again, now accepted
    assert {c.kind.value for c in verdict.changes} == {"added", "edited", "removed"}
    assert_same_state(feed.state(), feed.reference)
    assert feed.store.raw_body(sha(body)) == body
    assert [p.entry_id for p in verdict.placements if p.is_new] == [d]
    assert len(feed.store.entry_history(d).revisions) == 1
    assert feed.store.stats(feed.ticker_id).polls == 3


def test_a_trigger_refuses_the_change_events(sql: SqlBackend) -> None:
    feed = _prepared(sql)

    @contextmanager
    def refuse() -> Iterator[None]:
        with sql.engine.begin() as connection:
            for statement in TRIGGERS[sql.name]:
                connection.exec_driver_sql(statement)
        yield
        with sql.engine.begin() as connection:
            for statement in DROP[sql.name]:
                connection.exec_driver_sql(statement)

    _refused_then_recorded(feed, refuse)


def _at_first_change_event(engine: Any, act: Callable[[Any], None]) -> Any:
    """A listener that calls ``act(connection)`` once, before the first INSERT INTO
    change_event, i.e. after everything else of the poll was sent."""
    fired: list[bool] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not fired and statement.lstrip().upper().startswith("INSERT INTO CHANGE_EVENT"):
            fired.append(True)
            act(conn)

    event.listen(engine, "before_cursor_execute", before)
    return before


def test_sqlite_turns_read_only_half_way(sqlite_backend: SqlBackend) -> None:
    sql = sqlite_backend
    feed = _prepared(sql)

    @contextmanager
    def refuse() -> Iterator[None]:
        listener = _at_first_change_event(
            sql.engine, lambda conn: conn.exec_driver_sql("PRAGMA query_only = ON")
        )
        yield
        event.remove(sql.engine, "before_cursor_execute", listener)
        sql.engine.dispose()  # drop the connection that is read-only now

    _refused_then_recorded(feed, refuse)


@pytest.mark.postgres
def test_postgres_connection_killed_half_way(
    postgres_backend: SqlBackend, pg_cluster: PostgresCluster
) -> None:
    sql = postgres_backend
    feed = _prepared(sql)

    def kill(conn: Any) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid
        with pg_cluster.admin() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    @contextmanager
    def refuse() -> Iterator[None]:
        listener = _at_first_change_event(sql.engine, kill)
        yield
        event.remove(sql.engine, "before_cursor_execute", listener)

    _refused_then_recorded(feed, refuse)
