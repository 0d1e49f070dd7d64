"""Noise is never an entry nor part of one."""

from datetime import UTC, datetime

import lxml.html

from ingest.model import ParsedPage
from ingest.noise import strip_noise
from ingest.parse import parse_page
from ingest.text import comparison_key

NOW = datetime(2026, 4, 23, 10, 30, tzinfo=UTC)


def parse(html: str) -> ParsedPage:
    return parse_page(
        html.encode(),
        url="https://www.example.co.uk/live",
        observed_at=NOW,
        content_type="text/html",
    )


BLOCK = (
    '<article id="b{n}" class="block"><header><time datetime="2026-04-23T10:{m:02d}:00Z">11:{m:02d} BST</time>'
    ' <span class="rel">{m} mins ago</span></header>{title}<div class="body"><p>{text}</p></div>'
    '<footer><button class="share">Share</button></footer></article>'
)


def blocks(*items: tuple[int, str, str]) -> str:
    return "".join(
        BLOCK.format(n=m, m=m, title=f"<h2>{t}</h2>" if t else "", text=x) for m, t, x in items
    )


def test_ads_teasers_share_buttons_and_relative_times_are_not_text() -> None:
    html = (
        "<html><body><nav><a href='/'>Home</a></nav>"
        "<div class='cookie-banner'><p>We use cookies. Accept all</p></div>"
        "<div class='key-events'><ul><li><a href='#b20'><time>11:20</time> Bridge closed</a></li>"
        "<li><a href='#b10'><time>11:10</time> Warning</a></li></ul></div>"
        "<main>"
        + blocks((20, "Bridge closed", "The bridge over the estuary is closed to traffic."))
        + "<div class='ad-slot'>Anzeige</div>"
        + "<p class='teaser-link'><a href='/x'>Read more: Ten facts about floods</a></p>"
        + blocks((10, "", "The Met Office has extended its amber warning for wind until 6pm."))
        + "</main></body></html>"
    )
    page = parse(html)
    assert page.layout == "blocks"
    texts = [e.text for e in page.entries]
    assert texts == [
        "The bridge over the estuary is closed to traffic.",
        "The Met Office has extended its amber warning for wind until 6pm.",
    ]
    assert [e.headline for e in page.entries] == ["Bridge closed", None]
    assert [e.native_id for e in page.entries] == ["b20", "b10"]


def test_lesen_sie_auch_between_paragraph_entries_is_dropped() -> None:
    html = (
        "<html lang='de'><body><div class='content'>"
        "<p><strong>12.10 Uhr:</strong> Erste Meldung.</p>"
        "<p>Lesen Sie auch: Die wichtigsten Fragen zum Gipfel</p>"
        "<p>Zweiter Absatz der ersten Meldung.</p>"
        "<p><strong>12.00 Uhr:</strong> Zweite Meldung.</p>"
        "</div></body></html>"
    )
    page = parse(html)
    assert [e.text for e in page.entries] == [
        "Erste Meldung.\n\nZweiter Absatz der ersten Meldung.",
        "Zweite Meldung.",
    ]


_POST = (
    '<div class="post" id="p{m}">{read_also}<span class="time">11:{m:02d} BST</span>'
    "<h3>{title}</h3><p>{text}</p></div>"
)
_READ_ALSO = '<p class="more">Read more: <a href="/explainer">What travellers need to know</a></p>'


def test_a_short_entry_opening_with_a_read_more_line_keeps_all_but_the_line() -> None:
    posts = [
        (40, "Ferries cancelled", "All crossings to the islands are off until noon."),
        (25, "Schools shut", "Schools in the city stay closed on Friday, the council said."),
        (10, "Gusts at the coast", "The Met Office recorded gusts of 90 mph at the Needles."),
    ]
    html = (
        "<html lang='en'><body><main><aside class='box'><strong>Read more</strong>"
        "<a href='/a'>Storm explained</a> <a href='/b'>How to claim</a></aside>"
        + "".join(_POST.format(m=m, title=t, text=x, read_also=_READ_ALSO) for m, t, x in posts)
        + "</main></body></html>"
    )
    page = parse(html)
    assert [e.headline for e in page.entries] == [t for _, t, _ in posts]
    assert [e.text for e in page.entries] == [x for _, _, x in posts]
    assert not any("travellers" in (e.text or "") for e in page.entries)


def test_pinned_copy_is_one_entry() -> None:
    pinned = (
        '<article id="b20" class="block is-pinned"><header><time datetime="2026-04-23T10:20:00Z">11:20</time>'
        "</header><div class='body'><p>The bridge over the estuary is closed to traffic.</p></div></article>"
    )
    html = (
        "<html><body><main>"
        + pinned
        + blocks(
            (25, "", "Schools will remain closed on Tuesday, the council has said."),
            (20, "", "The bridge over the estuary is closed to traffic."),
        )
        + "</main></body></html>"
    )
    page = parse(html)
    assert [e.native_id for e in page.entries] == ["b25", "b20"]
    assert [e.pinned for e in page.entries] == [False, True]


