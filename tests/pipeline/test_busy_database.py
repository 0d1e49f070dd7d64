"""Another process holding SQLite's write lock (a poll of a huge page, issue 12) makes a
command wait and ask again, logging "database busy, retried", not fail with a traceback;
past the bound it ends as one line and exit 1.

The lock is held by a real second connection in a thread. It is released when the
command logs its retry (an Event), never after a sleep, so nothing here depends on how
fast the machine is: the command's first wait always ends busy, its retry always finds
the lock free.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import NewTicker, sqlite_url
from tickerwatch.bootstrap import open_store
from tickerwatch.cli import main

BOUND_S = 60.0  # generous: how long any wait below may take before the test fails


@dataclass
class LockHolder:
    """A thread holding the write lock of ``path`` from ``BEGIN IMMEDIATE`` until
    ``release`` is set; ``released`` is set once it has committed."""

    path: Path
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE ticker SET name = name")
            self.held.set()
            self.release.wait(BOUND_S)
            connection.execute("COMMIT")
        finally:
            connection.close()
            self.released.set()


class ReleaseOnRetry(logging.Handler):
    """Lets the holder go when the command logs its retry, and waits until it has."""

    def __init__(self, holder: LockHolder) -> None:
        super().__init__()
        self.holder = holder
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "database busy, retried" in record.getMessage():
            self.retries += 1
            self.holder.release.set()
            assert self.holder.released.wait(BOUND_S)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "busy.db"
    store = open_store(sqlite_url(path))
    store.add(NewTicker("https://www.example.org/live", "Live"), created_at=datetime.now(UTC))
    store.close()
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", sqlite_url(path))
    monkeypatch.setenv("TICKERWATCH_STORAGE__BUSY_TIMEOUT_S", "0.2")
    return path


@pytest.fixture
def holder(database: Path) -> Iterator[LockHolder]:
    holder = LockHolder(database)
    thread = threading.Thread(target=holder.run, daemon=True)
    thread.start()
    assert holder.held.wait(BOUND_S)
    yield holder
    holder.release.set()
    thread.join(BOUND_S)


@pytest.mark.parametrize(
    "argv",
    [["pause", "1"], ["add", "--no-check", "https://www.example.org/other"]],
    ids=["pause", "add"],
)
def test_a_command_waits_for_the_writer_and_retries(
    holder: LockHolder, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    handler = ReleaseOnRetry(holder)
    engine_log = logging.getLogger("storage.engine")
    engine_log.addHandler(handler)
    try:
        code = main(argv)
    finally:
        engine_log.removeHandler(handler)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert handler.retries == 1
    assert "database busy, retried" in err
    assert "Traceback" not in err
    assert out.strip()


def test_a_writer_that_never_lets_go_ends_in_one_line(
    holder: LockHolder, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["pause", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    assert sum("database busy, retried" in line for line in lines) == 2
    assert lines[-1].startswith("tickerwatch: the database is busy")
    assert not holder.released.is_set()  # the lock was held the whole time
