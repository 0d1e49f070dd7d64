"""Layouts and languages beyond the evaluation cases: the generic readers must hold up."""

from datetime import UTC, datetime, timedelta

from ingest.model import Order, ParsedPage
from ingest.parse import parse_page

NOW = datetime(2026, 4, 23, 16, 0, tzinfo=UTC)


def parse(html: str, url: str = "https://www.example.test/live") -> ParsedPage:
    return parse_page(
        html.encode(), url=url, observed_at=NOW, content_type="text/html; charset=utf-8"
    )


def summary(page: ParsedPage) -> list[tuple[str | None, str | None, str]]:
    return [
        (e.time.strftime("%d %H:%M") if e.time else None, e.headline, e.text) for e in page.entries
    ]


def test_french_paragraph_ticker() -> None:
    html = """<html lang="fr"><body><h1>Direct : sommet</h1><div class="article">
    <h2>Le président arrive</h2>
    <p><strong>17h05 :</strong> Le président est arrivé à Bruxelles.</p>
    <p>Il doit rencontrer ses homologues.</p>
    <p><strong>16h40 :</strong> Les discussions ont commencé.</p>
    <p><strong>9 h 15 :</strong> Ouverture du sommet.</p>
    </div></body></html>"""
    page = parse(html, "https://www.exemple.fr/direct")
    assert page.zone == "Europe/Paris"
    assert summary(page) == [
        (
            "23 17:05",
            "Le président arrive",
            "Le président est arrivé à Bruxelles.\n\nIl doit rencontrer ses homologues.",
        ),
        ("23 16:40", None, "Les discussions ont commencé."),
        ("23 09:15", None, "Ouverture du sommet."),
    ]


def test_english_am_pm_paragraphs_with_zone() -> None:
    html = """<html lang="en-GB"><body><div class="story">
    <p><b>4.50pm BST</b> Ministers will meet again tomorrow.</p>
    <p><b>2.15pm BST</b> The minister spoke to reporters outside parliament.</p>
    <p><b>11.05am BST</b> Talks began this morning.</p>
    </div></body></html>"""
    page = parse(html, "https://www.example.co.uk/politics/live")
    assert [t for t, _, _ in summary(page)] == ["23 16:50", "23 14:15", "23 11:05"]
    time = page.entries[1].time
    assert time is not None
    assert time.utcoffset() == timedelta(hours=1)


def test_list_of_labelled_items() -> None:
    html = """<html lang="de"><body><ul class="ticker">
    <li><strong>15:20</strong> Der Bundestag hat abgestimmt.</li>
    <li><strong>14:55</strong> Die Debatte läuft seit zwei Stunden.</li>
    <li><strong>12:00</strong> Die Sitzung beginnt.</li>
    </ul></body></html>"""
    page = parse(html, "https://www.example.de/ticker")
    assert [text for _, _, text in summary(page)] == [
        "Der Bundestag hat abgestimmt.",
        "Die Debatte läuft seit zwei Stunden.",
        "Die Sitzung beginnt.",
    ]


def test_div_blocks_with_time_spans_and_oldest_first() -> None:
    entries = "".join(
        f'<div class="post" data-id="p{i}"><span class="post-time">{h}</span>'
        f'<div class="post-text"><p>{text}</p></div></div>'
        for i, (h, text) in enumerate(
            [
                ("09:00", "Polls open across the country."),
                ("12:30", "Turnout is high at midday."),
                ("15:45", "Queues reported in the capital."),
            ]
        )
    )
    page = parse(f"<html lang='en'><body><div class='feed'>{entries}</div></body></html>")
    assert page.layout == "blocks"
    assert page.order is Order.OLDEST_FIRST
    assert [e.native_id for e in page.entries] == ["p0", "p1", "p2"]
    assert [t for t, _, _ in summary(page)] == ["23 09:00", "23 12:30", "23 15:45"]


def test_relative_times_only_as_last_resort_and_never_in_text() -> None:
    cards = "".join(
        f'<div class="card"><div class="card__time">{label}</div><p>{text}</p></div>'
        for label, text in [
            ("vor 3 Min.", "Der Zug ist angekommen und steht am Bahnsteig."),
            ("15:20", "Die Delegation steigt aus und wird begrüßt."),
            ("vor 1 Std.", "Der Zug hat die Grenze passiert, sagt die Bahn."),
        ]
    )
    page = parse(
        f"<html lang='de'><body><div class='feed'>{cards}</div></body></html>", "https://x.de/t"
    )
    texts = [text for _, _, text in summary(page)]
    assert all("vor " not in text for text in texts)
    sources = [e.time_source.value for e in page.entries]
    assert sources == ["relative", "label", "relative"]


