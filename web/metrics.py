"""The metrics port: what ``/metrics`` asks of the running service's metrics
(``tickerwatch.metrics.Metrics`` implements it; a UI without a service has none)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from storage.model import StoredChange


class ServiceMetrics(Protocol):
    @property
    def content_type(self) -> str:
        """The media type of :meth:`exposition`."""
        ...

    def set_parse_health(self, last_events: Iterable[StoredChange]) -> None:
        """Set the parse-health gauge from each ticker's last parse-health event, at
        each scrape (it holds for every process)."""
        ...

    def exposition(self) -> bytes:
        """Every metric, in the format :attr:`content_type` names."""
        ...
