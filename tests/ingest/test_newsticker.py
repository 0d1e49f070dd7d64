"""Newsticker lists of several shapes, read item for item; articles with a box stay articles."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.links import canonical_link
from ingest.model import ParsedPage, TimeSource
from ingest.parse import parse_page

NOW = datetime(2022, 1, 28, 19, 30, tzinfo=UTC)  # 20:30 in Berlin
SITE = "https://www.example.de"

GERMAN = [
    ("20:12", "Unwetter", "Sturmflut an der Nordseeküste erwartet", "sturmflut"),
    ("19:58", "Bundestag", "Debatte über die Impfpflicht beginnt im März", "impfpflicht"),
    ("19:31", "Fußball", "Bayern gewinnt in Köln mit 4:0", "bayern-koeln"),
    ("18:47", "Börse", "Dax schließt mit leichtem Plus", "dax-schluss"),
    ("18:05", "Verkehr", "Bahnstrecke nach dem Sturm wieder frei", "bahnstrecke"),
    ("17:40", "Kultur", "Museum zeigt Werke von Paula Modersohn-Becker", "museum"),
]
CHROME = """<header><a href="/">Startseite</a></header>
<nav><a href="/politik">Politik</a> <a href="/sport">Sport</a></nav>"""
FOOTER = (
    """<footer><a href="/impressum">Impressum</a> <a href="/datenschutz">Datenschutz</a></footer>"""
)


def parse(html: str, url: str = f"{SITE}/news/") -> ParsedPage:
    return parse_page(
        html.encode(), url=url, observed_at=NOW, content_type="text/html; charset=utf-8"
    )


def read_german(main: str) -> ParsedPage:
    """``main`` in the German site's chrome, read: a newsticker."""
    page = parse(f"""<html lang="de"><body>{CHROME}<main>{main}</main></body></html>""")
    assert page.layout == "newsticker"
    return page


def rows(page: ParsedPage) -> list[tuple[str | None, str | None, str, str | None]]:
    return [
        (e.time.strftime("%d.%m. %H:%M") if e.time else None, e.headline, e.text, e.native_id)
        for e in page.entries
    ]


def test_a_list_of_time_and_link_items() -> None:
    items = "\n".join(
        f'<li><time datetime="2022-01-28T{t}:00+01:00">{t}</time>'
        f' <a href="/news/{slug}.html?utm_source=ticker#comments">{kicker}: {title}</a></li>'
        for t, kicker, title, slug in GERMAN
    )
    page = parse(
        f"""<html lang="de"><body>{CHROME}<main><h1>Newsticker</h1>
        <ul class="list">{items}</ul></main>{FOOTER}</body></html>"""
    )
    assert page.layout == "newsticker"
    assert rows(page) == [
        (f"28.01. {t}", f"{kicker}: {title}", "", f"{SITE}/news/{slug}.html")
        for t, kicker, title, slug in GERMAN
    ]
    assert all(e.time_source is TimeSource.MACHINE for e in page.entries)


def test_articles_with_a_heading_link_a_time_and_a_lead_in_english() -> None:
    news = [
        ("2022-01-28T14:05:00Z", "Storm closes ports along the east coast", "storm"),
        ("2022-01-28T13:40:00Z", "Parliament passes the budget after a late vote", "budget"),
        ("2022-01-28T13:02:00Z", "Rail strike called off at the last minute", "rail"),
        ("2022-01-28T12:15:00Z", "Museum returns looted bronzes to Nigeria", "bronzes"),
        ("2022-01-28T11:51:00Z", "Inflation eases for the first time in a year", "inflation"),
    ]
    items = "\n".join(
        f"""<article class="story"><h2 class="story__title"><a href="https://news.example.com/{slug}">{title}</a></h2>
        <time datetime="{when}">2 hours ago</time>
        <p class="story__summary">What happened, in one sentence about {slug}.</p>
        <span class="story__byline">By A. Reporter</span></article>"""
        for when, title, slug in news
    )
    page = parse(
        f"""<html lang="en-GB"><body>{CHROME}<div class="stream">{items}</div>{FOOTER}</body></html>""",
        url="https://news.example.com/latest",
    )
    assert page.layout == "newsticker"
    assert [(e.time.isoformat() if e.time else None, e.headline, e.text) for e in page.entries] == [
        (
            datetime.fromisoformat(when).astimezone(page.entries[0].time.tzinfo).isoformat(),  # type: ignore[union-attr]
            title,
            f"What happened, in one sentence about {slug}.",
        )
        for when, title, slug in news
    ]
    # The relative label drifts from poll to poll; the machine time is what is kept.
    assert {e.time_label for e in page.entries} == {when for when, _, _ in news}


