"""When to poll a ticker next: the cadence rule, the circuit breaker and the start spread.

Pure functions of their inputs: the clock and the random draw are arguments, so every
decision here is tested with literal values. Both scheduling engines and ``tickerwatch
poll`` use them, so a ticker gets the same cadence however it is run.

The rule, in order of precedence:

1. **Circuit breaker.** ``error_streak`` counts failed fetches in a row (the store keeps
   it). From ``breaker_threshold`` failures on the circuit is *open*: one probe every
   ``open_interval_s``; a probe that succeeds resets the streak and closes it. Below the
   threshold each failure doubles the normal interval (at most ``open_interval_s``).
2. **Ended.** A page whose ``coverageEndTime`` has passed is polled every
   ``ended_interval_s``.
3. **Silence.** Otherwise the interval follows the time since entries last arrived or
   changed: ``follow_ratio`` × silence, at least ``min_interval_s`` (a ticker that keeps
   posting is polled at the floor) and at most the ticker's own interval. After
   ``quiet_after_s`` of silence it may stretch past its own interval, up to
   ``max_interval_s``. A ticker that never changed is polled at its own interval.
4. **Retry-After.** A server's Retry-After is a floor on the interval.
5. **Jitter.** The interval is lengthened by ``jitter_ratio`` × ``draw`` (0 ≤ draw < 1),
   so tickers added together drift apart and never fire early.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# The fractional part of id × φ spreads consecutive ids evenly over [0, 1) (Weyl's
# low-discrepancy sequence): first polls after a start land evenly, deterministically.
_GOLDEN = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True, slots=True)
class CadencePolicy:
    """The knobs of the cadence rule (seconds); built from ``[scheduler]`` settings."""

    min_interval_s: float = 30.0
    max_interval_s: float = 3600.0
    follow_ratio: float = 0.25
    quiet_after_s: float = 3 * 3600.0
    ended_interval_s: float = 6 * 3600.0
    jitter_ratio: float = 0.1
    breaker_threshold: int = 5
    open_interval_s: float = 3600.0

    def __post_init__(self) -> None:
        if not 0 < self.min_interval_s <= self.max_interval_s:
            raise ValueError("need 0 < min_interval_s <= max_interval_s")
        if not self.follow_ratio > 0:
            raise ValueError("follow_ratio must be positive")
        if not 0 <= self.jitter_ratio <= 1:
            raise ValueError("jitter_ratio must be between 0 and 1")
        if self.breaker_threshold < 1:
            raise ValueError("breaker_threshold must be at least 1")
        for name in ("quiet_after_s", "ended_interval_s", "open_interval_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")


class Circuit(enum.Enum):
    """The breaker of one ticker, from its ``error_streak``."""

    CLOSED = "closed"  # polling normally
    BACKING_OFF = "backing_off"  # failing, intervals doubling
    OPEN = "open"  # failed breaker_threshold times in a row: one probe per open interval


class Reason(enum.Enum):
    """Which part of the rule set the interval."""

    BASE = "base"  # never changed yet: the ticker's own interval
    FOLLOWING = "following"  # following the silence, between the floor and its own interval
    QUIET = "quiet"  # silent for hours: stretched past its own interval
    ENDED = "ended"  # coverageEndTime has passed
    BACKOFF = "backoff"  # failed fetches, doubling
    OPEN = "open"  # circuit open
    RETRY_AFTER = "retry_after"  # the server asked us to wait


@dataclass(frozen=True, slots=True)
class PollFacts:
    """What the rule needs to know after a poll.

    ``base_interval_s`` is the ticker's configured interval; ``error_streak`` the failed
    fetches in a row including this poll; ``last_change_at`` when entries last arrived or
    changed (None: never); ``coverage_end`` the page's ``coverageEndTime`` when the poll
    parsed a page; ``retry_after_s`` the server's Retry-After of this poll.
    """

    base_interval_s: float
    error_streak: int = 0
    last_change_at: datetime | None = None
    coverage_end: datetime | None = None
    retry_after_s: float | None = None


@dataclass(frozen=True, slots=True)
class NextPoll:
    """The decision: poll again ``at`` (``interval_s`` after now, jitter included)."""

    at: datetime
    interval_s: float
    reason: Reason
    circuit: Circuit


def circuit_state(error_streak: int, policy: CadencePolicy) -> Circuit:
    """The breaker state ``error_streak`` failures in a row put a ticker in."""
    if error_streak >= policy.breaker_threshold:
        return Circuit.OPEN
    if error_streak > 0:
        return Circuit.BACKING_OFF
    return Circuit.CLOSED


def healthy_interval(
    facts: PollFacts, policy: CadencePolicy, *, now: datetime
) -> tuple[float, Reason]:
    """The interval of a ticker whose fetches succeed (rules 2 and 3), without jitter."""
    base = max(facts.base_interval_s, policy.min_interval_s)
    if facts.coverage_end is not None and facts.coverage_end <= now:
        return max(policy.ended_interval_s, base), Reason.ENDED
    if facts.last_change_at is None:
        return base, Reason.BASE
    silence = max(0.0, (now - facts.last_change_at).total_seconds())
    following = silence * policy.follow_ratio
    if silence >= policy.quiet_after_s:
        ceiling = max(policy.max_interval_s, base)
        return min(max(following, base), ceiling), Reason.QUIET
    return min(max(following, policy.min_interval_s), base), Reason.FOLLOWING


def plan_next(facts: PollFacts, policy: CadencePolicy, *, now: datetime, draw: float) -> NextPoll:
    """When to poll next, after a poll that ended ``now``; ``draw`` is uniform in [0, 1)."""
    if not 0 <= draw < 1:
        raise ValueError(f"draw must be in [0, 1), got {draw!r}")
    circuit = circuit_state(facts.error_streak, policy)
    interval, reason = healthy_interval(facts, policy, now=now)
    if circuit is Circuit.OPEN:
        interval, reason = max(policy.open_interval_s, policy.min_interval_s), Reason.OPEN
    elif circuit is Circuit.BACKING_OFF:
        doubled = interval * 2.0 ** min(facts.error_streak, 32)
        interval = max(min(doubled, policy.open_interval_s), interval)
        reason = Reason.BACKOFF
    if facts.retry_after_s is not None and facts.retry_after_s > interval:
        interval, reason = facts.retry_after_s, Reason.RETRY_AFTER
    interval *= 1.0 + policy.jitter_ratio * draw
    return NextPoll(
        at=now + timedelta(seconds=interval), interval_s=interval, reason=reason, circuit=circuit
    )


def spread_fraction(ticker_id: int) -> float:
    """Where in its interval a ticker's first poll after a start falls, in [0, 1)."""
    return (ticker_id * _GOLDEN) % 1.0


def first_due(
    ticker_id: int,
    next_poll_at: datetime | None,
    interval_s: float,
    policy: CadencePolicy,
    *,
    now: datetime,
) -> datetime:
    """When to poll a ticker that has no job yet (at a start, or when it appears).

    A persisted ``next_poll_at`` still ahead is kept, so a restart resumes where it was.
    A ticker never scheduled or overdue is placed at its :func:`spread_fraction` of its
    interval from now: a thousand tickers due at once start over a whole interval, not
    in one burst, and each always lands at the same place.
    """
    if next_poll_at is not None and next_poll_at > now:
        return next_poll_at
    window = max(interval_s, policy.min_interval_s)
    return now + timedelta(seconds=spread_fraction(ticker_id) * window)
