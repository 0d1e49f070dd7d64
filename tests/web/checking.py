"""The app with the composition root's page checker, over a fresh database, and a
loopback server serving the crafted page (shared by the check and browser tests)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from fastapi import FastAPI
from pydantic import SecretStr

from storage import SqlArchive, SqlStore, create_engine_for, sqlite_url, upgrade
from tests.fetching.server import LoopbackServer, Reply
from tests.support.crafted import crafted_page
from tests.web.conftest import ADMIN_TOKEN, FIXED_NOW
from tickerwatch import lookup
from tickerwatch.service import web_config
from tickerwatch.settings import FetchSettings, Settings, WebSettings
from web import create_app


@contextlib.contextmanager
def crafted_site() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.routes["/crafted"] = Reply(
        200, {"Content-Type": "text/html; charset=utf-8"}, crafted_page()
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def checking_app(folder: Path, *, private: bool = True) -> Iterator[tuple[FastAPI, str]]:
    """The app (admin token set) with the real checker; loopback allowed when ``private``."""
    url = sqlite_url(folder / "check.db")
    upgrade(url)
    settings = Settings(
        web=WebSettings(zone="Europe/Berlin", admin_token=SecretStr(ADMIN_TOKEN)),
        fetch=FetchSettings(allow_private_addresses=private, min_host_interval_s=0),
    )
    store = SqlStore(create_engine_for(url))
    archive = SqlArchive(create_engine_for(url))
    try:
        app = create_app(
            store,
            web_config(settings),
            archive=archive,
            clock=lambda: FIXED_NOW,
            checker=lookup.checker(settings),
        )
        yield app, url
    finally:
        archive.close()
        store.close()
