"""Pages built to crash the parser: each is read (or refused) with a reason, never raises,
and nothing it yields holds a character a tree or a database refuses."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from ingest.model import ParsedPage
from ingest.parse import parse_page
from ingest.text import clean_display, comparison_key, strip_controls
from ingest.timestamps import parse_machine_time

NOW = datetime(2026, 4, 23, 12, 0, tzinfo=UTC)
DEPTH = 5000  # far beyond the interpreter's recursion limit (1,000)


def parse(html: str) -> ParsedPage:
    return parse_page(
        html.encode(), url="https://www.example.org/live", observed_at=NOW, content_type="text/html"
    )


def update(n: int, **fields: object) -> dict[str, object]:
    return {
        "@type": "BlogPosting",
        "headline": f"Update {n}",
        "articleBody": f"What happened at {10 + n} o'clock, told in a sentence.",
        "datePublished": f"2026-04-23T{10 + n}:00:00Z",
        **fields,
    }


def live_blog(*updates: dict[str, object] | str) -> str:
    members = ",".join(u if isinstance(u, str) else json.dumps(u) for u in updates)
    data = (
        '{"@context":"https://schema.org","@type":"LiveBlogPosting","headline":"Live",'
        f'"liveBlogUpdate":[{members}]}}'
    )
    return (
        f'<html><head><script type="application/ld+json">{data}</script></head>'
        "<body><h1>Live</h1></body></html>"
    )


def paragraphs(middle: str) -> str:
    return (
        '<html lang="de"><body><h1>Gipfel</h1><div class="content">'
        "<p><strong>11.05 Uhr:</strong> Der Gipfel beginnt. Die Delegationen sind da.</p>"
        f"<p><strong>10.40 Uhr:</strong> Ankunft am Bahnhof. {middle}</p>"
        "<p><strong>10.10 Uhr:</strong> Kälte und Nieselregen über der Hafenstadt.</p>"
        "</div></body></html>"
    )


def stored_texts(page: ParsedPage) -> list[str]:
    texts = [page.headline or "", page.teaser or ""]
    for entry in page.entries:
        texts += [entry.text, entry.headline or "", entry.html or "", entry.time_label or ""]
    return texts


def assert_storable(page: ParsedPage) -> None:
    for text in stored_texts(page):
        assert strip_controls(text) == text, repr(text)


def test_json_ld_nested_beyond_the_recursion_limit_is_skipped() -> None:
    deep = "[" * DEPTH + "]" * DEPTH
    page = parse(live_blog(update(1), '{"x":' + deep + "}"))
    assert page.entries == ()
    assert page.not_a_ticker is not None


def test_json_ld_whole_block_nested_too_deep_reads_as_no_structured_data() -> None:
    html = paragraphs("").replace(
        "<body>",
        '<body><script type="application/ld+json">' + "[" * DEPTH + "]" * DEPTH + "</script>",
    )
    assert len(parse(html).entries) == 3


def test_json_ld_text_nested_under_the_limit_is_not_followed_down() -> None:
    # Decodes (under 1,000 levels), but walking it recursively would overflow the stack.
    body = "[" * 900 + '"deep"' + "]" * 900
    page = parse(live_blog(update(1), f'{{"@type":"BlogPosting","articleBody":{body}}}'))
    assert [e.headline for e in page.entries] == ["Update 1"]


def test_nested_spans_beyond_the_recursion_limit_in_an_entry() -> None:
    page = parse(paragraphs("<span>" * 1500 + "tief" + "</span>" * 1500))
    assert [e.text for e in page.entries][1] == "Ankunft am Bahnhof. tief"


def test_thousands_of_nested_spans_in_an_entry() -> None:
    # lxml's parser gives up nesting somewhere below this: the rest of the page may be
    # lost, but what was read is kept.
    page = parse(paragraphs("<span>" * DEPTH + "tief" + "</span>" * DEPTH))
    assert page.entries[0].text == "Der Gipfel beginnt. Die Delegationen sind da."


@pytest.mark.parametrize("char", ["\x01", "\x00", "\x0b", "\x1f", "\x7f"])
def test_control_character_in_iframe_fallback_text(char: str) -> None:
    page = parse(paragraphs(f"<iframe src='https://t.example/1'>Ein Tweet{char}text</iframe>"))
    assert len(page.entries) == 3
    assert_storable(page)


@pytest.mark.parametrize(
    ("middle", "text"),
    [
        # The tail of an element the noise filter drops is set on its neighbour.
        ("Vor<button>Teilen</button>&#1;nach", "Vornach"),
        # The embed's address is set again on the paragraph that replaces it.
        ("<iframe src='https://t.example/&#x1F;'>Ein Tweet</iframe>", "Ein Tweet"),
        ("Ein&#X7f;Satz&#65535;&#xFFFE;&#0011;.", "EinSatz."),
        ("Tab&#9;und&#10;Zeile&#32;bleiben&#128;", "Tab und Zeile bleiben€"),
    ],
)
def test_character_references_to_control_characters(middle: str, text: str) -> None:
    page = parse(paragraphs(middle))
    assert page.entries[1].text == f"Ankunft am Bahnhof. {text}"
    assert_storable(page)


@pytest.mark.parametrize("value", [{"@value": "2026-04-23T12:00:00Z"}, [1, 2], True, None, 10**400])
def test_date_published_of_the_wrong_json_type_is_ignored(value: object) -> None:
    page = parse(live_blog(update(1), update(2, datePublished=value), update(3)))
    assert [e.headline for e in page.entries] == ["Update 1", "Update 2", "Update 3"]
    assert page.entries[1].time_label is None or "{" not in page.entries[1].time_label


@pytest.mark.parametrize("value", ["5", "true", '"updates"', "null"])
def test_live_blog_updates_of_the_wrong_json_type_read_as_none(value: str) -> None:
    html = live_blog(update(1)).replace('"liveBlogUpdate":[', f'"liveBlogUpdate":{value},"x":[')
    assert parse(html).entries == ()


def test_nul_and_control_escapes_in_json_ld_text_never_reach_the_page() -> None:
    page = parse(
        live_blog(
            update(1, headline="Up\u0000date", articleBody="Bo\u0000dy \u0001 \ud800text."),
            update(2, articleBody="<p>Mark\u0000up</p>"),
            update(3, datePublished="2026-04-23T13:00:00Z\u0000"),
        )
    )
    assert [e.text for e in page.entries][:2] == ["Body text.", "Markup"]
    assert page.entries[0].headline == "Update"
    assert_storable(page)


def test_parse_machine_time_refuses_every_json_type_but_strings_and_numbers() -> None:
    values: tuple[object, ...] = ({}, [], None, True, 10**400, float("nan"), float("inf"))
    for value in values:
        assert parse_machine_time(value, UTC) is None
    assert parse_machine_time(1776945600, UTC) == datetime(2026, 4, 23, 12, 0, tzinfo=UTC)


def test_text_cleaning_drops_controls_and_keeps_whitespace_meaning() -> None:
    assert strip_controls("a\x00b\x01\tc\nd\r\x0be\ud800\uffff") == "ab\tc\nd\re"
    assert clean_display("Erster\x00 Satz.\x0cZweiter\x7f.") == "Erster Satz. Zweiter."
    assert comparison_key("a\x0bb\x00c") == "a bc"
