"""The composition root: one database, one engine, however many parts a process runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

import storage.engine
from storage import sqlite_url
from storage.desks import DeskId, DeskNotFound
from storage.model import NewTicker
from tickerwatch import alerting, bootstrap, service
from tickerwatch.settings import Settings, StorageSettings

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def engines_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of every SQLAlchemy engine made from here on."""
    made: list[str] = []
    real = sqlalchemy.create_engine

    def counting(url: Any, **kwargs: Any) -> Any:
        made.append(str(url))
        return real(url, **kwargs)

    monkeypatch.setattr(storage.engine, "create_engine", counting)
    return made


def settings_at(path: Path) -> Settings:
    return Settings(storage=StorageSettings(database_url=sqlite_url(path)))


def test_every_store_of_a_database_is_built_once_on_its_engine(tmp_path: Path) -> None:
    with bootstrap.open_database(sqlite_url(tmp_path / "t.db")) as database:
        assert database.store() is database.store()
        assert database.story_filer() is database.story_filer()
        checkouts: list[object] = []
        from sqlalchemy import event

        event.listen(database.engine, "checkout", lambda *args: checkouts.append(args))
        ticker = database.store().add(NewTicker("https://example.org/live", "t"), created_at=NOW)
        database.alerts().subscriptions()
        database.desks().list()
        with pytest.raises(DeskNotFound):
            database.stories().recent(DeskId(1), limit=5)
        database.archive()
        # Every part read or wrote through the database's own engine.
        assert len(checkouts) >= 4
        assert database.store().get(ticker.id).name == "t"


def test_the_services_of_run_share_the_database_they_are_given(
    tmp_path: Path, engines_made: list[str]
) -> None:
    settings = settings_at(tmp_path / "t.db")
    with bootstrap.database_for(settings) as database:
        opened = len(engines_made)  # the database's engine (and Alembic's, migrating)

        async def open_all() -> None:
            async with (
                service.open_polling(settings, database=database) as polling,
                alerting.open_worker(settings, database=database),
            ):
                with service.open_web(settings, database) as (store, _archive, alerts, *_):
                    assert store is polling.store is database.store()
                    assert alerts is database.alerts()

        asyncio.run(open_all())
        assert len(engines_made) == opened
        # Nothing the services closed on their way out took the database with it.
        assert database.store().list() == ()


def test_a_service_without_a_database_opens_one_engine_for_all_its_stores(
    tmp_path: Path, engines_made: list[str]
) -> None:
    settings = settings_at(tmp_path / "t.db")
    bootstrap.database_for(settings).close()  # created and migrated
    engines_made.clear()
    with service.open_web(settings) as stores:
        assert len(stores) == 5
    assert len(engines_made) == 1
