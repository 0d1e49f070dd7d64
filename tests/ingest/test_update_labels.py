"""Update labels as German and British tickers word them: "Update vom Dienstag, 27.
August, 14.01 Uhr:", "Erstmeldung vom …", "Update, 14.01 Uhr:", "+++ 22:47 … +++" —
read as labels (their forms are in test_timestamps.UPDATE_LABELS) and placed at the right
instant in the page's zone in either season."""

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ingest.parse import parse_page
from ingest.timestamps import leading_label

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "text",
    [
        "Update vom Dienstag, 27. August, 14.01 Uhr",
        "Erstmeldung vom Dienstag, 27. August, 9.00 Uhr:",
        "+++ 22:47",
    ],
)
def test_a_bold_update_label_without_colon_is_a_label(text: str) -> None:
    label = leading_label(f"{text} Die Polizei meldet", emphasized=text)
    assert label is not None
    assert label.clock is not None
    assert label.rest == "Die Polizei meldet"


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("Erstmeldung vom 27. August 2024: In der Stadt", "In der Stadt"),
        ("Erstmeldung vom Dienstag, 27. August: In der Stadt", "In der Stadt"),
        ("Erstmeldung – In der Stadt", "In der Stadt"),
    ],
)
def test_a_first_report_without_clock_is_a_label(text: str, rest: str) -> None:
    label = leading_label(text)
    assert label is not None
    assert label.clock is None
    assert label.rest == rest


@pytest.mark.parametrize(
    "text",
    [
        "+++ 14.01 Prozent mehr Umsatz +++",
        "Update: Die Polizei meldet",
        "Erstmeldung vom Innenministerium: nichts",
        "+++ Eilmeldung +++ Die Polizei",
    ],
)
def test_look_alikes_are_not_labels(text: str) -> None:
    assert leading_label(text) is None


def _ippen_page(entries: list[tuple[str, str | None, str]]) -> bytes:
    """A Merkur-style story: an optional <h2> above each bold-labelled paragraph."""
    body = "".join(
        (f"<h2>{html.escape(headline)}</h2>" if headline else "")
        + f"<p><strong>{html.escape(label)}</strong> {html.escape(text)}</p>"
        for label, headline, text in entries
    )
    return (
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Ticker</title>'
        "</head><body><main><article><h1>Großeinsatz: Alle Infos im Newsticker</h1>"
        '<p class="lead">Die Polizei ist mit einem Großaufgebot im Einsatz.</p>'
        f'<div class="story">{body}</div></article></main></body></html>'
    ).encode()


# Crossing midnight in summer (CEST), in winter (CET), and into a new year, where the
# printed date without a year is last year's.
SEASONS = [
    (
        datetime(2024, 8, 27, 22, 45, tzinfo=UTC),
        [("Mittwoch", 28, "August"), ("Dienstag", 27, "August")],
        [datetime(2024, 8, 28, tzinfo=BERLIN), datetime(2024, 8, 27, tzinfo=BERLIN)],
    ),
    (
        datetime(2025, 1, 14, 23, 45, tzinfo=UTC),
        [("Mittwoch", 15, "Januar"), ("Dienstag", 14, "Januar")],
        [datetime(2025, 1, 15, tzinfo=BERLIN), datetime(2025, 1, 14, tzinfo=BERLIN)],
    ),
    (
        datetime(2024, 12, 31, 23, 45, tzinfo=UTC),
        [("Mittwoch", 1, "Januar"), ("Dienstag", 31, "Dezember")],
        [datetime(2025, 1, 1, tzinfo=BERLIN), datetime(2024, 12, 31, tzinfo=BERLIN)],
    ),
]


@pytest.mark.parametrize(("observed", "days", "dates"), SEASONS)
def test_an_ippen_ticker_with_weekdays_reads_entry_for_entry(
    observed: datetime, days: list[tuple[str, int, str]], dates: list[datetime]
) -> None:
    (new_wd, new_d, new_m), (old_wd, old_d, old_m) = days
    new, old = f"{new_wd}, {new_d}. {new_m}", f"{old_wd}, {old_d}. {old_m}"
    entries = [
        (f"Update vom {new}, 0.15 Uhr:", "Ministerpräsident meldet sich", "Der Erste. Erklärt."),
        (f"Update vom {old}, 23.40 Uhr:", None, "Die Polizei meldet eine ruhige Lage."),
        (
            f"Update vom {old}, 14.01 Uhr:",
            "Großeinsatz in der Stadt",
            "Seit dem Mittag im Einsatz.",
        ),
        (
            f"Erstmeldung vom {old}, 9.00 Uhr:",
            None,
            "In der Stadt ist es zu einem Einsatz gekommen.",
        ),
    ]
    page = parse_page(
        _ippen_page(entries),
        url="https://www.example.de/region/grosseinsatz-news-ticker-92345.html",
        observed_at=observed,
        content_type="text/html; charset=utf-8",
    )
    assert page.layout == "paragraphs"
    assert page.zone == "Europe/Berlin"
    new_day, old_day = dates
    want = [
        new_day.replace(hour=0, minute=15),
        old_day.replace(hour=23, minute=40),
        old_day.replace(hour=14, minute=1),
        old_day.replace(hour=9, minute=0),
    ]
    assert [e.time for e in page.entries] == want
    assert [(e.headline, e.text) for e in page.entries] == [(h, t) for _l, h, t in entries]


