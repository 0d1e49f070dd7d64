"""Every common form of time signal, one table per family: input → expected fields."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.dating import Stamp, resolve_times
from ingest.model import Order
from ingest.parse import parse_page
from ingest.timestamps import (
    find_clock,
    is_relative_label,
    leading_label,
    machine_date,
    on_day,
    parse_date_heading,
    parse_machine_time,
    parse_relative,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = "America/New_York"

# text → (hour, minute, offset, zone name)
CLOCKS = [
    # English
    ("8.23am", 8, 23, None, None),
    ("8:23 a.m.", 8, 23, None, None),
    ("2:15 p.m. ET", 14, 15, None, NEW_YORK),
    ("11:40 a.m. PT", 11, 40, None, "America/Los_Angeles"),
    ("9:05 pm CT", 21, 5, None, "America/Chicago"),
    ("7:30 p.m. EDT", 19, 30, timedelta(hours=-4), None),
    ("7:30 PM EST", 19, 30, timedelta(hours=-5), None),
    ("12:05pm", 12, 5, None, None),
    ("12.30 am", 0, 30, None, None),
    ("10:32 BST", 10, 32, timedelta(hours=1), None),
    # German
    ("14.01 Uhr", 14, 1, None, None),
    ("um 6.21 Uhr", 6, 21, None, None),
    # French
    ("14h01", 14, 1, None, None),
    ("14 h 01", 14, 1, None, None),
    ("14H01", 14, 1, None, None),
    # Spanish
    ("14:01 h", 14, 1, None, None),
    ("14.01 h", 14, 1, None, None),
    ("a las 14:01", 14, 1, None, None),
    # Italian
    ("ore 14.01", 14, 1, None, None),
    ("ore 14:01", 14, 1, None, None),
    # Polish
    ("godz. 14:01", 14, 1, None, None),
    ("14:01", 14, 1, None, None),
    # Dutch
    ("14.01 uur", 14, 1, None, None),
    ("om 14:01", 14, 1, None, None),
    # Portuguese
    ("14h01", 14, 1, None, None),
    ("às 14h01", 14, 1, None, None),
    # Swedish, Danish, Norwegian, Finnish: the dotted clock after "kl."/"klo" is a time
    ("kl. 14.01", 14, 1, None, None),
    ("kl 14.01", 14, 1, None, None),
    ("klo 14.01", 14, 1, None, None),
    # seconds printed
    ("19:03:00", 19, 3, None, None),
]


@pytest.mark.parametrize(("text", "hour", "minute", "offset", "zone_name"), CLOCKS)
def test_clock_labels(
    text: str, hour: int, minute: int, offset: timedelta | None, zone_name: str | None
) -> None:
    label = find_clock(text, strict=True)
    assert label is not None
    assert (label.hour, label.minute, label.offset, label.zone_name) == (
        hour,
        minute,
        offset,
        zone_name,
    )
    assert not label.has_date


# Text of title/aria-label attributes and bylines → (year, month, day, hour, minute)
DATED = [
    ("30.05.2020, 19:03 Uhr", (2020, 5, 30, 19, 3)),
    ("Saturday, May 30, 2020 7:03 PM", (2020, 5, 30, 19, 3)),
    ("30 May 2020 19:03 BST", (2020, 5, 30, 19, 3)),
    ("2020-05-30 19:03", (2020, 5, 30, 19, 3)),
    ("2020/05/30 19:03", (2020, 5, 30, 19, 3)),
    ("samedi 30 mai 2020 à 19h03", (2020, 5, 30, 19, 3)),
    ("sábado, 30 de mayo de 2020, 19:03 h", (2020, 5, 30, 19, 3)),
    ("30 maggio 2020 ore 19.03", (2020, 5, 30, 19, 3)),
    ("30 maja 2020, godz. 19:03", (2020, 5, 30, 19, 3)),
    ("zaterdag 30 mei 2020 om 19.03 uur", (2020, 5, 30, 19, 3)),
    ("30 de maio de 2020 às 19h03", (2020, 5, 30, 19, 3)),
    ("12 października 2020, 08:15", (2020, 10, 12, 8, 15)),
    ("3 setembro 2020 19:03", (2020, 9, 3, 19, 3)),
    ("19:02 (IST), Oct 02", (None, 10, 2, 19, 2)),
    # Day and month without a year, as lists label yesterday's items.
    ("14/01 21h30", (None, 1, 14, 21, 30)),
    ("30/05 - 19:03", (None, 5, 30, 19, 3)),
]


@pytest.mark.parametrize(("text", "expected"), DATED)
def test_dated_clocks_in_attribute_text(
    text: str, expected: tuple[int | None, int, int, int, int]
) -> None:
    label = find_clock(text)
    assert label is not None
    assert (label.year, label.month, label.day, label.hour, label.minute) == expected


# Clock-shaped numbers in running text.
NOT_CLOCKS = [
    "Endstand 2:1",
    "Preis 14.99",
    "Laufzeit 01:43 min",
    "im Jahr 2019",
    "kostet $14.50",
    "stieg um 3.45 %",
    "am 23.04.2019",
    "Seite 3",
    "95'",
    "12.50",
]


@pytest.mark.parametrize("text", NOT_CLOCKS)
def test_numbers_are_not_clocks(text: str) -> None:
    assert find_clock(text, strict=True) is None


@pytest.mark.parametrize("text", ["14.01 Uhr ist es so weit", "14h01 et 15h", "8:00 Ist"])
def test_lowercase_words_are_not_zones(text: str) -> None:
    label = find_clock(text)
    assert label is not None
    assert (label.offset, label.zone_name) == (None, None)


# Paragraph openers → (hour, minute, rest)
LEADING = [
    ("8.23am: Minister speaks", 8, 23, "Minister speaks"),
    ("2:15 p.m. ET - Senate votes", 14, 15, "Senate votes"),
    ("14H01 : Le président", 14, 1, "Le président"),
    ("14:01 h | El presidente", 14, 1, "El presidente"),
    ("A las 14:01 - El presidente", 14, 1, "El presidente"),
    ("Ore 14.01 - Il premier", 14, 1, "Il premier"),
    ("Aggiornamento ore 14.01: Il premier", 14, 1, "Il premier"),
    ("godz. 14:01: Premier", 14, 1, "Premier"),
    ("14.01 uur: De premier", 14, 1, "De premier"),
    ("Om 14.01 uur - De premier", 14, 1, "De premier"),
    ("Às 14h01 – O presidente", 14, 1, "O presidente"),
    ("14:01 - O presidente", 14, 1, "O presidente"),
]


@pytest.mark.parametrize(("text", "hour", "minute", "rest"), LEADING)
def test_leading_labels_in_every_language(text: str, hour: int, minute: int, rest: str) -> None:
    label = leading_label(text)
    assert label is not None
    assert label.clock is not None
    assert (label.clock.hour, label.clock.minute, label.rest) == (hour, minute, rest)


HEADINGS = [
    ("sábado, 30 de mayo de 2020", (2020, 5, 30)),
    ("30 maggio 2020", (2020, 5, 30)),
    ("sabato 30 maggio", (None, 5, 30)),
    ("30 maja 2020", (2020, 5, 30)),
    ("środa, 3 czerwca 2020", (2020, 6, 3)),
    ("zaterdag 30 mei 2020", (2020, 5, 30)),
    ("30 de maio de 2020", (2020, 5, 30)),
    ("Saturday, May 30, 2020", (2020, 5, 30)),
    ("samedi 1er août 2020", (2020, 8, 1)),
    ("Samstag, 30.05.2020", (2020, 5, 30)),
    ("Vendredi soir", None),
    ("ore 14.01: Il premier", None),
]


@pytest.mark.parametrize(("text", "expected"), HEADINGS)
def test_date_headings_in_every_language(
    text: str, expected: tuple[int | None, int, int] | None
) -> None:
    assert parse_date_heading(text) == expected


RELATIVE = [
    ("vor 25 Min.", timedelta(minutes=25)),
    ("vor 2 Stunden", timedelta(hours=2)),
    ("vor einer Stunde", timedelta(hours=1)),
    ("25 mins ago", timedelta(minutes=25)),
    ("an hour ago", timedelta(hours=1)),
    ("2 days ago", timedelta(days=2)),
    ("il y a 3 min", timedelta(minutes=3)),
    ("il y a une heure", timedelta(hours=1)),
    ("hace 5 minutos", timedelta(minutes=5)),
    ("hace 1 hora", timedelta(hours=1)),
    ("hace 30 segundos", timedelta(seconds=30)),
    ("5 minuti fa", timedelta(minutes=5)),
    ("2 ore fa", timedelta(hours=2)),
    ("un'ora fa", timedelta(hours=1)),
    ("5 minut temu", timedelta(minutes=5)),
    ("2 godziny temu", timedelta(hours=2)),
    ("godzinę temu", timedelta(hours=1)),
    ("5 minuten geleden", timedelta(minutes=5)),
    ("2 uur geleden", timedelta(hours=2)),
    ("een minuut geleden", timedelta(minutes=1)),
    ("há 5 minutos", timedelta(minutes=5)),
    ("há 2 horas", timedelta(hours=2)),
    ("5 minutos atrás", timedelta(minutes=5)),
    # "just now" in every language
    ("gerade eben", timedelta(0)),
    ("just now", timedelta(0)),
    ("à l'instant", timedelta(0)),
    ("ahora mismo", timedelta(0)),
    ("adesso", timedelta(0)),
    ("przed chwilą", timedelta(0)),
    ("zojuist", timedelta(0)),
    ("agora mesmo", timedelta(0)),
]


@pytest.mark.parametrize(("text", "ago"), RELATIVE)
def test_relative_labels_resolve_against_the_fetch_time(text: str, ago: timedelta) -> None:
    observed_at = datetime(2020, 5, 30, 17, 0, tzinfo=UTC)
    assert parse_relative(text, observed_at) == observed_at - ago
    assert is_relative_label(text)


@pytest.mark.parametrize("text", ["vor sechs Jahren", "vor Ort", "Il a fait 5 min de retard"])
def test_not_relative_labels(text: str) -> None:
    assert parse_relative(text, datetime(2020, 5, 30, tzinfo=UTC)) is None


MACHINE = [
    ("2020-05-30T19:03:00+02:00", datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),
    ("2020-05-30T17:03:00Z", datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),
    ("2020-05-30T19:03:00.250+0200", datetime(2020, 5, 30, 17, 3, 0, 250000, tzinfo=UTC)),
    ("2020-05-30 19:03:00", datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),  # page zone
    ("2020-05-30T19:03", datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),
    ("20200530T170300Z", datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),
    ("1590858180", datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),
    ("1590858180000", datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),
    (1590858180, datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),
    (1590858180000, datetime(2020, 5, 30, 17, 3, tzinfo=UTC)),
    (1590858180.5, datetime(2020, 5, 30, 17, 3, 0, 500000, tzinfo=UTC)),
    # A date is not a time: never midnight.
    ("2020-05-30", None),
    ("20200530", None),
    ("yesterday", None),
    ("95", None),
]


@pytest.mark.parametrize(("value", "expected"), MACHINE)
def test_machine_values(value: str | int | float, expected: datetime | None) -> None:
    assert parse_machine_time(value, BERLIN) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-05-30", date(2020, 5, 30)),
        (" 20200530 ", date(2020, 5, 30)),
        ("2020-02-30", None),
        ("2020-05-30T19:03", None),
        ("1590858180", None),
        (1590858180, None),
    ],
)
def test_machine_dates(value: str | int, expected: date | None) -> None:
    assert machine_date(value) == expected


def test_date_only_attribute_with_printed_clock() -> None:
    """``<time datetime="2020-05-30">19.03 Uhr</time>`` is 19:03 that day, page zone."""
    day = machine_date("2020-05-30")
    clock = find_clock("19.03 Uhr")
    assert day is not None
    assert clock is not None
    stamp = Stamp(clock=on_day(clock, day))
    [resolved] = resolve_times(
        [stamp],
        order=Order.NEWEST_FIRST,
        zone=BERLIN,
        observed_at=datetime(2020, 6, 2, 12, 0, tzinfo=UTC),
    )
    assert resolved == datetime(2020, 5, 30, 19, 3, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(date(2020, 5, 30), 18), (date(2020, 1, 30), 19)],  # EDT, then EST
)
def test_zone_names_follow_daylight_saving(day: date, utc_hour: int) -> None:
    clock = find_clock("2:15 p.m. ET")
    assert clock is not None
    [resolved] = resolve_times(
        [Stamp(clock=on_day(clock, day))],
        order=Order.NEWEST_FIRST,
        zone=BERLIN,
        observed_at=datetime(2020, 6, 2, tzinfo=UTC),
    )
    assert resolved is not None
    assert resolved.astimezone(UTC) == datetime.combine(day, datetime.min.time(), UTC).replace(
        hour=utc_hour, minute=15
    )


def _ticker(time_elements: list[str]) -> bytes:
    items = "".join(
        f'<article class="entry"><time datetime="2020-05-30">{t}</time>'
        f"<p>Meldung Nummer {i} mit genug Text, um ein Eintrag zu sein.</p></article>"
        for i, t in enumerate(time_elements)
    )
    return f'<html lang="de"><body><h1>Ticker</h1><main>{items}</main></body></html>'.encode()


def test_a_page_of_date_only_time_elements_reads_the_printed_clocks() -> None:
    """The bug: every entry stamped 00:00 because the attribute holds only the day."""
    page = parse_page(
        _ticker(["19.03 Uhr", "18.47 Uhr", "17.15 Uhr", "16.02 Uhr"]),
        url="https://example.de/ticker",
        observed_at=datetime(2020, 6, 2, 12, 0, tzinfo=UTC),
    )
    assert page.not_a_ticker is None
    assert [e.time for e in page.entries] == [
        datetime(2020, 5, 30, h, m, tzinfo=BERLIN)
        for h, m in [(19, 3), (18, 47), (17, 15), (16, 2)]
    ]


def _ticker_with(stamps: list[str]) -> bytes:
    items = "".join(
        f'<article class="entry">{s}<p>Meldung Nummer {i} mit genug Text, um ein Eintrag zu sein.'
        "</p></article>"
        for i, s in enumerate(stamps)
    )
    return f'<html lang="de"><body><h1>Ticker</h1><main>{items}</main></body></html>'.encode()


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        # A title or aria-label dates the clock the element prints.
        (
            '<time title="30.05.2020, 19:0{m} Uhr">19:0{m}</time>',
            datetime(2020, 5, 30, 19, 0, tzinfo=BERLIN),
        ),
        (
            '<span class="time" aria-label="Saturday, May 30, 2020 7:0{m} PM">19:0{m}</span>',
            datetime(2020, 5, 30, 19, 0, tzinfo=BERLIN),
        ),
        # data-* attributes holding epoch seconds, milliseconds or ISO.
        (
            '<span data-timestamp="{epoch}">vor 5 Min.</span>',
            datetime(2020, 5, 30, 17, 0, tzinfo=UTC),
        ),
        (
            '<span data-time="{epoch}000">19:0{m}</span>',
            datetime(2020, 5, 30, 17, 0, tzinfo=UTC),
        ),
        (
            '<span data-datetime="2020-05-30T19:0{m}:00+02:00">19:0{m}</span>',
            datetime(2020, 5, 30, 17, 0, tzinfo=UTC),
        ),
    ],
)
def test_time_attributes_on_a_page(stamp: str, expected: datetime) -> None:
    """Four entries a minute apart, newest first, each stamped the same way."""
    epoch = int(expected.timestamp())
    stamps = [stamp.format(m=9 - i, epoch=epoch + (9 - i) * 60) for i in range(4)]
    page = parse_page(
        _ticker_with(stamps),
        url="https://example.de/ticker",
        observed_at=datetime(2020, 6, 2, 12, 0, tzinfo=UTC),
    )
    assert [e.time for e in page.entries] == [expected + timedelta(minutes=9 - i) for i in range(4)]


_LABELISH = st.lists(
    st.sampled_from([*"0123456789 :.h,-apm", "Uhr", "ET", "ore ", "mai", " de ", "vor ", "ago"]),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _LABELISH))
def test_any_string_reads_to_a_valid_clock_or_nothing(text: str) -> None:
    for label in (find_clock(text), find_clock(text, strict=True)):
        if label is not None:
            assert 0 <= label.hour < 24
            assert 0 <= label.minute < 60
            assert label.day is None or 1 <= label.day <= 31
    lead = leading_label(text)
    if lead is not None and lead.clock is not None:
        assert 0 <= lead.clock.hour < 24
    heading = parse_date_heading(text)
    if heading is not None:
        assert 1 <= heading[1] <= 12
    observed_at = datetime(2020, 5, 30, tzinfo=UTC)
    relative = parse_relative(text, observed_at)
    assert relative is None or relative <= observed_at
    parse_machine_time(text, BERLIN)
    machine_date(text)


@pytest.mark.parametrize(
    ("lang", "url", "labels", "zone"),
    [
        (
            "it",
            "https://www.esempio.it/diretta",
            ["Ore 17.05 -", "Ore 16.40 -", "Ore 9.15 -"],
            "Europe/Rome",
        ),
        (
            "es",
            "https://www.ejemplo.es/directo",
            ["17:05 h |", "16:40 h |", "09:15 h |"],
            "Europe/Madrid",
        ),
        (
            "pl",
            "https://www.przyklad.pl/relacja",
            ["godz. 17:05:", "godz. 16:40:", "godz. 9:15:"],
            "Europe/Warsaw",
        ),
        (
            "nl",
            "https://www.voorbeeld.nl/live",
            ["17.05 uur:", "16.40 uur:", "09.15 uur:"],
            "Europe/Amsterdam",
        ),
        (
            "en-us",
            "https://www.example.com/live",
            ["5:05 p.m. ET:", "4:40 p.m. ET:", "9:15 a.m. ET:"],
            "America/New_York",
        ),
        # The page names no zone: the labels' "ET" does.
        (
            "en",
            "https://www.example.com/live",
            ["5:05 p.m. ET:", "4:40 p.m. ET:", "9:15 a.m. ET:"],
            "America/New_York",
        ),
    ],
)
def test_paragraph_tickers_in_every_language(
    lang: str, url: str, labels: list[str], zone: str
) -> None:
    paragraphs = "".join(
        f"<p><strong>{label}</strong> Texto número {i} con bastante contenido para una entrada.</p>"
        for i, label in enumerate(labels)
    )
    html = f'<html lang="{lang}"><body><h1>Live</h1><div class="article">{paragraphs}</div></body></html>'
    page = parse_page(html.encode(), url=url, observed_at=datetime(2020, 5, 31, 0, 0, tzinfo=UTC))
    local = ZoneInfo(zone)
    assert [e.time for e in page.entries] == [
        datetime(2020, 5, 30, h, m, tzinfo=local) for h, m in [(17, 5), (16, 40), (9, 15)]
    ]
