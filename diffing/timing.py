"""Which entry times may be compared, and how.

Only times read from the page's markup or a clock label are evidence. Relative labels
("vor 5 Min.", "3 mins ago") drift from poll to poll and say nothing about identity or
retimes (:class:`ingest.model.TimeSource`).

An entry's instant is the printed label resolved with some evidence
(:class:`ingest.model.TimeEvidence`). Unless the page stated the instant itself (an
offset in the markup), the instant depends on a zone and a date we inferred, and the
inference may move from poll to poll (a page polled in winter about a summer day, a
"Update vom 23. April" line that comes and goes). So times are compared like with like:

- both instants explicit: the UTC minute of the day;
- otherwise: the printed wall-clock minute of the day (the time in its own offset).

Either way circularly, by minute of the day: a label dated one day off around midnight
must not turn into a retime or split an entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from diffing.model import EntryStatus, KnownEntry
from ingest.model import TimeEvidence, TimeSource

MINUTES_PER_DAY = 24 * 60


def _comparable(time: datetime | None, source: TimeSource) -> datetime | None:
    if time is None or source is TimeSource.RELATIVE:
        return None
    if time.utcoffset() is None:  # Entry forbids naive times; a stored version might not
        return None
    return time


def clock_minute(time: datetime | None, source: TimeSource) -> int | None:
    """The UTC minute of the day of a trustworthy time stamp, else None."""
    aware = _comparable(time, source)
    if aware is None:
        return None
    offset = aware.utcoffset()
    assert offset is not None
    local_minutes = aware.hour * 60 + aware.minute
    return (local_minutes - int(offset.total_seconds()) // 60) % MINUTES_PER_DAY


def wall_minute(time: datetime | None, source: TimeSource) -> int | None:
    """The printed wall-clock minute of the day (the time in its own offset), else None."""
    aware = _comparable(time, source)
    return None if aware is None else aware.hour * 60 + aware.minute


def matching_minute(
    time: datetime | None, source: TimeSource, evidence: TimeEvidence
) -> int | None:
    """The minute the matcher compares: UTC for a stated instant, else the printed one.

    A season or zone inference that moves never moves this minute, so it cannot split
    an entry; a page that switches between stated and printed times for one entry is
    rare and then merely loses the time agreement for one poll.
    """
    if evidence.explicit:
        return clock_minute(time, source)
    return wall_minute(time, source)


def time_changed(
    before: datetime | None,
    before_source: TimeSource,
    before_evidence: TimeEvidence,
    after: datetime | None,
    after_source: TimeSource,
    after_evidence: TimeEvidence,
) -> bool:
    """True when a reader sees a different time: the stated instants differ (both sides
    explicit) or the printed wall clocks differ (otherwise). Never for a time that only
    an inference moved, nor when either side has no trustworthy time."""
    if before_evidence.explicit and after_evidence.explicit:
        a, b = clock_minute(before, before_source), clock_minute(after, after_source)
    else:
        a, b = wall_minute(before, before_source), wall_minute(after, after_source)
    return a is not None and b is not None and minute_gap(a, b) > 0


def minute_gap(a: int, b: int) -> int:
    """Minutes between two minutes of the day, the short way round the clock."""
    gap = abs(a - b) % MINUTES_PER_DAY
    return min(gap, MINUTES_PER_DAY - gap)


def confirmed_freshness_offset(entries: Iterable[KnownEntry]) -> tuple[timedelta, datetime] | None:
    """The UTC offset freshness placed the ticker's live entries in, once two polls
    agree on it, with an instant it held at: from the entries first seen on the two
    latest polls whose times freshness decided. None before two such polls, or when
    they disagree (a clock change, or a guess a later poll corrected)."""
    by_poll: dict[datetime, set[timedelta]] = {}
    for known in entries:
        version = known.version
        if known.status is not EntryStatus.LIVE or version.time is None:
            continue
        if version.time_evidence is not TimeEvidence.FRESHNESS:
            continue
        offset = version.time.utcoffset()
        if offset is not None:
            by_poll.setdefault(known.first_seen, set()).add(offset)
    polls = sorted(by_poll, reverse=True)[:2]
    if len(polls) < 2 or len(by_poll[polls[0]] | by_poll[polls[1]]) != 1:
        return None
    return next(iter(by_poll[polls[0]])), polls[0]
