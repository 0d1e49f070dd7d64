"""What a sink's answer means, and what becomes of the deliveries it was for. Pure.

:func:`judge` reads one :class:`~alerts.model.SinkResponse` into an :class:`Attempt`;
:func:`decide` turns a claim and its attempt into a :class:`~alerts.model.Decision`:

- 2xx: delivered (a used-up rate-limit window pauses the sink until it reopens);
- 429: pending; the whole sink pauses for its Retry-After (else for the backoff);
- 404, 410: pending, and the sink is disabled until the user enables it again;
- 400, 413, 422, or a message no payload can be made of: dead at once (the sink
  refuses this message as it is; sending it again cannot help);
- anything else (5xx, 401/403, timeouts, refused connections): pending after an
  exponential backoff with jitter (at least a 503's Retry-After); dead after
  ``max_attempts`` attempts.

A failure after ``max_age_s`` in the queue makes the delivery dead, whatever the answer,
but for a gone URL: a disabled sink's deliveries wait for it to be enabled.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from alerts.digest import DigestRule
from alerts.model import Claim, Decision, DeliveryStatus, SinkResponse, Subscription
from alerts.ratelimit import backoff_s, retry_after_s, send_interval_s, window_reset_s

GONE_STATUSES = frozenset({404, 410})  # Slack: channel_not_found / channel_is_archived
# The sink understood the request and refuses its content: sending it again cannot help.
REJECTED_STATUSES = frozenset({400, 413, 422})


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """The knobs of delivery, from the ``[alerts]`` settings."""

    max_attempts: int = 15
    backoff_base_s: float = 5.0
    backoff_cap_s: float = 1800.0
    max_age_s: float = 86_400.0
    max_retry_after_s: float = 3600.0
    default_rate_per_minute: float = 60.0
    digest_window_s: float = 60.0
    digest_threshold: int = 3
    digest_max_alerts: int = 20

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.backoff_base_s <= 0 or self.backoff_cap_s < self.backoff_base_s:
            raise ValueError("backoff needs 0 < base <= cap")
        if self.max_age_s <= 0 or self.max_retry_after_s <= 0:
            raise ValueError("max_age_s and max_retry_after_s must be positive")
        if self.default_rate_per_minute < 0 or self.digest_window_s < 0:
            raise ValueError("rates and windows must not be negative")

    def interval_s(self, subscription: Subscription) -> float:
        """Seconds between two messages to this sink."""
        rate = subscription.rules.rate_per_minute
        return send_interval_s(
            subscription.kind, self.default_rate_per_minute if rate is None else rate
        )

    def digest(self, subscription: Subscription) -> DigestRule:
        rules = subscription.rules
        return DigestRule(
            window_s=self.digest_window_s
            if rules.digest_window_s is None
            else rules.digest_window_s,
            threshold=self.digest_threshold
            if rules.digest_threshold is None
            else rules.digest_threshold,
            max_alerts=self.digest_max_alerts,
        )


class Verdict(enum.Enum):
    DELIVERED = "delivered"
    RATE_LIMITED = "rate_limited"
    GONE = "gone"
    REJECTED = "rejected"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Attempt:
    """One send, judged. ``wait_s`` is how long the sink asked us to wait (Retry-After,
    or the rest of a used-up rate-limit window); ``error`` says what went wrong, in words."""

    verdict: Verdict
    http_status: int | None = None
    error: str | None = None
    wait_s: float | None = None


def judge(response: SinkResponse, *, now: datetime) -> Attempt:
    """Read a sink's answer (see the module's table)."""
    status = response.status
    if status is None:
        return Attempt(Verdict.FAILED, error=response.error or "no answer")
    if 200 <= status < 300:
        return Attempt(Verdict.DELIVERED, status, wait_s=window_reset_s(response))
    detail = _detail(response)
    if status == 429:
        return Attempt(
            Verdict.RATE_LIMITED,
            status,
            f"HTTP 429 rate limited{detail}",
            retry_after_s(response, now),
        )
    if status in GONE_STATUSES:
        return Attempt(Verdict.GONE, status, f"HTTP {status}{detail}")
    if status in REJECTED_STATUSES:
        return Attempt(Verdict.REJECTED, status, f"HTTP {status}{detail}")
    wait = retry_after_s(response, now) if status == 503 else None
    return Attempt(Verdict.FAILED, status, f"HTTP {status}{detail}", wait)


def unrenderable(reason: str) -> Attempt:
    """The attempt for a message no payload could be made of (nothing was sent)."""
    return Attempt(Verdict.REJECTED, error=f"cannot be formatted: {reason}")


def _detail(response: SinkResponse) -> str:
    # Slack and Mattermost answer errors with a short text ("channel_not_found").
    text = response.body[:200].decode("utf-8", "replace").strip()
    text = " ".join(text.split())
    return f": {text}" if text else ""


def decide(
    claim: Claim, attempt: Attempt, policy: DeliveryPolicy, *, now: datetime, jitter: float
) -> Decision:
    """What becomes of ``claim``'s deliveries after ``attempt`` at ``now``; ``jitter`` is
    a uniform draw in [0, 1) for the backoff."""
    lead = claim.deliveries[0]
    attempts = lead.attempts + 1
    expired = (now - lead.queued_at).total_seconds() >= policy.max_age_s
    wait = min(attempt.wait_s, policy.max_retry_after_s) if attempt.wait_s is not None else None
    base = Decision(
        subscription_id=claim.subscription.id,
        delivery_ids=claim.ids,
        lease=claim.lease,
        status=DeliveryStatus.PENDING,
        at=now,
        next_attempt_at=now,
        http_status=attempt.http_status,
        error=attempt.error,
    )
    backoff = timedelta(
        seconds=backoff_s(
            attempts, base_s=policy.backoff_base_s, cap_s=policy.backoff_cap_s, jitter=jitter
        )
    )
    verdict = attempt.verdict
    if verdict is Verdict.DELIVERED:
        pause = now + timedelta(seconds=wait) if wait else None
        return replace(base, status=DeliveryStatus.DELIVERED, error=None, pause_until=pause)
    if verdict is Verdict.REJECTED:
        return replace(base, status=DeliveryStatus.DEAD)
    if verdict is Verdict.GONE:
        return replace(base, disable=f"{attempt.error} at {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC")
    if expired:
        return replace(base, status=DeliveryStatus.DEAD)
    if verdict is Verdict.RATE_LIMITED:
        # Rate limits say "later", not "broken": only the age limit ends them.
        until = now + (timedelta(seconds=wait) if wait is not None else backoff)
        return replace(base, next_attempt_at=until, pause_until=until)
    if attempts >= policy.max_attempts:
        return replace(base, status=DeliveryStatus.DEAD)
    delay = max(backoff, timedelta(seconds=wait)) if wait is not None else backoff
    return replace(base, next_attempt_at=now + delay)
