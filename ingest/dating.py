"""Giving every entry a full, aware time stamp.

Tickers print "9.32 Uhr" and leave the date to the reader, who knows it from the
day heading above, from the page's date line, or because a later clock time below
an earlier one in a newest-first ticker must be the day before. This module does
the same, as a pure function of the labels in page order, the page's dates and
the zone.

A label keeps its printed wall clock whatever zone it is placed in; the zone only
decides the instant. Around the October change the same wall-clock hour happens
twice, and page order decides which of the two a label means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from ingest.model import Order, TimeEvidence
from ingest.timestamps import ClockLabel

# A clock time later than the entry above it (newest first) by more than this is
# taken as the previous day. Late entries filed between older ones differ by
# minutes; a new day shows as a jump of many hours (seed: 06.33 over 14.01).
ROLL_OVER_AFTER = timedelta(hours=3)
# Clocks may run a little ahead of our fetch time; beyond this, a time today is
# in the future and must be yesterday's.
FUTURE_TOLERANCE = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Stamp:
    """What is known about one entry's time before dates are filled in."""

    machine: datetime | None = None  # aware, from ISO/epoch markup
    clock: ClockLabel | None = None
    day: tuple[int | None, int, int] | None = None  # (year, month, day) from a heading above
    relative: datetime | None = None


def stated_instant(stamp: Stamp) -> bool:
    """True when the page stated the instant itself: an offset or zone printed with the
    label, or a machine value with an offset or as epoch seconds. A machine value without
    an offset was read in the page's provisional zone (a ``ZoneInfo``) and is a wall
    clock like any label."""
    if stamp.machine is not None:
        return not isinstance(stamp.machine.tzinfo, ZoneInfo)
    return stamp.clock is not None and stamp.clock.offset is not None


def evidence_of(stamp: Stamp, zone_evidence: TimeEvidence) -> TimeEvidence:
    """What places this stamp's time: its own stated instant, or the page's zone rule."""
    if stamp.machine is not None or stamp.clock is not None:
        return TimeEvidence.OFFSET if stated_instant(stamp) else zone_evidence
    if stamp.relative is not None:
        return TimeEvidence.RELATIVE
    return TimeEvidence.NONE


def _sort_key(stamp: Stamp) -> float | None:
    if stamp.machine is not None:
        return stamp.machine.timestamp()
    if stamp.clock is not None and stamp.clock.has_date and stamp.clock.year is not None:
        assert stamp.clock.month is not None
        assert stamp.clock.day is not None
        day = datetime(stamp.clock.year, stamp.clock.month, stamp.clock.day, tzinfo=UTC)
        return day.timestamp() + stamp.clock.minute_of_day * 60
    return None


def detect_order(stamps: Sequence[Stamp]) -> Order:
    """Newest first or oldest first, by a majority of neighbouring pairs.

    Full time stamps are compared directly; bare clock times only when they are
    less than twelve hours apart (a larger step is a day boundary, not a direction).
    """
    down = up = 0
    previous_key: float | None = None
    previous_clock: int | None = None
    for stamp in stamps:
        key = _sort_key(stamp)
        if key is not None:
            if previous_key is not None and key != previous_key:
                down += key < previous_key
                up += key > previous_key
            previous_key = key
            previous_clock = None
            continue
        if stamp.clock is not None:
            minute = stamp.clock.minute_of_day
            if previous_clock is not None and 0 < abs(minute - previous_clock) < 12 * 60:
                down += minute < previous_clock
                up += minute > previous_clock
            previous_clock = minute
    if down == up == 0:
        return Order.UNKNOWN
    return Order.NEWEST_FIRST if down >= up else Order.OLDEST_FIRST


def _combine(day: date, clock: ClockLabel, zone: tzinfo) -> datetime:
    tz: tzinfo = zone
    if clock.zone_name is not None:
        tz = ZoneInfo(clock.zone_name)
    elif clock.offset is not None:
        tz = timezone(clock.offset)
    return datetime.combine(day, time(clock.hour, clock.minute), tzinfo=tz)


