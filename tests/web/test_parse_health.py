"""Parse health in the UI and at /metrics: a ticker whose page broke says so, with the
message; one that reads again does not; a poll that hit the entry cap says how many
entries it cut."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from diffing import diff
from storage import SqlArchive, SqlStore, create_engine_for
from tests.storage.builders import A, B, C, Feed, body_of, page, sha
from tests.web.conftest import TestClient, config_for
from tickerwatch.metrics import Metrics
from web import create_app

WALL = b"<html><body>Bitte stimmen Sie zu</body></html>"


@pytest.fixture
def store(sqlite_db: str) -> Iterator[SqlStore]:
    made = SqlStore(create_engine_for(sqlite_db))
    yield made
    made.close()


@pytest.fixture
def client(sqlite_db: str, store: SqlStore) -> Iterator[tuple[TestClient, Metrics]]:
    archive = SqlArchive(create_engine_for(sqlite_db))
    metrics = Metrics()
    app = create_app(store, config_for(), archive=archive, metrics=metrics)
    with TestClient(app) as made:
        yield made, metrics
    archive.close()


def test_a_broken_ticker_shows_its_message_and_counts_in_metrics(
    store: SqlStore, client: tuple[TestClient, Metrics]
) -> None:
    http, _ = client
    broken, fine = Feed(store, "broken"), Feed(store, "fine")
    broken.poll(A, B)
    fine.poll(A)
    for _ in range(2):
        broken.poll(headline=None, not_a_ticker="consent wall", body=WALL)
    parsed = replace(page(B, A, url=fine.url, at=fine.now), truncated=12)
    fine.record(
        diff(fine.state(), parsed, body_sha256=sha(body_of(parsed))), parsed, body_of(parsed)
    )

    dashboard = http.get("/").text
    assert dashboard.count("parse broken") == 1
    assert "0 entries read, was 2 (consent wall)" in dashboard
    assert "12 oldest entries cut by the entry cap" in dashboard
    ticker_page = http.get(f"/tickers/{broken.ticker_id}").text
    assert "parse broken" in ticker_page
    assert "parse health" in ticker_page  # the event on the timeline
    metrics = http.get("/metrics").text
    assert "tickerwatch_tickers_parse_broken 1.0" in metrics
    api = {t["id"]: t for t in http.get("/api/tickers").json()}
    assert (api[broken.ticker_id]["parse_health_ok"], api[fine.ticker_id]["parse_health_ok"]) == (
        False,
        True,
    )
    assert api[broken.ticker_id]["parse_health"] == "not_a_ticker"
    assert api[fine.ticker_id]["truncated"] == 12
    changes = http.get(f"/api/tickers/{broken.ticker_id}/changes?kind=ticker_health").json()
    (event,) = changes["items"]
    assert (event["kind"], event["health"], event["entry_id"]) == (
        "ticker_health",
        "not_a_ticker",
        None,
    )

    broken.poll(C, A, B)
    assert "parse broken" not in http.get("/").text
    assert "tickerwatch_tickers_parse_broken 0.0" in http.get("/metrics").text
