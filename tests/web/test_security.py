"""Ticker content is hostile input: nothing of it may become markup, script or a request.

A ticker whose pages carry ``<script>``, event handlers, ``javascript:`` links, SVG and
iframes (and the same as visible text) is replayed through the real pipeline; every
page, feed and export of it is checked for what a browser would run."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree

import pytest
from lxml import html as lxml_html

from tests.web.conftest import TestClient
from tests.web.html import elements
from web.exports import csv_stream
from web.headers import PAGE_CSP, RAW_CSP
from web.sanitize import safe_html

HOSTILE = 2


@pytest.fixture
def hostile(make_client: Callable[..., TestClient], full_db: str) -> TestClient:
    return make_client(full_db)


def hostile_pages(client: TestClient) -> list[str]:
    changes = client.get(f"/api/tickers/{HOSTILE}/changes").json()["items"]
    entries = {c["entry_id"] for c in changes if c["entry_id"]}
    paths = [
        "/",
        f"/tickers/{HOSTILE}",
        f"/tickers/{HOSTILE}/as-of",
        f"/tickers/{HOSTILE}/polls",
        "/search?q=script",
        "/search?q=onerror",
        *(f"/entries/{e}" for e in entries),
    ]
    pages = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(response.text)
    return pages


def test_the_hostile_text_is_there_but_only_as_text(hostile: TestClient) -> None:
    changes = hostile.get(f"/api/tickers/{HOSTILE}/changes").json()["items"]
    texts = " ".join(c["text"] or "" for c in changes)
    assert "<script>fetch('/pwned/text')</script>" in texts  # the page showed it as text
    entry_page = next(p for p in hostile_pages(hostile) if "Forscher" in p and "<del>" in p)
    assert "&lt;script&gt;fetch(" in entry_page
    assert "&lt;b onmouseover=alert(1)&gt;neu&lt;/b&gt;" in entry_page


def test_no_page_carries_script_handlers_or_script_urls(hostile: TestClient) -> None:
    for page in hostile_pages(hostile):
        tree = lxml_html.fromstring(page)
        for script in elements(tree, "//script"):
            assert (script.get("src") or "").endswith("/static/asof.js"), lxml_html.tostring(script)
            assert not (script.text or "").strip()
        for element in elements(tree, "//*"):  # elements only: no comments
            assert element.tag not in ("svg", "img", "object", "embed"), element.tag
            for name, value in element.items():
                assert not name.lower().startswith("on"), (element.tag, name)
                assert not value.strip().lower().startswith(("javascript:", "data:text")), value
            if element.tag == "iframe":
                assert element.get("sandbox") == "", "every frame is fully sandboxed"


def test_every_page_has_a_strict_csp(hostile: TestClient) -> None:
    for path in ("/", f"/tickers/{HOSTILE}", "/search?q=x", "/login", "/nope"):
        response = hostile.get(path)
        assert response.headers["content-security-policy"] == PAGE_CSP
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert "'unsafe-inline'" not in PAGE_CSP
    assert "script-src 'self'" in PAGE_CSP


def test_raw_pages_are_sandboxed_by_their_own_csp(hostile: TestClient) -> None:
    polls = hostile.get(f"/api/tickers/{HOSTILE}/polls").json()["items"]
    for poll in polls:
        response = hostile.get(poll["raw"])
        assert response.status_code == 200
        assert b"<script>" in response.content  # the page as received, untouched
        csp = response.headers["content-security-policy"]
        assert csp == RAW_CSP
        directives = [d.strip() for d in csp.split(";")]
        assert "sandbox" in directives
        assert "default-src 'none'" in directives
        assert not any("allow-scripts" in d for d in directives)
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert response.headers["content-type"] == "text/html; charset=utf-8" or response.headers[
            "content-type"
        ].startswith("text/html")
        download = hostile.get(poll["raw"].replace("/raw", "/download"))
        assert download.headers["content-disposition"].startswith("attachment;")
        assert download.headers["content-security-policy"] == RAW_CSP


def test_feeds_escape_the_text(hostile: TestClient) -> None:
    response = hostile.get(f"/tickers/{HOSTILE}/feed.atom")
    feed = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    contents = [e.findtext("a:content", namespaces=ns) or "" for e in feed.findall("a:entry", ns)]
    joined = " ".join(contents)
    assert "&lt;script&gt;" in joined  # the reader's HTML shows the text, escaped once more
    assert "<script" not in joined
    assert "<img" not in joined
    assert "<b " not in joined


def test_exports_keep_the_text_and_defuse_spreadsheet_formulas(hostile: TestClient) -> None:
    rows = hostile.get(f"/api/tickers/{HOSTILE}/export/revisions.json").json()
    assert any("<script>fetch('/pwned/text')</script>" in r["text"] for r in rows)
    cells = b"".join(
        csv_stream(
            "entries",
            [
                {
                    "entry_id": "x",
                    "headline": '=HYPERLINK("http://evil")',
                    "text": "-1+1",
                    "time": "@now",
                }
            ],
        )
    ).decode()
    assert "'=HYPERLINK" in cells
    assert "'-1+1" in cells
    assert "'@now" in cells


def test_stored_html_is_sanitized_again_on_output() -> None:
    dirty = (
        '<p onclick="x()">Text <script>alert(1)</script><img src=x onerror=alert(2)>'
        '<a href="javascript:alert(3)">a</a> <a href="https://example.test/">b</a>'
        '<iframe src="https://evil.test"></iframe><svg onload=alert(4)></svg></p>'
    )
    clean = str(safe_html(dirty))
    for bad in ("script", "onerror", "onclick", "javascript:", "<img", "iframe", "svg", "onload"):
        assert bad not in clean, bad
    assert '<a href="https://example.test/" rel="noopener noreferrer nofollow">b</a>' in clean
    assert clean.startswith("<p>Text")
