"""When to try again, and after how long. Pure: the caller passes the clock
reading and the random draw, so every decision is testable with literals."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ingest.fetching.model import FetchOutcome

if TYPE_CHECKING:  # annotations only: these pure decisions need no httpx
    from ingest.fetching.policy import FetchPolicy

# Server errors that usually pass (RFC 9110 §15.6.1, .3, .4, .5) and 429 Too Many
# Requests (RFC 6585 §4). 501 Not Implemented and the rest are not retried.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# RFC 9110 §10.2.3 defines Retry-After on 503 and 3xx; RFC 6585 §4 adds 429. We
# only wait on it where the server asks us to come back later.
RETRY_AFTER_STATUSES = frozenset({429, 503})
_TRANSIENT = frozenset({FetchOutcome.TIMEOUT, FetchOutcome.NETWORK_ERROR})


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """``delay_s`` None means stop; otherwise sleep that long and try again.
    ``gave_up`` explains, when stopping, why a retryable failure was not retried."""

    delay_s: float | None
    gave_up: str | None = None


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value: delta-seconds or an HTTP-date
    (RFC 9110 §10.2.3). A date in the past means 0; junk means None.

    >>> from datetime import timezone
    >>> parse_retry_after("120", datetime(2024, 1, 1, tzinfo=timezone.utc))
    120.0
    """
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # delta-seconds = 1*DIGIT (RFC 9110 §10.2.3)
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" zone: HTTP-dates are always GMT (RFC 9110 §5.6.7)
        return None
    return max(0.0, (when - now).total_seconds())


def backoff_delay(retry_number: int, policy: FetchPolicy, jitter: float) -> float:
    """Full jitter: a uniform draw in [0, min(cap, base · 2ⁿ⁻¹)) for the n-th retry
    (n ≥ 1). ``jitter`` is that draw's unit value in [0, 1)."""
    exponent = min(retry_number - 1, 64)  # 2**64 · base is past any cap; avoids overflow
    ceiling = min(policy.backoff_cap_s, policy.backoff_base_s * 2.0**exponent)
    return jitter * ceiling


def is_retryable(outcome: FetchOutcome, http_status: int | None) -> bool:
    """Timeouts, network errors, 429 and 500/502/503/504; never our own refusals."""
    if outcome in _TRANSIENT:
        return True
    return outcome is FetchOutcome.HTTP_ERROR and http_status in RETRYABLE_STATUSES


def plan_retry(
    *,
    outcome: FetchOutcome,
    http_status: int | None,
    retry_after_s: float | None,
    attempts_made: int,
    slept_s: float,
    policy: FetchPolicy,
    jitter: float,
) -> RetryDecision:
    """Whether to retry after ``attempts_made`` attempts that already slept ``slept_s``.

    A timeout is retried at most ``policy.timeout_retries`` times (each try may
    last the whole attempt deadline). A Retry-After (already capped at
    ``policy.max_retry_after_s``) replaces the backoff. If it does not fit in
    what is left of ``policy.retry_budget_s`` we stop, and the caller reports
    it so the scheduler can wait instead of us.
    """
    if not is_retryable(outcome, http_status):
        return RetryDecision(None)
    retries = policy.retries
    if outcome is FetchOutcome.TIMEOUT:
        retries = min(retries, policy.timeout_retries)
    if attempts_made > retries:
        tries = "1 attempt" if attempts_made == 1 else f"{attempts_made} attempts"
        return RetryDecision(None, f"gave up after {tries}")
    left = policy.retry_budget_s - slept_s
    if retry_after_s is not None:
        if retry_after_s > left:
            return RetryDecision(None, f"Retry-After {retry_after_s:g} s exceeds the retry budget")
        return RetryDecision(retry_after_s)
    delay = backoff_delay(attempts_made, policy, jitter)
    if delay > left:
        return RetryDecision(None, "retry budget spent")
    return RetryDecision(delay)