def test_json_ld_graph_and_html_bodies() -> None:
    html = """<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebPage","name":"x"},
      {"@type":"LiveBlogPosting","headline":"Election night","coverageEndTime":"2026-04-24T06:00:00+01:00",
       "liveBlogUpdate":[
        {"@type":"BlogPosting","@id":"https://e.test/live#u2","datePublished":"2026-04-23T22:10:00+01:00",
         "headline":"First result","articleBody":"<p>Sunderland declares first.</p><p>Turnout 48&#37;.</p>"},
        {"@type":"BlogPosting","@id":"https://e.test/live#u1","datePublished":"2026-04-23T22:00:00+01:00",
         "articleBody":"Polls have closed &amp; counting begins."}]}]}</script></head>
      <body><p>Loading…</p></body></html>"""
    page = parse(html)
    assert page.layout == "jsonld"
    assert page.headline == "Election night"
    assert page.coverage_end == datetime(2026, 4, 24, 5, 0, tzinfo=UTC)
    assert summary(page)[0][1:] == ("First result", "Sunderland declares first.\n\nTurnout 48%.")
    assert page.entries[1].text == "Polls have closed & counting begins."
    assert [e.native_id for e in page.entries] == ["u2", "u1"]


def test_entry_html_is_sanitized() -> None:
    html = """<html lang="en"><body><div class="live">
    <article id="a2" class="update"><time datetime="2026-04-23T15:00:00Z">16:00</time>
      <p>Safe <b>bold</b> text <img src="x" onerror="alert(1)"><script>alert(2)</script></p></article>
    <article id="a1" class="update"><time datetime="2026-04-23T14:00:00Z">15:00</time>
      <p>Another <a href="javascript:alert(3)">link</a> here, long enough to be a body.</p></article>
    </div></body></html>"""
    page = parse(html)
    first, second = page.entries
    assert "onerror" not in first.html
    assert "<script" not in first.html
    assert "<b>bold</b>" in first.html
    assert "javascript:" not in second.html


_LIVE_NEWS_POSTS = [
    ("12 min ago", "Polls tighten", "A new poll released overnight shows the race tied."),
    ("47 min ago", None, "Both campaigns are sending surrogates to Michigan."),
    ("1 hr 35 min ago", "Early vote record", "More than 75 million ballots have been cast."),
    ("3 hr 20 min ago", None, "The former president held a late rally in Raleigh."),
]


def _relative_posts(wrapper: str) -> str:
    posts = "".join(
        f'<article class="{wrapper}-post" data-post-id="p{n}"><header>'
        f'<span class="{wrapper}-post__timestamp">{label}</span></header>'
        + (f"<h2>{headline}</h2>" if headline else "")
        + f"<p>{text}</p></article>"
        for n, (label, headline, text) in enumerate(_LIVE_NEWS_POSTS)
    )
    return (
        f"<html lang='en'><body><main><h1>Live updates</h1><div>{posts}</div></main></body></html>"
    )


def test_posts_labelled_only_by_relative_times_are_a_ticker() -> None:
    page = parse(_relative_posts("live-story"))
    assert page.layout == "blocks"
    assert [e.native_id for e in page.entries] == ["p0", "p1", "p2", "p3"]
    assert [NOW - e.time for e in page.entries if e.time] == [
        timedelta(minutes=12),
        timedelta(minutes=47),
        timedelta(hours=1, minutes=35),
        timedelta(hours=3, minutes=20),
    ]
    assert [e.headline for e in page.entries] == ["Polls tighten", None, "Early vote record", None]


def test_reader_comments_with_relative_times_are_no_ticker() -> None:
    assert parse(_relative_posts("comment")).entries == ()


def test_a_list_item_wrapping_a_post_gives_the_post_id() -> None:
    # "<li><article id=…>": the list item is the block, the article inside holds the id.
    items = "".join(
        f'<li class="stream__item"><article id="post_{m}"><header>'
        f"<time>15:{m:02d}</time><h3>Title {m}</h3></header>"
        f"<div><p>Body text of the post at minute {m}.</p></div></article></li>"
        for m in (42, 20, 5)
    )
    page = parse(f"<html lang='en'><body><main><ol>{items}</ol></main></body></html>")
    assert [e.native_id for e in page.entries] == ["post_42", "post_20", "post_5"]
    assert [e.headline for e in page.entries] == ["Title 42", "Title 20", "Title 5"]


def test_a_sports_ticker_with_ordinal_match_minutes_reads() -> None:
    # German tickers print minutes as ordinals, stoppage time included: "90.+3'".
    moments = [
        ("90.+3'", "Abpfiff! Bayern gewinnt in Wolfsburg mit 3:2."),
        ("87.'", "Gnabry trifft nach Vorlage von Musiala zum 3:2."),
        ("72.'", "Wolfsburg drückt, Bayern kommt kaum noch heraus."),
        ("55.'", "Wimmer gleicht mit einem Flachschuss zum 2:2 aus."),
        ("45. + 1'", "Kane köpft in der Nachspielzeit knapp vorbei."),
    ]
    items = "".join(
        f'<div class="ticker-item" id="t{n}"><span class="minute">{minute}</span><p>{text}</p></div>'
        for n, (minute, text) in enumerate(moments)
    )
    page = parse(
        f"<html lang='de'><body><main><div class='ticker'>{items}</div></main></body></html>",
        "https://www.beispiel.de/sport/liveticker",
    )
    assert [(e.time_label, e.text) for e in page.entries] == moments
