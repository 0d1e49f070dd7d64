"""The service's Prometheus metrics count what polls report."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client.parser import text_string_to_metric_families

from diffing.model import Change, ChangeKind, HealthEvent, HealthKind, PollOutcome
from ingest.fetching.model import FetchOutcome
from storage.model import PollId, SnapshotId, StoredChange, TickerId
from tickerwatch.metrics import Metrics
from tickerwatch.polling import PollReport

AT = datetime(2026, 4, 23, 12, tzinfo=UTC)


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = metrics.exposition().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_polls_changes_and_lag_are_counted() -> None:
    metrics = Metrics()
    added = Change(ChangeKind.ADDED, "e1", None)
    metrics.observe_poll(
        PollReport(1, PollId(1), AT, PollOutcome.FRESH, (added, added), duration_ms=250, bytes=900),
        schedule_lag_s=0.4,
    )
    metrics.observe_poll(
        PollReport(1, PollId(2), AT, PollOutcome.UNCHANGED, http_status=304, duration_ms=5)
    )
    metrics.observe_poll(PollReport(1, PollId(3), AT, FetchOutcome.TIMEOUT, duration_ms=20_000))
    metrics.set_queue_depth("alerts", 3)
    seen = samples(metrics)
    assert seen[("tickerwatch_polls_total", (("outcome", "fresh"),))] == 1
    assert seen[("tickerwatch_polls_total", (("outcome", "unchanged"),))] == 1
    assert seen[("tickerwatch_polls_total", (("outcome", "timeout"),))] == 1
    assert seen[("tickerwatch_polls_not_modified_total", ())] == 1
    assert seen[("tickerwatch_changes_total", (("kind", "added"),))] == 2
    assert seen[("tickerwatch_fetched_bytes_total", ())] == 900
    assert seen[("tickerwatch_fetch_seconds_count", ())] == 3
    assert seen[("tickerwatch_schedule_lag_seconds_count", ())] == 1
    assert seen[("tickerwatch_queue_depth", (("queue", "alerts"),))] == 3


def test_parse_health_and_truncation_are_counted() -> None:
    metrics = Metrics()
    layout = HealthEvent(HealthKind.LAYOUT_CHANGED, "Layout changed at 12:00 UTC: ...")
    metrics.observe_poll(
        PollReport(1, PollId(1), AT, PollOutcome.FRESH, health=layout, entries=200, truncated=40)
    )
    broken = HealthEvent(HealthKind.NOT_A_TICKER, "Not a ticker at 12:10 UTC: ...")
    metrics.observe_poll(PollReport(1, PollId(2), AT, PollOutcome.NOT_A_TICKER, health=broken))
    metrics.observe_poll(PollReport(1, PollId(3), AT, PollOutcome.NOT_A_TICKER))

    def last_event(ticker_id: int, health: HealthKind) -> StoredChange:
        return StoredChange(
            id=ticker_id,
            ticker_id=TickerId(ticker_id),
            poll_id=PollId(ticker_id),
            snapshot_id=SnapshotId(ticker_id),
            observed_at=AT,
            kind=ChangeKind.TICKER_HEALTH,
            entry_id=None,
            changed=(),
            similarity=None,
            word_ops=(),
            previous=None,
            current=None,
            page_headline=None,
            previous_page_headline=None,
            health=health,
            detail="...",
        )

    metrics.set_parse_health(
        [
            last_event(1, HealthKind.NOT_A_TICKER),
            last_event(2, HealthKind.RECOVERED),
            last_event(3, HealthKind.NO_ENTRIES),
            last_event(4, HealthKind.LAYOUT_CHANGED),
        ]
    )
    seen = samples(metrics)
    assert seen[("tickerwatch_parse_health_events_total", (("health", "layout_changed"),))] == 1
    assert seen[("tickerwatch_parse_health_events_total", (("health", "not_a_ticker"),))] == 1
    assert seen[("tickerwatch_entries_truncated_total", ())] == 40
    assert seen[("tickerwatch_tickers_parse_broken", ())] == 2


def test_each_instance_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.set_queue_depth("alerts", 1)
    assert ("tickerwatch_queue_depth", (("queue", "alerts"),)) not in samples(second)
