"""Fixtures of the storage tests: a store of every adapter, fresh for each test.

The databases come from the session fixtures in ``tests/conftest.py``.

``store`` runs a test against the memory store, SQLite (a file under ``tmp_path``) and
PostgreSQL (a database of the session's throwaway cluster, marked ``postgres``);
``sql`` against the two SQL ones, with their engine and URL. Each SQL database is a
copy of one migrated at the start of the session (SQLite: a file copy; PostgreSQL:
``CREATE DATABASE ... TEMPLATE``), so the migrations run once per session here and once
per test in ``test_migrations.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from storage import MemoryStore, SqlStore, Store, create_engine_for

TEMPLATE = "tickerwatch_template"


@dataclass
class SqlBackend:
    name: str  # "sqlite" or "postgres"
    url: str
    engine: Engine
    store: SqlStore


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
