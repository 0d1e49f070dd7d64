"""``MemoryAlertStore``: the alert store port in process memory, for tests and tools.

Keeps the change events it is given (there is no database to refer to). Thread-safe;
one lock stands for the database's transactions.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from alerts.errors import DeliveryNotFound, SubscriptionNotFound
from alerts.lanes import choose, digest_members, next_messages
from alerts.model import (
    Claim,
    Decision,
    Delivery,
    DeliveryId,
    DeliveryStatus,
    NewSubscription,
    QueueCounts,
    Subscription,
    SubscriptionId,
)
from alerts.policy import DeliveryPolicy
from alerts.ports import AlertStore
from alerts.rules import check_new_subscription
from storage.model import StoredChange

PENDING = DeliveryStatus.PENDING


def new_key() -> str:
    """A message key: unique across installations, like Standard Webhooks' ``msg_`` ids."""
    return f"msg_{uuid.uuid4().hex}"


class MemoryAlertStore:
    """Implements :class:`alerts.ports.AlertStore` in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[SubscriptionId, Subscription] = {}
        self._deliveries: dict[DeliveryId, Delivery] = {}
        self._changes: dict[int, StoredChange] = {}
        self._queued: set[tuple[SubscriptionId, int]] = set()
        self._leases: dict[DeliveryId, str] = {}
        self._ids = itertools.count(1)

    def close(self) -> None:
        """Nothing to release."""

    # Subscriptions

    def add_subscription(self, new: NewSubscription, *, created_at: datetime) -> Subscription:
        check_new_subscription(new)
        with self._lock:
            subscription = Subscription(
                id=SubscriptionId(next(self._ids)),
                kind=new.kind,
                url=new.url,
                name=new.name,
                rules=new.rules,
                secret=new.secret,
                created_at=created_at,
            )
            self._subscriptions[subscription.id] = subscription
            return subscription

    def subscription(self, subscription_id: SubscriptionId) -> Subscription:
        with self._lock:
            return self._subscription(subscription_id)

    def _subscription(self, subscription_id: SubscriptionId) -> Subscription:
        found = self._subscriptions.get(subscription_id)
        if found is None:
            raise SubscriptionNotFound(f"no alert sink {subscription_id}")
        return found

    def subscriptions(self) -> tuple[Subscription, ...]:
        with self._lock:
            return tuple(self._subscriptions[i] for i in sorted(self._subscriptions))

    def set_enabled(
        self,
        subscription_id: SubscriptionId,
        enabled: bool,
        *,
        at: datetime,
        reason: str | None = None,
    ) -> Subscription:
        with self._lock:
            subscription = self._subscription(subscription_id)
            if enabled:
                changed = replace(
                    subscription,
                    enabled=True,
                    disabled_reason=None,
                    disabled_at=None,
                    not_before=None,
                )
            else:
                changed = replace(
                    subscription, enabled=False, disabled_reason=reason, disabled_at=at
                )
            self._subscriptions[subscription_id] = changed
            return changed

    def remove_subscription(self, subscription_id: SubscriptionId) -> None:
        with self._lock:
            self._subscription(subscription_id)
            del self._subscriptions[subscription_id]
            for delivery in list(self._deliveries.values()):
                if delivery.subscription_id == subscription_id:
                    del self._deliveries[delivery.id]
                    self._leases.pop(delivery.id, None)
            self._queued = {q for q in self._queued if q[0] != subscription_id}

    # The queue

    def enqueue(
        self, items: Sequence[tuple[SubscriptionId, StoredChange]], *, created_at: datetime
    ) -> int:
        added = 0
        with self._lock:
            for subscription_id, change in items:
                pair = (subscription_id, change.id)
                if subscription_id not in self._subscriptions or pair in self._queued:
                    continue
                self._queued.add(pair)
                self._changes[change.id] = change
                delivery = Delivery(
                    id=DeliveryId(next(self._ids)),
                    key=new_key(),
                    subscription_id=subscription_id,
                    change_id=change.id,
                    ticker_id=change.ticker_id,
                    kind=change.kind,
                    observed_at=change.observed_at,
                    status=PENDING,
                    created_at=created_at,
                    queued_at=created_at,
                    next_attempt_at=created_at,
                )
                self._deliveries[delivery.id] = delivery
                added += 1
        return added

    def _lanes(self) -> dict[tuple[SubscriptionId, int], list[Delivery]]:
        lanes: dict[tuple[SubscriptionId, int], list[Delivery]] = {}
        pending = (d for d in self._deliveries.values() if d.status is PENDING)
        for delivery in sorted(pending, key=lambda d: d.change_id):
            lanes.setdefault((delivery.subscription_id, delivery.ticker_id), []).append(delivery)
        return lanes

    def claim(
        self,
        *,
        now: datetime,
        limit: int,
        lease_s: float,
        worker: str,
        policy: DeliveryPolicy,
        per_lane: int = 1,
    ) -> tuple[Claim, ...]:
        until = now + timedelta(seconds=lease_s)
        claims: list[Claim] = []
        with self._lock:
            lanes = self._lanes()
            heads = [
                (lane[0], self._subscriptions[lane[0].subscription_id]) for lane in lanes.values()
            ]
            for head, subscription in choose(heads, now=now, limit=limit, policy=policy):
                lane = lanes[(head.subscription_id, head.ticker_id)]
                if head.group_id is None:
                    members = digest_members(head, lane[1:], subscription, policy)
                else:
                    members = tuple(d for d in lane if d.group_id == head.group_id)
                rest = [d for d in lane if d.change_id > members[-1].change_id]
                run = [
                    members,
                    *next_messages(
                        rest, subscription, policy, now=now, most=per_lane - 1, complete=True
                    ),
                ]
                interval = policy.interval_s(subscription)
                if interval > 0:
                    subscription = replace(
                        subscription, not_before=now + timedelta(seconds=interval)
                    )
                    self._subscriptions[subscription.id] = subscription
                for message in run:
                    leased = tuple(
                        replace(
                            d, group_id=message[0].group_id or message[0].id, leased_until=until
                        )
                        for d in message
                    )
                    for delivery in leased:
                        self._deliveries[delivery.id] = delivery
                        self._leases[delivery.id] = worker
                    changes = tuple(self._changes[d.change_id] for d in leased)
                    claims.append(Claim(subscription, leased, changes, worker, until))
        return tuple(claims)

    def release(self, claims: Sequence[Claim]) -> None:
        with self._lock:
            for claim in claims:
                for delivery_id in claim.ids:
                    delivery = self._deliveries.get(delivery_id)
                    if delivery is None or delivery.status is not PENDING:
                        continue
                    if self._leases.get(delivery_id) != claim.lease:
                        continue
                    self._leases.pop(delivery_id)
                    self._deliveries[delivery_id] = replace(delivery, leased_until=None)

    def complete(self, decisions: Sequence[Decision]) -> None:
        with self._lock:
            for decision in decisions:
                self._complete(decision)

    def _complete(self, decision: Decision) -> None:
        delivered = decision.status is DeliveryStatus.DELIVERED
        for delivery_id in decision.delivery_ids:
            delivery = self._deliveries.get(delivery_id)
            if delivery is None or delivery.status is not PENDING:
                continue
            if not delivered and self._leases.get(delivery_id) != decision.lease:
                continue
            self._leases.pop(delivery_id, None)
            self._deliveries[delivery_id] = replace(
                delivery,
                status=decision.status,
                attempts=delivery.attempts + 1,
                next_attempt_at=decision.next_attempt_at,
                leased_until=None,
                last_status=decision.http_status,
                last_error=decision.error,
                delivered_at=decision.at if delivered else None,
            )
        subscription = self._subscriptions.get(decision.subscription_id)
        if subscription is None:
            return
        if decision.pause_until is not None and (
            subscription.not_before is None or subscription.not_before < decision.pause_until
        ):
            subscription = replace(subscription, not_before=decision.pause_until)
        if decision.disable is not None and subscription.enabled:
            subscription = replace(
                subscription,
                enabled=False,
                disabled_reason=decision.disable,
                disabled_at=decision.at,
            )
        self._subscriptions[subscription.id] = subscription

    def retry(self, delivery_ids: Collection[DeliveryId] | None, *, now: datetime) -> int:
        with self._lock:
            if delivery_ids is None:
                chosen = [d for d in self._deliveries.values() if d.status is DeliveryStatus.DEAD]
            else:
                chosen = [self._delivery(i) for i in delivery_ids]
            groups = {d.group_id for d in chosen if d.group_id is not None}
            wanted = {d.id for d in chosen} | {
                d.id for d in self._deliveries.values() if d.group_id in groups
            }
            changed = 0
            for delivery_id in sorted(wanted):
                delivery = self._deliveries[delivery_id]
                if delivery.status is DeliveryStatus.DEAD:
                    self._deliveries[delivery_id] = replace(
                        delivery, status=PENDING, attempts=0, queued_at=now, next_attempt_at=now
                    )
                elif delivery.status is PENDING:
                    due = min(delivery.next_attempt_at, now)
                    self._deliveries[delivery_id] = replace(delivery, next_attempt_at=due)
                else:
                    continue
                changed += 1
            return changed

    def delivery(self, delivery_id: DeliveryId) -> Delivery:
        with self._lock:
            return self._delivery(delivery_id)

    def _delivery(self, delivery_id: DeliveryId) -> Delivery:
        found = self._deliveries.get(delivery_id)
        if found is None:
            raise DeliveryNotFound(f"no delivery {delivery_id}")
        return found

    def deliveries(
        self,
        *,
        subscription_id: SubscriptionId | None = None,
        failed: bool = False,
        status: DeliveryStatus | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[Delivery, ...]:
        with self._lock:
            rows = [
                d
                for d in self._deliveries.values()
                if (subscription_id is None or d.subscription_id == subscription_id)
                and (not failed or d.failed)
                and (status is None or d.status is status)
            ]
        rows.sort(key=lambda d: d.id, reverse=True)
        return tuple(rows[offset : offset + limit])

    def counts(self) -> Mapping[SubscriptionId, QueueCounts]:
        tally: dict[SubscriptionId, dict[str, int]] = {}
        with self._lock:
            for d in self._deliveries.values():
                counts = tally.setdefault(d.subscription_id, {})
                counts[d.status.value] = counts.get(d.status.value, 0) + 1
                if d.status is PENDING and d.attempts > 0:
                    counts["failing"] = counts.get("failing", 0) + 1
        return {
            s: QueueCounts(
                pending=c.get("pending", 0),
                failing=c.get("failing", 0),
                delivered=c.get("delivered", 0),
                dead=c.get("dead", 0),
            )
            for s, c in tally.items()
        }

    def next_due(self) -> datetime | None:
        with self._lock:
            due = [
                d.next_attempt_at
                for d in self._deliveries.values()
                if d.status is PENDING and self._subscriptions[d.subscription_id].enabled
            ]
        return min(due, default=None)

    def prune(self, *, delivered_before: datetime) -> int:
        with self._lock:
            old = [
                d
                for d in self._deliveries.values()
                if d.status is DeliveryStatus.DELIVERED
                and d.delivered_at is not None
                and d.delivered_at < delivered_before
            ]
            for delivery in old:
                del self._deliveries[delivery.id]
            return len(old)


def _conforms(store: MemoryAlertStore) -> AlertStore:
    return store  # mypy checks here that MemoryAlertStore implements the port
