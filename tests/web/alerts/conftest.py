"""Fixtures of the alert page tests: a seeded database copied per test, and an app over
it with the SQL alert store."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from alerts.sql import SqlAlertStore
from storage import SqlArchive, SqlStore, create_engine_for, sqlite_url
from tests.web.alerts.support import NOW, AppFactory, Seeded, seed
from tests.web.conftest import ADMIN_TOKEN, TestClient, config_for
from web import create_app


@pytest.fixture(scope="session")
def seeded_template(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> tuple[Path, Seeded]:
    """A migrated SQLite file seeded once per session (copied for each test)."""
    path = tmp_path_factory.mktemp("alerts") / "alerts.db"
    shutil.copyfile(sqlite_template, path)
    return path, seed(sqlite_url(path))


@pytest.fixture
def seeded(tmp_path: Path, seeded_template: tuple[Path, Seeded]) -> Seeded:
    template, seeded = seeded_template
    path = tmp_path / "alerts.db"
    shutil.copyfile(template, path)
    return replace(seeded, url=sqlite_url(path))


@pytest.fixture
def make_alert_client() -> Iterator[AppFactory]:
    """``make(url, token=..., alerts=True, alerts_url=None, clock=..., **web)``: a client
    of the app over ``url``, with the SQL alert store on the same database (or
    ``alerts_url``'s, or none)."""
    opened: list[Any] = []

    def build(
        url: str,
        *,
        token: str | None = ADMIN_TOKEN,
        alerts: bool = True,
        alerts_url: str | None = None,
        clock: Callable[[], datetime] = lambda: NOW,
        **web: Any,
    ) -> TestClient:
        store = SqlStore(create_engine_for(url))
        archive = SqlArchive(create_engine_for(url))
        alert_store = SqlAlertStore(create_engine_for(alerts_url or url)) if alerts else None
        opened.extend(x for x in (store, archive, alert_store) if x is not None)
        app: FastAPI = create_app(
            store,
            config_for(admin_token=token, **web),
            archive=archive,
            clock=clock,
            alerts=alert_store,
        )
        client = TestClient(app)
        opened.append(client)
        return client

    yield build
    for thing in reversed(opened):
        thing.close()


@pytest.fixture
def client(make_alert_client: AppFactory, seeded: Seeded) -> TestClient:
    return make_alert_client(seeded.url)


@pytest.fixture
def alerts(seeded: Seeded) -> Iterator[SqlAlertStore]:
    """The alert store of the seeded database, to check what the app wrote."""
    store = SqlAlertStore(create_engine_for(seeded.url))
    yield store
    store.close()
