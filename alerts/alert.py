"""The values alert delivery passes between its parts.

An :class:`Alert` is one stored change event with what a chat message needs around it
(the ticker's name and links). A :class:`Message` is what one sink is sent: one alert, or
a digest of several alerts of one ticker. Formatting (``alerts.formatting``) turns a
message into a :class:`Payload` for one platform; the delivery worker sends payloads.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from storage.model import StoredChange


class SinkKind(enum.StrEnum):
    """The platforms alerts can be sent to."""

    SLACK = "slack"
    MATTERMOST = "mattermost"
    DISCORD = "discord"
    TEAMS = "teams"
    GOOGLECHAT = "googlechat"
    MATRIX = "matrix"
    NTFY = "ntfy"
    WEBHOOK = "webhook"
    APPRISE = "apprise"


@dataclass(frozen=True, slots=True)
class Alert:
    """One change event of one ticker as alerts show it.

    ``history_url`` links to the entry's history page (the ticker's timeline for a page
    change) in the web UI, None when no public base URL is configured; ``source_url`` is
    the ticker's page.
    """

    change: StoredChange
    ticker_name: str
    source_url: str
    history_url: str | None


@dataclass(frozen=True, slots=True)
class Message:
    """What one delivery sends: one alert, or a digest of several alerts of one ticker
    (oldest first). ``delivery_id`` is stable across retries (the generic webhook sends
    it as ``webhook-id``)."""

    delivery_id: str
    alerts: tuple[Alert, ...]

    def __post_init__(self) -> None:
        if not self.alerts:
            raise ValueError("a message carries at least one alert")
        if len({a.change.ticker_id for a in self.alerts}) != 1:
            raise ValueError("a message's alerts belong to one ticker")

    @property
    def is_digest(self) -> bool:
        return len(self.alerts) > 1


@dataclass(frozen=True, slots=True)
class Payload:
    """One HTTP request to a sink: the body and its content type, extra headers
    (signatures, ntfy titles), and the URL when the format dictates it (Matrix puts a
    transaction id in the path); None means the sink's configured URL."""

    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = field(default=())
    url: str | None = None
    method: str = "POST"
