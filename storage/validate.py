"""What every adapter refuses before writing, so that all of them store the same things.

- Text must be encodable as UTF-8 and free of NUL: PostgreSQL's ``text`` cannot hold
  U+0000 and no database can hold a lone surrogate. The store raises
  :class:`~storage.errors.InvalidValue` rather than strip anything: a silently altered
  entry text would later read as an edit that never happened.
- Datetimes must be aware, with a whole-second UTC offset (what a zone can have), and
  their UTC value must lie within years 1-9999, which is what the SQL adapters store.

Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import UTC, datetime, timedelta, timezone

from diffing.model import EntryVersion
from ingest.model import EntrySelectors
from storage.errors import InvalidValue
from storage.model import NewTicker


def check_text(value: str | None, what: str) -> None:
    """Raise InvalidValue if ``value`` cannot be stored exactly."""
    if value is None:
        return
    if "\x00" in value:
        raise InvalidValue(f"{what} contains NUL (U+0000), which PostgreSQL cannot store")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidValue(f"{what} is not valid Unicode: {error.reason}") from error


def check_texts(values: Iterable[tuple[str | None, str]]) -> None:
    """:func:`check_text` over ``(value, what)`` pairs."""
    for value, what in values:
        check_text(value, what)


def to_utc(value: datetime, what: str = "datetime") -> datetime:
    """``value`` as aware UTC; InvalidValue if naive or outside the storable range."""
    offset = value.utcoffset()
    if offset is None:
        raise InvalidValue(f"{what} must be timezone-aware, got {value!r}")
    if offset % timedelta(seconds=1):
        raise InvalidValue(f"{what} has a UTC offset with a fraction of a second: {offset}")
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise InvalidValue(f"{what} is outside the storable range: {value!r}") from error


def check_instant(value: datetime | None, what: str) -> None:
    if value is not None:
        to_utc(value, what)


def offset_seconds(value: datetime) -> int:
    """The UTC offset of an aware datetime in whole seconds."""
    offset = value.utcoffset()
    if offset is None:
        raise InvalidValue(f"datetime must be timezone-aware, got {value!r}")
    return int(offset.total_seconds())


def check_version(version: EntryVersion, what: str) -> None:
    """Every text and datetime field of ``version`` (whatever fields it has)."""
    for item in fields(version):
        value = getattr(version, item.name)
        if isinstance(value, str):
            check_text(value, f"{what} {item.name}")
        elif isinstance(value, datetime):
            to_utc(value, f"{what} {item.name}")


def version_key(version: EntryVersion) -> tuple[object, ...]:
    """What makes two versions the same revision when stored: every field, datetimes as
    their instant and offset (aware datetimes in a DST fold never compare equal across
    zones, so ``==`` on versions read back from a database is not reliable)."""
    key: list[object] = []
    for item in fields(version):
        value = getattr(version, item.name)
        if isinstance(value, datetime):
            value = (to_utc(value), offset_seconds(value))
        key.append(value)
    return tuple(key)


def stored_instant(value: datetime) -> datetime:
    """An instant as every store returns it: aware UTC."""
    return to_utc(value)


def stored_time(value: datetime) -> datetime:
    """An entry time as every store returns it: the same instant at the same UTC offset,
    as a fixed-offset zone (a zone's name is not stored)."""
    return to_utc(value).astimezone(timezone(timedelta(seconds=offset_seconds(value))))


def check_new_ticker(ticker: NewTicker, created_at: datetime) -> None:
    """What ``TickerRepository.add`` refuses."""
    check_texts(
        (
            (ticker.url, "ticker url"),
            (ticker.name, "ticker name"),
            (ticker.zone, "ticker zone"),
            (ticker.profile, "ticker profile"),
        )
    )
    check_name(ticker.name)
    check_tags(ticker.tags)
    check_robots_override(ticker.robots_override)
    check_selectors(ticker.selectors)
    check_texts((tag, "ticker tag") for tag in ticker.tags)
    check_interval(ticker.interval_seconds)
    check_instant(created_at, "created_at")
    check_instant(ticker.next_poll_at, "next_poll_at")


def check_name(name: str) -> None:
    check_text(name, "ticker name")
    if not name.strip():
        raise InvalidValue("a ticker name must not be blank")


def check_tags(tags: Iterable[str]) -> None:
    for tag in tags:
        check_text(tag, "ticker tag")
        if not tag.strip():
            raise InvalidValue("a tag must not be blank")


def check_robots_override(reason: str | None) -> None:
    check_text(reason, "robots override reason")
    if reason is not None and not reason.strip():
        raise InvalidValue("overriding robots.txt needs a reason")


def check_selectors(selectors: EntrySelectors | None) -> None:
    if selectors is None:
        return
    check_texts((value, f"{name} selector") for name, value in asdict(selectors).items())
    if not selectors.entry.strip():
        raise InvalidValue("the entry selector must not be blank")


def check_interval(interval_seconds: int) -> None:
    if interval_seconds <= 0:
        raise InvalidValue(f"interval_seconds must be positive, got {interval_seconds}")


def check_window(limit: int, offset: int) -> None:
    """A page of a listing: neither bound may be negative."""
    if limit < 0 or offset < 0:
        raise InvalidValue(f"limit and offset must not be negative: {limit}, {offset}")
