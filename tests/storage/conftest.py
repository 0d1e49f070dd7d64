"""Fixtures of the storage tests: a store of every adapter, fresh for each test.

``store`` runs a test against the memory store, SQLite (a file under ``tmp_path``) and
PostgreSQL (a database of the session's throwaway cluster, marked ``postgres``);
``sql`` against the two SQL ones, with their engine and URL. Each SQL database is a
copy of one migrated at the start of the session (SQLite: a file copy; PostgreSQL:
``CREATE DATABASE ... TEMPLATE``), so the migrations run once per session here and once
per test in ``test_migrations.py``.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage import MemoryStore, SqlStore, Store, create_engine_for, sqlite_url, upgrade
from tests.storage.pg import ClusterError, PostgresCluster

TEMPLATE = "tickerwatch_template"


@dataclass
class SqlBackend:
    name: str  # "sqlite" or "postgres"
    url: str
    engine: Engine
    store: SqlStore


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


def _sql_backend(request: pytest.FixtureRequest, name: str) -> SqlBackend:
    url = request.getfixturevalue("sqlite_db" if name == "sqlite" else "pg_url")
    engine = create_engine_for(url)
    return SqlBackend(name, url, engine, SqlStore(engine))


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    backend = _sql_backend(request, request.param)
    yield backend.store
    backend.store.close()


@pytest.fixture(
    params=[pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]
)
def sql(request: pytest.FixtureRequest) -> Iterator[SqlBackend]:
    backend = _sql_backend(request, request.param)
    yield backend
    backend.store.close()


@pytest.fixture
def sqlite_backend(request: pytest.FixtureRequest) -> Iterator[SqlBackend]:
    backend = _sql_backend(request, "sqlite")
    yield backend
    backend.store.close()


@pytest.fixture
def postgres_backend(request: pytest.FixtureRequest) -> Iterator[SqlBackend]:
    backend = _sql_backend(request, "postgres")
    yield backend
    backend.store.close()
