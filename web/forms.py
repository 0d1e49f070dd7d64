"""Reading what people type into the UI's forms. Pure; each reader raises
:class:`FormError` with a message fit to show next to the form."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.layouts.selectors import selector_problems, selectors_from
from ingest.model import EntrySelectors
from storage.model import MAX_ID, MAX_INTERVAL_SECONDS, default_name

_UNITS = {"s": 1, "m": 60, "h": 3600}


class FormError(ValueError):
    """A form field that cannot be used; the message says which and why."""


def ticker_url(value: str) -> str:
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FormError(f"not an http(s) URL: {value!r}")
    return text


def form_id(value: str, *, at_most: int = MAX_ID) -> int | None:
    """A positive whole number typed or sent in a hidden field (ids, page numbers):
    ASCII digits only (``str.isdigit`` also takes ``²``, which ``int`` refuses), at
    most ``at_most``; None when blank."""
    text = value.strip()
    if not text:
        return None
    # Longer than any storable number: refused before int() reads thousands of digits.
    if len(text) > len(str(at_most)) or not (text.isascii() and text.isdigit()):
        raise FormError(f"not a number from 1 to {at_most}: {value[:40]!r}")
    number = int(text)
    if not 1 <= number <= at_most:
        raise FormError(f"not a number from 1 to {at_most}: {value[:40]!r}")
    return number


def interval_seconds(value: str) -> int:
    """``90``, ``90s``, ``5m`` or ``1h`` as seconds, from one second to
    :data:`~storage.model.MAX_INTERVAL_SECONDS`."""
    text = value.strip().lower()
    unit = _UNITS.get(text[-1:])
    number = text[:-1] if unit else text
    try:
        seconds = float(number) * (unit or 1)
    except ValueError as error:
        raise FormError(f"not an interval: {value[:40]!r} (e.g. 90, 90s, 5m, 1h)") from error
    # NaN fails both comparisons; infinity the second.
    if not 1 <= seconds <= MAX_INTERVAL_SECONDS:
        raise FormError(
            f"an interval must be from one second to {MAX_INTERVAL_SECONDS // 86400} days"
        )
    return int(seconds)


def zone_name(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        ZoneInfo(text)
    # OSError: a name too long for a file name of the zone database.
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise FormError(f"unknown time zone {text[:40]!r} (e.g. Europe/Berlin)") from error
    return text


def ticker_name(value: str | None, url: str) -> str:
    text = (value or "").strip()
    return text or default_name(url)


def entry_selectors(
    entry: str, time: str = "", headline: str = "", body: str = "", native_id: str = ""
) -> EntrySelectors | None:
    """The ticker form's selector fields (blank: unset); None without an entry selector.
    Each selector must compile as CSS."""
    try:
        selectors = selectors_from(
            entry=entry, time=time, headline=headline, body=body, native_id=native_id
        )
    except ValueError as error:
        raise FormError(str(error)) from error
    if selectors is not None:
        problems = selector_problems(selectors)
        if problems:
            raise FormError("; ".join(problems))
    return selectors


def form_minutes(value: str, what: str) -> int:
    """A whole number of minutes typed into a form (``0`` allowed; the desk checks each
    setting's own bounds)."""
    text = value.strip()
    if not text:
        raise FormError(f"{what}: a number of minutes is needed")
    return 0 if text.isascii() and text.strip("0") == "" else _minutes(text, what)


def _minutes(text: str, what: str) -> int:
    try:
        found = form_id(text)
    except FormError as error:
        raise FormError(f"{what}: not a number of minutes: {text[:40]!r}") from error
    return found or 0


def form_words(value: str) -> tuple[str, ...]:
    """A comma-separated list typed into a form (tags), blanks left out, each once."""
    return tuple(dict.fromkeys(w.strip() for w in value.split(",") if w.strip()))
