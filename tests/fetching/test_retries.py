"""Retries: backoff with full jitter, Retry-After, budgets. Loopback server plus the pure rules."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.fetching import FetchOutcome, Validators
from ingest.fetching.retry import backoff_delay, parse_retry_after, plan_retry
from tests.fetching.conftest import START, FakeTime, open_fetcher, policy
from tests.fetching.server import LoopbackServer, Reply

PAGE = b"<p>ok</p>"


@pytest.mark.anyio
async def test_429_retry_after_seconds_is_honoured_then_success(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/live"] = [Reply(429, {"Retry-After": "7"}), Reply(200, body=PAGE)]
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/live"))
    assert result.outcome is FetchOutcome.OK
    assert result.body == PAGE
    assert fake_time.sleeps == [7.0]  # exactly what the server asked, no jitter
    assert result.attempts == 2
    assert result.retry_after_s is None  # the final response did not ask for a wait


@pytest.mark.anyio
async def test_503_retry_after_http_date_is_honoured(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    when = format_datetime(START + timedelta(seconds=12), usegmt=True)
    server.routes["/live"] = [Reply(503, {"Retry-After": when}), Reply(200, body=PAGE)]
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/live"))
    assert result.outcome is FetchOutcome.OK
    assert fake_time.sleeps == [12.0]


@pytest.mark.anyio
async def test_5xx_is_retried_with_jittered_backoff_then_success(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/live"] = [Reply(500), Reply(502), Reply(504), Reply(200, body=PAGE)]
    async with open_fetcher(fake_time, policy(backoff_base_s=1.0, backoff_cap_s=8.0)) as f:
        result = await f.fetch(server.url("/live"))
    assert result.outcome is FetchOutcome.OK
    assert result.attempts == 4
    assert len(fake_time.sleeps) == 3
    for n, delay in enumerate(fake_time.sleeps, start=1):
        assert 0 <= delay < min(8.0, 2.0 ** (n - 1))  # full jitter below the n-th ceiling
    # Seeded: the same draws as the fetcher's rng (one draw per attempt).
    rng = random.Random(7)
    assert fake_time.sleeps == [rng.random() * 2.0 ** (n - 1) for n in (1, 2, 3)]


@pytest.mark.anyio
async def test_a_trickling_server_fails_on_the_deadline_and_is_retried_once(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    # A byte every 200 ms: each read is well within the read timeout, only the
    # attempt's total deadline ends it. It used to be tried 1 + retries = 4 times,
    # each up to the deadline (4 × 60 s with the defaults).
    server.routes["/trickle"] = Reply(200, chunks=[b"."] * 100, chunk_delay_s=0.2)
    fetch_policy = policy(read_timeout_s=2.0, total_timeout_s=0.5, retries=3)
    async with open_fetcher(fake_time, fetch_policy) as fetcher:
        result = await fetcher.fetch(server.url("/trickle"))
    assert result.outcome is FetchOutcome.TIMEOUT
    assert result.attempts == 2
    assert server.hits("/trickle") == 2
    assert result.error == "no complete response within 0.5 s; gave up after 2 attempts"


@pytest.mark.anyio
async def test_5xx_exhausted_is_an_http_error(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/down"] = Reply(503)
    async with open_fetcher(fake_time, policy(retries=3)) as fetcher:
        result = await fetcher.fetch(server.url("/down"))
    assert result.outcome is FetchOutcome.HTTP_ERROR
    assert (result.http_status, result.attempts) == (503, 4)
    assert server.hits("/down") == 4
    assert len(fake_time.sleeps) == 3
    assert result.error == "HTTP 503 Service Unavailable; gave up after 4 attempts"
    assert result.retry_after_s is None


@pytest.mark.anyio
@pytest.mark.parametrize("status", [400, 403, 404, 410, 501])
async def test_other_errors_are_not_retried(
    server: LoopbackServer, fake_time: FakeTime, status: int
) -> None:
    server.routes["/x"] = Reply(status)
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/x"))
    assert result.outcome is FetchOutcome.HTTP_ERROR
    assert (result.http_status, result.attempts, fake_time.sleeps) == (status, 1, [])


@pytest.mark.anyio
async def test_retry_after_beyond_the_budget_goes_back_to_the_scheduler(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/busy"] = Reply(429, {"Retry-After": "900"})
    async with open_fetcher(fake_time, policy(retry_budget_s=60.0)) as fetcher:
        result = await fetcher.fetch(server.url("/busy"))
    assert result.outcome is FetchOutcome.HTTP_ERROR
    assert (result.http_status, result.attempts, result.retry_after_s) == (429, 1, 900.0)
    assert fake_time.sleeps == []
    assert result.error is not None
    assert "exceeds the retry budget" in result.error


@pytest.mark.anyio
async def test_retry_after_is_capped_by_policy(server: LoopbackServer, fake_time: FakeTime) -> None:
    server.routes["/busy"] = Reply(503, {"Retry-After": "86400"})
    async with open_fetcher(fake_time, policy(max_retry_after_s=3600.0)) as fetcher:
        result = await fetcher.fetch(server.url("/busy"))
    assert result.retry_after_s == 3600.0


@pytest.mark.anyio
async def test_validators_survive_a_failed_fetch(
    server: LoopbackServer, fake_time: FakeTime
) -> None:
    server.routes["/gone"] = Reply(404)
    old = Validators('"v9"', "Tue, 03 Nov 2026 11:00:00 GMT")
    async with open_fetcher(fake_time) as fetcher:
        result = await fetcher.fetch(server.url("/gone"), old)
    assert result.validators == old


# --- the pure rules ---------------------------------------------------------------


def test_retry_after_forms() -> None:
    now = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(" 0 ", now) == 0.0
    assert parse_retry_after("Tue, 03 Nov 2026 12:01:30 GMT", now) == 90.0
    assert parse_retry_after("Tue, 03 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past
    for junk in (None, "", "soon", "-5", "1.5", "١٢"):
        assert parse_retry_after(junk, now) is None


@given(st.integers(min_value=0, max_value=10**9))
def test_retry_after_delta_seconds_round_trip(seconds: int) -> None:
    assert parse_retry_after(str(seconds), START) == float(seconds)


@given(
    retry=st.integers(min_value=1, max_value=10_000),
    jitter=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    base=st.floats(min_value=0.0, max_value=100.0),
    cap=st.floats(min_value=0.0, max_value=3600.0),
)
def test_backoff_stays_under_its_ceiling(
    retry: int, jitter: float, base: float, cap: float
) -> None:
    delay = backoff_delay(retry, policy(backoff_base_s=base, backoff_cap_s=cap), jitter)
    assert 0.0 <= delay <= min(cap, base * 2.0 ** min(retry - 1, 64))


def test_plan_retry_rules() -> None:
    p = policy(retries=2, retry_budget_s=10.0, backoff_base_s=1.0, backoff_cap_s=8.0)

    def plan(outcome: FetchOutcome, status: int | None = None, **kw: float) -> float | None:
        args: dict[str, float] = {"attempts_made": 1, "slept_s": 0.0, "jitter": 0.5} | kw
        return plan_retry(
            outcome=outcome,
            http_status=status,
            retry_after_s=args.get("retry_after_s"),
            attempts_made=int(args["attempts_made"]),
            slept_s=args["slept_s"],
            policy=p,
            jitter=args["jitter"],
        ).delay_s

    assert plan(FetchOutcome.TIMEOUT) == 0.5
    assert plan(FetchOutcome.TIMEOUT, attempts_made=2) is None  # timeout_retries=1 spent
    assert plan(FetchOutcome.NETWORK_ERROR, attempts_made=2) == 1.0
    assert plan(FetchOutcome.NETWORK_ERROR, attempts_made=3) is None  # retries spent
    assert plan(FetchOutcome.HTTP_ERROR, 503, retry_after_s=4.0) == 4.0
    assert plan(FetchOutcome.HTTP_ERROR, 503, retry_after_s=4.0, slept_s=7.0) is None
    assert plan(FetchOutcome.HTTP_ERROR, 500, slept_s=9.9, jitter=0.9) is None  # budget
    for outcome in (FetchOutcome.OK, FetchOutcome.BLOCKED, FetchOutcome.TOO_LARGE):
        assert plan(outcome) is None
    assert plan(FetchOutcome.HTTP_ERROR, 404) is None
