"""Session fixtures every suite may use: migrated SQLite and PostgreSQL databases.

``pg_url`` is a fresh database of a throwaway PostgreSQL cluster the session starts
(``tests/support/pg.py``; tests that use it are marked ``postgres``); ``sqlite_db`` a
fresh SQLite file. Both are copies of a database migrated once per session (SQLite: a
file copy; PostgreSQL: ``CREATE DATABASE ... TEMPLATE``).
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import sqlite_url, upgrade
from tests.support.pg import ClusterError, PostgresCluster

TEMPLATE = "tickerwatch_template"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    try:
        cluster = PostgresCluster.start()
    except ClusterError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def database_names() -> Iterator[str]:
    return (f"test_{n}" for n in itertools.count())


@pytest.fixture(scope="session")
def pg_template(pg_cluster: PostgresCluster) -> str:
    upgrade(pg_cluster.create_database(TEMPLATE))
    return TEMPLATE


@pytest.fixture
def pg_url(
    pg_cluster: PostgresCluster, pg_template: str, database_names: Iterator[str]
) -> Iterator[str]:
    name = next(database_names)
    yield pg_cluster.create_database(name, template=pg_template)
    pg_cluster.drop_database(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(sqlite_url(path))
    return path


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "tickerwatch.db"
    shutil.copyfile(sqlite_template, path)
    return sqlite_url(path)
