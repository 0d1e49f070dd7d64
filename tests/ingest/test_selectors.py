"""Per-ticker CSS selectors: they read what discovery misses, and bad ones are values."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from ingest.layouts.selectors import selector_problems, selectors_from
from ingest.model import EntrySelectors, ParsedPage, TimeSource
from ingest.parse import parse_page
from tests.support.crafted import EXPECTED, SELECTORS, crafted_page

NOW = datetime(2026, 4, 23, 16, 0, tzinfo=UTC)


def parse(body: bytes, selectors: EntrySelectors | None, **kwargs: object) -> ParsedPage:
    return parse_page(
        body,
        url="https://www.example.test/live",
        observed_at=NOW,
        content_type="text/html; charset=utf-8",
        selectors=selectors,
        **kwargs,  # type: ignore[arg-type]
    )


def read(page: ParsedPage) -> list[tuple[datetime | None, str | None, str, str | None]]:
    return [(e.time, e.headline, e.text, e.native_id) for e in page.entries]


def test_selectors_read_a_page_discovery_cannot() -> None:
    assert read(parse(crafted_page(), None)) != EXPECTED
    page = parse(crafted_page(), SELECTORS)
    assert page.layout == "selectors"
    assert page.is_ticker
    assert read(page) == EXPECTED
    assert all(e.time_source is TimeSource.MACHINE for e in page.entries)
    assert page.entries[0].html == "<p>The chamber approved the bill by a wide margin today.</p>"
    assert page.headline == "Budget day"
    assert page.warnings == ()


def test_selectors_win_over_discovery() -> None:
    html = b"""<html><body><div class="feed">
    <article><time datetime="2026-04-23T14:00:00Z">14:00</time><p>First entry body text.</p>
    <div class="note">A note</div></article>
    <article><time datetime="2026-04-23T13:00:00Z">13:00</time><p>Second entry body text.</p>
    <div class="note">Another note</div></article>
    </div></body></html>"""
    assert parse(html, None).layout != "selectors"
    page = parse(html, EntrySelectors(entry="div.note"))
    assert page.layout == "selectors"
    assert [e.text for e in page.entries] == ["A note", "Another note"]
    assert [e.time for e in page.entries] == [None, None]
    assert "2 of 2 entries have no time (no time selector)" in page.warnings


def test_clock_text_relative_label_and_body_without_selector() -> None:
    html = b"""<html lang="de"><body><ul id="t">
    <li data-id="a"><span class="z">14.01 Uhr</span><h4>Neu</h4><p>Erster Absatz.</p><p>Zweiter.</p></li>
    <li data-id="b"><span class="z">vor 5 Min.</span> Nur Text hier.</li>
    </ul></body></html>"""
    page = parse(
        html, EntrySelectors(entry="#t > li", time="span.z", headline="h4"), zone=ZoneInfo("UTC")
    )
    assert [(e.headline, e.text, e.native_id) for e in page.entries] == [
        ("Neu", "Erster Absatz.\n\nZweiter.", "a"),
        (None, "Nur Text hier.", "b"),
    ]
    first, second = page.entries
    assert first.time_source is TimeSource.LABEL
    assert first.time_label == "14.01 Uhr"
    assert first.time is not None
    assert (first.time.hour, first.time.minute) == (14, 1)
    assert second.time_source is TimeSource.RELATIVE


@pytest.mark.parametrize(
    ("native_id", "expected"),
    [("@data-k", "p3"), ("b", "Vote passed"), ("i", "1776953100"), (None, None)],
)
def test_id_from_attribute_element_or_element_attribute(
    native_id: str | None, expected: str | None
) -> None:
    selectors = EntrySelectors(entry="div.u9", time="i", body="div.tx", native_id=native_id)
    assert parse(crafted_page(), selectors).entries[0].native_id == expected


def test_invalid_css_is_a_warning_not_an_exception() -> None:
    page = parse(crafted_page(), EntrySelectors(entry="div[", time="::(("))
    assert page.layout != "selectors"
    assert any("invalid entry selector 'div['" in w for w in page.warnings)
    assert any("invalid time selector" in w for w in page.warnings)


def test_selectors_matching_nothing_fall_back_with_a_warning() -> None:
    page = parse(crafted_page(), EntrySelectors(entry="article.nothing"))
    assert page.layout != "selectors"
    assert "the entry selector 'article.nothing' matches nothing on the page" in page.warnings


def test_plain_text_pages_ignore_selectors() -> None:
    page = parse_page(
        b"14.01 Uhr: Etwas ist passiert.\n\n13.00 Uhr: Vorher.",
        url="https://www.example.de/live",
        observed_at=NOW,
        content_type="text/plain",
        selectors=SELECTORS,
    )
    assert page.layout != "selectors"


def test_selector_problems_name_each_field() -> None:
    assert selector_problems(SELECTORS) == ()
    problems = selector_problems(
        EntrySelectors(entry="ok", headline="h2 >", body="p", native_id="@bad name")
    )
    assert len(problems) == 2
    assert problems[0].startswith("invalid headline selector 'h2 >':")
    assert problems[1].startswith("invalid id selector '@bad name':")
    assert selector_problems(EntrySelectors(entry="x" * 501))


def test_selectors_from_fields() -> None:
    assert selectors_from(entry=" ", time="") is None
    assert selectors_from(entry="li", time=" time ", headline="") == EntrySelectors(
        entry="li", time="time"
    )
    with pytest.raises(ValueError, match="the time selector needs an entry selector"):
        selectors_from(entry=None, time="time")


def test_a_numeric_id_on_the_block_is_not_a_time() -> None:
    html = b"""<html><body><div id="f">
    <div class="p" data-id="1776953100"><span class="t">vor 5 Min.</span><p>One.</p></div>
    <div class="p" data-id="1776951600" data-date="2026-04-23T13:40:00Z"><p>Two.</p></div>
    </div></body></html>"""
    page = parse(html, EntrySelectors(entry="#f > div.p", time="span.t"))
    first, second = page.entries
    assert first.time_source is TimeSource.RELATIVE
    assert first.native_id == "1776953100"
    assert second.time == datetime(2026, 4, 23, 13, 40, tzinfo=UTC)
