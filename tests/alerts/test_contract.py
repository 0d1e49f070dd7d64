"""The alert store contract, run against the memory store, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from alerts.alert import SinkKind
from alerts.errors import DeliveryNotFound, InvalidSubscription, SubscriptionNotFound
from alerts.model import (
    Claim,
    Decision,
    DeliveryId,
    DeliveryStatus,
    NewSubscription,
    QueueCounts,
    Rules,
    SubscriptionId,
)
from alerts.policy import DeliveryPolicy
from tests.alerts.conftest import POLICY, START, Stores

SLACK = "https://hooks.slack.com/services/T0001/B0001/XXXXXXXXXXXXXXXX"
HOOK = "https://receiver.example.org/hooks/abc123"
LEASE_S = 30.0


def claim(
    pair: Stores,
    *,
    at: float = 0.0,
    worker: str = "w1",
    policy: DeliveryPolicy = POLICY,
    limit: int = 100,
) -> tuple[Claim, ...]:
    return pair.alerts.claim(
        now=START + timedelta(seconds=at),
        limit=limit,
        lease_s=LEASE_S,
        worker=worker,
        policy=policy,
    )


def done(
    c: Claim,
    status: DeliveryStatus = DeliveryStatus.DELIVERED,
    *,
    at: float = 1.0,
    lease: str | None = None,
    **changes: object,
) -> Decision:
    decision = Decision(
        subscription_id=c.subscription.id,
        delivery_ids=c.ids,
        lease=lease or c.lease,
        status=status,
        at=START + timedelta(seconds=at),
        next_attempt_at=START + timedelta(seconds=at),
    )
    return replace(decision, **changes)  # type: ignore[arg-type]


def record(pair: Stores, *decisions: Decision) -> None:
    pair.alerts.complete(decisions)


def test_subscriptions_are_stored_and_listed(stores: Stores) -> None:
    rules = Rules(
        tickers=(1, 2),
        tags=("sport",),
        include=("Putin", "re:gipfel\\w*"),
        exclude=("Fußball",),
        min_edit=0.05,
        digest_threshold=4,
        rate_per_minute=30,
    )
    first = stores.alerts.add_subscription(
        NewSubscription(SinkKind.SLACK, SLACK, "newsroom", rules), created_at=START
    )
    second = stores.alerts.add_subscription(
        NewSubscription(SinkKind.WEBHOOK, HOOK, "archive", secret="whsec_c2VjcmV0"),
        created_at=START,
    )
    assert stores.alerts.subscription(first.id) == first
    assert first.rules == rules
    assert first.url == SLACK
    assert first.enabled
    assert first.created_at == START
    assert stores.alerts.subscriptions() == (first, second)
    assert second.secret == "whsec_c2VjcmV0"
    assert "XXXX" not in repr(first)
    assert "c2Vj" not in repr(second)
    with pytest.raises(SubscriptionNotFound):
        stores.alerts.subscription(SubscriptionId(first.id + second.id + 100))


@pytest.mark.parametrize(
    ("new", "says"),
    [
        (NewSubscription(SinkKind.SLACK, "hooks.slack.com/x", "s"), "http"),
        (NewSubscription(SinkKind.SLACK, SLACK, " "), "name"),
        (NewSubscription(SinkKind.SLACK, SLACK, "s", Rules(include=("re:(",))), "keyword"),
        (NewSubscription(SinkKind.SLACK, SLACK, "s", Rules(min_edit=1.0)), "min_edit"),
        (NewSubscription(SinkKind.MATRIX, "https://m.org/_matrix/client/v3/rooms/x", "m"), "token"),
        (NewSubscription(SinkKind.WEBHOOK, HOOK, "w", secret="whsec_!!"), "base64"),
        (NewSubscription(SinkKind.APPRISE, "not a url", "a"), "Apprise URL"),
    ],
)
def test_an_unworkable_sink_is_refused(stores: Stores, new: NewSubscription, says: str) -> None:
    with pytest.raises(InvalidSubscription, match=says):
        stores.alerts.add_subscription(new, created_at=START)
    assert stores.alerts.subscriptions() == ()


def test_enqueue_is_idempotent_per_sink_and_change(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    other = stores.subscribe(SinkKind.SLACK, SLACK)
    changes = stores.add_entries("t1", 3)
    items = [(sink.id, c) for c in changes] + [(other.id, changes[0])]
    assert stores.alerts.enqueue(items, created_at=START) == 4
    assert stores.alerts.enqueue(items, created_at=START) == 0
    gone = sink.id + other.id + 100
    assert stores.alerts.enqueue([(gone, changes[1])], created_at=START) == 0  # type: ignore[list-item]
    rows = stores.alerts.deliveries()
    assert len(rows) == 4
    assert len({d.key for d in rows}) == 4
    assert [d.id for d in rows] == sorted((d.id for d in rows), reverse=True)
    first = stores.alerts.delivery(rows[-1].id)
    assert (first.status, first.attempts, first.change_id) == (
        DeliveryStatus.PENDING,
        0,
        changes[0].id,
    )
    assert first.ticker_id == changes[0].ticker_id
    assert first.kind is changes[0].kind
    assert stores.alerts.counts() == {
        sink.id: QueueCounts(pending=3),
        other.id: QueueCounts(pending=1),
    }


def test_only_the_oldest_pending_delivery_of_a_lane_is_claimed(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    first = stores.add_entries("t1", 3)
    second = stores.add_entries("t2", 2)
    stores.alerts.enqueue([(sink.id, c) for c in first + second], created_at=START)

    claims = claim(stores)
    assert [c.changes for c in claims] == [(first[0],), (second[0],)]
    assert all(c.lease == "w1" and len(c.deliveries) == 1 for c in claims)
    assert claim(stores, worker="w2") == ()  # both lanes have a message in flight

    record(stores, done(claims[0]))
    after = claim(stores, worker="w2")
    assert [c.changes for c in after] == [(first[1],)]
    delivered = stores.alerts.delivery(claims[0].ids[0])
    assert delivered.status is DeliveryStatus.DELIVERED
    assert delivered.attempts == 1
    assert delivered.delivered_at == START + timedelta(seconds=1)


def test_an_expired_lease_is_claimed_again(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries("t1", 2)], created_at=START)
    (held,) = claim(stores, worker="dead")
    assert claim(stores, at=LEASE_S - 1, worker="w2") == ()
    (again,) = claim(stores, at=LEASE_S + 1, worker="w2")
    assert again.ids == held.ids
    assert again.key == held.key
    # The dead worker's late failure report no longer counts; a success still does.
    record(stores, done(held, DeliveryStatus.PENDING, at=LEASE_S + 2))
    assert stores.alerts.delivery(held.ids[0]).attempts == 0
    record(stores, done(held, at=LEASE_S + 3))
    assert stores.alerts.delivery(held.ids[0]).status is DeliveryStatus.DELIVERED
    record(stores, done(again, DeliveryStatus.PENDING, at=LEASE_S + 4))
    assert stores.alerts.delivery(held.ids[0]).status is DeliveryStatus.DELIVERED


def test_a_retry_waits_for_its_time_and_keeps_the_lane_blocked(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    changes = stores.add_entries("t1", 2)
    stores.alerts.enqueue([(sink.id, c) for c in changes], created_at=START)
    (first,) = claim(stores)
    later = START + timedelta(seconds=10)
    record(
        stores,
        done(
            first, DeliveryStatus.PENDING, next_attempt_at=later, http_status=500, error="HTTP 500"
        ),
    )
    assert claim(stores, at=5) == ()
    failing = stores.alerts.delivery(first.ids[0])
    assert (failing.attempts, failing.last_status, failing.last_error) == (1, 500, "HTTP 500")
    assert stores.alerts.deliveries(failed=True) == (failing,)
    assert stores.alerts.counts()[sink.id] == QueueCounts(pending=2, failing=1)
    assert [c.ids for c in claim(stores, at=10)] == [first.ids]


def test_a_rate_limited_sink_gets_one_message_per_interval(stores: Stores) -> None:
    slow = stores.subscribe(SinkKind.WEBHOOK, HOOK, rate_per_minute=6)  # one per 10 s
    fast = stores.subscribe(SinkKind.WEBHOOK, HOOK + "/fast")
    items = []
    for name in ("t1", "t2", "t3"):
        for change in stores.add_entries(name, 1):
            items += [(slow.id, change), (fast.id, change)]
    stores.alerts.enqueue(items, created_at=START)
    claims = claim(stores)
    assert sorted(c.subscription.id for c in claims) == [slow.id, fast.id, fast.id, fast.id]
    assert stores.alerts.subscription(slow.id).not_before == START + timedelta(seconds=10)
    for c in claims:
        record(stores, done(c))
    assert claim(stores, at=5) == ()
    assert [c.subscription.id for c in claim(stores, at=10)] == [slow.id]


def test_a_slack_sink_keeps_slacks_pace_whatever_its_own_rate(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.SLACK, SLACK, rate_per_minute=0)
    for name in ("t1", "t2"):
        stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries(name, 1)], created_at=START)
    assert len(claim(stores)) == 1
    assert claim(stores, at=0.5) == ()
    assert len(claim(stores, at=1.0)) == 1


def test_a_burst_is_claimed_as_one_digest_and_stays_one(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK, digest_threshold=3, digest_window_s=60)
    burst = stores.add_entries("t1", 4)
    stores.alerts.enqueue([(sink.id, c) for c in burst], created_at=START)
    policy = replace(POLICY, digest_threshold=99)  # the sink's own rule wins
    (digest,) = claim(stores, policy=policy)
    assert digest.changes == tuple(burst)
    assert {d.group_id for d in digest.deliveries} == {digest.ids[0]}
    record(stores, done(digest, DeliveryStatus.PENDING, at=1))
    # More changes arrive before the retry: the message keeps what it carried.
    stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries("t1", 3)], created_at=START)
    (retried,) = claim(stores, at=2, policy=policy)
    assert retried.ids == digest.ids
    assert retried.key == digest.key


def test_a_burst_below_the_threshold_goes_change_by_change(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries("t1", 2)], created_at=START)
    (single,) = claim(stores, policy=replace(POLICY, digest_threshold=3))
    assert len(single.deliveries) == 1


def test_a_disabled_sink_holds_its_deliveries_until_enabled(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries("t1", 2)], created_at=START)
    (first,) = claim(stores)
    record(stores, done(first, DeliveryStatus.PENDING, disable="HTTP 410", http_status=410))
    off = stores.alerts.subscription(sink.id)
    assert not off.enabled
    assert off.disabled_reason == "HTTP 410"
    assert off.disabled_at == START + timedelta(seconds=1)
    assert claim(stores, at=5) == ()
    assert stores.alerts.next_due() is None
    on = stores.alerts.set_enabled(sink.id, True, at=START)
    assert on.enabled
    assert on.disabled_reason is None
    assert on.disabled_at is None
    assert [c.ids for c in claim(stores, at=5)] == [first.ids]
    by_hand = stores.alerts.set_enabled(sink.id, False, at=START, reason="by hand")
    assert by_hand.disabled_reason == "by hand"


def test_a_pause_holds_the_whole_sink(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    for name in ("t1", "t2"):
        stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries(name, 1)], created_at=START)
    first, second = claim(stores)
    until = START + timedelta(seconds=30)
    record(stores, done(first, DeliveryStatus.PENDING, next_attempt_at=until, pause_until=until))
    record(stores, done(second))
    stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries("t2", 1)], created_at=START)
    assert claim(stores, at=20) == ()
    assert len(claim(stores, at=30)) == 2
    # A shorter pause reported later does not shorten it.
    record(stores, done(first, DeliveryStatus.PENDING, pause_until=START))
    assert stores.alerts.subscription(sink.id).not_before == until


def test_dead_letters_are_retried_by_hand_with_their_message(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK, digest_threshold=2)
    stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries("t1", 2)], created_at=START)
    (digest,) = claim(stores)
    record(stores, done(digest, DeliveryStatus.DEAD, error="HTTP 400: invalid_payload"))
    assert stores.alerts.counts()[sink.id] == QueueCounts(dead=2)
    assert {d.id for d in stores.alerts.deliveries(failed=True)} == set(digest.ids)
    assert stores.alerts.next_due() is None
    with pytest.raises(DeliveryNotFound):
        stores.alerts.retry([DeliveryId(digest.ids[-1] + 100)], now=START)

    assert stores.alerts.retry([digest.ids[1]], now=START + timedelta(hours=1)) == 2
    again = stores.alerts.delivery(digest.ids[0])
    assert (again.status, again.attempts) == (DeliveryStatus.PENDING, 0)
    assert again.queued_at == START + timedelta(hours=1)
    (reclaimed,) = claim(stores, at=3600)
    assert reclaimed.ids == digest.ids
    assert reclaimed.key == digest.key
    record(stores, done(reclaimed, DeliveryStatus.DEAD, at=3601))
    assert stores.alerts.retry(None, now=START) == 2
    record(stores, done(reclaimed, at=3602))  # a success from anywhere counts
    assert stores.alerts.retry(None, now=START) == 0
    assert stores.alerts.retry(list(digest.ids), now=START) == 0  # delivered: left alone


def test_retry_makes_a_waiting_delivery_due_now(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries("t1", 1)], created_at=START)
    (first,) = claim(stores)
    record(stores, done(first, DeliveryStatus.PENDING, next_attempt_at=START + timedelta(hours=1)))
    assert stores.alerts.next_due() == START + timedelta(hours=1)
    assert stores.alerts.retry(list(first.ids), now=START + timedelta(seconds=5)) == 1
    assert stores.alerts.next_due() == START + timedelta(seconds=5)


def test_listing_pages_and_filters(stores: Stores) -> None:
    one = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    two = stores.subscribe(SinkKind.WEBHOOK, HOOK + "/2")
    changes = stores.add_entries("t1", 3)
    stores.alerts.enqueue([(one.id, c) for c in changes] + [(two.id, changes[0])], created_at=START)
    everything = stores.alerts.deliveries()
    assert stores.alerts.deliveries(limit=2, offset=1) == everything[1:3]
    assert {d.subscription_id for d in stores.alerts.deliveries(subscription_id=two.id)} == {two.id}
    assert stores.alerts.deliveries(failed=True) == ()
    first = next(c for c in claim(stores) if c.subscription.id == one.id)
    record(stores, done(first, DeliveryStatus.DEAD))
    dead = stores.alerts.deliveries(status=DeliveryStatus.DEAD)
    assert [d.id for d in dead] == list(first.ids)
    pending = stores.alerts.deliveries(status=DeliveryStatus.PENDING, subscription_id=one.id)
    assert len(pending) == 2


def test_prune_forgets_old_deliveries_only(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    for name in ("t1", "t2"):
        stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries(name, 1)], created_at=START)
    first, second = claim(stores)
    record(stores, done(first, at=10))
    assert stores.alerts.prune(delivered_before=START + timedelta(seconds=10)) == 0
    assert stores.alerts.prune(delivered_before=START + timedelta(seconds=11)) == 1
    assert [d.id for d in stores.alerts.deliveries()] == list(second.ids)


def test_removing_a_sink_removes_its_deliveries(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    kept = stores.subscribe(SinkKind.WEBHOOK, HOOK + "/kept")
    changes = stores.add_entries("t1", 2)
    stores.alerts.enqueue([(s.id, c) for c in changes for s in (sink, kept)], created_at=START)
    stores.alerts.remove_subscription(sink.id)
    assert [s.id for s in stores.alerts.subscriptions()] == [kept.id]
    assert {d.subscription_id for d in stores.alerts.deliveries()} == {kept.id}
    with pytest.raises(SubscriptionNotFound):
        stores.alerts.remove_subscription(sink.id)
    with pytest.raises(SubscriptionNotFound):
        stores.alerts.set_enabled(sink.id, True, at=START)
