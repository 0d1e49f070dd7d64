"""The filters the templates use. Every one returns plain text (escaped by Jinja) except
``entry_html``, which returns sanitized markup."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment

from storage.model import Ticker
from storage.search_query import Mark, SearchQuery, highlight, snippet
from web.sanitize import safe_html
from web.storyview import lead_text, minutes_figure
from web.timefmt import evidence, input_value, iso, shown


def duration(seconds: float | int | None) -> str:
    """``90 s``, ``5 min``, ``2 h``, ``1 h 30 min``."""
    if seconds is None:
        return ""
    total = round(seconds)
    if total < 120:
        return f"{total} s"
    minutes, _ = divmod(total, 60)
    if minutes < 120:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def when(value: datetime | None, zone: ZoneInfo) -> str:
    return shown(value, zone)


def when_seconds(value: datetime | None, zone: ZoneInfo) -> str:
    return shown(value, zone, seconds=True)


def zone_for(ticker: Ticker | None, default: ZoneInfo) -> ZoneInfo:
    """The zone a ticker's times are shown in on every page: its own, else ``default``
    (the configured one)."""
    return ZoneInfo(ticker.zone) if ticker is not None and ticker.zone else default


def marked(text: str | None, query: SearchQuery) -> tuple[Mark, ...]:
    return highlight(text or "", query)


def excerpt(text: str | None, query: SearchQuery) -> tuple[Mark, ...]:
    return snippet(text or "", query)


def install(environment: Environment) -> None:
    environment.filters.update(
        {
            "when": when,
            "when_s": when_seconds,
            "input_value": input_value,
            "iso": iso,
            "zone_for": zone_for,
            "evidence": evidence,
            "entry_html": safe_html,
            "duration": duration,
            "marked": marked,
            "excerpt": excerpt,
            "lead": lead_text,
            "minutes": minutes_figure,
        }
    )
