"""Instants in and out of the web: display, form input, HTTP dates. Pure.

Stored instants are aware UTC; people see them in the ticker's zone (or the configured
one) and type them into ``datetime-local`` inputs in that zone. Query parameters take
ISO 8601 with an offset, or without one to mean the zone shown next to the input.
HTTP dates (Memento) are RFC 1123 in GMT (RFC 7231 §7.1.1.1).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from zoneinfo import ZoneInfo

from ingest.model import TimeEvidence


class BadInstant(ValueError):
    """A date-time that cannot be read; the message says what was expected."""


# The instants a request may name: datetime's own range (years 1-9999) less a day at
# each end, so that the instant can be shown in any zone (UTC offsets are under a
# day) and a day's arithmetic on it stays representable.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def _in_range(value: datetime, text: str) -> datetime:
    """``value`` as aware UTC, or ``BadInstant`` when outside EARLIEST..LATEST."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+14:00 lies before year 1 in UTC
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise BadInstant(
            f"out of range: {text[:40]!r} (from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d} UTC)"
        )
    return utc


def zone_of(name: str | None, default: str) -> ZoneInfo:
    """The ticker's zone when it names one, else the configured default."""
    return ZoneInfo(name or default)


_EVIDENCE: dict[TimeEvidence, str] = {
    TimeEvidence.OFFSET: "the page states the instant",
    TimeEvidence.PAGE: "zone from the page's own dates",
    TimeEvidence.TICKER_ZONE: "zone set for this ticker",
    TimeEvidence.FRESHNESS: "zone inferred from the ticker's freshness",
    TimeEvidence.LOCALE: "zone of the page's language and domain",
    TimeEvidence.DEFAULT: "no zone found: the default",
    TimeEvidence.RELATIVE: "estimated from a relative time",
    TimeEvidence.NONE: "no time printed",
}


def evidence(value: TimeEvidence) -> str:
    """What placed an entry's printed time in time, for people."""
    return _EVIDENCE[value]


def shown(value: datetime | None, zone: ZoneInfo, *, seconds: bool = False) -> str:
    """``2019-04-24 14:06 CEST``; an empty string for None."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    return local.strftime("%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z")


def input_value(value: datetime | None, zone: ZoneInfo) -> str:
    """The value of a ``datetime-local`` input showing ``value`` in ``zone``."""
    if value is None:
        return ""
    return value.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes")


def parse_instant(text: str, zone: ZoneInfo) -> datetime:
    """``2019-04-24T14:30`` (in ``zone``), ``2019-04-24T14:30+02:00`` or ``…Z``, as
    aware UTC (``BadInstant`` otherwise, also outside :data:`EARLIEST`..:data:`LATEST`).
    A local time a DST change skips or repeats is read with its first offset."""
    cleaned = text.strip().replace(" ", "T", 1)
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError as error:
        raise BadInstant(
            f"not a date and time: {text[:40]!r} (expected e.g. 2019-04-24T14:30 or "
            "2019-04-24T14:30+02:00)"
        ) from error
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return _in_range(value, text)


def day_start(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of ``now``'s day in ``zone``, as aware UTC."""
    local = now.astimezone(zone)
    midnight = datetime(local.year, local.month, local.day, tzinfo=zone)
    return midnight.astimezone(UTC)


def http_date(value: datetime) -> str:
    """``Tue, 23 Apr 2019 07:15:00 GMT``."""
    return format_datetime(value.astimezone(UTC).replace(microsecond=0), usegmt=True)


def parse_http_date(text: str) -> datetime:
    """An RFC 1123 date in GMT, as aware UTC (``BadInstant`` otherwise, also outside
    :data:`EARLIEST`..:data:`LATEST`)."""
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError) as error:
        raise BadInstant(
            f"not an HTTP date: {text[:40]!r} (expected e.g. Tue, 23 Apr 2019 07:15:00 GMT)"
        ) from error
    if value.tzinfo is None or value.utcoffset() != timedelta(0):
        raise BadInstant(f"an HTTP date must be in GMT: {text[:40]!r}")
    return _in_range(value, text)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
