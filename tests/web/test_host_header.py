"""A forged ``Host`` header never reaches links, redirects, Link headers or forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import ADMIN_TOKEN, TestClient
from web.origin import allowed_hosts, link_base

EVIL = "evil.example"
FORGED = {"Host": EVIL}
ACCEPT_DATETIME = {"Accept-Datetime": "Wed, 24 Apr 2019 12:30:00 GMT"}


@pytest.fixture
def plain(make_client: Callable[..., TestClient], seeded_db: str) -> TestClient:
    """As deployed with no ``base_url`` and no ``allowed_hosts``."""
    return make_client(seeded_db, allowed_hosts=[])


def test_forms_and_links_of_a_page_ignore_a_forged_host(plain: TestClient) -> None:
    """Before: ``action="http://evil.example/search"`` and every link on evil.example."""
    page = plain.get("/", headers=FORGED)
    assert page.status_code == 200
    assert EVIL not in page.text
    assert 'action="/search"' in page.text
    login = plain.get("/login", headers=FORGED)
    assert EVIL not in login.text
    assert 'action="/login"' in login.text


def test_the_login_redirect_ignores_a_forged_host(plain: TestClient) -> None:
    """Before: ``Location: http://evil.example/tickers/1``."""
    response = plain.post(
        "/login",
        data={"token": ADMIN_TOKEN, "next": "/tickers/1"},
        headers=FORGED,
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/tickers/1"


def test_memento_location_and_link_headers_ignore_a_forged_host(plain: TestClient) -> None:
    """Before: both named http://evil.example/tickers/1/…"""
    gate = plain.get(
        "/tickers/1/timegate", headers={**FORGED, **ACCEPT_DATETIME}, follow_redirects=False
    )
    assert gate.status_code == 302
    assert gate.headers["location"].startswith("/tickers/1/polls/")
    assert EVIL not in gate.headers["link"]
    assert '</tickers/1/timemap>; rel="timemap"' in gate.headers["link"]
    memento = plain.get(gate.headers["location"], headers=FORGED)
    assert EVIL not in memento.headers["link"]
    timemap = plain.get("/tickers/1/timemap", headers=FORGED)
    assert EVIL not in timemap.text
    feed = plain.get("/tickers/1/feed.atom", headers=FORGED)
    assert EVIL not in feed.text


def test_an_allowed_host_gets_absolute_links(plain: TestClient) -> None:
    gate = plain.get(
        "/tickers/1/timegate",
        headers={"Host": "localhost:8080", **ACCEPT_DATETIME},
        follow_redirects=False,
    )
    assert gate.headers["location"].startswith("http://localhost:8080/tickers/1/polls/")


def test_base_url_wins_over_any_host(
    make_client: Callable[..., TestClient], seeded_db: str
) -> None:
    client = make_client(seeded_db, base_url="https://archive.example.org/tw")
    for host in (EVIL, "localhost", "testserver"):
        gate = client.get(
            "/tickers/1/timegate", headers={"Host": host, **ACCEPT_DATETIME}, follow_redirects=False
        )
        assert gate.headers["location"].startswith("https://archive.example.org/tw/tickers/1/")
        assert host not in gate.headers["link"]


ALLOWED = allowed_hosts(["Archive.Example.org."], "192.0.2.7")


@pytest.mark.parametrize(
    ("host", "base"),
    [
        ("archive.example.org", "http://archive.example.org"),
        ("ARCHIVE.example.org:8443", "http://archive.example.org:8443"),
        ("localhost", "http://localhost"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("[::1]:8080", "http://[::1]:8080"),
        ("192.0.2.7", "http://192.0.2.7"),
        (EVIL, ""),
        ("localhost.evil.example", ""),
        ("localhost@evil.example", ""),
        ("localhost:80@evil.example", ""),
        ("localhost/evil.example", ""),
        ("localhost:99999", ""),
        ("localhost:8080:1", ""),
        ("local host", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_link_base_takes_only_well_formed_allowed_hosts(host: str | None, base: str) -> None:
    assert (
        link_base(base_url=None, scheme="http", host_header=host, root_path="", allowed=ALLOWED)
        == base
    )


def test_the_mount_path_is_kept_and_wildcard_binds_are_not_hosts() -> None:
    assert (
        link_base(
            base_url=None, scheme="https", host_header=EVIL, root_path="/tw/", allowed=ALLOWED
        )
        == "/tw"
    )
    assert "0.0.0.0" not in allowed_hosts([], "0.0.0.0")
    assert "[::]" not in allowed_hosts([], "::")
    assert "[fd00::1]" in allowed_hosts([], "fd00::1")
