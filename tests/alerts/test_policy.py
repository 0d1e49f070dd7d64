"""Pure decisions: what an answer means, backoff, rate limits, digests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alerts.alert import SinkKind
from alerts.digest import DigestRule, burst_size
from alerts.model import (
    Claim,
    Delivery,
    DeliveryId,
    DeliveryStatus,
    Rules,
    SinkResponse,
    Subscription,
    SubscriptionId,
)
from alerts.policy import Attempt, DeliveryPolicy, Verdict, decide, judge, unrenderable
from alerts.ratelimit import backoff_s, retry_after_s, send_interval_s, window_reset_s
from diffing.model import ChangeKind
from storage.model import TickerId
from tests.alerts.test_rules import change

NOW = datetime(2026, 4, 23, 12, 0, tzinfo=UTC)
POLICY = DeliveryPolicy(max_attempts=3, backoff_base_s=2, backoff_cap_s=60, max_age_s=3600)
SINK = Subscription(
    SubscriptionId(1),
    SinkKind.SLACK,
    "https://hooks.slack.com/services/T/B/X",
    "s",
    Rules(),
    None,
    NOW,
)


def claim(attempts: int = 0, queued_s_ago: float = 0) -> Claim:
    delivery = Delivery(
        id=DeliveryId(5),
        key="msg_1",
        subscription_id=SINK.id,
        change_id=1,
        ticker_id=TickerId(7),
        kind=ChangeKind.ADDED,
        observed_at=NOW,
        status=DeliveryStatus.PENDING,
        created_at=NOW,
        queued_at=NOW - timedelta(seconds=queued_s_ago),
        next_attempt_at=NOW,
        attempts=attempts,
    )
    return Claim(SINK, (delivery,), (change(),), "w1", NOW + timedelta(seconds=60))


def response(status: int | None, body: bytes = b"", **headers: str) -> SinkResponse:
    pairs = tuple((k.replace("_", "-").lower(), v) for k, v in headers.items())
    return SinkResponse(status, pairs, body, None if status else "connection refused")


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        (response(200, b"ok"), Verdict.DELIVERED),
        (response(204), Verdict.DELIVERED),
        (response(202), Verdict.DELIVERED),  # Teams Workflows: accepted
        (response(429, Retry_After="5"), Verdict.RATE_LIMITED),
        (response(404, b"channel_not_found"), Verdict.GONE),
        (response(410, b"channel_is_archived"), Verdict.GONE),
        (response(400, b"invalid_payload"), Verdict.REJECTED),
        (response(413), Verdict.REJECTED),
        (response(403, b"action_prohibited"), Verdict.FAILED),
        (response(500), Verdict.FAILED),
        (response(301), Verdict.FAILED),
        (response(None), Verdict.FAILED),
    ],
)
def test_answers_are_judged(answer: SinkResponse, verdict: Verdict) -> None:
    assert judge(answer, now=NOW).verdict is verdict


def test_errors_carry_the_sinks_words() -> None:
    assert (
        judge(response(404, b"channel_not_found\n"), now=NOW).error == "HTTP 404: channel_not_found"
    )
    assert judge(response(None), now=NOW).error == "connection refused"


@pytest.mark.parametrize(
    ("answer", "wait"),
    [
        (response(429, Retry_After="7"), 7.0),
        (response(429, Retry_After="Thu, 23 Apr 2026 12:00:30 GMT"), 30.0),
        (response(429, b'{"retry_after": 1.5, "global": false}'), 1.5),
        (response(429, b'{"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 2500}'), 2.5),
        (response(429, b'{"retry_after": true}'), None),
        (response(429, b"slow down"), None),
        (response(503, Retry_After="9"), 9.0),
    ],
)
def test_retry_after_is_read_from_headers_and_bodies(
    answer: SinkResponse, wait: float | None
) -> None:
    assert retry_after_s(answer, NOW) == wait
    assert judge(answer, now=NOW).wait_s == wait


def test_a_used_up_rate_limit_window_pauses_the_sink() -> None:
    used = response(204, X_RateLimit_Remaining="0", X_RateLimit_Reset_After="1.25")
    assert window_reset_s(used) == 1.25
    assert (
        window_reset_s(response(204, X_RateLimit_Remaining="3", X_RateLimit_Reset_After="1"))
        is None
    )
    decision = decide(claim(), judge(used, now=NOW), POLICY, now=NOW, jitter=0)
    assert decision.status is DeliveryStatus.DELIVERED
    assert decision.pause_until == NOW + timedelta(seconds=1.25)


def test_delivered() -> None:
    decision = decide(claim(), Attempt(Verdict.DELIVERED, 200), POLICY, now=NOW, jitter=0.3)
    assert (decision.status, decision.at, decision.error, decision.pause_until) == (
        DeliveryStatus.DELIVERED,
        NOW,
        None,
        None,
    )
    assert decision.delivery_ids == (DeliveryId(5),)
    assert decision.lease == "w1"


def test_failures_back_off_exponentially_then_die() -> None:
    first = decide(claim(0), Attempt(Verdict.FAILED, 500), POLICY, now=NOW, jitter=0.0)
    assert first.status is DeliveryStatus.PENDING
    assert first.next_attempt_at == NOW + timedelta(seconds=1)  # half of 2 s, no jitter
    second = decide(claim(1), Attempt(Verdict.FAILED, 500), POLICY, now=NOW, jitter=1.0)
    assert second.next_attempt_at == NOW + timedelta(seconds=4)  # all of 2 × 2 s
    last = decide(claim(2), Attempt(Verdict.FAILED, 500, "HTTP 500"), POLICY, now=NOW, jitter=0)
    assert (last.status, last.error) == (DeliveryStatus.DEAD, "HTTP 500")


def test_a_503_waits_at_least_its_retry_after() -> None:
    decision = decide(claim(), Attempt(Verdict.FAILED, 503, wait_s=30), POLICY, now=NOW, jitter=0)
    assert decision.next_attempt_at == NOW + timedelta(seconds=30)


def test_rate_limits_pause_the_sink_and_only_age_ends_them() -> None:
    limited = Attempt(Verdict.RATE_LIMITED, 429, wait_s=12)
    decision = decide(claim(10), limited, POLICY, now=NOW, jitter=0)
    assert decision.status is DeliveryStatus.PENDING
    assert decision.next_attempt_at == decision.pause_until == NOW + timedelta(seconds=12)
    huge = decide(
        claim(), Attempt(Verdict.RATE_LIMITED, 429, wait_s=10**9), POLICY, now=NOW, jitter=0
    )
    assert huge.pause_until == NOW + timedelta(seconds=POLICY.max_retry_after_s)
    unsaid = decide(claim(), Attempt(Verdict.RATE_LIMITED, 429), POLICY, now=NOW, jitter=0)
    assert unsaid.pause_until == NOW + timedelta(seconds=1)
    old = decide(claim(queued_s_ago=3600), limited, POLICY, now=NOW, jitter=0)
    assert old.status is DeliveryStatus.DEAD


def test_a_gone_sink_is_disabled_and_its_delivery_held() -> None:
    decision = decide(
        claim(),
        Attempt(Verdict.GONE, 410, "HTTP 410: channel_is_archived"),
        POLICY,
        now=NOW,
        jitter=0,
    )
    assert decision.status is DeliveryStatus.PENDING
    assert decision.next_attempt_at == NOW
    assert decision.disable == "HTTP 410: channel_is_archived at 2026-04-23 12:00 UTC"


def test_a_message_that_cannot_be_made_is_dead_at_once() -> None:
    decision = decide(claim(), unrenderable("no token"), POLICY, now=NOW, jitter=0)
    assert (decision.status, decision.error) == (
        DeliveryStatus.DEAD,
        "cannot be formatted: no token",
    )


@given(st.integers(1, 200), st.floats(0, 1, exclude_max=True))
def test_backoff_stays_between_half_a_step_and_the_cap(attempt: int, jitter: float) -> None:
    delay = backoff_s(attempt, base_s=2, cap_s=60, jitter=jitter)
    step = min(60.0, 2.0 * 2 ** (attempt - 1))
    assert step / 2 <= delay <= step <= 60


def test_each_platform_keeps_its_pace() -> None:
    assert send_interval_s(SinkKind.SLACK, 0) == 1.0
    assert send_interval_s(SinkKind.SLACK, 120) == 1.0  # never faster than Slack allows
    assert send_interval_s(SinkKind.SLACK, 30) == 2.0
    assert send_interval_s(SinkKind.TEAMS, 0) == 0.25
    assert send_interval_s(SinkKind.WEBHOOK, 0) == 0.0
    assert POLICY.interval_s(SINK) == 1.0  # the default 60 a minute


def test_the_sinks_own_digest_rule_wins() -> None:
    policy = DeliveryPolicy(digest_window_s=60, digest_threshold=3, digest_max_alerts=20)
    assert policy.digest(SINK) == DigestRule(60, 3, 20)
    own = replace(SINK, rules=Rules(digest_window_s=5, digest_threshold=0))
    assert policy.digest(own) == DigestRule(5, 0, 20)


def _at(*seconds: float) -> list[datetime]:
    return [NOW + timedelta(seconds=s) for s in seconds]


@pytest.mark.parametrize(
    ("followers", "size"),
    [
        ((), 1),
        ((0, 0), 3),
        ((0,), 1),  # two are below the threshold of three
        ((10, 59, 60, 61, 62), 4),  # the window is 60 s from the first
        ((0,) * 30, 20),  # at most max_alerts
    ],
)
def test_bursts_are_grouped_within_the_window(followers: tuple[float, ...], size: int) -> None:
    rule = DigestRule(window_s=60, threshold=3, max_alerts=20)
    assert burst_size(NOW, _at(*followers), rule) == size


def test_a_digest_rule_can_be_off() -> None:
    for rule in (DigestRule(60, 0, 20), DigestRule(60, 1, 20), DigestRule(0, 3, 20)):
        assert not rule.enabled
        assert burst_size(NOW, _at(0, 0, 0), rule) == 1
