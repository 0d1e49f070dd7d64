"""Desks in the UI and the JSON API: the list, the admin forms, the API routes; and a
real Chromium adding a desk through the form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import expect

from storage import NewTicker, SqlArchive, SqlStore, create_engine_for
from storage.desks_sql import SqlDeskStore
from tests.web.browser import CHROMIUM, MISSING, berlin_page, chromium
from tests.web.conftest import ADMIN_TOKEN, FIXED_NOW, LiveServer, TestClient, config_for, login
from web import create_app

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def app(sqlite_db: str) -> Iterator[FastAPI]:
    """The app over a database with three tickers (ids 1-3; 2 and 3 tagged ``inland``)."""
    store = SqlStore(create_engine_for(sqlite_db))
    for name, tags in (("Haus", ()), ("Rivale", ("inland",)), ("Andere", ("inland",))):
        store.add(
            NewTicker(f"https://www.example.test/{name}", name, tags=tags), created_at=FIXED_NOW
        )
    archive = SqlArchive(create_engine_for(sqlite_db))
    desks = SqlDeskStore(create_engine_for(sqlite_db))
    try:
        yield create_app(
            store,
            config_for(admin_token=ADMIN_TOKEN),
            archive=archive,
            clock=lambda: FIXED_NOW,
            desks=desks,
        )
    finally:
        desks.close()
        archive.close()
        store.close()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


POLITIK = {
    "name": "Politik",
    "members": [{"ticker_id": 1, "own": True}, {"ticker_id": 2}],
    "window_minutes": 240,
}


def test_the_api_adds_lists_edits_and_removes_desks(client: TestClient) -> None:
    created = client.post("/api/desks", json=POLITIK, headers=ADMIN)
    assert created.status_code == 201, created.text
    desk = created.json()
    assert (desk["name"], desk["window_minutes"], desk["lead_minutes"]) == ("Politik", 240, 10)
    assert desk["members"] == [{"ticker_id": 1, "own": True}, {"ticker_id": 2, "own": False}]
    assert [(t["id"], t["own"]) for t in desk["tickers"]] == [(1, True), (2, False)]
    assert desk["links"]["self"].endswith(f"/api/desks/{desk['id']}")
    assert client.get("/api/desks").json() == [desk]
    assert client.get(f"/api/desks/{desk['id']}").json() == desk

    patched = client.patch(
        f"/api/desks/{desk['id']}",
        json={"tags": [{"tag": "inland"}], "lead_minutes": 0},
        headers=ADMIN,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["members"] == desk["members"]
    assert [(t["id"], t["via"]) for t in patched.json()["tickers"]] == [
        (1, ["member"]),
        (2, ["member", "tag:inland"]),
        (3, ["tag:inland"]),
    ]
    assert patched.json()["lead_minutes"] == 0

    assert client.delete(f"/api/desks/{desk['id']}", headers=ADMIN).status_code == 204
    assert client.get("/api/desks").json() == []
    assert client.get(f"/api/desks/{desk['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"name": "Politik", "tags": [{"tag": "x"}]}, 409, "exists already"),
        ({"name": "Sport", "members": [{"ticker_id": 9}]}, 422, "no ticker 9"),
        ({"name": "Sport"}, 422, "at least one"),
        (
            {"name": "Sport", "tags": [{"tag": "x"}], "window_minutes": 5, "lead_minutes": 6},
            422,
            "lead",
        ),
        ({"name": "Sport\x00", "tags": [{"tag": "x"}]}, 422, "NUL"),
    ],
)
def test_the_api_refuses_bad_desks(
    client: TestClient, body: dict[str, object], status: int, words: str
) -> None:
    assert client.post("/api/desks", json=POLITIK, headers=ADMIN).status_code == 201
    answer = client.post("/api/desks", json=body, headers=ADMIN)
    assert answer.status_code == status
    assert words in str(answer.json()["detail"])
    assert [d["name"] for d in client.get("/api/desks").json()] == ["Politik"]


def test_writing_needs_the_admin_token(client: TestClient) -> None:
    assert client.post("/api/desks", json=POLITIK).status_code == 401
    assert client.post("/api/desks", json=POLITIK, headers=ADMIN).status_code == 201
    assert client.patch("/api/desks/1", json={"name": "X"}).status_code == 401
    assert client.delete("/api/desks/1").status_code == 401
    assert client.get("/api/desks/1").json()["name"] == "Politik"


def test_a_removed_ticker_leaves_its_desks(client: TestClient, app: FastAPI) -> None:
    assert client.post("/api/desks", json=POLITIK, headers=ADMIN).status_code == 201
    assert client.delete("/api/tickers/1", headers=ADMIN).status_code == 204
    desk = client.get("/api/desks/1").json()
    assert desk["members"] == [{"ticker_id": 2, "own": False}]
    assert "none" in client.get("/desks").text  # no own ticker left, and it says so


def test_the_forms_add_edit_and_remove_a_desk(client: TestClient) -> None:
    csrf = login(client)
    added = client.post(
        "/desks",
        data={"csrf": csrf, "name": "Politik", "own": ["1"], "ticker": ["2"], "tags": "inland"},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    page = client.get("/desks").text
    assert 'class="member own"' in page
    for name in ("Haus", "Rivale", "Andere"):
        assert name in page
    desk = client.get("/api/desks/1").json()
    assert [(t["id"], t["own"]) for t in desk["tickers"]] == [(1, True), (2, False), (3, False)]

    edit = client.get("/desks/1/edit").text
    assert 'name="own" value="1" aria-label="Haus is ours" checked' in edit
    edited = client.post(
        "/desks/1/edit",
        data={
            "csrf": csrf,
            "name": "Inland",
            "own": ["2"],
            "ticker": ["1"],
            "window": "90",
            "lead": "0",
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303, edited.text
    desk = client.get("/api/desks/1").json()
    assert (desk["name"], desk["window_minutes"], desk["lead_minutes"], desk["tags"]) == (
        "Inland",
        90,
        0,
        [],
    )
    assert desk["members"] == [{"ticker_id": 2, "own": True}, {"ticker_id": 1, "own": False}]

    refused = client.post("/desks/1/remove", data={"csrf": csrf})
    assert refused.status_code == 422
    assert "tick the box" in refused.text
    removed = client.post(
        "/desks/1/remove", data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert client.get("/api/desks").json() == []


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"name": "Politik", "own": ["1"]}, 409, "exists already"),
        ({"name": "Sport"}, 422, "at least one"),
        ({"name": "Sport", "own": ["9"]}, 422, "no ticker 9"),
        ({"name": "Sport", "own": ["1"], "ticker": ["1"]}, 422, "both as own"),
        ({"name": "Sport", "own": ["x"]}, 422, "not a number"),
        ({"name": "Sport", "own": ["1"], "window": "6h"}, 422, "story window"),
        ({"name": "Sport", "own": ["1"], "window": "5", "lead": "6"}, 422, "lead"),
    ],
)
def test_the_form_says_what_is_wrong(
    client: TestClient, fields: dict[str, object], status: int, words: str
) -> None:
    csrf = login(client)
    assert client.post("/api/desks", json=POLITIK, headers=ADMIN).status_code == 201
    answer = client.post("/desks", data={"csrf": csrf, **fields})
    assert answer.status_code == status
    assert words in answer.text
    assert 'role="alert"' in answer.text
    assert [d["name"] for d in client.get("/api/desks").json()] == ["Politik"]


def test_forms_need_a_login_and_the_session_csrf_token(client: TestClient) -> None:
    assert client.post("/desks", data={"name": "D", "own": ["1"]}).status_code == 401
    assert "Log in" in client.get("/desks").text
    login(client)
    forged = client.post("/desks", data={"name": "D", "own": ["1"], "csrf": "forged"})
    assert forged.status_code == 403
    assert client.post("/desks", data={"name": "D", "own": ["1"]}).status_code == 403
    assert client.get("/api/desks").json() == []


def test_without_a_desk_store_desks_are_not_found(sqlite_db: str) -> None:
    store = SqlStore(create_engine_for(sqlite_db))
    archive = SqlArchive(create_engine_for(sqlite_db))
    try:
        app = create_app(store, config_for(), archive=archive, clock=lambda: FIXED_NOW)
        with TestClient(app) as client:
            assert client.get("/api/desks").status_code == 404
            assert client.get("/desks").status_code == 404
            assert "/desks" not in client.get("/").text
    finally:
        archive.close()
        store.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING)
def test_a_desk_added_through_the_form_is_listed(app: FastAPI, tmp_path: Path) -> None:
    server = LiveServer(app)
    try:
        with chromium() as browser, berlin_page(browser) as page:
            page.goto(f"{server.url}/login")
            page.fill("input[name=token]", ADMIN_TOKEN)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{server.url}/")
            page.click("header nav >> text=Desks")
            page.wait_for_url(f"{server.url}/desks")

            form = page.locator("form.add-desk")
            form.locator("input[name=name]").fill("Politik")
            form.locator("tr[data-ticker-id='1'] input[name=own]").check()
            form.locator("tr[data-ticker-id='2'] input[name=ticker]").check()
            form.locator("input[name=tags]").fill("inland")
            form.locator("button.save").click()
            page.wait_for_url(f"{server.url}/desks")

            row = page.locator("tr.desk")
            expect(row).to_have_count(1)
            expect(row.locator("td.name")).to_have_text("Politik")
            expect(row.locator("td.own a.member")).to_have_text(["Haus"])
            expect(row.locator("td.competitors a.member")).to_have_text(["Rivale", "Andere"])
            expect(row.locator("td.tags")).to_have_text("inland")
    finally:
        server.close()
