"""A page declared UTF-8 whose bytes are not all UTF-8 (a Latin-1 snippet spliced
into a UTF-8 page, or a whole page saved as Latin-1).

The bug: one stray Latin-1 byte made the whole page fail UTF-8, so it was read as
windows-1252, every UTF-8 umlaut became mojibake ("Ã¼") and most entries of the
page came out ``edited``. Now the UTF-8 stays UTF-8 and only the stray bytes are
read as windows-1252.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from diffing.model import ChangeKind, PollOutcome
from ingest.document import decode_body
from ingest.fetching.memory import MemoryFetcher
from storage import MemoryStore, NewTicker
from tests.paths import EVAL
from tickerwatch.polling import poll_once

UTF8 = "text/html; charset=utf-8"
PAGE = "<html><body><p>Grüße aus Köln – „Zitat“ €</p><p>Straße</p></body></html>"
URL = "https://www.beispiel-zeitung.test/politik/gipfel-live-ticker-zr-101.html"


def _with_latin1_at(text: str, index: int) -> bytes:
    """``text`` in UTF-8, except the character at ``index``, in Latin-1."""
    return text[:index].encode() + text[index].encode("latin-1") + text[index + 1 :].encode()


def test_a_stray_latin1_byte_leaves_the_utf8_intact() -> None:
    body = _with_latin1_at(PAGE, PAGE.index("ß"))
    decoded = decode_body(body, UTF8)
    assert decoded.text == PAGE
    assert decoded.encoding == "utf-8"
    assert "1 byte not utf-8, read as windows-1252" in decoded.warnings


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_a_whole_page_in_latin1_declared_utf8_reads_right(codec: str) -> None:
    text = PAGE.replace(" – „Zitat“ €", "") if codec == "latin-1" else PAGE
    decoded = decode_body(text.encode(codec), UTF8)
    assert decoded.text == text


def test_a_meta_declaration_is_mended_too() -> None:
    page = PAGE.replace("<html>", '<html><head><meta charset="UTF-8"></head>')
    decoded = decode_body(_with_latin1_at(page, page.index("ü")), None)
    assert decoded.text == page


def test_valid_utf8_is_untouched() -> None:
    decoded = decode_body(PAGE.encode(), UTF8)
    assert (decoded.text, decoded.warnings) == (PAGE, ())


def test_a_latin1_snippet_on_a_real_page_edits_nothing() -> None:
    text = (EVAL / "dev" / "ippen-busy" / "0001.html").read_text(encoding="utf-8")
    spliced = _with_latin1_at(text, max(text.rfind(ch) for ch in "äöüß"))
    store = MemoryStore()
    now = datetime(2026, 4, 23, 6, 6, tzinfo=UTC)
    fetcher = MemoryFetcher(clock=lambda: now)
    ticker = store.add(NewTicker(URL, "Gipfel"), created_at=now)
    fetcher.publish(URL, text.encode())
    first = asyncio.run(poll_once(ticker, fetcher=fetcher, store=store, clock=lambda: now))
    assert first.outcome is PollOutcome.FRESH
    later = now + timedelta(minutes=5)
    fetcher.publish(URL, spliced)
    second = asyncio.run(poll_once(ticker, fetcher=fetcher, store=store, clock=lambda: later))
    assert [c.kind for c in second.changes if c.kind is ChangeKind.EDITED] == []
