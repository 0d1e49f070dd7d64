"""A large poll is written in bulk and briefly (issue 12: a 200,000-entry page held
SQLite's write lock for more than ten minutes). Counted, never timed: the statements
inside the write transaction do not grow with the page, the known entries are read
before it, and a plan made before another poll of the ticker is made again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event

from diffing import diff
from storage import sql_write
from storage.model import PollRecord
from tests.storage.builders import Feed, assert_same_state, body_of, entry, page, sha
from tests.storage.conftest import SqlBackend


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[bool, str]]]:
    """Every statement ``engine`` sends, each with whether a write transaction was open."""
    seen: list[tuple[bool, str]] = []
    writing: list[bool] = [False]

    def begun(connection: Any) -> None:
        writing[0] = bool(connection.get_execution_options().get("sqlite_immediate"))

    def ended(connection: Any) -> None:
        writing[0] = False

    def sent(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append((writing[0], " ".join(statement.split()).upper()))

    listeners = (("begin", begun), ("commit", ended), ("rollback", ended))
    for name, listener in (*listeners, ("before_cursor_execute", sent)):
        event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        for name, listener in (*listeners, ("before_cursor_execute", sent)):
            event.remove(engine, name, listener)


def _page_of(n: int, edition: int) -> list[Any]:
    return [
        entry(f"Meldung {i}{' (korrigiert)' if edition and i % 10 == 0 else ''}.") for i in range(n)
    ]


def _writes_of_two_polls(backend: SqlBackend, n: int) -> list[list[str]]:
    """The statements sent inside write transactions by a first and a second poll of a
    page of ``n`` entries (the second edits one in ten), on a ticker of its own."""
    feed = Feed(backend.store, f"ticker-{n}")
    written = []
    for edition in (0, 1):
        with statements(backend.engine) as seen:
            feed.poll(*_page_of(n, edition))
        written.append([statement for writing, statement in seen if writing])
        assert_same_state(feed.state(), feed.reference)
    return written


def test_the_write_transaction_does_not_grow_with_the_page(sqlite_backend: SqlBackend) -> None:
    small = _writes_of_two_polls(sqlite_backend, 60)
    large = _writes_of_two_polls(sqlite_backend, 600)
    # Bulk statements: as many for 600 entries as for 60 (the ORM sent one a row).
    assert [len(s) for s in large] == [len(s) for s in small]
    assert all(len(s) <= 16 for s in large)
    # The known entries and their versions were read before the write lock was taken.
    for poll in large:
        assert not any("JOIN ENTRY_REVISION" in s for s in poll), poll


def test_a_plan_made_before_another_poll_is_made_again(sql: SqlBackend) -> None:
    feed = Feed(sql.store)
    a, b, c = entry("Anfang."), entry("Zweite Meldung."), entry("Dritte Meldung.")
    feed.poll(a)
    # A poll planned on the state after the first poll ...
    late = page(c, b, a, url=feed.url, at=feed.now + timedelta(minutes=1))
    late_body = body_of(late)
    late_verdict = diff(feed.state(), late, body_sha256=sha(late_body))
    record = PollRecord(feed.ticker_id, feed.now + timedelta(minutes=1), 5, late_verdict.outcome)
    with sql.engine.connect() as connection, connection.begin():
        prepared = sql_write.prepare(connection, record, late_body, late, late_verdict)
    # ... while another poll of the ticker is recorded first.
    feed.poll(b, a, step=timedelta(minutes=2))
    with sql.engine.connect() as connection, connection.begin():
        assert not sql_write.is_current(connection, prepared)
    with sql.engine.connect() as connection, connection.begin():
        assert sql_write.is_current(
            connection, sql_write.prepare(connection, record, late_body, late, late_verdict)
        )
