"""Time labels as tickers print them, read into clock values."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ingest.timestamps import (
    find_clock,
    is_relative_label,
    leading_label,
    parse_date_heading,
    parse_machine_time,
    parse_relative,
)

BERLIN = ZoneInfo("Europe/Berlin")


# Update labels as German, British and French tickers word them (a weekday before the
# date, the first report, pluses): text → (hour, minute, day, month, the text after).
UPDATE_LABELS = [
    ("Update vom 27. August, 14.01 Uhr: Die Polizei", 14, 1, 27, 8, "Die Polizei"),
    ("Update vom Dienstag, 27. August, 14.01 Uhr: Die Polizei", 14, 1, 27, 8, "Die Polizei"),
    ("Update von Dienstag, 27. August, 14.01 Uhr: Die Polizei", 14, 1, 27, 8, "Die Polizei"),
    ("Update am Dienstag, 27.08., um 14.01 Uhr: Die Polizei", 14, 1, 27, 8, "Die Polizei"),
    ("Erstmeldung vom 27. August, 9.00 Uhr: In der Stadt", 9, 0, 27, 8, "In der Stadt"),
    ("Erstmeldung vom Montag, 26. August, 9.00 Uhr: In der", 9, 0, 26, 8, "In der"),
    ("Update, 14.01 Uhr: Die Polizei", 14, 1, None, None, "Die Polizei"),
    ("Aktualisierung, 14.01 Uhr: Die Polizei", 14, 1, None, None, "Die Polizei"),
    ("Update, 2.05pm: The minister", 14, 5, None, None, "The minister"),
    ("Update, Tuesday 27 August, 2.05pm: The minister", 14, 5, 27, 8, "The minister"),
    ("Mise à jour du mardi 27 août, 14h01 : Le préfet", 14, 1, 27, 8, "Le préfet"),
    (
        "+++ 14.01 Uhr: Die Polizei meldet Festnahmen +++",
        14,
        1,
        None,
        None,
        "Die Polizei meldet Festnahmen",
    ),
    ("+++ 22:47 Russland meldet Abschüsse +++", 22, 47, None, None, "Russland meldet Abschüsse"),
    ("+++ 14.01 Uhr +++ Die Polizei", 14, 1, None, None, "Die Polizei"),
]


@pytest.mark.parametrize(
    ("text", "hour", "minute", "day", "month", "rest"),
    [
        (
            "14.01 Uhr: Kleine Panne bei Kim-Ankunft",
            14,
            1,
            None,
            None,
            "Kleine Panne bei Kim-Ankunft",
        ),
        ("6.21 Uhr: Kims Sonderzug", 6, 21, None, None, "Kims Sonderzug"),
        ("Update 25. April, 06.33 Uhr:", 6, 33, 25, 4, ""),
        ("Update vom 23. April, von 15.26 Uhr: Präsident", 15, 26, 23, 4, "Präsident"),
        ("10:32 BST: Flood warnings", 10, 32, None, None, "Flood warnings"),
        ("2.15pm: Minister speaks", 14, 15, None, None, "Minister speaks"),
        ("12.05am - Overnight", 0, 5, None, None, "Overnight"),
        ("14h01 : Le président", 14, 1, None, None, "Le président"),
        ("14 h 01 : Le président", 14, 1, None, None, "Le président"),
        *UPDATE_LABELS,
    ],
)
def test_leading_labels(
    text: str, hour: int, minute: int, day: int | None, month: int | None, rest: str
) -> None:
    label = leading_label(text)
    assert label is not None
    assert label.clock is not None
    assert (label.clock.hour, label.clock.minute) == (hour, minute)
    assert (label.clock.day, label.clock.month) == (day, month)
    assert label.rest == rest


def test_first_report_label_has_no_clock() -> None:
    label = leading_label("(Erstmeldung) Pjöngjang/Seoul - Nordkorea hat")
    assert label is not None
    assert label.clock is None
    assert label.rest.startswith("Pjöngjang")


def test_bold_clock_without_colon_is_a_label_only_when_emphasized() -> None:
    assert leading_label("16.06 The plane climbed") is None
    label = leading_label("16.06 The plane climbed", emphasized="16.06")
    assert label is not None
    assert label.clock is not None
    assert label.clock.hour == 16


@pytest.mark.parametrize(
    "text", ["Die Zahl stieg auf 14.01 Prozent", "Gelbe Karte für Müller", "2019 war ein Jahr"]
)
def test_running_text_is_not_a_label(text: str) -> None:
    assert leading_label(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11:14 BST", (11, 14, None, timedelta(hours=1))),
        ("Posted at 15:05", (15, 5, None, None)),
        ("19:02 (IST), Oct 02", (19, 2, 2, timedelta(hours=5, minutes=30))),
        ("Updated 23 Apr 2026 11.17 BST", (11, 17, 23, timedelta(hours=1))),
        ("Aktualisiert: 23.04.2019, 09:15 Uhr", (9, 15, 23, None)),
    ],
)
def test_find_clock(text: str, expected: tuple[int, int, int | None, timedelta | None]) -> None:
    label = find_clock(text)
    assert label is not None
    assert (label.hour, label.minute, label.day, label.offset) == expected


@pytest.mark.parametrize("text", ["95'", "46:44 min", "2023", "Seite 3"])
def test_not_clocks(text: str) -> None:
    assert find_clock(text, strict=True) is None or "min" in text


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("vor 5 Min.", timedelta(minutes=5)),
        ("3 mins ago", timedelta(minutes=3)),
        ("vor 1 Std.", timedelta(hours=1)),
        ("il y a 2 h", timedelta(hours=2)),
        ("1 hours ago", timedelta(hours=1)),
        # Compound labels add up their parts.
        ("1 hr 35 min ago", timedelta(hours=1, minutes=35)),
        ("vor 1 Std. 20 Min.", timedelta(hours=1, minutes=20)),
        ("hace 1 hora y 5 minutos", timedelta(hours=1, minutes=5)),
        ("il y a 2 h 10 min", timedelta(hours=2, minutes=10)),
    ],
)
def test_relative_labels(text: str, ago: timedelta) -> None:
    now = datetime(2026, 4, 23, 10, 0, tzinfo=UTC)
    assert parse_relative(text, now) == now - ago
    assert is_relative_label(text)


def test_relative_words_inside_a_sentence_are_not_a_label() -> None:
    assert not is_relative_label("Der Zug kam vor 5 Min. an, sagte ein Sprecher am Bahnsteig")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dienstag, 27. August 2024", (2024, 8, 27)),
        ("Donnerstag, 18. 7.", (None, 7, 18)),
        ("Saturday 03 January 2015", (2015, 1, 3)),
        ("Die wichtigsten News", None),
        ("14.01 Uhr: Panne", None),
    ],
)
def test_date_headings(text: str, expected: tuple[int | None, int, int] | None) -> None:
    assert parse_date_heading(text) == expected


def test_machine_times() -> None:
    assert parse_machine_time("2023-05-15T11:50:54.000Z", BERLIN) == datetime(
        2023, 5, 15, 11, 50, 54, tzinfo=UTC
    )
    assert parse_machine_time("1691988352", BERLIN) == datetime(2023, 8, 14, 4, 45, 52, tzinfo=UTC)
    assert parse_machine_time(1691988352000, BERLIN) == datetime(2023, 8, 14, 4, 45, 52, tzinfo=UTC)
    naive = parse_machine_time("2024-07-18T11:48", BERLIN)
    assert naive is not None
    assert naive.utcoffset() == timedelta(hours=2)
    assert parse_machine_time("2023-11-02T16:56+0000", BERLIN) == datetime(
        2023, 11, 2, 16, 56, tzinfo=UTC
    )
    assert parse_machine_time("95", BERLIN) is None
    assert parse_machine_time("yesterday", BERLIN) is None
