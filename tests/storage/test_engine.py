"""Engine set-up: SQLite pragmas, real transactions, driver choice, the default path."""

from __future__ import annotations

import ast
import os
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import IntegrityError

from storage import SqlStore, UnusableDatabase, check_integrity, create_engine_for, sqlite_url
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


def test_a_missing_sqlite_folder_is_refused_not_created(tmp_path: Path) -> None:
    with pytest.raises(UnusableDatabase, match="does not exist"):
        create_engine_for(sqlite_url(tmp_path / "no" / "such" / "tw.db"))
    assert not (tmp_path / "no").exists()


def test_quick_check_passes_a_sound_file_and_names_a_damaged_one(tmp_path: Path) -> None:
    path = tmp_path / "tw.db"
    engine = create_engine_for(sqlite_url(path))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x TEXT)")
        connection.exec_driver_sql("CREATE INDEX ix_t ON t (x)")
        for n in range(400):
            connection.exec_driver_sql("INSERT INTO t VALUES (?)", (f"row {n} " * 20,))
    check_integrity(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        size = connection.exec_driver_sql("PRAGMA page_size").scalar_one()
        root = connection.exec_driver_sql(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_t'"
        ).scalar_one()
    engine.dispose()
    with path.open("r+b") as file:
        file.seek((root - 1) * size)
        file.write(b"\xff" * 64)
    damaged = create_engine_for(sqlite_url(path))
    with pytest.raises(UnusableDatabase, match=r"is damaged \(PRAGMA quick_check: "):
        check_integrity(damaged)
    damaged.dispose()


def _quick_checks(engine: Engine) -> list[str]:
    """The quick_check statements ``engine`` sends from now on."""
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "quick_check" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    return seen


def _settle(path: Path) -> None:
    """Date the file and its WAL a minute back, as a database last written a while ago."""
    for file in (path, Path(f"{path}-wal")):
        if file.exists():
            stat = file.stat()
            os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60_000_000_000))


def test_a_file_unchanged_since_it_passed_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "tw.db"
    engine = create_engine_for(sqlite_url(path))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x TEXT)")
        connection.exec_driver_sql("INSERT INTO t VALUES ('a')")
    _settle(path)
    checks = _quick_checks(engine)
    check_integrity(engine)
    check_integrity(engine)  # nothing written since: the sidecar vouches for it
    assert len(checks) == 1
    assert Path(f"{path}-checked").is_file()
    with engine.begin() as connection:  # any write moves the stamp: checked again
        connection.exec_driver_sql("INSERT INTO t VALUES ('b')")
    _settle(path)
    check_integrity(engine)
    assert len(checks) == 2
    engine.dispose()


def test_a_file_written_just_now_is_checked_every_time(tmp_path: Path) -> None:
    # Modification times are coarse: a write in the same tick could hide behind one.
    path = tmp_path / "tw.db"
    engine = create_engine_for(sqlite_url(path))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x TEXT)")
    checks = _quick_checks(engine)
    path.touch()
    check_integrity(engine)
    check_integrity(engine)
    assert len(checks) == 2
    engine.dispose()
