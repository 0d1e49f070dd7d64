"""Which entry times may be compared, and how.

Only times read from the page's markup or a clock label are evidence. Relative labels
("vor 5 Min.", "3 mins ago") drift from poll to poll and say nothing about identity or
retimes (:class:`ingest.model.TimeSource`). Times are compared as the UTC minute of the
day, circularly: a parser that dates an undated "14.01 Uhr" label one day off around
midnight must not turn into a retime or split an entry.
"""

from __future__ import annotations

from datetime import datetime

from ingest.model import TimeSource

MINUTES_PER_DAY = 24 * 60


def clock_minute(time: datetime | None, source: TimeSource) -> int | None:
    """The UTC minute of the day of a trustworthy time stamp, else None."""
    if time is None or source is TimeSource.RELATIVE:
        return None
    offset = time.utcoffset()
    if offset is None:  # Entry forbids naive times; a stored version might not
        return None
    local_minutes = time.hour * 60 + time.minute
    return (local_minutes - int(offset.total_seconds()) // 60) % MINUTES_PER_DAY


def minute_gap(a: int, b: int) -> int:
    """Minutes between two minutes of the day, the short way round the clock."""
    gap = abs(a - b) % MINUTES_PER_DAY
    return min(gap, MINUTES_PER_DAY - gap)
