"""Filling in dates: day headings, page dates, roll-over, DST and midnight."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ingest.dating import Stamp, detect_order, resolve_times
from ingest.model import Order
from ingest.timestamps import ClockLabel

BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")


def clock(h: int, m: int, day: int | None = None, month: int | None = None) -> Stamp:
    return Stamp(clock=ClockLabel(h, m, f"{h}.{m:02d}", day, month))


def test_newest_first_rolls_back_a_day_when_a_later_clock_comes_below() -> None:
    stamps = [clock(6, 33, 25, 4), clock(14, 1), clock(13, 19), clock(6, 21), clock(15, 26, 23, 4)]
    observed = datetime(2019, 4, 25, 7, 0, tzinfo=BERLIN)
    times = resolve_times(stamps, order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed)
    assert [t and t.strftime("%d %H:%M") for t in times] == [
        "25 06:33",
        "24 14:01",
        "24 13:19",
        "24 06:21",
        "23 15:26",
    ]


def test_late_entry_filed_between_older_ones_does_not_roll_over() -> None:
    stamps = [clock(9, 37), clock(9, 32), clock(9, 34), clock(9, 13)]
    observed = datetime(2026, 4, 23, 9, 40, tzinfo=BERLIN)
    times = resolve_times(stamps, order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed)
    assert {t.date() for t in times if t} == {observed.date()}


def test_a_clock_after_the_fetch_is_yesterday() -> None:
    observed = datetime(2026, 4, 23, 0, 20, tzinfo=BERLIN)
    (time,) = resolve_times(
        [clock(23, 50)], order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed
    )
    assert time == datetime(2026, 4, 22, 23, 50, tzinfo=BERLIN)


def test_oldest_first_crosses_midnight_forward() -> None:
    stamps = [clock(23, 45), clock(23, 46), clock(0, 4), clock(0, 30)]
    observed = datetime(2015, 1, 1, 1, 0, tzinfo=LONDON)
    order = detect_order(stamps)
    assert order is Order.OLDEST_FIRST
    times = resolve_times(stamps, order=order, zone=LONDON, observed_at=observed)
    assert [t and t.strftime("%d %H:%M") for t in times] == [
        "31 23:45",
        "31 23:46",
        "01 00:04",
        "01 00:30",
    ]


def test_daylight_saving_change_keeps_local_clock_and_changes_offset() -> None:
    # 2026-03-29: Berlin moves from +01:00 to +02:00 at 02:00.
    stamps = [clock(3, 30), clock(1, 30)]
    observed = datetime(2026, 3, 29, 4, 0, tzinfo=BERLIN)
    times = resolve_times(stamps, order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed)
    assert times[0] is not None
    assert times[0].utcoffset() == timedelta(hours=2)
    assert times[1] is not None
    assert times[1].utcoffset() == timedelta(hours=1)


def test_day_heading_dates_the_entries_below_it() -> None:
    stamps = [Stamp(clock=ClockLabel(11, 4, "11.04"), day=(None, 7, 18))]
    observed = datetime(2024, 7, 20, 9, 0, tzinfo=BERLIN)
    (time,) = resolve_times(stamps, order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed)
    assert time == datetime(2024, 7, 18, 11, 4, tzinfo=BERLIN)


def test_date_line_sets_year_and_month() -> None:
    stamps = [clock(6, 33, 25, 4), clock(14, 1)]
    observed = datetime(2026, 11, 28, 12, 0, tzinfo=BERLIN)
    times = resolve_times(
        stamps, order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed, year_month=(2019, 4)
    )
    assert times == [
        datetime(2019, 4, 25, 6, 33, tzinfo=BERLIN),
        datetime(2019, 4, 24, 14, 1, tzinfo=BERLIN),
    ]


def test_page_modified_time_anchors_the_newest_entry() -> None:
    modified = datetime(2024, 8, 27, 12, 32, tzinfo=BERLIN)
    observed = datetime(2026, 1, 1, tzinfo=BERLIN)
    times = resolve_times(
        [clock(12, 31), clock(2, 2)],
        order=Order.NEWEST_FIRST,
        zone=BERLIN,
        observed_at=observed,
        modified=modified,
    )
    assert times == [
        datetime(2024, 8, 27, 12, 31, tzinfo=BERLIN),
        datetime(2024, 8, 27, 2, 2, tzinfo=BERLIN),
    ]


def test_printed_zone_wins_over_the_page_zone() -> None:
    stamp = Stamp(clock=ClockLabel(10, 32, "10:32 BST", offset=timedelta(hours=1)))
    observed = datetime(2026, 4, 23, 12, 0, tzinfo=BERLIN)
    (time,) = resolve_times([stamp], order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed)
    assert time == datetime(2026, 4, 23, 11, 32, tzinfo=BERLIN)


def test_relative_times_do_not_anchor_neighbours() -> None:
    observed = datetime(2026, 4, 23, 10, 0, tzinfo=BERLIN)
    stamps = [Stamp(relative=observed - timedelta(minutes=3)), clock(9, 40)]
    times = resolve_times(stamps, order=Order.NEWEST_FIRST, zone=BERLIN, observed_at=observed)
    assert times == [
        datetime(2026, 4, 23, 9, 57, tzinfo=BERLIN),
        datetime(2026, 4, 23, 9, 40, tzinfo=BERLIN),
    ]
