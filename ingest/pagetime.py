"""The time facts of one page, for deciding its zone and its entries' dates. Pure.

The newest entry's printed clock (freshness), the offset the page prints beside the
instants it states (``<time datetime="…Z">16:58</time>``), the day the page itself states
(for a saved page read without a fetch time). :mod:`ingest.zones` weighs them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from ingest.dating import Stamp, stated_instant
from ingest.layouts.base import PageInput
from ingest.model import Order
from ingest.text import clean_inline
from ingest.timestamps import ClockLabel, find_clock, parse_machine_time
from ingest.zones import printed_offset

# Pairs read at most: a page's first few dozen agree or disagree already.
MAX_PAIRS = 50


def label_language(text: str) -> str | None:
    """The language the page's clock labels are written in, when they show it
    ("14.01 Uhr": German)."""
    # A plain substring walk: a regex led by \d crawls through a megabyte page.
    start = text.find(" Uhr")
    while start > 0:
        after = text[start + 4 : start + 5]
        if text[start - 1].isdigit() and not (after.isalnum() or after == "_"):
            return "de"
        start = text.find(" Uhr", start + 4)
    return None


def newest_label(
    stamps: Sequence[Stamp], pinned: Sequence[bool], order: Order
) -> ClockLabel | None:
    """The printed wall clock of the newest entry whose instant the page does not state
    (pinned ones are old news on top)."""
    indices = (
        range(len(stamps)) if order is not Order.OLDEST_FIRST else reversed(range(len(stamps)))
    )
    for index in indices:
        stamp = stamps[index]
        if pinned[index] or stated_instant(stamp):
            continue
        if stamp.clock is not None:
            return stamp.clock
        if stamp.machine is not None:
            when = stamp.machine
            return ClockLabel(when.hour, when.minute, when.isoformat())
    return None


def printed_beside_stated(page: PageInput) -> tuple[timedelta, datetime] | None:
    """The offset the page prints its ``<time>`` elements in, from their stated
    ``datetime`` instants (:func:`ingest.zones.printed_offset`)."""
    if page.root is None:
        return None
    pairs = []
    for element in page.root.iter("time"):
        value = element.get("datetime")
        instant = parse_machine_time(value, page.zone) if value else None
        if instant is None or isinstance(instant.tzinfo, ZoneInfo):
            continue  # no instant stated
        clock = find_clock(clean_inline(element.text_content()))
        if clock is not None and clock.offset is None:
            pairs.append((instant, clock))
        if len(pairs) >= MAX_PAIRS:
            break
    return printed_offset(pairs)


_TEXT_DATE_RE = re.compile(
    r"\b(?:(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)|((?:19|20)\d\d)-(\d\d)-(\d\d))\b"
)


def page_day(page: PageInput, stamps: Sequence[Stamp], zone: tzinfo) -> datetime | None:
    """The latest day the page itself states (its dates, dated labels and headings, a
    date in its text), as that day's last minute; None when it states none. Used to
    date labels when no fetch time is known (``parse`` of a saved file)."""
    days: list[date] = [
        d.astimezone(zone).date() for d in (page.meta.modified, page.meta.published) if d
    ]
    for stamp in stamps:
        if stamp.machine is not None:
            days.append(stamp.machine.astimezone(zone).date())
        clock = stamp.clock
        if clock is not None and clock.year and clock.month and clock.day:
            days.extend(_day(clock.year, clock.month, clock.day))
        if stamp.day is not None and stamp.day[0] is not None:
            days.extend(_day(*stamp.day))  # type: ignore[arg-type]
    if not days:
        for m in _TEXT_DATE_RE.finditer(page.text[:200000]):
            if m.group(3):
                days.extend(_day(int(m.group(3)), int(m.group(2)), int(m.group(1))))
            else:
                days.extend(_day(int(m.group(4)), int(m.group(5)), int(m.group(6))))
    days = [d for d in days if d <= page.observed_at.astimezone(zone).date()]
    if not days:
        return None
    return datetime.combine(max(days), time(23, 59), tzinfo=zone)


def _day(year: int, month: int, day: int) -> list[date]:
    try:
        return [date(year, month, day)]
    except ValueError:
        return []
