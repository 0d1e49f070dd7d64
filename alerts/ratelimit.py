"""How fast a sink may be sent to, and how long to wait after a failure. Pure.

Each platform's documented limit (:data:`PLATFORM_INTERVAL_S`) is a floor under the
sink's own rate; Retry-After (RFC 9110 §10.2.3, RFC 6585 §4) and the platforms' JSON
variants say how long a sink wants us to wait; :func:`backoff_s` spaces out retries.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

from alerts.alert import SinkKind
from alerts.model import SinkResponse
from ingest.fetching.retry import parse_retry_after

# The shortest gap between two messages to one sink of each platform.
PLATFORM_INTERVAL_S: Mapping[SinkKind, float] = MappingProxyType(
    {
        # "Posting messages: 1 per second; short bursts >1 allowed" (Slack rate limits).
        SinkKind.SLACK: 1.0,
        # Per-server setting (RateLimitSettings), off by default; Slack-compatible hooks.
        SinkKind.MATTERMOST: 0.2,
        # Per-webhook buckets (commonly 5 requests / 2 s); the X-RateLimit headers say more.
        SinkKind.DISCORD: 0.4,
        # Workflows webhooks are throttled above about 4 requests a second.
        SinkKind.TEAMS: 0.25,
        # Chat's per-space write quota: 60 messages a minute ("Usage limits").
        SinkKind.GOOGLECHAT: 1.0,
        # Homeservers rate-limit sends per user (M_LIMIT_EXCEEDED); Apprise waits 0.5 s.
        SinkKind.MATRIX: 0.5,
        # ntfy.sh refills a visitor's request bucket at one every 5 s after a burst of 60;
        # the 429s it sends then are honoured. Self-hosted servers set their own.
        SinkKind.NTFY: 0.2,
        # A generic receiver states its limits with 429 and Retry-After, if it has any.
        SinkKind.WEBHOOK: 0.0,
        # Apprise throttles each of its services itself.
        SinkKind.APPRISE: 0.0,
    }
)


def send_interval_s(kind: SinkKind, rate_per_minute: float) -> float:
    """Seconds between two messages to a sink: its own rate (0: none), never faster
    than its platform allows."""
    own = 60.0 / rate_per_minute if rate_per_minute > 0 else 0.0
    return max(PLATFORM_INTERVAL_S[kind], own)


def backoff_s(attempt: int, *, base_s: float, cap_s: float, jitter: float) -> float:
    """The wait after the ``attempt``-th failed attempt (1, 2, ...): the exponential step
    ``min(cap, base · 2ⁿ⁻¹)``, half of it fixed and half drawn (``jitter`` in [0, 1)), so
    many sinks failing together do not retry together, and none retries at once."""
    exponent = min(max(attempt, 1) - 1, 64)
    step = min(cap_s, base_s * 2.0**exponent)
    return step / 2 + jitter * step / 2


def retry_after_s(response: SinkResponse, now: datetime) -> float | None:
    """How long the sink asked us to wait: the ``Retry-After`` header (seconds or an
    HTTP date), else Discord's ``retry_after`` (seconds) or Matrix's ``retry_after_ms``
    in a JSON body; None when it did not say."""
    header = parse_retry_after(response.header("retry-after"), now)
    if header is not None:
        return header
    if not response.body.lstrip().startswith(b"{"):
        return None
    try:
        document = json.loads(response.body)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    for key, scale in (("retry_after", 1.0), ("retry_after_ms", 0.001)):
        value = document.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return float(value) * scale
    return None


def window_reset_s(response: SinkResponse) -> float | None:
    """Seconds until the sink's rate-limit window opens again, when its last answer used
    it up (``X-RateLimit-Remaining: 0`` with ``X-RateLimit-Reset-After``, as Discord
    sends them); None otherwise."""
    if response.header("x-ratelimit-remaining") != "0":
        return None
    text = response.header("x-ratelimit-reset-after")
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value < float("inf") else None