def test_div_items_with_a_kicker_a_clock_label_and_a_lead() -> None:
    items = "\n".join(
        f"""<div class="meldung"><span class="meldung-zeit">{t} Uhr</span>
        <span class="meldung-kicker">{kicker}</span>
        <a class="meldung-link" href="{SITE}/news/{slug}.html"><strong>{title}</strong></a>
        <p>Mehr dazu: {title} – die Einzelheiten.</p></div>"""
        for t, kicker, title, slug in GERMAN
    )
    page = parse(
        f"""<html lang="de"><body>{CHROME}<div id="content"><h1>Alle Meldungen</h1>{items}</div>
        {FOOTER}</body></html>"""
    )
    assert page.layout == "newsticker"
    assert rows(page) == [
        (
            f"28.01. {t}",
            f"{kicker}: {title}",
            f"Mehr dazu: {title} – die Einzelheiten.",
            f"{SITE}/news/{slug}.html",
        )
        for t, kicker, title, slug in GERMAN
    ]
    assert all(e.time_source is TimeSource.LABEL for e in page.entries)


def test_items_grouped_under_day_headings_take_the_day_of_their_heading() -> None:
    days = {
        "Freitag, 28.01.2022": GERMAN[:3],
        "Donnerstag, 27.01.2022": GERMAN[3:],
        "Mittwoch, 26. Januar 2022": [("23:10", "Nacht", "Erdbeben erschüttert Kreta", "kreta")],
    }
    sections = "\n".join(
        f"""<section class="day"><h2>{heading}</h2><ul>"""
        + "".join(
            f'<li><a href="/news/{slug}.html"><span class="time">{t}</span>'
            f"<h3>{kicker}: {title}</h3></a></li>"
            for t, kicker, title, slug in items
        )
        + "</ul></section>"
        for heading, items in days.items()
    )
    page = read_german(sections)
    assert [r[0] for r in rows(page)] == [
        "28.01. 20:12",
        "28.01. 19:58",
        "28.01. 19:31",
        "27.01. 18:47",
        "27.01. 18:05",
        "27.01. 17:40",
        "26.01. 23:10",
    ]
    assert page.entries[-1].headline == "Nacht: Erdbeben erschüttert Kreta"


def test_a_list_opening_with_yesterday_dates_its_items_by_that_heading() -> None:
    # Nothing yet under "Heute": the first items are yesterday's, and their clock times
    # lie before the fetch's (20:30), so only the heading says they are not today's.
    days = {"Gestern": GERMAN[:3], "Mittwoch": GERMAN[3:]}
    sections = "".join(
        f"<h2>{heading}</h2><ul>"
        + "".join(
            f'<li><span>{t}</span> <a href="/news/{slug}.html">{kicker}: {title}</a></li>'
            for t, kicker, title, slug in items
        )
        + "</ul>"
        for heading, items in days.items()
    )
    page = read_german(sections)
    assert [r[0] for r in rows(page)] == [
        "27.01. 20:12",
        "27.01. 19:58",
        "27.01. 19:31",
        "26.01. 18:47",
        "26.01. 18:05",
        "26.01. 17:40",
    ]


def test_older_items_labelled_with_a_date_alone_are_items_without_a_time() -> None:
    # Today's items print a clock, older ones only their day ("26.01."): every item is
    # one, the older ones with no time of day to invent.
    labels = ["20:12", "19:58", "19:31", "27.01.", "26.01.", "Di, 25.01."]
    items = "".join(
        f'<li><span class="d">{label}</span> <a href="/news/{slug}.html">{kicker}: {title}</a></li>'
        for label, (_t, kicker, title, slug) in zip(labels, GERMAN, strict=True)
    )
    page = read_german(f"<ul>{items}</ul>")
    assert [(r[0], r[3]) for r in rows(page)] == [
        ("28.01. 20:12", f"{SITE}/news/sturmflut.html"),
        ("28.01. 19:58", f"{SITE}/news/impfpflicht.html"),
        ("28.01. 19:31", f"{SITE}/news/bayern-koeln.html"),
        (None, f"{SITE}/news/dax-schluss.html"),
        (None, f"{SITE}/news/bahnstrecke.html"),
        (None, f"{SITE}/news/museum.html"),
    ]
    assert [e.time_label for e in page.entries[3:]] == labels[3:]


