"""Broken databases and settings end as one line on stderr and a non-zero exit, never a
traceback (``--debug`` shows it); against real SQLite files and real sockets."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from storage import create_engine_for
from tickerwatch.cli import main
from tickerwatch.failures import explain


@pytest.fixture(autouse=True)
def no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))


def use(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", url)


def one_line(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run the CLI; its exit code and its only stderr line (asserting there is one)."""
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tickerwatch: ")
    return code, lines[0]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("notaurl", "not a database URL"),
        ("postgres://user@127.0.0.1/tw", "postgresql+psycopg://"),
        ("sqlite://", "in-memory"),
        ("mysql://user@127.0.0.1/tw", "unsupported database"),
    ],
)
def test_a_wrong_database_url_names_the_right_form(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, says: str
) -> None:
    use(monkeypatch, url)
    code, line = one_line(capsys, "list")
    assert code == 2
    assert "storage.database_url" in line
    assert says in line


def test_a_closed_port_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    use(monkeypatch, f"postgresql+psycopg://tw@127.0.0.1:{port}/tw?connect_timeout=5")
    code, line = one_line(capsys, "list")
    assert code == 1
    assert "database" in line


def test_a_missing_sqlite_folder_is_refused_not_created(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "no" / "such"
    use(monkeypatch, f"sqlite:///{folder / 'x.db'}")
    code, line = one_line(capsys, "list")
    assert code == 1
    assert "folder of the SQLite database does not exist" in line
    assert not (tmp_path / "no").exists()


def test_a_file_that_is_no_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"not SQLite at all\n" * 500)
    use(monkeypatch, f"sqlite:///{path}")
    code, line = one_line(capsys, "list")
    assert code == 1
    assert "not a database" in line


def test_a_damaged_page_is_found_on_start(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "x.db"
    use(monkeypatch, f"sqlite:///{path}")
    for n in range(3):
        assert main(["add", "--no-check", f"https://example.test/live-{n}"]) == 0
    capsys.readouterr()
    engine = create_engine_for(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.exec_driver_sql("PRAGMA page_size").scalar_one()
        root = connection.execute(
            text("SELECT rootpage FROM sqlite_master WHERE name = 'ix_alert_delivery_lane'")
        ).scalar_one()
    engine.dispose()
    # An index page `list` never reads: without a check the damage goes unnoticed.
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 64)
    code, line = one_line(capsys, "list")
    assert code == 1
    assert "is damaged (PRAGMA quick_check: Page" in line


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="POSIX paths")
def test_a_read_only_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "x.db"
    use(monkeypatch, f"sqlite:///{path}")
    assert main(["list"]) == 0
    capsys.readouterr()
    # SQLite's own read-only mode: file permissions do not stop root, which CI may be.
    use(monkeypatch, f"sqlite:///file:{path}?mode=ro&uri=true")
    code, line = one_line(capsys, "add", "--no-check", "https://example.test/live")
    assert code == 1
    assert "read-only" in line


def test_a_full_disk_is_named() -> None:
    engine = create_engine_for("sqlite://")

    @event.listens_for(engine, "connect")
    def _tiny(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute("PRAGMA max_page_count = 2")  # type: ignore[attr-defined]

    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x TEXT)")
    with engine.begin() as connection, pytest.raises(OperationalError) as caught:
        connection.exec_driver_sql("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    engine.dispose()
    assert explain(caught.value) == (
        "the disk of the database is full: free some space (database or disk is full)"
    )


def test_a_config_file_that_is_not_toml(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "tickerwatch.toml"
    config.write_text("[storage\ndatabase_url = \n", encoding="utf-8")
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(config))
    code, line = one_line(capsys, "list")
    assert code == 2
    assert f"{config} is not a valid TOML file" in line


def test_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use(monkeypatch, f"sqlite:///{tmp_path / 'no' / 'x.db'}")
    assert main(["--debug", "list"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.splitlines()[-1].startswith("tickerwatch: the folder")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("tickerwatch ")
