"""Choosing what to claim, the same for every store. Pure.

A store reads each lane's oldest pending delivery (its *head*) with the head's sink;
:func:`choose` keeps the heads that may be sent at ``now`` — due, not leased, their sink
enabled and not paused — at most ``limit`` of them and one per rate-limited sink, in
change order (oldest first across lanes); :func:`digest_members` picks the followers a
head's message carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from alerts.digest import burst_size
from alerts.model import Delivery, Subscription
from alerts.policy import DeliveryPolicy


def sendable(head: Delivery, subscription: Subscription, now: datetime) -> bool:
    """Whether a lane's head may be claimed at ``now`` (rate limits aside)."""
    if not subscription.enabled:
        return False
    if subscription.not_before is not None and subscription.not_before > now:
        return False
    return head.next_attempt_at <= now and not head.in_flight(now)


def choose(
    heads: Sequence[tuple[Delivery, Subscription]],
    *,
    now: datetime,
    limit: int,
    policy: DeliveryPolicy,
) -> list[tuple[Delivery, Subscription]]:
    """The heads to claim now (see the module docstring)."""
    chosen: list[tuple[Delivery, Subscription]] = []
    paced: set[int] = set()
    for head, subscription in sorted(heads, key=lambda pair: pair[0].change_id):
        if len(chosen) >= limit:
            break
        if not sendable(head, subscription, now) or subscription.id in paced:
            continue
        if policy.interval_s(subscription) > 0:
            paced.add(subscription.id)
        chosen.append((head, subscription))
    return chosen


def digest_members(
    head: Delivery,
    followers: Sequence[Delivery],
    subscription: Subscription,
    policy: DeliveryPolicy,
) -> tuple[Delivery, ...]:
    """The deliveries a head's first message carries: the head, and the lane's next
    pending deliveries (``followers``, in lane order) that :func:`~alerts.digest.burst_size`
    adds. Followers already part of another message end the run."""
    free: list[Delivery] = []
    for follower in followers:
        if follower.group_id is not None:
            break
        free.append(follower)
    size = burst_size(head.observed_at, [f.observed_at for f in free], policy.digest(subscription))
    return (head, *free[: size - 1])
