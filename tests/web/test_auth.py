"""Admin actions need the token (bearer or a login session with its CSRF token);
without a configured token they are refused with the reason and reading stays open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.web.conftest import ADMIN_TOKEN, FIXED_NOW, TestClient, login
from web.auth import SESSION_COOKIE, Gatekeeper, safe_next

BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
NEW = {"url": "https://www.example.test/live/neu", "interval_seconds": 120}


def test_without_a_token_admin_actions_are_refused_and_reading_stays_open(
    make_client: Callable[..., TestClient], seeded_db: str
) -> None:
    client = make_client(seeded_db, token=None)
    refused = client.post("/api/tickers", json=NEW, headers=BEARER)
    assert refused.status_code == 403
    assert "admin actions are disabled: no admin token is configured" in refused.json()["detail"]
    form = client.post("/tickers/1/pause", data={"csrf": "x"})
    assert form.status_code == 403
    assert "no admin token is configured" in form.text
    assert client.get("/").status_code == 200
    assert "Admin actions are disabled" in client.get("/").text
    assert client.get("/api/tickers/1").json()["paused"] is False


def test_the_api_wants_the_bearer_token(client: TestClient) -> None:
    missing = client.post("/api/tickers", json=NEW)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post("/api/tickers", json=NEW, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    created = client.post("/api/tickers", json=NEW, headers=BEARER)
    assert created.status_code == 201
    ticker = created.json()
    assert ticker["name"] == "example.test: neu"
    assert ticker["interval_seconds"] == 120
    assert client.post("/api/tickers", json=NEW, headers=BEARER).status_code == 409
    bad = client.post("/api/tickers", json={"url": "ftp://x"}, headers=BEARER)
    assert bad.status_code == 422
    path = f"/api/tickers/{ticker['id']}"
    patched = client.patch(
        path, json={"name": "Neu", "interval_seconds": 60, "paused": True}, headers=BEARER
    ).json()
    assert (patched["name"], patched["interval_seconds"], patched["paused"]) == ("Neu", 60, True)
    assert client.patch(path, json={"interval_seconds": 0}, headers=BEARER).status_code == 422
    assert client.delete(path).status_code == 401
    assert client.delete(path, headers=BEARER).status_code == 204
    assert client.get(path).status_code == 404


def test_forms_need_a_session_and_its_csrf_token(client: TestClient) -> None:
    assert client.post("/tickers/1/pause").status_code == 401
    wrong = client.post("/login", data={"token": "guess", "next": "/"})
    assert wrong.status_code == 401
    csrf = login(client)
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie
    forged = client.post("/tickers/1/pause", data={"csrf": "forged"}, follow_redirects=False)
    assert forged.status_code == 403
    assert "CSRF" in forged.text
    assert client.post("/tickers/1/pause", follow_redirects=False).status_code == 403
    paused = client.post("/tickers/1/pause", data={"csrf": csrf}, follow_redirects=False)
    assert paused.status_code == 303
    assert client.get("/api/tickers/1").json()["paused"] is True
    # Scripts send the token in a header; the cookie alone is not enough.
    assert client.patch("/api/tickers/1", json={"paused": False}).status_code == 403
    resumed = client.patch("/api/tickers/1", json={"paused": False}, headers={"X-CSRF-Token": csrf})
    assert resumed.status_code == 200
    assert resumed.json()["paused"] is False


def test_the_login_cookie_is_guarded(client: TestClient) -> None:
    response = client.post(
        "/login", data={"token": ADMIN_TOKEN, "next": "//evil.test/"}, follow_redirects=False
    )
    assert response.headers["location"] == "http://testserver/"
    set_cookie = response.headers["set-cookie"].lower()
    assert "httponly" in set_cookie
    assert "samesite=strict" in set_cookie


def test_managing_tickers_through_the_forms(client: TestClient) -> None:
    csrf = login(client)
    added = client.post(
        "/tickers",
        data={"csrf": csrf, "url": "https://www.example.test/live/b", "name": "", "interval": "2m"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    path = added.headers["location"].removeprefix("http://testserver")
    ticker = client.get("/api" + path).json()
    assert (ticker["name"], ticker["interval_seconds"]) == ("example.test: b", 120)
    again = client.post("/tickers", data={"csrf": csrf, "url": "https://www.example.test/live/b"})
    assert again.status_code == 409
    assert "already" in again.text
    invalid = client.post("/tickers", data={"csrf": csrf, "url": "javascript:alert(1)"})
    assert invalid.status_code == 422
    assert "not an http(s) URL" in invalid.text
    edited = client.post(
        path + "/edit",
        data={"csrf": csrf, "name": "B-Ticker", "interval": "1h"},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    assert client.get("/api" + path).json()["interval_seconds"] == 3600
    unconfirmed = client.post(path + "/remove", data={"csrf": csrf})
    assert unconfirmed.status_code == 422
    assert "tick the box" in unconfirmed.text
    removed = client.post(
        path + "/remove", data={"csrf": csrf, "confirm": "yes"}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert client.get("/api" + path).status_code == 404


def test_sessions_expire(make_client: Callable[..., TestClient], seeded_db: str) -> None:
    now = [FIXED_NOW]
    client = make_client(seeded_db, clock=lambda: now[0], session_hours=1)
    csrf = login(client)
    assert (
        client.post("/tickers/1/pause", data={"csrf": csrf}, follow_redirects=False).status_code
        == 303
    )
    now[0] += timedelta(hours=1, seconds=1)
    assert client.post("/tickers/1/resume", data={"csrf": csrf}).status_code == 401


def test_logging_out_ends_the_session(client: TestClient) -> None:
    csrf = login(client)
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.cookies.get(SESSION_COOKIE) is None
    assert client.post("/tickers/1/pause", data={"csrf": csrf}).status_code == 401


def test_session_cookies_are_bound_to_the_token() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    gate = Gatekeeper(token="a" * 20, session_seconds=60)
    cookie = gate.new_session(now=now, nonce="n1")
    assert gate.session_valid(cookie, now=now)
    assert not gate.session_valid(cookie, now=now + timedelta(seconds=61))
    expires, nonce, mac = cookie.split(".")
    assert not gate.session_valid(f"{int(expires) + 3600}.{nonce}.{mac}", now=now)
    assert not Gatekeeper(token="b" * 20, session_seconds=60).session_valid(cookie, now=now)
    assert not Gatekeeper(token=None, session_seconds=60).session_valid(cookie, now=now)
    assert gate.csrf_valid(cookie, gate.csrf_token(cookie))
    assert not gate.csrf_valid(cookie, gate.csrf_token(gate.new_session(now=now, nonce="n2")))
    assert gate.bearer_matches(f"bearer {'a' * 20}")
    assert not gate.bearer_matches(f"Basic {'a' * 20}")


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/tickers/1", "/tickers/1"),
        ("//evil.test", "/"),
        ("https://evil.test", "/"),
        ("/\\evil", "/"),
        (None, "/"),
    ],
)
def test_login_redirects_stay_on_the_site(target: str | None, safe: str) -> None:
    assert safe_next(target) == safe
