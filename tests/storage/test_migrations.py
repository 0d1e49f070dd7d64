"""The migrations build exactly the schema the tables declare, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage import create_engine_for, sqlite_url, upgrade
from storage.engine import alembic_config
from storage.migrations.__main__ import main as migrations_main
from storage.schema import include_object, metadata
from tests.support.pg import PostgresCluster

CORE = {
    "ticker",
    "poll",
    "raw_body",
    "snapshot",
    "entry",
    "entry_revision",
    "change_event",
    "alert_outbox",
}
TABLES = set(metadata().tables)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(
    request: pytest.FixtureRequest, tmp_path: Path, database_names: Iterator[str]
) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty.db")  # a missing folder is refused, not created
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    name = next(database_names)
    yield cluster.create_database(name)
    cluster.drop_database(name)


def _tables(url: str) -> set[str]:
    """The database's tables, but for those no model declares (full-text indexes, ...)."""
    engine = create_engine_for(url)
    try:
        names = inspect(engine).get_table_names()
        return {n for n in names if include_object(None, n, "table", True, None)}
    finally:
        engine.dispose()


def test_upgrade_creates_the_schema_the_tables_declare(empty_url: str) -> None:
    assert CORE <= TABLES
    upgrade(empty_url)
    assert _tables(empty_url) == TABLES | {"alembic_version"}

    engine = create_engine_for(empty_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            assert compare_metadata(context, metadata()) == []
            assert context.get_current_revision() is not None
    finally:
        engine.dispose()
    command.check(alembic_config(empty_url))  # what `alembic check` runs in CI


def test_downgrade_and_upgrade_again(empty_url: str) -> None:
    upgrade(empty_url)
    command.downgrade(alembic_config(empty_url), "base")
    assert _tables(empty_url) == {"alembic_version"}
    upgrade(empty_url)
    assert _tables(empty_url) == TABLES | {"alembic_version"}


def test_upgrade_is_idempotent(empty_url: str) -> None:
    upgrade(empty_url)
    upgrade(empty_url)
    assert _tables(empty_url) == TABLES | {"alembic_version"}


def test_an_in_memory_database_is_upgraded_through_its_engine() -> None:
    engine = create_engine_for("sqlite://")
    try:
        upgrade(engine)
        names = inspect(engine).get_table_names()
        declared = {n for n in names if include_object(None, n, "table", True, None)}
        assert declared == TABLES | {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_ship_inside_the_package() -> None:
    versions = Path(__file__).resolve().parents[2] / "storage" / "migrations" / "versions"
    assert (versions / "__init__.py").is_file()
    assert (versions.parent / "env.py").is_file()
    assert list(versions.glob("0001_*.py"))


def test_the_migrations_run_as_a_module(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = sqlite_url(tmp_path / "cli.db")
    assert migrations_main(["upgrade", url]) == 0
    assert migrations_main(["check", url]) == 0
    assert migrations_main(["current", url]) == 0
    assert "(head)" in capsys.readouterr().out
    assert migrations_main(["downgrade", url, "base"]) == 0
    assert _tables(url) == {"alembic_version"}
