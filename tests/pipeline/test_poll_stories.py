"""``tickerwatch poll`` files each poll into the stories of the ticker's desks: two
tickers on a loopback server report one event, and the desk has it as one story."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import create_engine_for
from storage.desks_sql import SqlDeskStore
from storage.story_store_sql import SqlStoryStore
from tests.fetching.server import LoopbackServer, Reply
from tickerwatch.cli import main


def _page(headline: str, text: str, printed: datetime, link: str, other: str) -> bytes:
    updates = [
        {
            "@type": "BlogPosting",
            "datePublished": printed.isoformat(),
            "headline": headline,
            "articleBody": text,
            "url": link,
        },
        {
            "@type": "BlogPosting",
            "datePublished": (printed - timedelta(minutes=40)).isoformat(),
            "headline": other,
            "articleBody": "",
            "url": link + "-other",
        },
    ]
    posting = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": "Der Tag im Überblick",
        "liveBlogUpdate": updates,
    }
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Ticker</title>'
        f'<script type="application/ld+json">{json.dumps(posting, ensure_ascii=False)}'
        "</script></head><body><h1>Ticker</h1></body></html>"
    ).encode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    loopback = LoopbackServer()
    loopback.start()
    yield loopback
    loopback.stop()
    assert loopback.errors == []


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    for name, value in {
        "STORAGE__DATABASE_URL": url,
        "FETCH__ALLOW_PRIVATE_ADDRESSES": "true",
        "FETCH__HONOUR_ROBOTS": "false",
        "FETCH__MIN_HOST_INTERVAL_S": "0",
        "FETCH__RETRIES": "0",
    }.items():
        monkeypatch.setenv(f"TICKERWATCH_{name}", value)
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    return url


def test_poll_files_both_tickers_into_one_story(
    server: LoopbackServer, database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5)
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.routes["/a"] = Reply(
        headers=html,
        body=_page(
            "Erdbeben in Izmir: Mindestens zwölf Tote",
            "Ein Beben der Stärke 6,8 hat die türkische Stadt Izmir erschüttert.",
            printed,
            "https://a.example/izmir",
            "Wetter: Sonnig und warm am Nachmittag, bis zu 24 Grad",
        ),
    )
    server.routes["/b"] = Reply(
        headers=html,
        body=_page(
            "Schweres Erdbeben erschüttert Izmir",
            "Mindestens zwölf Menschen kamen in Izmir ums Leben, das Beben hatte Stärke 6,8.",
            printed + timedelta(minutes=3),
            "https://b.example/izmir",
            "Bahnstreik: GDL legt ab Mitternacht den Fernverkehr lahm",
        ),
    )
    for name in ("a", "b"):
        assert main(["add", server.url(f"/{name}"), "--name", name, "--no-check"]) == 0
    assert main(["desk", "add", "Politik", "--own", "1", "--ticker", "2"]) == 0
    assert main(["poll", "--all"]) == 0
    capsys.readouterr()

    desks, stories = (
        SqlDeskStore(create_engine_for(database)),
        SqlStoryStore(create_engine_for(database)),
    )
    try:
        (desk,) = desks.list()
        (shared,) = stories.recent(desk.id, min_tickers=2)
        assert sorted(m.link or "" for m in shared.members) == [
            "https://a.example/izmir",
            "https://b.example/izmir",
        ]
        assert len(stories.recent(desk.id)) == 3  # and each ticker's other entry alone
    finally:
        stories.close()
        desks.close()
    assert main(["desk", "stories", "Politik", "--min-tickers", "2"]) == 0
    # Both polls run at once: who was seen first is a race; the printed times are not.
    assert "printed: a (+3 min)" in capsys.readouterr().out
