"""Choosing what to claim, the same for every store. Pure.

A store reads each lane's oldest pending delivery (its *head*) with the head's sink;
:func:`choose` keeps the heads that may be sent at ``now`` — due, not leased, their sink
enabled and not paused — at most ``limit`` of them and one per rate-limited sink, in
change order (oldest first across lanes); :func:`digest_members` picks the followers a
head's message carries; :func:`next_messages` the lane's messages after the head's that
the same claim may lease (a *run*, sent one after another by the worker that holds it).
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


def next_messages(
    rest: Sequence[Delivery],
    subscription: Subscription,
    policy: DeliveryPolicy,
    *,
    now: datetime,
    most: int,
    complete: bool,
) -> list[tuple[Delivery, ...]]:
    """Up to ``most`` messages that follow a claimed message in its lane, in lane order.

    ``rest`` are the lane's pending deliveries after that message's last one, in lane
    order; ``complete`` says whether they are all of them or only the first ones read.
    A message is taken only when it is what a claim of its own would lease once the
    messages before it are delivered: its first delivery due and not leased, its members
    the rest of its digest (a digest fixed earlier is taken whole; a new one only when
    enough followers were read for :func:`digest_members` to decide). The run ends at the
    first message that cannot be taken; a rate-limited sink gets none (one message a
    claim). Order holds because the messages of a run go one after another.
    """
    if most <= 0 or policy.interval_s(subscription) > 0:
        return []
    rule = policy.digest(subscription)
    wanted = rule.max_alerts - 1 if rule.enabled else 0  # followers a new digest looks at
    messages: list[tuple[Delivery, ...]] = []
    start = 0
    while len(messages) < most and start < len(rest):
        head = rest[start]
        if head.next_attempt_at > now or head.in_flight(now):
            break
        if head.group_id is not None:
            end = start
            while end < len(rest) and rest[end].group_id == head.group_id:
                end += 1
            if end == len(rest) and not complete:
                break  # the digest may go on past what was read
            members = tuple(rest[start:end])
        else:
            followers = rest[start + 1 : start + 1 + wanted]
            if len(followers) < wanted and not complete:
                break
            members = digest_members(head, followers, subscription, policy)
        messages.append(members)
        start += len(members)
    return messages


def followers_to_read(subscription: Subscription, policy: DeliveryPolicy, most: int) -> int:
    """How many pending deliveries after a claimed message a store reads so that
    :func:`next_messages` can take ``most`` messages (each a digest at most), and one
    more to see where the last one's digest, fixed earlier, ends."""
    if most <= 0 or policy.interval_s(subscription) > 0:
        return 0
    rule = policy.digest(subscription)
    return (most * rule.max_alerts if rule.enabled else most) + 1
