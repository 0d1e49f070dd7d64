"""A command loads only the libraries it uses: ``--help`` no database, web, parser or
HTTP library, ``status`` no web, migration or job-queue library, ``parse FILE`` no
web, migration or job-queue library either. Start-up time follows from what is
imported, so the test checks the imports (in a fresh interpreter), never a clock;
bench/bench_startup.py measures the time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import NewTicker, sqlite_url
from tests.paths import CORPUS
from tickerwatch.bootstrap import open_store

ROOT = Path(__file__).resolve().parents[2]
PAGE = CORPUS / "telegraph" / "airasia-qz8501-latest-snap1-2015-01-02.html"
# Runs the command, then prints the top-level packages it loaded, whatever its exit.
PROBE = """\
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted({m.split(".")[0] for m in sys.modules}))))
from tickerwatch.cli import main
sys.exit(main(sys.argv[1:]))
"""
WEB = {"fastapi", "starlette", "uvicorn", "jinja2"}
JOBS = {"procrastinate", "apscheduler", "psycopg"}
DATABASE = {"sqlalchemy", "sqlmodel", "alembic"}


def loaded(argv: list[str], tmp_path: Path, database_url: str | None = None) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TICKERWATCH_CONFIG": str(tmp_path / "no.toml")}
    env.pop("TICKERWATCH_STORAGE__DATABASE_URL", None)
    if database_url is not None:
        env["TICKERWATCH_STORAGE__DATABASE_URL"] = database_url
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    return set(modules)


def test_help_loads_no_database_web_parser_or_http_library(tmp_path: Path) -> None:
    modules = loaded(["--help"], tmp_path)
    assert not modules & (WEB | JOBS | DATABASE | {"httpx", "lxml", "bs4", "pydantic", "rapidfuzz"})


@pytest.mark.parametrize("command", ["add", "parse", "alerts", "status", "db"])
def test_a_commands_help_loads_no_database_or_web_library(tmp_path: Path, command: str) -> None:
    modules = loaded([command, "--help"], tmp_path)
    assert not modules & (WEB | JOBS | DATABASE | {"httpx", "lxml", "bs4"})


def test_status_loads_the_database_library_but_no_web_migrations_or_jobs(
    tmp_path: Path, sqlite_db: str
) -> None:
    store = open_store(sqlite_db)
    try:
        for n in range(3):
            ticker = NewTicker(url=f"https://news.example.test/live/{n}", name=f"t{n}")
            store.add(ticker, created_at=datetime(2026, 1, 1, tzinfo=UTC))
    finally:
        store.close()
    modules = loaded(["status"], tmp_path, sqlite_db)
    assert "sqlalchemy" in modules  # it did read the database
    assert not modules & (WEB | JOBS | {"alembic", "httpx", "lxml", "bs4"})


def test_status_on_a_new_database_migrates_it(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "new.db")
    assert "alembic" in loaded(["status"], tmp_path, url)
    assert "alembic" not in loaded(["status"], tmp_path, url)  # now at the newest schema


def test_parse_file_loads_the_parser_but_no_web_database_or_jobs(tmp_path: Path) -> None:
    modules = loaded(["parse", str(PAGE)], tmp_path)
    assert {"lxml", "bs4"} <= modules
    assert not modules & (WEB | JOBS | DATABASE | {"httpx"})
