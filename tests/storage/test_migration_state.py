"""``storage.migration_state``: whether a database is at the newest schema, read
without Alembic, agrees with Alembic; and opening a store migrates exactly when it
says the database is behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage import create_engine_for, sqlite_url, upgrade
from storage.engine import alembic_config
from storage.migration_state import head_revisions, heads_of, is_current, stored_revisions
from tests.support.pg import PostgresCluster
from tickerwatch.bootstrap import open_store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(
    request: pytest.FixtureRequest, tmp_path: Path, database_names: Iterator[str]
) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty.db")
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    name = next(database_names)
    yield cluster.create_database(name)
    cluster.drop_database(name)


def script(revision: str, down: str | tuple[str, ...] | None) -> str:
    return (
        "from collections.abc import Sequence\n"
        f"revision: str = {revision!r}\n"
        f"down_revision: str | Sequence[str] | None = {down!r}\n"
        "def upgrade() -> None: ...\n"
    )


def test_heads_are_the_revisions_nobody_revises() -> None:
    chain = [script("a", None), script("b", "a"), script("c", "b")]
    assert heads_of(chain) == frozenset({"c"})
    branched = [*chain, script("x", "a")]
    assert heads_of(branched) == frozenset({"c", "x"})
    assert heads_of([*branched, script("m", ("c", "x"))]) == frozenset({"m"})  # a merge


def test_a_script_whose_ids_are_not_literals_leaves_the_answer_to_alembic() -> None:
    computed = "revision = make_id()\ndown_revision = None\n"
    assert heads_of([script("a", None), computed]) is None


def test_the_heads_read_from_the_scripts_are_alembics(tmp_path: Path) -> None:
    scripts = ScriptDirectory.from_config(alembic_config(sqlite_url(tmp_path / "x.db")))
    assert head_revisions() == frozenset(scripts.get_heads())


def test_a_database_is_current_only_at_every_head(empty_url: str) -> None:
    url = empty_url
    engine = create_engine_for(url)
    try:
        assert stored_revisions(engine) == frozenset()  # never migrated: no version table
        assert not is_current(engine)
        upgrade(url)
        assert is_current(engine)
        command.downgrade(alembic_config(url), "-1")
        assert not is_current(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize("behind", ["-1", "base"])
def test_opening_a_store_migrates_a_database_that_is_behind(tmp_path: Path, behind: str) -> None:
    url = sqlite_url(tmp_path / "t.db")
    upgrade(url)
    command.downgrade(alembic_config(url), behind)
    open_store(url).close()
    engine = create_engine_for(url)
    try:
        assert is_current(engine)
        with engine.connect() as connection:  # the newest schema's tables are there
            connection.execute(text("SELECT count(*) FROM ticker")).scalar_one()
    finally:
        engine.dispose()
