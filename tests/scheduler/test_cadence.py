"""The cadence rule, the breaker and the start spread: pure functions, literal inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.cadence import (
    CadencePolicy,
    Circuit,
    PollFacts,
    Reason,
    circuit_state,
    first_due,
    plan_next,
    spread_fraction,
)
from scheduler.ports import EngineConfig, sweep_cron

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
POLICY = CadencePolicy(
    min_interval_s=30,
    max_interval_s=3600,
    follow_ratio=0.25,
    quiet_after_s=3 * 3600,
    ended_interval_s=6 * 3600,
    jitter_ratio=0.1,
    breaker_threshold=5,
    open_interval_s=3600,
)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def interval(facts: PollFacts, draw: float = 0.0) -> float:
    return plan_next(facts, POLICY, now=NOW, draw=draw).interval_s


def test_a_ticker_that_keeps_posting_is_polled_at_the_floor() -> None:
    plan = plan_next(PollFacts(300, last_change_at=ago(20)), POLICY, now=NOW, draw=0)
    assert plan.interval_s == 30
    assert plan.reason is Reason.FOLLOWING
    assert plan.at == NOW + timedelta(seconds=30)


def test_the_interval_follows_the_silence_up_to_the_tickers_own() -> None:
    assert interval(PollFacts(300, last_change_at=ago(8 * 60))) == 120
    assert interval(PollFacts(300, last_change_at=ago(40 * 60))) == 300


def test_hours_of_silence_stretch_past_the_own_interval_up_to_the_ceiling() -> None:
    quiet = plan_next(PollFacts(300, last_change_at=ago(4 * 3600)), POLICY, now=NOW, draw=0)
    assert quiet.reason is Reason.QUIET
    assert quiet.interval_s == 3600
    assert interval(PollFacts(300, last_change_at=ago(3 * 3600))) == 2700
    # A ticker whose own interval is longer than the ceiling keeps its own.
    assert interval(PollFacts(7200, last_change_at=ago(5 * 3600))) == 7200


def test_an_ended_ticker_is_polled_much_less_often() -> None:
    plan = plan_next(
        PollFacts(300, last_change_at=ago(10), coverage_end=ago(60)), POLICY, now=NOW, draw=0
    )
    assert plan.reason is Reason.ENDED
    assert plan.interval_s == 6 * 3600
    ongoing = PollFacts(300, last_change_at=ago(10), coverage_end=NOW + timedelta(hours=1))
    assert interval(ongoing) == 30


def test_a_ticker_that_never_changed_is_polled_at_its_own_interval() -> None:
    assert plan_next(PollFacts(300), POLICY, now=NOW, draw=0).reason is Reason.BASE
    assert interval(PollFacts(300)) == 300
    assert interval(PollFacts(5)) == 30, "never faster than the floor"


def test_failures_double_the_interval_then_open_the_circuit() -> None:
    healthy = PollFacts(300, last_change_at=ago(3600))
    assert [
        interval(PollFacts(300, error_streak=n, last_change_at=ago(3600))) for n in range(1, 7)
    ] == [600, 1200, 2400, 3600, 3600, 3600]
    assert interval(healthy) == 300
    assert circuit_state(0, POLICY) is Circuit.CLOSED
    assert circuit_state(4, POLICY) is Circuit.BACKING_OFF
    opened = plan_next(PollFacts(300, error_streak=5), POLICY, now=NOW, draw=0)
    assert (opened.circuit, opened.reason) == (Circuit.OPEN, Reason.OPEN)


def test_retry_after_is_a_floor() -> None:
    plan = plan_next(
        PollFacts(300, error_streak=1, last_change_at=ago(10), retry_after_s=900),
        POLICY,
        now=NOW,
        draw=0,
    )
    assert (plan.interval_s, plan.reason) == (900, Reason.RETRY_AFTER)
    assert interval(PollFacts(300, retry_after_s=10)) == 300


def test_jitter_lengthens_by_up_to_the_ratio() -> None:
    assert interval(PollFacts(300), draw=0.5) == pytest.approx(315)
    with pytest.raises(ValueError, match="draw"):
        plan_next(PollFacts(300), POLICY, now=NOW, draw=1.0)


@given(
    base=st.integers(1, 86_400),
    silence=st.none() | st.floats(0, 30 * 86_400),
    streak=st.integers(0, 50),
    retry_after=st.none() | st.floats(0, 3600),
    ended=st.none() | st.floats(-86_400, 86_400),
    draw=st.floats(0, 1, exclude_max=True),
)
def test_every_plan_is_in_the_future_and_respects_floor_and_retry_after(
    base: int,
    silence: float | None,
    streak: int,
    retry_after: float | None,
    ended: float | None,
    draw: float,
) -> None:
    facts = PollFacts(
        base,
        error_streak=streak,
        last_change_at=None if silence is None else ago(silence),
        coverage_end=None if ended is None else ago(ended),
        retry_after_s=retry_after,
    )
    plan = plan_next(facts, POLICY, now=NOW, draw=draw)
    assert plan.at > NOW
    assert plan.interval_s >= POLICY.min_interval_s
    assert plan.interval_s >= (retry_after or 0)
    assert plan.at == NOW + timedelta(seconds=plan.interval_s)
    ceiling = max(base, POLICY.max_interval_s, POLICY.ended_interval_s, POLICY.open_interval_s)
    assert plan.interval_s <= max(ceiling, retry_after or 0) * (1 + POLICY.jitter_ratio)


@given(base=st.integers(1, 7200), a=st.floats(0, 86_400), b=st.floats(0, 86_400))
def test_longer_silence_never_means_faster_polling(base: int, a: float, b: float) -> None:
    short, long = sorted((a, b))
    assert interval(PollFacts(base, last_change_at=ago(short))) <= interval(
        PollFacts(base, last_change_at=ago(long))
    )


@given(streak=st.integers(0, 40))
def test_more_failures_never_mean_faster_polling(streak: int) -> None:
    facts = PollFacts(300, error_streak=streak, last_change_at=ago(600))
    more = PollFacts(300, error_streak=streak + 1, last_change_at=ago(600))
    assert interval(facts) <= interval(more)


def test_first_polls_after_a_start_spread_over_the_interval() -> None:
    dues = [first_due(i, None, 600, POLICY, now=NOW) for i in range(1, 1001)]
    offsets = sorted((d - NOW).total_seconds() for d in dues)
    assert offsets[0] >= 0
    assert offsets[-1] < 600
    # Every tenth of the interval gets about a tenth of the tickers: no burst.
    per_slice = [sum(1 for o in offsets if k * 60 <= o < (k + 1) * 60) for k in range(10)]
    assert all(90 <= n <= 110 for n in per_slice), per_slice
    assert dues == [first_due(i, None, 600, POLICY, now=NOW) for i in range(1, 1001)]


def test_a_planned_time_ahead_is_kept_and_an_overdue_one_spread() -> None:
    ahead = NOW + timedelta(seconds=42)
    assert first_due(7, ahead, 300, POLICY, now=NOW) == ahead
    overdue = first_due(7, NOW - timedelta(hours=2), 300, POLICY, now=NOW)
    assert overdue == NOW + timedelta(seconds=spread_fraction(7) * 300)


@given(st.integers(1, 10**9))
def test_spread_fraction_is_a_fraction(ticker_id: int) -> None:
    assert 0 <= spread_fraction(ticker_id) < 1


def test_policies_refuse_inconsistent_values() -> None:
    with pytest.raises(ValueError, match="min_interval_s"):
        CadencePolicy(min_interval_s=60, max_interval_s=30)
    with pytest.raises(ValueError, match="heartbeat_s"):
        EngineConfig(lease_s=5, heartbeat_s=10)
    with pytest.raises(ValueError, match="does not divide"):
        EngineConfig(resync_every_s=7 * 60)


@pytest.mark.parametrize(
    ("seconds", "cron"), [(1, "* * * * * */1"), (15, "* * * * * */15"), (300, "*/5 * * * *")]
)
def test_sweep_periods_become_crons(seconds: int, cron: str) -> None:
    assert sweep_cron(seconds) == cron
