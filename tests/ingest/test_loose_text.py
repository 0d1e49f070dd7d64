"""Body text that stands directly in an entry's block, beside its time stamp, is read as
body and never at the cost of the page's tree."""

from datetime import UTC, datetime

import lxml.html

from ingest.htmltext import element_text, loose_text, without
from ingest.parse import parse_page

OBSERVED = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)


def test_without_drops_subtrees_keeps_their_tails_and_leaves_the_tree_alone() -> None:
    block = lxml.html.fragment_fromstring(
        '<div><span class="t">14:01</span> Die Polizei <b>meldet</b> Festnahmen.'
        "<em>vor 3 Min.</em></div>"
    )
    before = lxml.html.tostring(block)
    drop = {block[0], block[2]}
    copy = without(block, drop)
    assert element_text(copy) == "Die Polizei meldet Festnahmen."
    assert lxml.html.tostring(block) == before
    assert without(block, set()) is block


def test_loose_text_is_the_text_outside_the_children() -> None:
    block = lxml.html.fragment_fromstring(
        "<li>Vorab <time>14:01</time>  Die   Polizei <b>meldet</b> etwas.</li>"
    )
    assert loose_text(block) == ["Vorab", "Die Polizei", "etwas."]


def _page(entries: str) -> bytes:
    return (
        '<html lang="de"><body><h1>Ticker</h1><div class="feed">'
        f"{entries}</div></body></html>".encode()
    )


def test_body_beside_the_time_in_a_block_is_the_entry_text() -> None:
    entries = "".join(
        f'<div class="e" id="e{n}"><span class="t">{clock} Uhr</span> | {text}</div>'
        for n, (clock, text) in enumerate(
            [
                ("16:05", "Die Feuerwehr ist mit mehreren Fahrzeugen vor Ort."),
                ("15:40", "Der Bürgermeister hat eine Pressekonferenz angekündigt."),
            ]
        )
    )
    page = parse_page(_page(entries), url="https://www.example.de/ticker", observed_at=OBSERVED)
    assert [(e.native_id, e.text) for e in page.entries] == [
        ("e0", "Die Feuerwehr ist mit mehreren Fahrzeugen vor Ort."),
        ("e1", "Der Bürgermeister hat eine Pressekonferenz angekündigt."),
    ]
    # The stored HTML is cut from the same copy: the body without the time.
    assert page.entries[0].html == "Die Feuerwehr ist mit mehreren Fahrzeugen vor Ort."


def test_a_word_beside_the_clock_is_not_body() -> None:
    entries = "".join(
        f'<div class="e"><span class="t">{clock}</span> Uhr<p>{text}</p></div>'
        for clock, text in [
            ("16:05", "Die Feuerwehr ist mit mehreren Fahrzeugen vor Ort."),
            ("15:40", "Der Bürgermeister hat eine Pressekonferenz angekündigt."),
        ]
    )
    page = parse_page(_page(entries), url="https://www.example.de/ticker", observed_at=OBSERVED)
    assert [e.text for e in page.entries] == [
        "Die Feuerwehr ist mit mehreren Fahrzeugen vor Ort.",
        "Der Bürgermeister hat eine Pressekonferenz angekündigt.",
    ]
