"""Entry times, table-driven: midnight in both page orders, the March and October
changes in Europe and the US, 12-hour clocks, and the evidence each time carries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ingest.dating import Stamp, detect_order, evidence_of, resolve_times, stated_instant
from ingest.model import Order, TimeEvidence
from ingest.parse import parse_page
from ingest.timestamps import ClockLabel, find_clock

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def label(text: str) -> Stamp:
    found = find_clock(text)
    assert found is not None, text
    return Stamp(clock=found)


# (case, zone, labels in page order, fetch time (local wall clock, the later of a
#  repeated hour), expected local
#  "MM-DD HH:MM" and UTC offsets in hours, in page order)
CASES = [
    (
        "newest first over midnight",
        BERLIN,
        ["0.20 Uhr", "0.05 Uhr", "23.50 Uhr", "23.30 Uhr"],
        (2026, 12, 3, 0, 25),
        ["12-03 00:20", "12-03 00:05", "12-02 23:50", "12-02 23:30"],
        [1, 1, 1, 1],
    ),
    (
        "oldest first over midnight",
        LONDON,
        ["23:30", "23:50", "00:05", "00:20"],
        (2026, 7, 1, 0, 25),
        ["06-30 23:30", "06-30 23:50", "07-01 00:05", "07-01 00:20"],
        [1, 1, 1, 1],
    ),
    (
        "Europe, March change, newest first",
        BERLIN,
        ["3.10 Uhr", "1.55 Uhr", "1.40 Uhr"],
        (2026, 3, 29, 3, 15),
        ["03-29 03:10", "03-29 01:55", "03-29 01:40"],
        [2, 1, 1],
    ),
    (
        "Europe, October change at night, newest first: the repeated hour in order",
        BERLIN,
        ["2.20 Uhr", "2.05 Uhr", "2.50 Uhr", "2.30 Uhr", "1.55 Uhr"],
        (2026, 10, 25, 2, 25),
        ["10-25 02:20", "10-25 02:05", "10-25 02:50", "10-25 02:30", "10-25 01:55"],
        [1, 1, 2, 2, 2],
    ),
    (
        "Europe, October change at night, oldest first",
        LONDON,
        ["00:55", "01:30", "01:50", "01:10", "01:40"],
        (2026, 10, 25, 1, 45),
        ["10-25 00:55", "10-25 01:30", "10-25 01:50", "10-25 01:10", "10-25 01:40"],
        [1, 1, 1, 0, 0],
    ),
    (
        "US, March change, 12-hour clock",
        NEW_YORK,
        ["3:05am", "1:50am", "1:30am"],
        (2026, 3, 8, 3, 10),
        ["03-08 03:05", "03-08 01:50", "03-08 01:30"],
        [-4, -5, -5],
    ),
    (
        "US, November change at night, 12-hour clock",
        NEW_YORK,
        ["1:20am", "1:05am", "1:45am", "1:30am", "12:50am"],
        (2026, 11, 1, 1, 25),
        ["11-01 01:20", "11-01 01:05", "11-01 01:45", "11-01 01:30", "11-01 00:50"],
        [-5, -5, -4, -4, -4],
    ),
    (
        "12-hour clock over noon and midnight",
        NEW_YORK,
        ["12:10am", "11:55pm", "12:30pm", "11:05am"],
        (2026, 7, 2, 0, 15),
        ["07-02 00:10", "07-01 23:55", "07-01 12:30", "07-01 11:05"],
        [-4, -4, -4, -4],
    ),
]


@pytest.mark.parametrize(
    ("zone", "labels", "fetched", "local", "offsets"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_labels_are_placed_in_time(
    zone: ZoneInfo,
    labels: list[str],
    fetched: tuple[int, int, int, int, int],
    local: list[str],
    offsets: list[int],
) -> None:
    stamps = [label(text) for text in labels]
    observed = datetime(*fetched, tzinfo=zone, fold=1).astimezone(UTC)
    times = resolve_times(stamps, order=detect_order(stamps), zone=zone, observed_at=observed)
    assert [t and t.strftime("%m-%d %H:%M") for t in times] == local
    assert [t and t.utcoffset() for t in times] == [timedelta(hours=h) for h in offsets]
    instants = [t.astimezone(UTC) for t in times if t is not None]
    newest_first = detect_order(stamps) is not Order.OLDEST_FIRST
    assert instants == sorted(instants, reverse=newest_first), "page order is time order"


def test_a_label_keeps_its_printed_wall_clock_in_any_season() -> None:
    stamps = [label("14.01 Uhr"), label("9.32 Uhr")]
    for observed in (
        datetime(2026, 4, 23, 15, tzinfo=BERLIN),
        datetime(2026, 12, 3, 15, tzinfo=BERLIN),
    ):
        times = resolve_times(stamps, order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed)
        assert [t and t.strftime("%H:%M") for t in times] == ["14:01", "09:32"]


@pytest.mark.parametrize(
    ("stamp", "evidence"),
    [
        (Stamp(machine=datetime(2026, 4, 23, 8, 6, tzinfo=UTC)), TimeEvidence.OFFSET),
        (
            Stamp(machine=datetime(2026, 4, 23, 8, 6, tzinfo=timezone(timedelta(hours=2)))),
            TimeEvidence.OFFSET,
        ),
        (Stamp(machine=datetime(2026, 4, 23, 8, 6, tzinfo=BERLIN)), TimeEvidence.LOCALE),
        (label("10:32 BST"), TimeEvidence.OFFSET),
        (label("10:32"), TimeEvidence.LOCALE),
        (Stamp(relative=datetime(2026, 4, 23, 8, 6, tzinfo=UTC)), TimeEvidence.RELATIVE),
        (Stamp(), TimeEvidence.NONE),
    ],
)
def test_evidence_of_a_stamp(stamp: Stamp, evidence: TimeEvidence) -> None:
    assert evidence_of(stamp, TimeEvidence.LOCALE) is evidence
    assert stated_instant(stamp) is (evidence is TimeEvidence.OFFSET)


def test_a_machine_time_without_offset_is_read_in_the_decided_zone() -> None:
    naive_read = Stamp(machine=datetime(2026, 4, 23, 8, 6, tzinfo=ZoneInfo("UTC")))
    (time,) = resolve_times(
        [naive_read], order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=datetime.now(UTC)
    )
    assert time == datetime(2026, 4, 23, 8, 6, tzinfo=BERLIN)


def _page(body: str) -> bytes:
    return f"<html lang='en'><body><h1>Live</h1>{body}</body></html>".encode()


def test_parse_names_the_rule_and_evidence_per_entry() -> None:
    body = _page(
        "<article id='a'><time datetime='2026-04-23T08:06:00+00:00'>09:06 BST</time><p>Stated.</p></article>"
        "<article id='b'><time>8.12am</time><p>Only the clock is printed here.</p></article>"
        "<article id='c'><time>7.50am</time><p>Another update with a clock.</p></article>"
    )
    # A page without a zone hint, fetched 4 minutes after its newest entry in New York.
    observed = datetime(2026, 4, 23, 8, 16, tzinfo=NEW_YORK)
    page = parse_page(body, url="https://live.example.com/x", observed_at=observed)
    by_text = {e.text[:7]: e for e in page.entries}
    assert by_text["Only th"].time_evidence is TimeEvidence.FRESHNESS
    assert by_text["Only th"].time is not None
    assert by_text["Only th"].time.strftime("%H:%M") == "08:12"
    assert by_text["Only th"].time.utcoffset() == timedelta(hours=-4)
    assert page.time_rule is not None
    assert "freshness" in page.time_rule


def test_parse_of_a_saved_page_dates_it_by_its_own_date() -> None:
    body = (
        "<html lang='de'><body><h1>Liveticker</h1><p>Stand: 28.09.2020</p>"
        "<p><strong>14.05 Uhr:</strong> Die letzte Meldung des Tages kam am Nachmittag.</p>"
        "<p><strong>13.40 Uhr:</strong> Eine Meldung vom frühen Nachmittag folgt hier.</p>"
        "<p><strong>9.10 Uhr:</strong> Die erste Meldung des Tages kam am Morgen.</p>"
        "</body></html>"
    ).encode()
    now = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
    page = parse_page(
        body, url="https://www.example.de/ticker", observed_at=now, date_from_page=True
    )
    assert [e.time and e.time.strftime("%Y-%m-%d %H:%M") for e in page.entries] == [
        "2020-09-28 14:05",
        "2020-09-28 13:40",
        "2020-09-28 09:10",
    ]


def test_clock_label_type_is_the_one_timestamps_reads() -> None:
    assert isinstance(label("2.15pm").clock, ClockLabel)