def _year_for(month: int, day: int, anchor: datetime) -> int:
    """The year of a day-and-month label: the anchor's, unless that lies well after it."""
    try:
        candidate = date(anchor.year, month, day)
    except ValueError:
        return anchor.year
    return anchor.year - 1 if candidate > anchor.date() + timedelta(days=1) else anchor.year


def resolve_times(
    stamps: Sequence[Stamp],
    *,
    order: Order,
    zone: tzinfo,
    observed_at: datetime,
    modified: datetime | None = None,
    year_month: tuple[int, int] | None = None,
) -> list[datetime | None]:
    """Aware time stamps for entries in page order, in ``zone``.

    ``modified`` (the page's last-modified metadata) anchors the newest entry's
    day; otherwise ``observed_at``. ``year_month`` (a "date 2019-04" line) gives
    the year of labels that print none.
    """
    anchor = min(modified, observed_at) if modified is not None else observed_at
    anchor_local = anchor.astimezone(zone)
    if year_month is not None:
        # A dateline names the month the ticker ran; read the newest day in it.
        year, month = year_month
        if (anchor_local.year, anchor_local.month) != (year, month):
            next_month = date(year + month // 12, month % 12 + 1, 1)
            anchor_local = datetime.combine(next_month, time(), tzinfo=zone) - timedelta(minutes=1)
    indices = list(range(len(stamps)))
    if order is Order.OLDEST_FIRST:
        indices.reverse()
    results: list[datetime | None] = [None] * len(stamps)
    newer: datetime | None = None
    current_day: date | None = None
    for index in indices:
        stamp = stamps[index]
        if stamp.machine is not None and stated_instant(stamp):
            resolved = stamp.machine.astimezone(zone)
        elif stamp.machine is not None:
            # Read without an offset: the same wall clock, in the zone decided for the page.
            resolved = stamp.machine.replace(tzinfo=zone)
        elif stamp.clock is not None:
            clock = stamp.clock
            if clock.has_date:
                assert clock.month is not None
                assert clock.day is not None
                year = clock.year or (
                    year_month[0] if year_month else _year_for(clock.month, clock.day, anchor_local)
                )
                try:
                    resolved = _combine(date(year, clock.month, clock.day), clock, zone)
                except ValueError:
                    resolved = None
            elif stamp.day is not None:
                heading_year, month, day = stamp.day
                year = heading_year or _year_for(month, day, anchor_local)
                try:
                    resolved = _combine(date(year, month, day), clock, zone)
                except ValueError:
                    resolved = None
            else:
                base_day = current_day or anchor_local.date()
                resolved = _combine(base_day, clock, zone)
                limit = newer if newer is not None else anchor_local
                tolerance = ROLL_OVER_AFTER if newer is not None else FUTURE_TOLERANCE
                if resolved > limit + tolerance:
                    resolved -= timedelta(days=1)
        elif stamp.relative is not None:
            resolved = stamp.relative.astimezone(zone)
        else:
            resolved = None
        results[index] = resolved
        if resolved is not None and stamp.relative is None:
            newer = resolved
            current_day = resolved.date() if not stated_instant(stamp) else None
            if current_day is None:
                current_day = resolved.astimezone(zone).date()
    return _settle_folds(results, stamps, order)


def _settle_folds(
    times: list[datetime | None], stamps: Sequence[Stamp], order: Order
) -> list[datetime | None]:
    """Pick the first or second of a wall-clock time that happens twice (the October
    change) so that the page's entries run in page order.

    Walks oldest to newest: a repeated time earlier than the entry before it must be
    the second occurrence (``fold=1``, the winter offset).
    """
    indices = list(range(len(times)))
    if order is not Order.OLDEST_FIRST:
        indices.reverse()
    settled = list(times)
    previous: datetime | None = None  # UTC
    for index in indices:
        current = settled[index]
        if current is None or stamps[index].relative is not None:
            continue
        if previous is not None and not stated_instant(stamps[index]):
            # Aware datetimes sharing a tzinfo compare by wall clock, so compare in UTC.
            later = current.replace(fold=1)
            if later.utcoffset() != current.utcoffset() and current.astimezone(
                UTC
            ) < previous <= later.astimezone(UTC):
                current = settled[index] = later
        previous = current.astimezone(UTC)
    return settled
