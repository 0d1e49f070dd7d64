"""The ticker's page in the UI says why its last poll read no ticker (the reason stored
with the poll), as ``status`` does; a plain poll shows no note."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from diffing import diff
from storage import PollRecord, SqlArchive, SqlStore, create_engine_for
from tests.storage.builders import A, B, Feed, page, sha
from tests.web.conftest import TestClient, config_for
from web import create_app

WALL = b"<html><body>Bitte stimmen Sie zu</body></html>"


@pytest.fixture
def store(sqlite_db: str) -> Iterator[SqlStore]:
    made = SqlStore(create_engine_for(sqlite_db))
    yield made
    made.close()


@pytest.fixture
def http(sqlite_db: str, store: SqlStore) -> Iterator[TestClient]:
    archive = SqlArchive(create_engine_for(sqlite_db))
    with TestClient(create_app(store, config_for(), archive=archive)) as made:
        yield made
    archive.close()


def test_the_timeline_shows_why_the_last_poll_read_no_ticker(
    store: SqlStore, http: TestClient
) -> None:
    """Before: "last poll … not_a_ticker" and no reason on the ticker's page."""
    feed = Feed(store, "wall")
    feed.poll(A, B)
    assert "poll-error" not in http.get(f"/tickers/{feed.ticker_id}").text
    # Recorded as poll_once records it: the verdict's reason is the poll's.
    walled = page(url=feed.url, at=feed.now, headline=None, not_a_ticker="consent wall, no entries")
    verdict = diff(feed.state(), walled, body_sha256=sha(WALL))
    record = PollRecord(
        ticker_id=feed.ticker_id,
        started_at=feed.now,
        duration_ms=120,
        outcome=verdict.outcome,
        http_status=200,
        error=verdict.reason,
    )
    store.record_poll(record, WALL, walled, verdict)
    facts = http.get(f"/tickers/{feed.ticker_id}").text.split('<p class="facts">')[1]
    facts = facts.split("</p>")[0]
    assert "not_a_ticker" in facts
    assert "(consent wall, no entries)" in facts
    assert "consent wall, no entries" in http.get("/").text