@pytest.mark.parametrize(
    ("observed", "offset_hours"),
    [(datetime(2026, 7, 3, 0, 30, tzinfo=UTC), 2), (datetime(2026, 12, 3, 0, 30, tzinfo=UTC), 1)],
)
def test_plus_labels_without_date_cross_midnight_in_either_season(
    observed: datetime, offset_hours: int
) -> None:
    """n-tv headings "+++ 01:12 … +++" above their paragraphs, and a t-online paragraph
    "+++ 23.05 Uhr: … +++": the day comes from the fetch and the order."""
    body = (
        "<h2>+++ 01:12 Russland meldet Abschüsse +++</h2><p>Die Flugabwehr war aktiv.</p>"
        "<p>+++ 23.05 Uhr: Kiew meldet Explosionen im Osten der Stadt. +++</p>"
        "<h2>+++ 22:47 Schiffe in Häfen blockiert +++</h2><p>Siebzig Schiffe liegen fest.</p>"
    )
    html_page = (
        '<html lang="de"><head><title>Liveticker</title></head><body><h1>Der Krieg im '
        f'Liveticker</h1><div class="article-text">{body}</div></body></html>'
    )
    page = parse_page(
        html_page.encode(),
        url="https://www.example.de/politik/liveticker-article123.html",
        observed_at=observed,
        content_type="text/html",
    )
    local = observed.astimezone(BERLIN)
    assert local.utcoffset() == timedelta(hours=offset_hours)
    today = local.replace(hour=0, minute=0)
    yesterday = today - timedelta(days=1)
    assert [e.time for e in page.entries] == [
        today.replace(hour=1, minute=12),
        yesterday.replace(hour=23, minute=5),
        yesterday.replace(hour=22, minute=47),
    ]
    assert [(e.headline, e.text) for e in page.entries] == [
        ("Russland meldet Abschüsse", "Die Flugabwehr war aktiv."),
        (None, "Kiew meldet Explosionen im Osten der Stadt."),
        ("Schiffe in Häfen blockiert", "Siebzig Schiffe liegen fest."),
    ]


@pytest.mark.parametrize(
    ("observed", "zone_offset"),
    [(datetime(2026, 7, 3, 16, 30, tzinfo=UTC), 1), (datetime(2026, 12, 3, 16, 30, tzinfo=UTC), 0)],
)
def test_english_update_labels_read_in_london_time(observed: datetime, zone_offset: int) -> None:
    body = "".join(
        f"<p><strong>Update, {label}:</strong> {text}</p>"
        for label, text in [
            ("4.05pm", "The minister has left Downing Street."),
            ("2.40pm", "MPs will vote on the bill this evening."),
            ("11.15am", "The chancellor is due to speak shortly."),
        ]
    )
    html_page = (
        f'<html lang="en-GB"><head><title>Politics live</title></head><body><h1>Live</h1>'
        f'<div class="content">{body}</div></body></html>'
    )
    page = parse_page(
        html_page.encode(),
        url="https://www.example.co.uk/politics/live",
        observed_at=observed,
        content_type="text/html",
    )
    day = observed.astimezone(LONDON).replace(minute=0)
    assert [e.time for e in page.entries] == [
        day.replace(hour=16, minute=5),
        day.replace(hour=14, minute=40),
        day.replace(hour=11, minute=15),
    ]
    assert [e.time.utcoffset() for e in page.entries if e.time] == [
        timedelta(hours=zone_offset)
    ] * 3


def test_list_items_led_by_update_labels_are_entries() -> None:
    items = "".join(
        f"<li>{label} {text}</li>"
        for label, text in [
            ("+++ 16.05 Uhr:", "Die Feuerwehr ist mit mehreren Fahrzeugen vor Ort. +++"),
            ("Update, 15.40 Uhr:", "Der Bürgermeister hat eine Pressekonferenz angekündigt."),
            ("+++ 14.20 Uhr:", "Die Polizei bittet Anwohner, Fenster geschlossen zu halten. +++"),
        ]
    )
    page = parse_page(
        f'<html lang="de"><body><h1>Ticker</h1><ul class="t">{items}</ul></body></html>'.encode(),
        url="https://www.example.de/ticker",
        observed_at=datetime(2026, 12, 3, 16, 30, tzinfo=UTC),
        content_type="text/html",
    )
    day = datetime(2026, 12, 3, tzinfo=BERLIN)
    assert [(e.time, e.text) for e in page.entries] == [
        (day.replace(hour=16, minute=5), "Die Feuerwehr ist mit mehreren Fahrzeugen vor Ort."),
        (
            day.replace(hour=15, minute=40),
            "Der Bürgermeister hat eine Pressekonferenz angekündigt.",
        ),
        (
            day.replace(hour=14, minute=20),
            "Die Polizei bittet Anwohner, Fenster geschlossen zu halten.",
        ),
    ]