def test_a_date_beside_the_clock_dates_the_item() -> None:
    items = "".join(
        f'<li><span class="d">27.01.2022</span> <span class="t">{t}</span> '
        f'<a href="/news/{slug}.html">{kicker}: {title}</a></li>'
        for t, kicker, title, slug in GERMAN
    )
    page = read_german(f"<ul>{items}</ul>")
    assert [r[0] for r in rows(page)] == [f"27.01. {t}" for t, *_ in GERMAN]


def test_a_list_of_links_with_dates_alone_is_an_archive_not_a_ticker() -> None:
    items = "".join(
        f'<li><span class="d">{20 - n}.01.2022</span> <a href="/news/{slug}.html">{title}</a></li>'
        for n, (_t, _k, title, slug) in enumerate(GERMAN)
    )
    page = parse(f"""<html lang="de"><body>{CHROME}<main><ul>{items}</ul></main></body></html>""")
    assert page.layout != "newsticker"


def test_an_item_dated_by_its_own_attribute_prints_its_clock_apart_from_the_kicker() -> None:
    # The <li> carries the instant; the clock it prints is a label of its own, neither
    # part of the kicker beside it nor of the lead, where a time in a sentence stays.
    def epoch(t: str) -> int:
        hour, minute = (int(x) for x in t.split(":"))
        return int(datetime(2022, 1, 28, hour - 1, minute, tzinfo=UTC).timestamp())

    items = "".join(
        f'<li data-timestamp="{epoch(t)}"><span>{t.replace(":", ".")}</span><span>{kicker}</span>'
        f' <a href="/news/{slug}.html">{title}</a><p>Mehr ab <b>{t}</b> im Stream.</p></li>'
        for t, kicker, title, slug in GERMAN
    )
    page = read_german(f"<ul>{items}</ul>")
    assert rows(page) == [
        (f"28.01. {t}", f"{kicker}: {title}", f"Mehr ab {t} im Stream.", f"{SITE}/news/{slug}.html")
        for t, kicker, title, slug in GERMAN
    ]


def test_a_box_of_timed_links_beside_the_list_adds_no_items() -> None:
    # Read as time-led paragraphs, the list and the box run together into one ticker
    # with more timed entries than the list; the list is the page, the box is not.
    items = "".join(
        f'<li><span>{t}</span> <a href="/news/{slug}.html">{kicker}: {title}</a></li>'
        for t, kicker, title, slug in GERMAN
    )
    box = "".join(
        f'<li><span>0{n}:15</span> <a href="/meistgelesen/{n}.html">Meistgelesen Nummer {n}</a></li>'
        for n in range(1, 6)
    )
    html = f"""<html lang="de"><body>{CHROME}<main><h1>Newsticker</h1><ul>{items}</ul>
        <div class="box"><h2>Meistgelesen</h2><ol>{box}</ol></div></main></body></html>"""
    page = parse(html)
    assert page.layout == "newsticker"
    assert rows(page) == [
        (f"28.01. {t}", f"{kicker}: {title}", "", f"{SITE}/news/{slug}.html")
        for t, kicker, title, slug in GERMAN
    ]
    # A ticker read as paragraphs on its last poll is not kept that way for it.
    again = parse_page(
        html.encode(),
        url=f"{SITE}/news/",
        observed_at=NOW,
        content_type="text/html",
        previous_layout="paragraphs",
    )
    assert again.layout == "newsticker"


def test_a_kicker_in_a_meta_row_beside_the_time_and_byline_is_the_kicker() -> None:
    items = "".join(
        f'<article><div class="teaser-meta"><span class="teaser-kicker">{kicker}</span>'
        f'<span class="teaser-time">{t}</span><span class="teaser-author">dpa</span></div>'
        f'<h3><a href="/news/{slug}.html">{title}</a></h3></article>'
        for t, kicker, title, slug in GERMAN
    )
    page = read_german(items)
    assert rows(page) == [
        (f"28.01. {t}", f"{kicker}: {title}", "", f"{SITE}/news/{slug}.html")
        for t, kicker, title, slug in GERMAN
    ]


