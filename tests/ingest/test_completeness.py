"""A page cut short is told from a whole one by its markup (``ingest.completeness``).

Every page we hold reads as whole: the real corpus, every snapshot of the replay cases,
the time cases and, where ``../shared`` is present, the 81 captures of two real
newsticker pages. The same pages cut short, by bytes or after a tag, read as cut.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.completeness import (
    _CONSTRUCT_RE,
    OPEN_CONTAINERS_CUT,
    _constructs,
    _cut_in,
    incomplete_reason,
)
from ingest.document import decode_body
from ingest.parse import parse_page
from tests.paths import CORPUS, DATA

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
OBSERVED = datetime(2026, 4, 23, 10, 0, tzinfo=UTC)
# Real ticker pages, cut at these fractions of their bytes in the tests below.
LIVE = sorted(
    p for p in CORPUS.rglob("*.html") if "negative" not in p.parts and p.stat().st_size > 50_000
)
FRACTIONS = [i / 10 for i in range(2, 10)]


def _text(path: Path) -> str:
    return decode_body(path.read_bytes(), None).text


def _folders(root: Path) -> list[Path]:
    return sorted({p.parent for p in root.rglob("*.html")}) if root.is_dir() else []


@pytest.mark.parametrize(
    "folder", _folders(DATA), ids=lambda p: str(p.relative_to(DATA)).replace("/", ":")
)
def test_no_page_of_ours_reads_as_cut(folder: Path) -> None:
    flagged = {p.name: incomplete_reason(_text(p)) for p in sorted(folder.glob("*.html"))}
    assert {name: why for name, why in flagged.items() if why} == {}


@pytest.mark.parametrize("set_name", ["real", "series"])
def test_no_page_of_the_shared_corpus_reads_as_cut(set_name: str) -> None:
    folders = _folders(SHARED / set_name)
    if not folders:
        pytest.skip(f"{SHARED / set_name} is absent")
    pages = [p for folder in folders for p in sorted(folder.glob("*.html"))]
    flagged = {str(p): incomplete_reason(_text(p)) for p in pages}
    assert {path: why for path, why in flagged.items() if why} == {}
    if set_name == "series":
        assert len(pages) == 81


@pytest.mark.parametrize("page", LIVE, ids=lambda p: p.parent.name)
def test_a_real_page_cut_anywhere_in_its_body_reads_as_cut(page: Path) -> None:
    body = page.read_bytes()
    start = body.lower().index(b"<body")
    for fraction in FRACTIONS:
        cut = body[: int(len(body) * fraction)]
        if len(cut) <= start:
            continue  # cut in the head: no entry to lose
        text = decode_body(cut, "text/html; charset=utf-8").text
        assert incomplete_reason(text), f"cut at {fraction:.0%}: …{text[-80:]!r}"


@pytest.mark.parametrize("page", LIVE, ids=lambda p: p.parent.name)
def test_a_real_page_cut_after_a_tag_inside_its_entries_reads_as_cut(page: Path) -> None:
    text = _text(page)
    start = text.lower().index("<body")
    cut = text[: start + (len(text) - start) // 3]
    cut = cut[: cut.rfind(">") + 1]  # a server that stopped between two tags
    assert incomplete_reason(cut)


PAGE = (
    '<!DOCTYPE html><html lang="de"><head><title>Live</title>'
    '<script>var s = "<!-- </body></html>";</script></head>'
    '<body class="live"><main><div class="ticker">'
    "<article><p><b>11.05 Uhr:</b> Der Gipfel beginnt.</p></article>"
    "<article><p><b>10.40 Uhr:</b> Die Delegation ist da.</p></article>"
    "</div></main><footer><p>Impressum</p></footer>"
    "<!-- rendered in 12 ms --><script>track();</script></body></html>"
)


@pytest.mark.parametrize(
    ("cut_after", "reason"),
    [
        ("<!-- rendered", "ends inside a comment"),
        ("<script>tra", "ends inside a <script>"),
        ("<title>Li", "ends inside a <title>"),
        ("<article><p><b>11.05 Uhr:</b> Der Gipfel beginnt.</p></article><arti", "inside a tag"),
        ('<body class="li', "ends inside a tag"),
        ("Die Delegation", "ends in the middle of text"),
        ("Die Delegation ist da.</p></article>", "ends with 2 elements left open"),
        ("</footer>", None),  # a page that leaves out its optional closing tags
    ],
)
def test_the_end_of_the_markup_says_where_it_was_cut(cut_after: str, reason: str | None) -> None:
    text = PAGE[: PAGE.index(cut_after) + len(cut_after)]
    found = incomplete_reason(text)
    assert found == reason if reason is None else reason in (found or "")


@pytest.mark.parametrize(
    "text",
    [
        PAGE,
        PAGE + "\n<!-- served by cache-7 -->\n",  # trailing junk after a closed page
        PAGE.replace("</body></html>", ""),  # closing tags left out, as HTML allows
        PAGE.replace("</body></html>", "</html></body></html>"),
        PAGE.replace("<!-- rendered in 12 ms -->", "<!---->"),
        PAGE.replace("<!-- rendered in 12 ms -->", "<!-->"),
        PAGE.upper(),
        PAGE.replace("<script>track();</script>", "<Script>track();</SCRIPT >"),
        # A comment that spells a script, a script that spells a comment.
        PAGE.replace("<!-- rendered in 12 ms -->", "<!-- <script> -->"),
        PAGE.replace("track();", "if (a <!--b) {}"),
        "<div><p>10.05 Uhr: a fragment</p></div>",  # no document: not judged
        "<p>10.05 Uhr: a fragment, cut",
        "14.01 Uhr: plain text",
    ],
)
def test_a_whole_page_reads_as_whole(text: str) -> None:
    assert incomplete_reason(text) is None


def test_stray_openers_below_the_threshold_are_forgiven() -> None:
    stray = "<div>" * (OPEN_CONTAINERS_CUT - 1)
    text = PAGE.replace("</body></html>", "").replace("<main>", f"<main>{stray}")
    assert incomplete_reason(text) is None
    assert incomplete_reason(text.replace("<main>", "<main><div>")) is not None


def test_parse_reads_a_cut_page_and_says_so() -> None:
    body = PAGE[: PAGE.index("Die Delegation") + len("Die Delegation")].encode()
    page = parse_page(body, url="https://example.org/live", observed_at=OBSERVED)
    assert page.incomplete == "ends in the middle of text"
    assert "page incomplete: ends in the middle of text" in page.warnings
    whole = parse_page(PAGE.encode(), url="https://example.org/live", observed_at=OBSERVED)
    assert whole.incomplete is None
    assert not any("incomplete" in w for w in whole.warnings)


def test_plain_text_is_not_judged() -> None:
    page = parse_page(
        b"14.01 Uhr: Der Zug ist da.\n13.55 Uhr: Die Delegation",
        url="https://example.org/live",
        observed_at=OBSERVED,
        content_type="text/plain",
    )
    assert page.incomplete is None


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        ("<script>" * 5000, "ends inside a <script>"),
        ("<!--" * 5000, "ends inside a comment"),
        ("<script " * 5000, "ends inside a tag"),
        ("<div " * 5000, "ends inside a tag"),
        ("<div>" * 5000, "ends with 5000 elements left open"),
        ("<script></script><!---->" * 5000, None),
    ],
    ids=["scripts", "comments", "script-tags", "div-tags", "divs", "closed"],
)
def test_hostile_markup_is_judged_in_one_pass(tail: str, reason: str | None) -> None:
    assert incomplete_reason(f"<html><body>{tail}") == reason


_CONSTRUCT_PIECES = (
    "<!--", "-->", "->", ">", "<", "-", "a", " ", "\u2003", "/", "<div>", "<scripts>",
    "<script", "<SCRIPT", "<scr\u0130pt", "<\u017fcript", "</script>", "</SCR\u0130PT >",
    "</\u017fcript>", "<style ", "</style\n>", "<title>", "</TITLE>", "<title\t",
    "<textarea/", "</textarea>", "<!-->", "<!--->",
)  # fmt: skip


def test_constructs_are_the_matches_of_their_definition() -> None:
    """The scan finds what ``_CONSTRUCT_RE.finditer`` finds, cuts included, on any mix
    of openings, closings and case variants (seeded, so the same strings every run)."""
    rng = random.Random(20260423)
    for _ in range(20_000):
        text = "".join(rng.choice(_CONSTRUCT_PIECES) for _ in range(rng.randint(0, 12)))
        expected = [(m.start(), m.end(), _cut_in(m)) for m in _CONSTRUCT_RE.finditer(text)]
        assert list(_constructs(text)) == expected, text
