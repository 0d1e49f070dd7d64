"""What the alert pages show: sinks with their queues, deliveries with their links, and
whether anything needs a person. Pure, but for the readers at the end, which ask the
alert store's and the store's ports.

Sink URLs and secrets are credentials (:mod:`alerts.secrets`): a :class:`SinkView` holds
the URL only masked, and every text a sink or a delivery carries from a failed attempt
(the reason it was disabled, the last error) is scrubbed of its sink's URL and secret
once more here, so a message that slipped past delivery's own masking is still hidden.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from alerts.model import (
    Delivery,
    DeliveryId,
    DeliveryStatus,
    QueueCounts,
    Subscription,
    SubscriptionId,
)
from alerts.ports import AlertStore
from alerts.secrets import mask_secret, scrub
from alerts.views import rules_summary
from storage.model import StoredChange
from storage.ports import Store
from web.links import Links

SPAN = 200  # change ids looked up per query (consecutive ids, read in one range)


class DeliveryFilter(enum.StrEnum):
    """The states a listing of deliveries can be narrowed to. ``failed`` are the pending
    deliveries whose attempts failed so far and that wait for their next one (counted as
    ``failing``); ``pending`` includes them."""

    PENDING = "pending"
    FAILED = "failed"
    DEAD = "dead"
    DELIVERED = "delivered"

    def counted(self, counts: QueueCounts) -> int:
        if self is DeliveryFilter.FAILED:
            return counts.failing
        return int(getattr(counts, self.value))

    @property
    def stored(self) -> DeliveryStatus:
        """The stored state (failed ones are pending: the store's ``failed`` listing,
        dead and failing ones, narrowed to the pending)."""
        if self is DeliveryFilter.FAILED:
            return DeliveryStatus.PENDING
        return DeliveryStatus(self.value)


FILTER_LABELS = {
    None: "all",
    DeliveryFilter.PENDING: "pending",
    DeliveryFilter.FAILED: "failed (retrying)",
    DeliveryFilter.DEAD: "dead",
    DeliveryFilter.DELIVERED: "delivered",
}


def total(
    counts: Mapping[SubscriptionId, QueueCounts],
    status: DeliveryFilter | None,
    subscription_id: SubscriptionId | None = None,
) -> int:
    """How many deliveries a listing holds, from the queue counts."""
    chosen = [c for s, c in counts.items() if subscription_id is None or s == subscription_id]
    if status is None:
        return sum(c.pending + c.delivered + c.dead for c in chosen)
    return sum(status.counted(c) for c in chosen)


@dataclass(frozen=True, slots=True)
class AlertTrouble:
    """What needs a person: sinks switched off, deliveries given up on."""

    disabled: int
    dead: int

    @property
    def summary(self) -> str:
        parts = []
        if self.disabled:
            parts.append(f"{self.disabled} sink{'' if self.disabled == 1 else 's'} disabled")
        if self.dead:
            parts.append(f"{self.dead} dead deliver{'y' if self.dead == 1 else 'ies'}")
        return ", ".join(parts)


def trouble(
    subscriptions: Iterable[Subscription], counts: Mapping[SubscriptionId, QueueCounts]
) -> AlertTrouble | None:
    """The trouble, None when every sink is enabled and no delivery is dead."""
    disabled = sum(1 for s in subscriptions if not s.enabled)
    dead = sum(c.dead for c in counts.values())
    return AlertTrouble(disabled, dead) if disabled or dead else None


def credentials(subscription: Subscription | None) -> tuple[str, ...]:
    if subscription is None:
        return ()
    return tuple(s for s in (subscription.url, subscription.secret) if s)


def masked_text(text: str | None, subscription: Subscription | None) -> str | None:
    """A sink's or a delivery's message, with the sink's URL and secret hidden."""
    return scrub(text, credentials(subscription)) if text else text


@dataclass(frozen=True, slots=True)
class SinkView:
    id: SubscriptionId
    name: str
    kind: str
    url: str  # masked
    secret: str  # masked: whether one is set
    enabled: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    rules: str
    counts: QueueCounts


def sink_view(subscription: Subscription, counts: QueueCounts) -> SinkView:
    return SinkView(
        id=subscription.id,
        name=subscription.name,
        kind=subscription.kind.value,
        url=subscription.masked_url,
        secret=mask_secret(subscription.secret),
        enabled=subscription.enabled,
        disabled_reason=masked_text(subscription.disabled_reason, subscription),
        disabled_at=subscription.disabled_at,
        rules=rules_summary(subscription.rules),
        counts=counts,
    )