def test_items_labelled_with_day_month_and_clock_keep_their_day() -> None:
    labels = ["20:12", "19:58", "19:31", "27/01 18:47", "27/01 18:05", "26/01 17:40"]
    items = "".join(
        f'<li><span class="d">{label}</span> <a href="/news/{slug}.html">{kicker}: {title}</a></li>'
        for label, (_t, kicker, title, slug) in zip(labels, GERMAN, strict=True)
    )
    page = read_german(f"<ul>{items}</ul>")
    assert [r[0] for r in rows(page)] == [
        "28.01. 20:12",
        "28.01. 19:58",
        "28.01. 19:31",
        "27.01. 18:47",
        "27.01. 18:05",
        "26.01. 17:40",
    ]


def test_items_without_an_element_of_their_own_are_runs_of_siblings() -> None:
    flat = "".join(
        f'<span class="t">{t}</span> <a href="/news/{slug}.html">{kicker}: {title}</a><br>'
        for t, kicker, title, slug in GERMAN
    )
    headed = "".join(
        f'<p class="t">{t}</p><h3><a href="/news/{slug}.html">{kicker}: {title}</a></h3>'
        f"<p>Mehr zu {kicker}.</p>"
        for t, kicker, title, slug in GERMAN
    )
    for inner, lead in ((flat, ""), (headed, "Mehr zu {}.")):
        page = parse(
            # The link closing the list is no part of the last item's run.
            f"""<html lang="de"><body>{CHROME}<main><div>{inner}
            <a href="/news/archiv.html">Ältere Meldungen</a></div></main></body></html>"""
        )
        assert page.layout == "newsticker"
        assert rows(page) == [
            (f"28.01. {t}", f"{kicker}: {title}", lead.format(kicker), f"{SITE}/news/{slug}.html")
            for t, kicker, title, slug in GERMAN
        ]


def test_time_paragraphs_before_prose_that_opens_with_a_link_stay_a_live_ticker() -> None:
    runs = "".join(
        f'<p><strong>{t}</strong></p><p><a href="/news/{slug}.html">Bericht</a>: Die Lage '
        f"wird über {kicker} diskutiert, sagte ein Sprecher am Abend.</p>"
        for t, kicker, _title, slug in GERMAN
    )
    page = parse(f"""<html lang="de"><body>{CHROME}<main><div>{runs}</div></main></body></html>""")
    assert page.layout != "newsticker"
    assert page.entries[0].text.startswith("Bericht: Die Lage wird über Unwetter")


def test_a_relative_label_with_the_full_date_in_its_title_takes_that_date() -> None:
    # "vor 2 Std." rounds; the title behind it says to the minute.
    items = "".join(
        f'<li><span title="28.01.2022, {t} Uhr">vor 2 Std.</span>'
        f' <a href="/news/{slug}.html">{kicker}: {title}</a></li>'
        for t, kicker, title, slug in GERMAN
    )
    page = read_german(f"<ul>{items}</ul>")
    assert [r[0] for r in rows(page)] == [f"28.01. {t}" for t, *_ in GERMAN]
    assert all(e.time_source is TimeSource.LABEL for e in page.entries)


def test_a_link_listed_twice_is_one_item_at_its_newest_place() -> None:
    listed = [
        *GERMAN[:4],
        ("17:00", "Unwetter", "Sturmflut an der Nordseeküste erwartet", "sturmflut"),
        *GERMAN[4:],
    ]
    items = "".join(
        f'<li><time datetime="2022-01-28T{t}:00+01:00">{t}</time> <a href="/news/{slug}.html">{k}: {h}</a></li>'
        for t, k, h, slug in listed
    )
    page = parse(f"<html lang='de'><body><main><ul>{items}</ul></main></body></html>")
    assert [e.native_id for e in page.entries] == [f"{SITE}/news/{s}.html" for *_, s in GERMAN]
    assert page.entries[0].time is not None
    assert page.entries[0].time.strftime("%H:%M") == "20:12"


def test_links_resolve_against_the_base_element() -> None:
    items = "".join(
        f'<li><time datetime="2022-01-28T{t}:00+01:00">{t}</time> <a href="{slug}.html">{h}</a></li>'
        for t, _, h, slug in GERMAN
    )
    page = parse(
        f"""<html><head><base href="https://cdn.example.de/meldungen/"></head>
        <body><main><ul>{items}</ul></main></body></html>"""
    )
    assert page.entries[0].native_id == "https://cdn.example.de/meldungen/sturmflut.html"


