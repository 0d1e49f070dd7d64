"""Bad input gets a clear reason and never an exception."""

from datetime import UTC, datetime
from typing import Any

import pytest

from ingest.model import ParsedPage
from ingest.parse import parse_page

NOW = datetime(2026, 4, 23, 12, 0, tzinfo=UTC)
TICKER = """<html lang="de"><body><h1>Gipfel</h1><div class="content">
<p><strong>11.05 Uhr:</strong> Der Gipfel beginnt. Die Delegationen sind da.</p>
<p><strong>10.40 Uhr:</strong> Ankunft des Zuges am Bahnhof von Wladiwostok.</p>
<p><strong>10.10 Uhr:</strong> Kälte und Nieselregen über der Hafenstadt.</p>
</div></body></html>"""


def parse(body: bytes, content_type: str | None = "text/html", **kw: Any) -> ParsedPage:
    return parse_page(
        body, url="https://www.example.de/ticker", observed_at=NOW, content_type=content_type, **kw
    )


def test_empty_body() -> None:
    page = parse(b"")
    assert page.not_a_ticker == "empty body"
    assert parse(b"   \n ").not_a_ticker == "empty body"


def test_huge_body_is_refused_with_the_cap_named() -> None:
    page = parse(b"<p>x</p>" * 1000, max_bytes=4000)
    assert page.not_a_ticker == "body too large: 8000 bytes exceed the 4000-byte cap"


def test_non_html_body() -> None:
    page = parse(b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
    assert page.not_a_ticker == "not HTML (image/png)"


def test_binary_garbage_without_content_type_is_not_a_ticker() -> None:
    page = parse(bytes(range(256)) * 10, content_type=None)
    assert page.not_a_ticker is not None


def test_malformed_html_still_reads() -> None:
    broken = TICKER.replace("</p>", "").replace("</div>", "<div><span>")
    page = parse(broken.encode())
    assert page.not_a_ticker is None
    assert [e.time and e.time.strftime("%H:%M") for e in page.entries] == [
        "11:05",
        "10:40",
        "10:10",
    ]


def test_latin1_page_without_charset() -> None:
    page = parse(TICKER.encode("iso-8859-1"), content_type="text/html")
    assert page.entries[2].text.startswith("Kälte")
    assert any("charset" in w for w in page.warnings)


def test_wrong_charset_in_header_falls_back_to_meta() -> None:
    body = TICKER.replace(
        '<html lang="de">', '<html lang="de"><head><meta charset="windows-1252"></head>'
    )
    page = parse(body.encode("cp1252"), content_type="text/html; charset=utf-8")
    assert page.entries[2].text.startswith("Kälte")
    assert "body is not utf-8 as the HTTP header says" in page.warnings


def test_utf8_header_is_trusted() -> None:
    page = parse(TICKER.encode("utf-8"), content_type="text/html; charset=UTF-8")
    assert page.entries[2].text.startswith("Kälte")
    assert page.warnings == ()


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (
            "<html><body><div class='consent'><h1>Wir brauchen Ihre Zustimmung</h1>"
            "<p>Wir und unsere Partner verwenden Cookies.</p><button>Akzeptieren</button></div></body></html>",
            "consent wall",
        ),
        (
            "<html><body><h1>404 Not Found</h1><p>The page you asked for is gone.</p></body></html>",
            "error page",
        ),
        (
            "<html><body><h1>Gipfel</h1><p>Lesen Sie weiter mit Plus. Jetzt abonnieren!</p></body></html>",
            "paywall",
        ),
        (
            "<html><body><h1>Ein Artikel</h1><p>Ganz ohne Zeitangaben.</p><p>Zweiter Absatz.</p></body></html>",
            "no time-stamped updates found (an ordinary article or an unknown layout)",
        ),
    ],
)
def test_pages_without_entries_are_flagged_with_a_reason(html: str, reason: str) -> None:
    page = parse(html.encode())
    assert page.not_a_ticker == reason
    assert page.entries == ()


def test_observed_at_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_page(b"x", url="", observed_at=datetime(2026, 1, 1))  # noqa: DTZ001
