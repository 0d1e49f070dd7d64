"""The ticker form's selectors and its "Check": the page fetched server-side through the
poller's fetcher, read with the form's selectors, shown before anything is saved."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest

from storage import SqlStore, TickerId, create_engine_for
from tests.fetching.server import LoopbackServer
from tests.support.crafted import SELECTORS
from tests.web.checking import checking_app, crafted_site
from tests.web.conftest import ADMIN_TOKEN, login

with warnings.catch_warnings():
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

FIELDS = {
    "entry_selector": SELECTORS.entry,
    "time_selector": SELECTORS.time or "",
    "headline_selector": SELECTORS.headline or "",
    "body_selector": SELECTORS.body or "",
    "id_selector": SELECTORS.native_id or "",
}


@pytest.fixture
def site() -> Iterator[LoopbackServer]:
    with crafted_site() as server:
        yield server


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    with checking_app(tmp_path) as (app, url), TestClient(app) as client:
        yield client, url


def selectors_of(url: str, ticker_id: int) -> object:
    store = SqlStore(create_engine_for(url))
    try:
        return store.get(TickerId(ticker_id)).selectors
    finally:
        store.close()


def test_check_shows_what_discovery_and_then_the_selectors_read(
    app_url: tuple[TestClient, str], site: LoopbackServer
) -> None:
    client, url = app_url
    csrf = login(client)
    page = client.post("/tickers/check", data={"csrf": csrf, "url": site.url("/crafted")})
    assert page.status_code == 200
    assert "not a ticker: " in page.text
    page = client.post("/tickers/check", data={"csrf": csrf, "url": site.url("/crafted"), **FIELDS})
    assert page.status_code == 200
    assert "read 3 entries (layout selectors, newest " in page.text
    assert page.text.count('class="checked-entry"') == 3
    assert "Vote passed" in page.text
    assert "16:05" in page.text  # 14:05 UTC, shown in Berlin
    added = client.post(
        "/tickers",
        data={"csrf": csrf, "url": site.url("/crafted"), "interval": "5m", **FIELDS},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert selectors_of(url, 1) == SELECTORS
    assert f'value="{escape(SELECTORS.entry)}"' in client.get("/tickers/1").text


def test_check_of_a_saved_ticker_and_edit_sets_and_clears_selectors(
    app_url: tuple[TestClient, str], site: LoopbackServer
) -> None:
    client, url = app_url
    csrf = login(client)
    client.post("/tickers", data={"csrf": csrf, "url": site.url("/crafted")})
    page = client.post(
        "/tickers/check", data={"csrf": csrf, "ticker_id": "1", "entry_selector": "ol.none"}
    )
    assert "the selectors read nothing: the entry selector &#39;ol.none&#39;" in page.text
    saved = client.post(
        "/tickers/1/edit",
        data={"csrf": csrf, "name": "Budget", "interval": "300s", **FIELDS},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert selectors_of(url, 1) == SELECTORS
    client.post("/tickers/1/edit", data={"csrf": csrf, "name": "Budget", "interval": "300s"})
    assert selectors_of(url, 1) is None


def test_invalid_selectors_are_refused_with_the_reason(
    app_url: tuple[TestClient, str], site: LoopbackServer
) -> None:
    client, _ = app_url
    csrf = login(client)
    bad = {"csrf": csrf, "url": site.url("/crafted"), "entry_selector": "div["}
    page = client.post("/tickers/check", data=bad)
    assert page.status_code == 422
    assert "invalid entry selector" in page.text
    assert site.hits("/crafted") == 0
    assert client.post("/tickers", data=bad).status_code == 422
    only_time = {"csrf": csrf, "url": site.url("/crafted"), "time_selector": "time"}
    assert "needs an entry selector" in client.post("/tickers", data=only_time).text


def test_check_needs_the_admin_and_the_csrf_token(
    app_url: tuple[TestClient, str], site: LoopbackServer
) -> None:
    client, _ = app_url
    form = {"url": site.url("/crafted")}
    assert client.post("/tickers/check", data=form).status_code == 401
    login(client)
    assert client.post("/tickers/check", data=form).status_code == 403
    assert site.hits("/crafted") == 0


def test_check_names_the_setting_when_the_fetch_policy_blocks(
    tmp_path: Path, site: LoopbackServer
) -> None:
    with checking_app(tmp_path, private=False) as (app, _), TestClient(app) as client:
        csrf = login(client)
        page = client.post("/tickers/check", data={"csrf": csrf, "url": site.url("/crafted")})
    assert "blocked by the fetch policy" in page.text
    assert "TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES" in page.text
    assert site.hits("/crafted") == 0


def test_without_a_checker_the_button_is_hidden_and_the_route_says_why(
    make_client: object, seeded_db: str
) -> None:
    client = make_client(seeded_db)  # type: ignore[operator]
    csrf = login(client)
    assert 'class="check"' not in client.get("/").text
    page = client.post("/tickers/check", data={"csrf": csrf, "url": "https://x.test/"})
    assert page.status_code == 404
    assert "not available" in page.text


def test_the_api_sets_shows_and_clears_selectors(app_url: tuple[TestClient, str]) -> None:
    client, _ = app_url
    bearer = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    wire = {"entry": SELECTORS.entry, "time": SELECTORS.time, "headline": "b", "body": None}
    created = client.post(
        "/api/tickers", json={"url": "https://x.test/live", "selectors": wire}, headers=bearer
    )
    assert created.status_code == 201
    assert created.json()["selectors"] == {**wire, "native_id": None}
    bad = client.patch("/api/tickers/1", json={"selectors": {"entry": "div["}}, headers=bearer)
    assert bad.status_code == 422
    assert "invalid entry selector" in bad.text
    renamed = client.patch("/api/tickers/1", json={"name": "X"}, headers=bearer)
    assert renamed.json()["selectors"]["entry"] == SELECTORS.entry
    cleared = client.patch("/api/tickers/1", json={"selectors": None}, headers=bearer)
    assert cleared.json()["selectors"] is None