def test_a_list_of_128_items_gives_128_entries_newest_first() -> None:
    items = "".join(
        f'<li><time datetime="2022-01-28T{20 - n // 60:02d}:{59 - n % 60:02d}:00+01:00">.</time>'
        f' <a href="/news/meldung-{n}.html">Meldung Nummer {n} des Tages</a></li>'
        for n in range(128)
    )
    page = parse(f"<html lang='de'><body><main><ul>{items}</ul></main></body></html>")
    assert len(page.entries) == 128
    assert page.truncated == 0
    assert page.entries[0].native_id == f"{SITE}/news/meldung-0.html"
    assert page.entries[-1].native_id == f"{SITE}/news/meldung-127.html"
    times = [e.time for e in page.entries]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]


def test_an_article_with_a_newsticker_box_is_not_a_ticker() -> None:
    paragraphs = "".join(
        f"<p>Absatz {n}: Die Verhandlungen in Brüssel dauerten bis in die Nacht, und am Ende "
        "stand ein Kompromiss, den beide Seiten als Erfolg darstellten. Kritiker sprachen "
        "dagegen von einem Aufschub der eigentlichen Entscheidung.</p>"
        for n in range(8)
    )
    box = "".join(
        f'<li><a href="/news/{slug}.html"><time datetime="2022-01-28T{t}:00+01:00">{t}</time></a>'
        f' <a href="/news/{slug}.html">{k}: {h}</a></li>'
        for t, k, h, slug in GERMAN * 2
    )
    page = parse(
        f"""<html lang="de"><body>{CHROME}<main><article><h1>Kompromiss in Brüssel</h1>
        <time datetime="2022-01-28T18:00:00+01:00">28.01.2022, 18:00 Uhr</time>{paragraphs}</article>
        <div class="newsticker"><h3>Newsticker</h3><ul>{box}</ul></div></main>{FOOTER}</body></html>""",
        url=f"{SITE}/politik/kompromiss-bruessel.html",
    )
    assert page.not_a_ticker is not None
    assert page.entries == ()


def test_a_list_in_a_sidebar_is_not_the_page() -> None:
    items = "".join(
        f'<li><time datetime="2022-01-28T{t}:00+01:00">{t}</time> <a href="/news/{slug}.html">{h}</a></li>'
        for t, _, h, slug in GERMAN
    )
    page = parse(
        f"<html lang='de'><body><main><h1>Wetter</h1><p>Sonnig.</p></main>"
        f"<aside><ul>{items}</ul></aside></body></html>"
    )
    assert page.layout != "newsticker"


def test_canonical_links() -> None:
    base = "https://www.example.de/news/index"
    assert (
        canonical_link("a.html?utm_medium=x&id=7#top", base)
        == "https://www.example.de/news/a.html?id=7"
    )
    assert (
        canonical_link("//WWW.Example.de/x?wt_mc=intern.teaser", base) == "https://www.example.de/x"
    )
    assert canonical_link("#comments", base) is None
    assert canonical_link("javascript:void(0)", base) is None
    assert canonical_link("mailto:redaktion@example.de", base) is None


def test_table_rows_with_a_topic_link_as_kicker() -> None:
    table = "".join(
        f'<tr><td class="zeit">{t}</td><td><a href="/thema/{k.lower()}">{k}</a></td>'
        f'<td><a href="/news/{slug}.html">{h}</a></td></tr>'
        for t, k, h, slug in GERMAN
    )
    page = parse(
        f"<html lang='de'><body><main><h1>Ticker</h1><table>{table}</table></main></body></html>"
    )
    assert page.layout == "newsticker"
    assert rows(page) == [
        (f"28.01. {t}", f"{k}: {h}", "", f"{SITE}/news/{slug}.html") for t, k, h, slug in GERMAN
    ]


def test_relative_labels_alone_date_items_as_estimates() -> None:
    items = "".join(
        f'<li><span class="ago">{n * 7 + 2} mins ago</span>'
        f' <a href="/n/{n}">Headline number {n} about the day</a></li>'
        for n in range(6)
    )
    page = parse(
        f"<html lang='en'><body><main><ul>{items}</ul></main></body></html>",
        url="https://news.example.com/latest",
    )
    assert page.layout == "newsticker"
    assert [e.time_source for e in page.entries] == [TimeSource.RELATIVE] * 6
    assert page.entries[1].time == datetime(2022, 1, 28, 19, 21, tzinfo=UTC)
    assert page.entries[1].time_label == "9 mins ago"


