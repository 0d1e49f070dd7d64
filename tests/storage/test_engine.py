"""Engine set-up: SQLite pragmas, real transactions, driver choice, the default path."""

from __future__ import annotations

import ast
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from storage import SqlStore, create_engine_for, sqlite_url
from storage.engine import DEFAULT_DATABASE_PATH
from storage.tables import RawBodyRow
from tests.storage.builders import START, Feed, entry
from tests.storage.conftest import SqlBackend


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_backend: SqlBackend) -> None:
    with sqlite_backend.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    with pytest.raises(IntegrityError), sqlite_backend.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO poll (ticker_id, started_at, observed_at, duration_ms, outcome)"
                " VALUES (999, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 'timeout')"
            )
        )


@pytest.mark.postgres
def test_postgres_sessions_run_in_utc(postgres_backend: SqlBackend) -> None:
    with postgres_backend.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW timezone").scalar() == "UTC"


def test_plain_postgresql_urls_get_psycopg_3() -> None:
    engine = create_engine_for("postgresql://user@localhost/tickerwatch")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_the_default_path_is_documented_and_never_read_from_the_environment() -> None:
    source = Path(__file__).resolve().parents[2] / "storage" / "engine.py"
    body = ast.parse(source.read_text(encoding="utf-8")).body
    index = next(
        i
        for i, node in enumerate(body)
        if isinstance(node, ast.AnnAssign | ast.Assign)
        and "DEFAULT_DATABASE_PATH" in ast.unparse(node)
    )
    doc = body[index + 1]
    assert isinstance(doc, ast.Expr)
    assert isinstance(doc.value, ast.Constant)
    assert isinstance(doc.value.value, str)
    assert "$XDG_DATA_HOME/tickerwatch/tickerwatch.db" in doc.value.value
    assert str(DEFAULT_DATABASE_PATH) == "~/.local/share/tickerwatch/tickerwatch.db"


def test_a_body_two_tickers_share_is_one_row(sqlite_backend: SqlBackend) -> None:
    first = Feed(sqlite_backend.store, "one")
    second = Feed(sqlite_backend.store, "two")
    body = b"<html>the same bytes</html>"
    first.poll(entry("Eins"), body=body)
    second.poll(entry("Eins"), body=body)
    first.poll(entry("Eins"), body=body)
    with sqlite_backend.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(RawBodyRow)).scalar()
    assert count == 1


def test_two_processes_write_one_sqlite_file(sqlite_backend: SqlBackend) -> None:
    """Two engines (as two processes would have) write concurrently; IMMEDIATE
    transactions and the busy timeout serialize them, and no poll is lost."""
    other = SqlStore(create_engine_for(sqlite_backend.url))
    feeds = [Feed(sqlite_backend.store, "one"), Feed(other, "two")]
    errors: list[BaseException] = []

    def run(feed: Feed) -> None:
        try:
            for n in range(15):
                feed.poll(entry(f"Meldung {n}"), *(entry(f"Alt {k}") for k in range(n)))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(f,)) for f in feeds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    other.close()
    assert errors == []
    for feed in feeds:
        assert sqlite_backend.store.stats(feed.ticker_id).polls == 15
        assert feed.state().last_fresh_at == START + timedelta(minutes=140)


def test_sqlite_url_expands_the_home_folder() -> None:
    assert sqlite_url(Path("/data/tw.db")) == "sqlite:////data/tw.db"
    assert "~" not in sqlite_url(DEFAULT_DATABASE_PATH)
