"""The alert store port: sinks, and the durable queue of their deliveries.

Adapters: :class:`alerts.memory.MemoryAlertStore` (in-process) and
:class:`alerts.sql.SqlAlertStore` (SQLite or PostgreSQL, in the database that holds the
change events, which its deliveries refer to). Both pass one contract suite
(``tests/alerts/test_contract.py``). A method that raises has written nothing.

The queue's rules, the same in every adapter:

- ``enqueue`` is idempotent per (sink, change event): expanding the storage outbox again
  after a crash adds nothing twice.
- A *lane* is one sink's deliveries of one ticker, in change order. ``claim`` leases a
  lane's oldest pending delivery (with the deliveries a digest sends along with it) and,
  asked for ``per_lane`` messages, the lane's next ones as a *run* to the same worker,
  which sends them one after another and gives back (``release``) those it does not
  send; so one lane never has two messages in flight and sends in order. A lease that
  runs out (its worker died) makes the message claimable again.
- ``claim`` hands out at most one message per rate-limited sink per call and moves the
  sink's ``not_before`` on by its interval, so several workers share one sink's rate.
- Concurrent workers never hold one delivery at once (PostgreSQL: ``FOR UPDATE SKIP
  LOCKED``; SQLite: transactions that take the write lock first).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

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
from storage.model import StoredChange


class AlertStore(Protocol):
    """Sinks and deliveries. Unknown ids raise ``SubscriptionNotFound`` /
    ``DeliveryNotFound``; invalid sinks ``InvalidSubscription``."""

    def add_subscription(self, new: NewSubscription, *, created_at: datetime) -> Subscription:
        """Store a new sink (checked with :func:`alerts.rules.check_new_subscription`)."""
        ...

    def subscription(self, subscription_id: SubscriptionId) -> Subscription: ...

    def subscriptions(self) -> tuple[Subscription, ...]:
        """Every sink, in the order they were added."""
        ...

    def set_enabled(
        self,
        subscription_id: SubscriptionId,
        enabled: bool,
        *,
        at: datetime,
        reason: str | None = None,
    ) -> Subscription:
        """Switch a sink on (its held deliveries go out) or off (``reason`` shown)."""
        ...

    def remove_subscription(self, subscription_id: SubscriptionId) -> None:
        """Delete a sink with all its deliveries."""
        ...

    def enqueue(
        self, items: Sequence[tuple[SubscriptionId, StoredChange]], *, created_at: datetime
    ) -> int:
        """Queue one delivery per (sink, change event) not queued before; items naming a
        sink or an event that no longer exists are skipped. Returns how many were new."""
        ...

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
        """Lease messages of up to ``limit`` lanes that are due at ``now`` to ``worker``
        for ``lease_s`` seconds: for each lane whose oldest pending delivery is due, not
        leased, and of an enabled sink whose ``not_before`` has passed, that delivery and
        the followers ``policy``'s digest rule sends with it (fixed at the first claim);
        then, up to ``per_lane`` messages in all, the lane's next messages as
        :func:`alerts.lanes.next_messages` takes them (none for a rate-limited sink).
        A lane's messages come one after another, in lane order: its first is its head,
        each of the others may be sent only once the one before it is delivered."""
        ...

    def release(self, claims: Sequence[Claim]) -> None:
        """Give back messages leased and not sent (their worker stopped a run after a
        message that was not delivered): their deliveries, still pending and still
        leased under ``claim.lease``, are free to be claimed again, attempts and
        schedule unchanged."""
        ...

    def complete(self, decisions: Sequence[Decision]) -> None:
        """Record attempts' outcomes, in one transaction, in order: each on its
        deliveries (those still pending; a decision other than "delivered" only while
        ``decision.lease`` still holds them) and on its sink (paused until
        ``pause_until``, disabled)."""
        ...

    def retry(self, delivery_ids: Collection[DeliveryId] | None, *, now: datetime) -> int:
        """Queue dead deliveries again (all of them for None), each with the rest of its
        message, with a fresh age and attempt count; pending ones are made due at
        ``now`` (if they were due later); delivered ones are left alone. Returns how many
        are queued to go now: the dead ones revived and the pending ones chosen."""
        ...

    def delivery(self, delivery_id: DeliveryId) -> Delivery: ...

    def deliveries(
        self,
        *,
        subscription_id: SubscriptionId | None = None,
        failed: bool = False,
        status: DeliveryStatus | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[Delivery, ...]:
        """Deliveries newest first, of one sink or all; ``failed``: only the failed ones
        (:attr:`alerts.model.Delivery.failed`: dead, or pending after a failed attempt);
        ``status``: only those in that state."""
        ...

    def counts(self) -> Mapping[SubscriptionId, QueueCounts]:
        """Every sink's deliveries by state (sinks without any are left out)."""
        ...

    def next_due(self) -> datetime | None:
        """When the next pending delivery of an enabled sink falls due (None: none)."""
        ...

    def prune(self, *, delivered_before: datetime) -> int:
        """Forget deliveries delivered before that instant; returns how many."""
        ...

    def close(self) -> None: ...
