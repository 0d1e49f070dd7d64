"""The service's Prometheus metrics count what polls report."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client.parser import text_string_to_metric_families

from diffing.model import Change, ChangeKind, PollOutcome
from ingest.fetching.model import FetchOutcome
from storage.model import PollId
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


def test_each_instance_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.set_queue_depth("alerts", 1)
    assert ("tickerwatch_queue_depth", (("queue", "alerts"),)) not in samples(second)
