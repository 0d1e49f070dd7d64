"""Prometheus metrics of the running service, served at ``/metrics``.

One :class:`Metrics` per process, built by the composition root with its own registry
(nothing is registered at import time, so tests and several apps in one process do not
collide). The scheduler calls :meth:`Metrics.observe_poll` after every poll; alert
delivery sets the queue gauges; the web app sets the parse-health gauge from the store
(:meth:`Metrics.set_parse_health`, at each scrape: it holds for every process) and
renders :meth:`Metrics.exposition`.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from storage.model import StoredChange
from tickerwatch.polling import PollReport

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Fetches take from a few ms (304 on loopback) to a minute (retries); lag should stay small.
_FETCH_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300)


class Metrics:
    """The service's counters, histograms and gauges (names prefixed ``tickerwatch_``)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.polls = Counter(
            "tickerwatch_polls",
            "Polls by outcome (fresh, unchanged, stale, not_a_ticker, or a fetch failure).",
            ["outcome"],
            registry=self.registry,
        )
        self.not_modified = Counter(
            "tickerwatch_polls_not_modified",
            "Polls answered 304 Not Modified (their share of all polls: the conditional GET).",
            registry=self.registry,
        )
        self.fetch_seconds = Histogram(
            "tickerwatch_fetch_seconds",
            "Fetch duration, retries and waits included.",
            buckets=_FETCH_BUCKETS,
            registry=self.registry,
        )
        self.bytes = Counter(
            "tickerwatch_fetched_bytes",
            "Bytes of page bodies received.",
            registry=self.registry,
        )
        self.changes = Counter(
            "tickerwatch_changes",
            "Change events recorded, by kind.",
            ["kind"],
            registry=self.registry,
        )
        self.health_events = Counter(
            "tickerwatch_parse_health_events",
            "Parse-health events recorded, by what happened (layout_changed, no_entries, "
            "not_a_ticker, recovered).",
            ["health"],
            registry=self.registry,
        )
        self.truncated = Counter(
            "tickerwatch_entries_truncated",
            "Entries the parser's entry cap dropped from pages (the oldest go first).",
            registry=self.registry,
        )
        self.parse_broken = Gauge(
            "tickerwatch_tickers_parse_broken",
            "Tickers whose page reads no ticker since a reported breakage (bad parse health).",
            registry=self.registry,
        )
        self.schedule_lag = Histogram(
            "tickerwatch_schedule_lag_seconds",
            "How late a poll started after the time it was due.",
            buckets=_LAG_BUCKETS,
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "tickerwatch_queue_depth",
            "Work waiting: due polls not yet started, alert deliveries not yet sent.",
            ["queue"],
            registry=self.registry,
        )

    def observe_poll(self, report: PollReport, *, schedule_lag_s: float | None = None) -> None:
        """Count one finished poll (and how late it started, when it was scheduled)."""
        self.polls.labels(outcome=report.outcome.value).inc()
        if report.http_status == 304:
            self.not_modified.inc()
        self.fetch_seconds.observe(report.duration_ms / 1000)
        if report.bytes:
            self.bytes.inc(report.bytes)
        for change in report.changes:
            self.changes.labels(kind=change.kind.value).inc()
        if report.health is not None:
            self.health_events.labels(health=report.health.kind.value).inc()
        if report.truncated:
            self.truncated.inc(report.truncated)
        if schedule_lag_s is not None:
            self.schedule_lag.observe(max(0.0, schedule_lag_s))

    def set_queue_depth(self, queue: str, depth: int) -> None:
        self.queue_depth.labels(queue=queue).set(depth)

    def set_parse_health(self, last_events: Iterable[StoredChange]) -> None:
        """Set the gauge from each ticker's last parse-health event
        (``PollStore.parse_health``)."""
        self.parse_broken.set(sum(1 for e in last_events if e.health and e.health.broken))

    @property
    def content_type(self) -> str:
        """The media type of :meth:`exposition`."""
        return CONTENT_TYPE

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format (``CONTENT_TYPE``)."""
        return generate_latest(self.registry)
