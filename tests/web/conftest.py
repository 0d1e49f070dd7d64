"""Fixtures of the web tests: databases with replayed tickers, apps, clients, a server.

``seeded_db`` is a fresh SQLite file holding the Kim–Putin seed case, replayed through
the real poll pipeline (a copy of one replayed once per session); ``hostile_case``
writes a small ticker whose pages carry script and event-handler markup. ``make_client``
builds the app over a database URL and returns FastAPI's TestClient for it;
:class:`LiveServer` serves an app with uvicorn on 127.0.0.1 from a thread of its own.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from storage import SqlArchive, SqlStore, create_engine_for, sqlite_url
from tests.paths import EVAL
from tickerwatch.bootstrap import open_store
from tickerwatch.replay import load_case, replay
from tickerwatch.service import web_config
from tickerwatch.settings import Settings
from tickerwatch.settings.web import WebSettings
from web import bind, create_app, serve
from web.config import WebConfig

with warnings.catch_warnings():
    # Starlette's TestClient asks for the httpx2 fork; with httpx (installed) it works alike.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

SEED = EVAL / "seed" / "kim-putin-2019"
ADMIN_TOKEN = "admin-token-for-the-tests-0123456789"
HOSTILE_URL = "https://hostile.example.test/live"
FIXED_NOW = datetime(2019, 4, 25, 10, 0, tzinfo=UTC)


def replay_case(url: str, folder: Path) -> None:
    """Replay a case folder into the database at ``url`` through ``poll_once``."""
    store = open_store(url)

    async def run() -> None:
        async for _ in replay(load_case(folder), store=store):
            pass

    try:
        asyncio.run(run())
    finally:
        store.close()


HOSTILE_PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Live-Ticker: Angriff</title>
<script>fetch("/pwned/head"); alert("head");</script>
</head><body onload="fetch('/pwned/onload')">
<h1>Live-Ticker: Angriff <img src="/pwned/h1" onerror="fetch('/pwned/h1-onerror')"></h1>
<div class="ticker">
<p><strong>14.05 Uhr:</strong> Forscher zeigen &lt;script&gt;fetch('/pwned/text')&lt;/script&gt;
als Text und &lt;img src=x onerror=fetch('/pwned/text-img')&gt; {extra}.
<img src="x" onerror="fetch('/pwned/img')"></p>
<p><strong>14.03 Uhr:</strong> <script>fetch('/pwned/inline')</script>Ein Link
<a href="javascript:fetch('/pwned/js-link')">hier</a> und <b onmouseover="fetch('/pwned/hover')">fett</b>
<svg onload="fetch('/pwned/svg')"></svg> und <iframe src="/pwned/iframe"></iframe> Ende.</p>
<p><strong>14.01 Uhr:</strong> Der erste Eintrag des Tickers, harmlos, mit genug Text.</p>
</div>
</body></html>
"""


def write_hostile_case(folder: Path) -> Path:
    """A two-poll ticker whose entries carry script, event handlers and markup as text;
    the second poll edits the first entry, so its diff shows the hostile text too."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0001.html").write_text(HOSTILE_PAGE.format(extra="ebenso"), encoding="utf-8")
    (folder / "0002.html").write_text(
        HOSTILE_PAGE.format(extra="&lt;b onmouseover=alert(1)&gt;neu&lt;/b&gt;"), encoding="utf-8"
    )
    meta = {
        "url": HOSTILE_URL,
        "snapshots": [
            {
                "file": "0001.html",
                "fetched_at": "2026-01-10T14:10:00+01:00",
                "content_type": "text/html; charset=utf-8",
            },
            {
                "file": "0002.html",
                "fetched_at": "2026-01-10T14:20:00+01:00",
                "content_type": "text/html; charset=utf-8",
            },
        ],
    }
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def hostile_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_case(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    shutil.copyfile(sqlite_template, path)
    replay_case(sqlite_url(path), SEED)
    return path


@pytest.fixture
def seeded_db(tmp_path: Path, seeded_template: Path) -> str:
    path = tmp_path / "seeded.db"
    shutil.copyfile(seeded_template, path)
    return sqlite_url(path)


@pytest.fixture(scope="session")
def full_template(
    tmp_path_factory: pytest.TempPathFactory, seeded_template: Path, hostile_case: Path
) -> Path:
    """The seed case (ticker 1) and the hostile case (ticker 2)."""
    path = tmp_path_factory.mktemp("full") / "full.db"
    shutil.copyfile(seeded_template, path)
    replay_case(sqlite_url(path), hostile_case)
    return path


@pytest.fixture
def full_db(tmp_path: Path, full_template: Path) -> str:
    path = tmp_path / "full.db"
    shutil.copyfile(full_template, path)
    return sqlite_url(path)


def config_for(**web: Any) -> WebConfig:
    """The app's configuration as a deployment in Berlin would have it, built from
    settings with ``web`` overrides; the TestClient's ``Host: testserver`` is an allowed
    host, as a deployment's name would be."""
    return web_config(
        Settings(
            web=WebSettings(**{"zone": "Europe/Berlin", "allowed_hosts": ["testserver"], **web})
        )
    )


AppFactory = Callable[..., FastAPI]


@pytest.fixture
def make_app() -> Iterator[AppFactory]:
    """``make_app(url, token=..., clock=..., **web)``: the app over the database at
    ``url``; its store and archive are closed after the test."""
    opened: list[tuple[SqlStore, SqlArchive]] = []

    def build(
        url: str,
        *,
        token: str | None = ADMIN_TOKEN,
        clock: Callable[[], datetime] = lambda: FIXED_NOW,
        **web: Any,
    ) -> FastAPI:
        store = SqlStore(create_engine_for(url))
        archive = SqlArchive(create_engine_for(url))
        opened.append((store, archive))
        return create_app(store, config_for(admin_token=token, **web), archive=archive, clock=clock)

    yield build
    for store, archive in opened:
        store.close()
        archive.close()


@pytest.fixture
def make_client(make_app: AppFactory) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def build(url: str, **options: Any) -> TestClient:
        client = TestClient(make_app(url, **options))
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient], seeded_db: str) -> TestClient:
    """A client of the app over the replayed seed case, admin token configured."""
    return make_client(seeded_db)


def login(client: TestClient, token: str = ADMIN_TOKEN) -> str:
    """Log in through the form; returns the CSRF token of the session."""
    response = client.post("/login", data={"token": token, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get("/").text
    marker = 'name="csrf" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


class LiveServer:
    """``app`` served by uvicorn on 127.0.0.1 (a free port) in a thread with its own
    event loop, through :func:`web.serve` as ``tickerwatch web`` serves it."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._sock = bind("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._run, name="web-server", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(serve(self._app, stop=self._stop, sock=self._sock))

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=15)
        self._loop.close()