def test_items_with_different_time_markup_keep_their_page_order() -> None:
    items = "".join(
        (
            f'<li><time datetime="2022-01-28T{t}:00+01:00">{t}</time> <a href="/news/{s}.html">{h}</a></li>'
            if n % 2
            else f'<li><b>{t}</b> <a href="/news/{s}.html">{h}</a></li>'
        )
        for n, (t, _, h, s) in enumerate(GERMAN)
    )
    page = parse(f"<html lang='de'><body><main><ul>{items}</ul></main></body></html>")
    assert [e.native_id for e in page.entries] == [f"{SITE}/news/{s}.html" for *_, s in GERMAN]
    assert [e.time_source for e in page.entries] == [TimeSource.LABEL, TimeSource.MACHINE] * 3


def test_an_item_with_a_time_and_a_relative_label_side_by_side_is_one_item() -> None:
    items = "".join(
        f'<li><time datetime="2022-01-28T{t}:00+01:00">{t}</time><span class="ago">vor {n + 1} Std.</span>'
        f' <a href="/news/{s}.html">{h}</a></li>'
        for n, (t, _, h, s) in enumerate(GERMAN)
    )
    page = parse(f"<html lang='de'><body><main><ul>{items}</ul></main></body></html>")
    assert [(e.native_id, e.headline, e.text) for e in page.entries] == [
        (f"{SITE}/news/{s}.html", h, "") for _, _, h, s in GERMAN
    ]
    assert {e.time_source for e in page.entries} == {TimeSource.MACHINE}


def test_older_items_labelled_yesterday_and_a_clock_are_items_of_yesterday() -> None:
    # Just after midnight: the newest items count minutes, the older ones print the
    # day by its name before their clock ("Yesterday 11:08 PM", "Gestern, 23:10").
    now = datetime(2025, 7, 9, 4, 11, tzinfo=UTC)  # 00:11 in New York
    labels = ["8 mins ago", "35 mins ago", "Yesterday 11:08 PM", "Yesterday 10:53 PM"]
    labels += ["Yesterday 10:37 PM", "Yesterday 10:07 PM", "Yesterday 9:48 PM"]
    items = "".join(
        f'<li class="river-item"><a href="/news/story-{n}">Storm update number {n} for the coast</a>'
        f'<span class="river-item__time">{label}</span></li>'
        for n, label in enumerate(labels)
    )
    page = parse_page(
        f"""<html lang="en-US"><body>{CHROME}<main><h1>Latest News</h1>
        <ul class="river">{items}</ul></main>{FOOTER}</body></html>""".encode(),
        url="https://www.example.com/news/latest",
        observed_at=now,
        content_type="text/html; charset=utf-8",
    )
    assert page.layout == "newsticker"
    assert len(page.entries) == len(labels)
    assert page.entries[0].native_id == "https://www.example.com/news/story-0"
    dated = page.entries[2].time
    assert dated is not None
    assert (dated.day, dated.hour, dated.minute) == (8, 23, 8)
    older = page.entries[6].time
    assert older is not None
    assert (older.day, older.hour, older.minute) == (8, 21, 48)


def test_a_clock_after_gestern_is_yesterday_even_when_earlier_in_the_day() -> None:
    labels = ["19:58", "19:31", "Gestern, 18:47 Uhr", "Gestern, 18:05", "Gestern 17:40 Uhr"]
    items = "".join(
        f'<li><span class="zeit">{label}</span> <a href="/news/{slug}.html">{kicker}: {title}</a></li>'
        for label, (_, kicker, title, slug) in zip(labels, GERMAN, strict=False)
    )
    page = parse(
        f"""<html lang="de"><body>{CHROME}<main><h1>Newsticker</h1>
        <ul class="list">{items}</ul></main>{FOOTER}</body></html>"""
    )
    assert page.layout == "newsticker"
    assert [r[0] for r in rows(page)] == [
        "28.01. 19:58",
        "28.01. 19:31",
        "27.01. 18:47",
        "27.01. 18:05",
        "27.01. 17:40",
    ]
