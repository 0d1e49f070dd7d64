"""The values of alert subscriptions and their durable delivery.

A :class:`Subscription` is a sink (a chat webhook of some :class:`~alerts.alert.SinkKind`)
with the :class:`Rules` that pick which change events it gets. Every matching event
becomes one :class:`Delivery` (unique per sink and event), which the worker sends,
retries, and finally marks delivered or dead. Deliveries of one sink and one ticker form
a *lane*, sent strictly in order: only a lane's oldest pending delivery may be in flight.
A :class:`Claim` is one message's worth of a lane, leased to one worker.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import NewType

from alerts.alert import SinkKind
from alerts.secrets import mask_secret, mask_url
from diffing.model import ChangeKind
from storage.model import StoredChange, TickerId

SubscriptionId = NewType("SubscriptionId", int)
DeliveryId = NewType("DeliveryId", int)


@dataclass(frozen=True, slots=True)
class Rules:
    """Which change events a sink gets (all of them by default).

    - ``tickers`` / ``tags`` / ``desks``: the ticker is one of these ids or carries one
      of these tags, or the change is a story alert (``competitor_first``,
      ``we_were_first``) of one of these desks (any of them; all empty: every ticker). A
      story alert belongs to the competitor's ticker, so a sink for a desk's alerts names
      the desk rather than its own tickers.
    - ``kinds``: the change is of one of these kinds (empty: every alerted kind but
      ``ticker_health``, which a sink gets only when it names it).
    - ``include``: at least one keyword occurs in the change's text (empty: no condition);
      ``exclude``: none does. A keyword is a case-insensitive whole word or phrase, or a
      regular expression written ``re:<pattern>`` (searched case-insensitively).
    - ``min_edit``: an edit must change at least this share of the text (1 − the
      differ's similarity); smaller edits (typo fixes) are not sent. 0: every edit.
    - ``digest_window_s`` / ``digest_threshold``: when a ticker yields at least
      ``threshold`` changes observed within ``window`` seconds, one message lists them.
    - ``rate_per_minute``: at most this many messages a minute to this sink (0: only the
      platform's own limit).

    The last three are None to follow the ``[alerts]`` settings.
    """

    tickers: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    desks: tuple[int, ...] = ()
    kinds: tuple[ChangeKind, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_edit: float = 0.0
    digest_window_s: float | None = None
    digest_threshold: int | None = None
    rate_per_minute: float | None = None


@dataclass(frozen=True, slots=True, repr=False)
class NewSubscription:
    """A sink as the user adds it. ``secret`` signs generic webhooks (Standard Webhooks)
    and is the Matrix access token; other kinds ignore it. Which change events a new
    sink gets from the past is :func:`alerts.dispatch.add_sink`'s business."""

    kind: SinkKind
    url: str
    name: str
    rules: Rules = field(default_factory=Rules)
    secret: str | None = None

    def __repr__(self) -> str:
        return (
            f"NewSubscription(kind={self.kind.value}, url={mask_url(self.url)!r}, "
            f"name={self.name!r}, rules={self.rules!r}, secret={mask_secret(self.secret)})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class Subscription:
    """A stored sink. ``enabled`` is False after its URL answered 404 or 410 (or the user
    disabled it): its deliveries wait until it is enabled again. ``not_before`` is when
    the next message may go out (its rate limit, or a Retry-After it was given)."""

    id: SubscriptionId
    kind: SinkKind
    url: str
    name: str
    rules: Rules
    secret: str | None
    created_at: datetime
    enabled: bool = True
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    not_before: datetime | None = None

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    def __repr__(self) -> str:
        # The URL and the secret are credentials: a repr may end up in a log.
        return (
            f"Subscription(id={self.id}, kind={self.kind.value}, url={self.masked_url!r}, "
            f"name={self.name!r}, enabled={self.enabled})"
        )


class DeliveryStatus(enum.Enum):
    """Where a delivery stands. A pending delivery may be in flight (leased)."""

    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # given up on: shown as a dead letter until retried by hand


@dataclass(frozen=True, slots=True)
class Delivery:
    """One change event for one sink.

    ``key`` identifies the message it is sent in, the same on every retry (the generic
    webhook's ``webhook-id``); ``group_id`` is the delivery leading that message (itself
    when sent alone), fixed at the first attempt so a retry never changes what a key
    carries. ``queued_at`` is when it last entered the queue (its creation, or a retry by
    hand): its age counts from there. ``attempts`` counts requests made.
    """

    id: DeliveryId
    key: str
    subscription_id: SubscriptionId
    change_id: int
    ticker_id: TickerId
    kind: ChangeKind
    observed_at: datetime
    status: DeliveryStatus
    created_at: datetime
    queued_at: datetime
    next_attempt_at: datetime
    attempts: int = 0
    leased_until: datetime | None = None
    group_id: DeliveryId | None = None
    last_status: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None

    def in_flight(self, now: datetime) -> bool:
        return self.leased_until is not None and self.leased_until > now

    @property
    def failed(self) -> bool:
        """The one meaning of "failed" for listings and retries: dead, or pending after at
        least one failed attempt (waiting for its next one)."""
        return self.status is DeliveryStatus.DEAD or (
            self.status is DeliveryStatus.PENDING and self.attempts > 0
        )


@dataclass(frozen=True, slots=True)
class Claim:
    """One message leased to the worker ``lease``: the oldest pending delivery of a lane
    and those sent with it (a digest), oldest first, with their change events."""

    subscription: Subscription
    deliveries: tuple[Delivery, ...]
    changes: tuple[StoredChange, ...]
    lease: str
    leased_until: datetime

    def __post_init__(self) -> None:
        if not self.deliveries or len(self.deliveries) != len(self.changes):
            raise ValueError("a claim holds one change per delivery, at least one")

    @property
    def key(self) -> str:
        return self.deliveries[0].key

    @property
    def ids(self) -> tuple[DeliveryId, ...]:
        return tuple(d.id for d in self.deliveries)


@dataclass(frozen=True, slots=True)
class SinkResponse:
    """What a sink answered: an HTTP status with headers (names in lower case) and the
    start of the body, or no status and the reason in ``error`` (timeout, refused, ...)."""

    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    error: str | None = None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k == wanted), None)


@dataclass(frozen=True, slots=True)
class Decision:
    """What becomes of a claim's deliveries after one attempt (see :mod:`alerts.policy`).

    ``pause_until`` holds the whole sink back (a 429's Retry-After, a rate-limit window);
    ``disable`` switches the sink off, with the reason shown to the user.
    """

    subscription_id: SubscriptionId
    delivery_ids: tuple[DeliveryId, ...]
    lease: str
    status: DeliveryStatus
    at: datetime
    next_attempt_at: datetime
    http_status: int | None = None
    error: str | None = None
    pause_until: datetime | None = None
    disable: str | None = None


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """A sink's deliveries by state; ``failing`` are the pending ones that failed before."""

    pending: int = 0
    failing: int = 0
    delivered: int = 0
    dead: int = 0
