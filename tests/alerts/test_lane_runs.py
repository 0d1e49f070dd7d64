"""Lane runs: a claim leases a lane's next messages too, and they go out one by one.

The contract part runs against every alert store; the worker part shows what runs are
for: a burst on one lane costs one claim, not one per message, and a message that is
not delivered gives the rest of its run back, so the lane's order still holds.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from alerts.alert import Payload, SinkKind
from alerts.lanes import next_messages
from alerts.model import (
    Claim,
    Delivery,
    DeliveryId,
    DeliveryStatus,
    SinkResponse,
    SubscriptionId,
)
from alerts.policy import DeliveryPolicy
from alerts.ports import AlertStore
from alerts.sender import Sender, open_sender
from diffing.model import ChangeKind
from storage.model import TickerId
from tests.alerts.conftest import CONFIG, POLICY, START, FakeClock, Stores, make_worker, worker_for
from tests.alerts.receiver import Answer, Receiver
from tests.alerts.test_contract import HOOK, LEASE_S, done, record

pytestmark = pytest.mark.anyio


def claim_run(
    pair: Stores,
    per_lane: int,
    *,
    at: float = 0.0,
    worker: str = "w1",
    policy: DeliveryPolicy = POLICY,
) -> tuple[Claim, ...]:
    return pair.alerts.claim(
        now=START + timedelta(seconds=at),
        limit=100,
        lease_s=LEASE_S,
        worker=worker,
        policy=policy,
        per_lane=per_lane,
    )


def changes_of(claims: tuple[Claim, ...]) -> list[list[int]]:
    return [[c.id for c in claim.changes] for claim in claims]


# The contract


def test_a_claim_leases_each_lanes_next_messages_in_lane_order(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    first = stores.add_entries("t1", 3)
    second = stores.add_entries("t2", 2)
    stores.alerts.enqueue([(sink.id, c) for c in first + second], created_at=START)

    claims = claim_run(stores, 8)
    assert changes_of(claims) == [[c.id] for c in first + second]
    assert all(c.lease == "w1" for c in claims)
    assert claim_run(stores, 8, worker="w2") == ()  # every message is held

    run = claim_run(stores, 2, at=LEASE_S + 1, worker="w2")  # the leases ran out
    assert changes_of(run) == [[c.id] for c in first[:2] + second]


def test_messages_given_back_are_claimed_again_in_order(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    changes = stores.add_entries("t1", 4)
    stores.alerts.enqueue([(sink.id, c) for c in changes], created_at=START)
    head, *rest = claim_run(stores, 4)
    failed = done(head, DeliveryStatus.PENDING, next_attempt_at=START + timedelta(seconds=5))
    record(stores, failed)
    stores.alerts.release([replace(c, lease="someone else") for c in rest])
    assert all(stores.alerts.delivery(c.ids[0]).leased_until is not None for c in rest)

    stores.alerts.release(rest)
    given_back = [stores.alerts.delivery(c.ids[0]) for c in rest]
    assert all(d.leased_until is None and d.attempts == 0 for d in given_back)
    assert claim_run(stores, 4, at=1, worker="w2") == ()  # the head is not due yet
    again = claim_run(stores, 4, at=6, worker="w2")
    assert changes_of(again) == [[c.id] for c in changes]
    assert stores.alerts.delivery(head.ids[0]).attempts == 1


def test_a_run_holds_the_digests_one_claim_after_another_would(stores: Stores) -> None:
    policy = replace(POLICY, digest_threshold=3, digest_max_alerts=3)
    at_once = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    one_by_one = stores.subscribe(SinkKind.WEBHOOK, HOOK + "/2")
    changes = stores.add_entries("t1", 7)
    stores.alerts.enqueue([(at_once.id, c) for c in changes], created_at=START)
    run = claim_run(stores, 8, policy=policy)
    stores.alerts.enqueue([(one_by_one.id, c) for c in changes], created_at=START)
    single: list[Claim] = []
    while True:
        found = claim_run(stores, 1, policy=policy)
        if not found:
            break
        single.extend(found)
        record(stores, *(done(c) for c in found))
    assert changes_of(run) == changes_of(tuple(single))
    assert [len(c.deliveries) for c in run] == [3, 3, 1]


def test_a_rate_limited_sink_gets_one_message_a_claim(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK, rate_per_minute=60)
    stores.alerts.enqueue([(sink.id, c) for c in stores.add_entries("t1", 3)], created_at=START)
    assert len(claim_run(stores, 8)) == 1


# The pure part


def _delivery(n: int, **fields: Any) -> Delivery:
    base = Delivery(
        id=DeliveryId(n),
        key=f"msg_{n}",
        subscription_id=SubscriptionId(1),
        change_id=n,
        ticker_id=TickerId(1),
        kind=ChangeKind.ADDED,
        observed_at=START,
        status=DeliveryStatus.PENDING,
        created_at=START,
        queued_at=START,
        next_attempt_at=START,
    )
    return replace(base, **fields)


def test_a_run_ends_at_a_message_that_is_not_due_or_held_elsewhere(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    later = START + timedelta(seconds=9)
    rest = [_delivery(2), _delivery(3, next_attempt_at=later), _delivery(4)]
    assert next_messages(rest, sink, POLICY, now=START, most=8, complete=True) == [(rest[0],)]
    held = [_delivery(2), _delivery(3, leased_until=later)]
    assert next_messages(held, sink, POLICY, now=START, most=8, complete=True) == [(held[0],)]


def test_a_digest_cut_off_by_what_was_read_is_left_for_later(stores: Stores) -> None:
    sink = stores.subscribe(SinkKind.WEBHOOK, HOOK)
    policy = replace(POLICY, digest_threshold=2, digest_max_alerts=3)
    rest = [_delivery(n) for n in range(2, 6)]
    # 2, 3, 4 make one digest; 5 alone might be the start of another: more must be read.
    assert next_messages(rest, sink, policy, now=START, most=8, complete=False) == [tuple(rest[:3])]
    assert next_messages(rest, sink, policy, now=START, most=8, complete=True) == [
        tuple(rest[:3]),
        (rest[3],),
    ]
    grouped = [_delivery(2, group_id=2), _delivery(3, group_id=2)]
    assert next_messages(grouped, sink, policy, now=START, most=8, complete=False) == []
    assert next_messages(grouped, sink, policy, now=START, most=8, complete=True) == [
        tuple(grouped)
    ]


# The worker


def sent_changes(stores: Stores, receiver: Receiver) -> list[int]:
    """The change events the receiver accepted, in the order they arrived."""
    by_key = {d.key: d.change_id for d in stores.alerts.deliveries(limit=1000)}
    return [by_key[str(r.webhook_id)] for r in receiver.accepted()]


class CountingStore:
    """The real store, counting the claims made on it."""

    def __init__(self, inner: AlertStore) -> None:
        self.inner = inner
        self.claims = 0

    def claim(self, **arguments: Any) -> tuple[Claim, ...]:
        self.claims += 1
        return self.inner.claim(**arguments)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_a_burst_on_one_lane_goes_out_in_one_claim_in_order(
    stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    stores.subscribe(SinkKind.WEBHOOK, receiver.url("/hook"))
    burst = stores.add_entries("t1", 6)
    counting = CountingStore(stores.alerts)
    async with worker_for(stores, clock, alerts=counting, per_lane=8) as worker:
        report = await worker.run_round()
    assert counting.claims == 1  # one claim per message before lanes had runs
    assert report.delivered == 6
    assert sent_changes(stores, receiver) == [c.id for c in burst]


async def test_a_failure_ends_the_run_and_the_lane_keeps_its_order(
    stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    stores.subscribe(SinkKind.WEBHOOK, receiver.url("/hook"))
    burst = stores.add_entries("t1", 5)
    receiver.answer(Answer(200), Answer(503))
    async with worker_for(stores, clock, per_lane=8) as worker:
        first = await worker.run_round()
        assert [d.status for d in first.decisions] == [
            DeliveryStatus.DELIVERED,
            DeliveryStatus.PENDING,
        ]
        waiting = [d for d in stores.alerts.deliveries() if d.status is DeliveryStatus.PENDING]
        assert len(waiting) == 4
        assert all(d.leased_until is None for d in waiting)  # given back, not left leased
        clock.advance(60)
        second = await worker.run_round()
    assert second.delivered == 4
    assert sent_changes(stores, receiver) == [c.id for c in burst]
    assert len(receiver.requests) == 6  # the failed one twice, no other repeat


class SlowSender:
    """The real sender, on a clock that moves ``seconds`` with every send (a slow sink)."""

    def __init__(self, inner: Sender, clock: FakeClock, seconds: float) -> None:
        self.inner = inner
        self.clock = clock
        self.seconds = seconds

    async def send(
        self, kind: SinkKind, url: str, payload: Payload, *, secret: str | None = None
    ) -> SinkResponse:
        response = await self.inner.send(kind, url, payload, secret=secret)
        self.clock.advance(self.seconds)
        return response


async def test_a_run_held_past_its_lease_stops_before_it_could_overtake(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    stores = sqlite_stores
    stores.subscribe(SinkKind.WEBHOOK, receiver.url("/hook"))
    burst = stores.add_entries("t1", 3)
    async with open_sender(
        timeout_s=5.0, user_agent="tickerwatch-test", allow_private_addresses=True
    ) as sender:
        slow = SlowSender(sender, clock, CONFIG.lease_s)
        worker = make_worker(stores, slow, clock, replace(CONFIG, per_lane=8))  # type: ignore[arg-type]
        first = await worker.run_round()
        # The lease ran out while the first was sent: the rest may be another's by now.
        assert first.delivered == 1
        assert len(receiver.accepted()) == 1
        second = await worker.run_round()  # claimed again, in order
        assert second.delivered == 1
    assert sent_changes(stores, receiver) == [c.id for c in burst[:2]]


class StoppingSender:
    """The real sender; sets ``stop`` once it has sent (the service is told to stop)."""

    def __init__(self, inner: Sender, stop: asyncio.Event) -> None:
        self.inner = inner
        self.stop = stop

    async def send(
        self, kind: SinkKind, url: str, payload: Payload, *, secret: str | None = None
    ) -> SinkResponse:
        response = await self.inner.send(kind, url, payload, secret=secret)
        self.stop.set()
        return response


async def test_stopping_gives_back_the_rest_of_a_run(
    stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    stores.subscribe(SinkKind.WEBHOOK, receiver.url("/hook"))
    stores.add_entries("t1", 4)
    stop = asyncio.Event()
    async with open_sender(
        timeout_s=5.0, user_agent="tickerwatch-test", allow_private_addresses=True
    ) as sender:
        worker = make_worker(stores, StoppingSender(sender, stop), clock, CONFIG)  # type: ignore[arg-type]
        await asyncio.wait_for(worker.run(stop), timeout=60)
    assert len(receiver.accepted()) == 1
    waiting = [d for d in stores.alerts.deliveries() if d.status is DeliveryStatus.PENDING]
    assert len(waiting) == 3
    assert all(d.leased_until is None for d in waiting)  # free for the next worker at once