def sink_views(
    subscriptions: Iterable[Subscription], counts: Mapping[SubscriptionId, QueueCounts]
) -> list[SinkView]:
    return [sink_view(s, counts.get(s.id, QueueCounts())) for s in subscriptions]


@dataclass(frozen=True, slots=True)
class DeliveryView:
    delivery: Delivery
    sink: str  # the sink's name ("sink N" when it is gone)
    ticker: str  # the ticker's name ("ticker N" when it is gone)
    history_url: str  # the entry's history at the change; the ticker's page for a page change
    last_error: str | None  # masked
    zone: ZoneInfo  # the ticker's, as every page shows its times

    @property
    def failing(self) -> bool:
        return self.delivery.status is DeliveryStatus.PENDING and self.delivery.attempts > 0

    @property
    def state(self) -> str:
        return "failing" if self.failing else self.delivery.status.value

    @property
    def retryable(self) -> bool:
        """Dead ones go back into the queue; failing ones are made due now."""
        return self.delivery.status is DeliveryStatus.DEAD or self.failing


def history_url(links: Links, delivery: Delivery, change: StoredChange | None) -> str:
    if change is not None and change.kind.about_story and change.desk_id and change.story_id:
        return links.desk_story(change.desk_id, change.story_id)
    if change is None or change.entry_id is None:
        return links.ticker(delivery.ticker_id)
    return links.entry(change.entry_id, change.id)


def delivery_views(
    deliveries: Iterable[Delivery],
    *,
    subscriptions: Mapping[SubscriptionId, Subscription],
    tickers: Mapping[int, str],
    changes: Mapping[int, StoredChange],
    links: Links,
    zones: Mapping[int, ZoneInfo],
    default_zone: ZoneInfo,
) -> list[DeliveryView]:
    views = []
    for delivery in deliveries:
        sink = subscriptions.get(delivery.subscription_id)
        views.append(
            DeliveryView(
                delivery=delivery,
                sink=sink.name if sink else f"sink {delivery.subscription_id}",
                ticker=tickers.get(delivery.ticker_id, f"ticker {delivery.ticker_id}"),
                history_url=history_url(links, delivery, changes.get(delivery.change_id)),
                last_error=masked_text(delivery.last_error, sink),
                zone=zones.get(delivery.ticker_id, default_zone),
            )
        )
    return views


# Readers through the ports

DEAD_CHUNK = 500  # dead deliveries read per query when retrying a sink's


def listing(
    alerts: AlertStore,
    *,
    status: DeliveryFilter | None,
    subscription_id: SubscriptionId | None,
    limit: int,
    offset: int,
) -> tuple[Delivery, ...]:
    """Deliveries newest first, of one state and one sink when given."""
    return alerts.deliveries(
        subscription_id=subscription_id,
        failed=status is DeliveryFilter.FAILED,
        status=status.stored if status else None,
        limit=limit,
        offset=offset,
    )


def dead_ids(alerts: AlertStore, subscription_id: SubscriptionId) -> set[DeliveryId]:
    """The ids of a sink's dead deliveries."""
    found: set[DeliveryId] = set()
    offset = 0
    while True:
        chunk = alerts.deliveries(
            subscription_id=subscription_id,
            status=DeliveryStatus.DEAD,
            limit=DEAD_CHUNK,
            offset=offset,
        )
        found.update(d.id for d in chunk)
        if len(chunk) < DEAD_CHUNK:
            return found
        offset += DEAD_CHUNK


def changes_by_id(store: Store, change_ids: Collection[int]) -> dict[int, StoredChange]:
    """The change events of these ids that still exist, read as ranges of consecutive
    ids (the deliveries of one page mostly refer to a few such ranges)."""
    wanted = sorted(set(change_ids))
    found: dict[int, StoredChange] = {}
    index = 0
    while index < len(wanted):
        start = wanted[index]
        end = start
        while index < len(wanted) and wanted[index] < start + SPAN:
            end = wanted[index]
            index += 1
        for change in store.changes_after(start - 1, limit=end - start + 1):
            if change.id in change_ids:
                found[change.id] = change
    return found
