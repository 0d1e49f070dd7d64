"""Serving: the app inside a running event loop until a stop event, as ``tickerwatch
web`` and ``tickerwatch run`` serve it; binding errors stay in the caller's hands."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi.testclient import TestClient

from tickerwatch.cli import build_parser
from tickerwatch.metrics import Metrics
from tickerwatch.service import run_web
from tickerwatch.settings import Settings
from tickerwatch.settings.storage import StorageSettings
from tickerwatch.settings.web import WebSettings
from web import bind


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_the_service_serves_until_stopped(sqlite_db: str) -> None:
    settings = Settings(
        storage=StorageSettings(database_url=sqlite_db), web=WebSettings(host="127.0.0.1", port=0)
    )
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    stop = asyncio.Event()
    running = asyncio.create_task(run_web(settings, stop, sock=sock))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        health = await client.get("/healthz")
        assert health.json() == {"status": "ok", "database": "ok"}
        page = await client.get("/")
        assert page.status_code == 200
        assert "No tickers yet" in page.text
        assert "server" not in page.headers
        # Desks and their stories are served: an unknown desk, not a missing store.
        story = await client.get("/api/desks/1/stories")
        assert story.status_code == 404
        assert "no desk" in story.text
        stop.set()
        await asyncio.wait_for(running, timeout=15)
        with pytest.raises(httpx.ConnectError):
            await client.get("/healthz")


@pytest.mark.anyio
async def test_the_service_serves_its_metrics(sqlite_db: str) -> None:
    settings = Settings(storage=StorageSettings(database_url=sqlite_db))
    metrics = Metrics()
    metrics.set_queue_depth("alerts", 3)
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    stop = asyncio.Event()
    running = asyncio.create_task(run_web(settings, stop, sock=sock, metrics=metrics))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            answer = await client.get("/metrics")
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith("text/plain")
            assert "tickerwatch_polls" in answer.text
            assert 'tickerwatch_queue_depth{queue="alerts"} 3.0' in answer.text
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=15)


def test_without_a_service_there_are_no_metrics(client: TestClient) -> None:
    answer = client.get("/metrics")
    assert answer.status_code == 404
    assert "no metrics" in answer.json()["detail"]


def test_a_taken_port_is_an_error_with_the_address() -> None:
    taken = bind("127.0.0.1", 0)
    try:
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
            bind("127.0.0.1", port)
    finally:
        taken.close()


def test_the_web_command_is_registered() -> None:
    args = build_parser().parse_args(["web", "--host", "127.0.0.1", "--port", "0"])
    assert (args.command, args.host, args.port) == ("web", "127.0.0.1", 0)


def test_settings_refuse_weak_tokens_and_bad_urls() -> None:
    with pytest.raises(ValueError, match="at least 16 characters"):
        WebSettings(admin_token="short")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="absolute http"):
        WebSettings(base_url="archive.example.org")
    with pytest.raises(ValueError, match="unknown time zone"):
        WebSettings(zone="Berlin")
    assert WebSettings(base_url="https://a.test/tw/").base_url == "https://a.test/tw"