def test_news_list_sidebar_is_not_a_ticker() -> None:
    items = "".join(
        f"<li class='news-item'><a href='/a{i}'><time datetime='2026-04-23T1{i}:00Z'>1{i}:00</time>"
        f" Headline number {i} of the day</a></li>"
        for i in range(6)
    )
    html = f"<html><body><h1>An article</h1><p>{'Body text. ' * 40}</p><aside><ul>{items}</ul></aside></body></html>"
    assert parse(html).not_a_ticker is not None


def test_display_text_keeps_nbsp_free_and_soft_hyphens_out_of_comparison() -> None:
    assert (
        comparison_key("Gipfel\u00a0treffen  in\u00adWladiwostok\n\nheute")
        == "Gipfel treffen inWladiwostok heute"
    )


def test_a_run_of_promo_teasers_inside_an_entry_is_still_noise() -> None:
    # Five cards marked alike: a run, but a small part of the page, so not its content.
    promos = "".join(
        f'<div class="promo-card"><a href="/p{n}">Offer number {n}</a></div>' for n in range(5)
    )
    entries = blocks(
        *(
            (m, f"Update {m}", f"The council says the road will reopen later today ({m}).")
            for m in (25, 20, 15, 10, 5)
        )
    )
    entries = entries.replace("(15).</p>", f"(15).</p><div>{promos}</div>")
    page = parse(f"<html><body><main>{entries}</main></body></html>")
    assert [e.headline for e in page.entries] == [f"Update {m}" for m in (25, 20, 15, 10, 5)]
    assert not any("Offer" in e.text for e in page.entries)


def test_a_box_of_read_more_links_goes_and_an_entry_opening_with_one_stays() -> None:
    root = lxml.html.fromstring(
        "<html><body><aside class='box'><strong>Read more</strong> "
        "<a href='/a'>Storm explained</a> <a href='/b'>How to claim</a></aside>"
        + _POST.format(m=5, title="Schools shut", text="Closed on Friday.", read_also=_READ_ALSO)
        + "</body></html>"
    )
    strip_noise(root)
    assert not root.xpath("//aside")
    assert not root.xpath("//p[@class='more']")
    assert root.xpath("//div[@class='post']/h3/text()") == ["Schools shut"]


def test_screen_reader_only_words_are_neither_headline_nor_text() -> None:
    # An untitled post's heading says "Post" to screen readers only; the label says
    # "Posted at" the same way. Neither is on the page a reader sees.
    posts = "".join(
        f'<li><article><div><span class="visually-hidden">Posted at</span>'
        f"<time>11:{m:02d}</time></div><h3>{title}</h3><p>{text}</p></article></li>"
        for m, title, text in [
            (20, "Palmer equalises!", "Cole Palmer scores from outside the box."),
            (14, '<span class="visually-hidden">Post</span>', "England push for a winner."),
            (5, '<span class="sr-only">Post</span>', "Spain lead after half-time."),
        ]
    )
    page = parse(f"<html lang='en'><body><main><ol>{posts}</ol></main></body></html>")
    assert [(e.headline, e.text) for e in page.entries] == [
        ("Palmer equalises!", "Cole Palmer scores from outside the box."),
        (None, "England push for a winner."),
        (None, "Spain lead after half-time."),
    ]


def test_screen_reader_text_with_a_number_stays() -> None:
    root = lxml.html.fromstring(
        '<div><p>11:05 <span class="sr-only">23 April 2026</span></p>'
        '<p>Text <span class="sr-only">Share</span></p></div>'
    )
    strip_noise(root)
    assert root.xpath("string()") == "11:05 23 April 2026Text "


def test_an_updated_note_beside_the_posts_own_time_is_no_time_nor_text() -> None:
    post = (
        '<article class="block"><p class="t">{m}.05 BST</p><h2>{title}</h2>'
        '<p class="note">Updated at {m}.40 BST</p><p>{text}</p></article>'
    )
    page = parse(
        "<html><body><main>"
        + "".join(
            post.format(m=m, title=f"Headline {m}", text=f"Ministers met again at {m} o'clock.")
            for m in (10, 9, 8)
        )
        + "</main></body></html>"
    )
    times = [(e.time.hour, e.time.minute) for e in page.entries if e.time]
    assert times == [(10, 5), (9, 5), (8, 5)]
    assert all("Updated" not in e.text for e in page.entries)
