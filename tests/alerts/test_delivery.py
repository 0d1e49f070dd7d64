"""Delivery end to end: outbox → queue → a real receiver on 127.0.0.1, round by round.

The worker runs against real stores and a real HTTP receiver; its clock is a fake one,
moved by hand, so backoffs and Retry-After waits are exact and take no time.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest

from alerts.alert import SinkKind
from alerts.delivery import DeliveryWorker
from alerts.formatting import verify_webhook
from alerts.model import DeliveryStatus, Subscription
from alerts.sender import apprise_available
from tests.alerts.conftest import FakeClock, Stores, worker_for
from tests.alerts.receiver import Answer, Receiver

pytestmark = pytest.mark.anyio
SECRET = "whsec_" + "c2VjcmV0LWtleS1mb3ItdGVzdHM="
TEXT = "t1: Meldung Nummer 1."


def _url(receiver: Receiver, kind: SinkKind) -> str:
    if kind is SinkKind.MATRIX:
        return receiver.url("/_matrix/client/v3/rooms/%21room%3Aexample.org")
    if kind is SinkKind.NTFY:
        return receiver.url("/tickers-topic")
    return receiver.url(f"/{kind.value}/T000/B000/secret")


def _subscribe(stores: Stores, receiver: Receiver, kind: SinkKind, **rules: Any) -> Subscription:
    secret = {SinkKind.MATRIX: "syt_token", SinkKind.WEBHOOK: SECRET}.get(kind)
    return stores.subscribe(kind, _url(receiver, kind), secret=secret, **rules)


async def _rounds(worker: DeliveryWorker, clock: FakeClock, n: int, *, step_s: float = 0) -> None:
    for _ in range(n):
        await worker.run_round()
        clock.advance(step_s)


def _document(kind: SinkKind, body: dict[str, Any]) -> str:
    """Where each platform's payload carries the entry's text."""
    return {
        SinkKind.SLACK: lambda: str(body["blocks"]) + body["text"],
        SinkKind.MATTERMOST: lambda: str(body["attachments"]),
        SinkKind.DISCORD: lambda: str(body["embeds"]),
        SinkKind.TEAMS: lambda: str(body["attachments"][0]["content"]),
        SinkKind.GOOGLECHAT: lambda: str(body["cardsV2"]),
        SinkKind.MATRIX: lambda: body["body"] + body["formatted_body"],
        SinkKind.NTFY: lambda: body["message"],
        SinkKind.WEBHOOK: lambda: body["data"]["text"],
    }[kind]()


@pytest.mark.parametrize(
    "kind", [k for k in SinkKind if k is not SinkKind.APPRISE], ids=lambda k: k.value
)
async def test_each_platform_receives_its_payload(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock, kind: SinkKind
) -> None:
    sink = _subscribe(sqlite_stores, receiver, kind)
    (change,) = sqlite_stores.add_entries("t1", 1)
    async with worker_for(sqlite_stores, clock) as worker:
        report = await worker.run_round()
    assert (report.dispatched, report.queued, report.delivered) == (1, 1, 1)
    (request,) = receiver.requests
    assert request.headers["content-type"].startswith("application/json")
    assert TEXT in _document(kind, request.json())
    (delivery,) = sqlite_stores.alerts.deliveries()
    assert delivery.status is DeliveryStatus.DELIVERED
    assert delivery.change_id == change.id
    assert sqlite_stores.store.outbox() == ()
    if kind is SinkKind.MATRIX:
        assert request.method == "PUT"
        assert unquote(request.path).startswith("/_matrix/client/v3/rooms/!room:example.org/send/")
        assert request.headers["authorization"] == "Bearer syt_token"
    elif kind is SinkKind.NTFY:
        assert request.json()["topic"] == "tickers-topic"
    elif kind is SinkKind.GOOGLECHAT:
        assert "messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD" in request.path
    elif kind is SinkKind.WEBHOOK:
        assert request.webhook_id == delivery.key
        assert verify_webhook(request.body, request.headers, SECRET, now=clock())
        assert request.json()["data"]["links"]["history"].startswith("https://archive.example.org")
    assert sink.enabled


async def test_a_webhook_retried_after_a_500_keeps_its_id_and_verifies(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="httpx")  # to see what it would log
    _subscribe(sqlite_stores, receiver, SinkKind.WEBHOOK)
    sqlite_stores.add_entries("t1", 1)
    receiver.answer(Answer(500, body=b"upstream broke"), Answer(503), Answer(200))
    async with worker_for(sqlite_stores, clock) as worker:
        await worker.run_round()
        (failing,) = sqlite_stores.alerts.deliveries()
        assert (failing.attempts, failing.last_status) == (1, 500)
        assert failing.last_error == "HTTP 500: upstream broke"
        # Backoff with jitter 0.5: 0.75 × the 1 s base after the first failure.
        assert failing.next_attempt_at == clock() + timedelta(seconds=0.75)
        await worker.run_round()
        assert receiver.count() == 1, "retried before its backoff was over"
        clock.advance(0.75)
        await worker.run_round()
        clock.advance(1.5)  # 0.75 × 2 s after the second failure
        await worker.run_round()
    first, second, third = receiver.requests
    assert [r.status for r in receiver.requests] == [500, 503, 200]
    assert first.webhook_id == second.webhook_id == third.webhook_id
    for request in receiver.requests:
        assert verify_webhook(request.body, request.headers, SECRET, now=clock())
    assert not verify_webhook(third.body + b" ", third.headers, SECRET, now=clock())
    (delivered,) = sqlite_stores.alerts.deliveries()
    assert (delivered.status, delivered.attempts) == (DeliveryStatus.DELIVERED, 3)
    # httpx logs every request line; the sink's URL appears there masked only.
    assert "HTTP Request: POST" in caplog.text
    assert "/secret" not in caplog.text
    assert "/webhook/T0…/****" in caplog.text


@pytest.mark.parametrize(
    "answer",
    [
        Answer(429, {"Retry-After": "30"}, b"rate_limited"),
        Answer(
            429, {"Content-Type": "application/json"}, b'{"retry_after": 30.0, "global": false}'
        ),
    ],
    ids=["header", "discord-body"],
)
async def test_429_with_retry_after_pauses_the_whole_sink(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock, answer: Answer
) -> None:
    _subscribe(sqlite_stores, receiver, SinkKind.WEBHOOK)
    sqlite_stores.add_entries("t1", 1)
    sqlite_stores.add_entries("t2", 1)
    receiver.answer(answer)
    async with worker_for(sqlite_stores, clock, batch_size=1, max_concurrent_sends=1) as worker:
        await worker.run_round()
        assert [r.status for r in receiver.requests] == [429]
        clock.advance(29.9)
        await _rounds(worker, clock, 3)
        assert receiver.count() == 1, "sent before Retry-After had passed"
        clock.advance(0.1)
        await _rounds(worker, clock, 3)
    assert [r.status for r in receiver.requests] == [429, 200, 200]
    assert receiver.requests[1].webhook_id == receiver.requests[0].webhook_id
    assert {d.status for d in sqlite_stores.alerts.deliveries()} == {DeliveryStatus.DELIVERED}


async def test_500s_end_in_a_dead_letter_that_can_be_retried(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    _subscribe(sqlite_stores, receiver, SinkKind.SLACK)
    sqlite_stores.add_entries("t1", 2)
    receiver.default = Answer(500, body=b"internal_error")
    async with worker_for(sqlite_stores, clock, max_attempts=3) as worker:
        await _rounds(worker, clock, 8, step_s=10)
        first, second = sorted(sqlite_stores.alerts.deliveries(), key=lambda d: d.change_id)
        assert (first.status, first.attempts) == (DeliveryStatus.DEAD, 3)
        assert first.last_error == "HTTP 500: internal_error"
        # The lane moved on past the dead letter (and that one failed too).
        assert second.status is DeliveryStatus.DEAD
        assert receiver.count() == 6
        receiver.default = Answer(200)
        assert sqlite_stores.alerts.retry(None, now=clock()) == 2
        await _rounds(worker, clock, 3, step_s=1)
    assert {d.status for d in sqlite_stores.alerts.deliveries()} == {DeliveryStatus.DELIVERED}
    assert receiver.count() == 8


async def test_an_alert_older_than_the_age_limit_becomes_a_dead_letter(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    _subscribe(sqlite_stores, receiver, SinkKind.WEBHOOK)
    sqlite_stores.add_entries("t1", 1)
    receiver.default = Answer(429, {"Retry-After": "600"})
    async with worker_for(sqlite_stores, clock, max_age_s=1800) as worker:
        await _rounds(worker, clock, 4, step_s=600)
    (dead,) = sqlite_stores.alerts.deliveries(failed=True)
    assert dead.status is DeliveryStatus.DEAD
    assert dead.attempts == 4


@pytest.mark.parametrize("status", [404, 410])
async def test_a_gone_url_disables_the_sink_until_enabled(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock, status: int
) -> None:
    sink = _subscribe(sqlite_stores, receiver, SinkKind.SLACK)
    sqlite_stores.add_entries("t1", 2)
    receiver.answer(Answer(status, body=b"channel_not_found"))
    async with worker_for(sqlite_stores, clock) as worker:
        await _rounds(worker, clock, 5, step_s=5)
        off = sqlite_stores.alerts.subscription(sink.id)
        assert not off.enabled
        assert off.disabled_reason is not None
        assert off.disabled_reason.startswith(f"HTTP {status}: channel_not_found")
        assert receiver.count() == 1
        assert {d.status for d in sqlite_stores.alerts.deliveries()} == {DeliveryStatus.PENDING}
        sqlite_stores.alerts.set_enabled(sink.id, True, at=clock())
        await _rounds(worker, clock, 3, step_s=1)
    assert [r.status for r in receiver.requests] == [status, 200, 200]
    assert {d.status for d in sqlite_stores.alerts.deliveries()} == {DeliveryStatus.DELIVERED}


async def test_a_refused_payload_is_a_dead_letter_at_once(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    _subscribe(sqlite_stores, receiver, SinkKind.DISCORD)
    sqlite_stores.add_entries("t1", 2)
    receiver.answer(Answer(400, body=b'{"message": "Invalid Form Body"}'))
    async with worker_for(sqlite_stores, clock) as worker:
        await _rounds(worker, clock, 3, step_s=1)  # Discord's own pace: 0.4 s
    first, second = sorted(sqlite_stores.alerts.deliveries(), key=lambda d: d.change_id)
    assert first.status is DeliveryStatus.DEAD
    assert first.attempts == 1
    assert second.status is DeliveryStatus.DELIVERED


async def test_a_receiver_that_was_down_gets_every_alert_once_in_order(
    stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    _subscribe(stores, receiver, SinkKind.WEBHOOK)
    receiver.down()
    expected = 0
    async with worker_for(stores, clock, backoff_cap_s=4.0, max_attempts=50) as worker:
        for round_ in range(6):
            for name in ("t1", "t2", "t3"):
                expected += len(stores.add_entries(name, 1 + round_ % 2))
            await _rounds(worker, clock, 2, step_s=3)
        assert receiver.accepted() == []
        failing = stores.alerts.deliveries(failed=True)
        assert len(failing) == 3  # one lane head each; the rest never left the queue
        receiver.up()
        for _ in range(100):
            if len(receiver.accepted()) == expected:
                break
            await _rounds(worker, clock, 1, step_s=4)
    ids = [r.webhook_id for r in receiver.accepted()]
    assert len(ids) == expected == len(set(ids))
    by_key = {d.key: d for d in stores.alerts.deliveries(limit=1000)}
    for ticker in {d.ticker_id for d in by_key.values()}:
        sent = [by_key[str(i)].change_id for i in ids if by_key[str(i)].ticker_id == ticker]
        assert sent == sorted(sent), f"ticker {ticker} out of order"
    assert {d.status for d in by_key.values()} == {DeliveryStatus.DELIVERED}


async def test_a_burst_arrives_as_one_digest(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    _subscribe(sqlite_stores, receiver, SinkKind.WEBHOOK, digest_threshold=3)
    burst = sqlite_stores.add_entries("t1", 5)
    async with worker_for(sqlite_stores, clock) as worker:
        await worker.run_round()
    (request,) = receiver.requests
    document = request.json()
    assert document["type"] == "tickerwatch.digest"
    assert [c["text"] for c in document["data"]["changes"]] == [
        c.current.version.text for c in burst if c.current
    ]
    assert {d.status for d in sqlite_stores.alerts.deliveries()} == {DeliveryStatus.DELIVERED}


async def test_rules_decide_what_is_queued(
    sqlite_stores: Stores, receiver: Receiver, clock: FakeClock
) -> None:
    wanted = _subscribe(sqlite_stores, receiver, SinkKind.WEBHOOK, include=("nummer 2",))
    other = sqlite_stores.feed("t2").ticker_id
    only_t2 = _subscribe(sqlite_stores, receiver, SinkKind.SLACK, tickers=(other,))
    sqlite_stores.add_entries("t1", 3)
    sqlite_stores.add_entries("t2", 1)
    async with worker_for(sqlite_stores, clock) as worker:
        report = await worker.run_round()
    assert (report.dispatched, report.queued) == (4, 2)
    assert len(sqlite_stores.alerts.deliveries(subscription_id=wanted.id)) == 1
    (t2,) = sqlite_stores.alerts.deliveries(subscription_id=only_t2.id)
    assert t2.ticker_id == other


async def test_an_apprise_sink_without_apprise_is_a_dead_letter_saying_why(
    sqlite_stores: Stores, clock: FakeClock
) -> None:
    if apprise_available():
        pytest.skip("the apprise package is installed here")
    stores = sqlite_stores
    stores.subscribe(SinkKind.APPRISE, "tgram://bottoken/chat")
    stores.add_entries("t1", 1)
    async with worker_for(stores, clock) as worker:
        await worker.run_round()
    (dead,) = stores.alerts.deliveries()
    assert dead.status is DeliveryStatus.DEAD
    assert (
        dead.last_error
        == "Apprise sinks need the apprise package: pip install 'tickerwatch[apprise]'"
    )
