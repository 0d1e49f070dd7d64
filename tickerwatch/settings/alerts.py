"""``[alerts]``: delivery of change alerts to chat webhooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, model_validator

if TYPE_CHECKING:  # imported where built: loading the settings must not load delivery
    from alerts.delivery import WorkerConfig
    from alerts.policy import DeliveryPolicy


class AlertSettings(BaseModel):
    """How alerts are delivered; sinks and their rules are data (``tickerwatch alerts``)."""

    enabled: bool = Field(
        default=True,
        description=(
            "Run alert delivery inside `tickerwatch run`. Off: run it as a process of its "
            "own (`tickerwatch alerts deliver`); changes wait in the outbox meanwhile."
        ),
    )
    poll_interval_s: float = Field(
        default=0.5,
        gt=0,
        le=60,
        description=(
            "How often an idle delivery loop looks for new changes and due retries. On a "
            "SQLite file any commit wakes it at once; elsewhere this bounds the time from a "
            "stored change to its alert."
        ),
    )
    batch_size: int = Field(
        default=50, ge=1, le=1000, description="Most messages claimed in one transaction."
    )
    max_concurrent_sends: int = Field(
        default=16, ge=1, le=256, description="Requests to sinks in flight at once, per process."
    )
    request_timeout_s: float = Field(
        default=10.0, gt=0, le=120, description="How long one request to a sink may take."
    )
    lease_s: float = Field(
        default=60.0,
        gt=0,
        description=(
            "How long a claimed message is reserved for the process sending it; after a "
            "crash it is sent again once this has passed. At least twice "
            "`request_timeout_s`."
        ),
    )
    max_attempts: int = Field(
        default=15,
        ge=1,
        le=100,
        description="Failed attempts after which a delivery becomes a dead letter.",
    )
    backoff_base_s: float = Field(
        default=5.0,
        gt=0,
        description=(
            "Wait after the first failed attempt; it doubles with each further one, half "
            "of it drawn at random (jitter)."
        ),
    )
    backoff_cap_s: float = Field(
        default=1800.0, gt=0, description="The longest wait between two attempts."
    )
    max_age_s: float = Field(
        default=86_400.0,
        gt=0,
        description=(
            "A delivery still failing this long after it was queued becomes a dead letter "
            "(`tickerwatch alerts deliveries --failed`, `tickerwatch alerts retry`)."
        ),
    )
    max_retry_after_s: float = Field(
        default=3600.0,
        gt=0,
        description="The longest Retry-After a sink may impose before the next attempt.",
    )
    default_rate_per_minute: float = Field(
        default=60.0,
        ge=0,
        description=(
            "Messages a minute per sink, unless the sink sets its own (`--rate`); 0: only "
            "the platform's limit (Slack one a second, Teams four, ...)."
        ),
    )
    digest_window_s: float = Field(
        default=60.0,
        ge=0,
        description=(
            "Burst digest: changes of one ticker observed within this many seconds of the "
            "first waiting one are sent as one message ..."
        ),
    )
    digest_threshold: int = Field(
        default=3,
        ge=0,
        description="... when there are at least this many (0 or 1: every change alone).",
    )
    digest_max_alerts: int = Field(
        default=20, ge=2, le=100, description="Most changes one digest message lists."
    )
    dispatch_batch: int = Field(
        default=500,
        ge=1,
        le=10_000,
        description="Change events taken from the storage outbox per transaction.",
    )
    keep_delivered_days: float = Field(
        default=30.0,
        ge=0,
        description="Delivered deliveries are forgotten after this many days (0: kept).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> AlertSettings:
        if self.backoff_cap_s < self.backoff_base_s:
            raise ValueError("backoff_cap_s must not be below backoff_base_s")
        if self.lease_s < 2 * self.request_timeout_s:
            raise ValueError("lease_s must be at least twice request_timeout_s")
        return self

    def policy(self) -> DeliveryPolicy:
        from alerts.policy import DeliveryPolicy

        return DeliveryPolicy(
            max_attempts=self.max_attempts,
            backoff_base_s=self.backoff_base_s,
            backoff_cap_s=self.backoff_cap_s,
            max_age_s=self.max_age_s,
            max_retry_after_s=self.max_retry_after_s,
            default_rate_per_minute=self.default_rate_per_minute,
            digest_window_s=self.digest_window_s,
            digest_threshold=self.digest_threshold,
            digest_max_alerts=self.digest_max_alerts,
        )

    def worker(self) -> WorkerConfig:
        from alerts.delivery import WorkerConfig

        return WorkerConfig(
            policy=self.policy(),
            poll_interval_s=self.poll_interval_s,
            batch_size=self.batch_size,
            max_concurrent_sends=self.max_concurrent_sends,
            lease_s=self.lease_s,
            dispatch_batch=self.dispatch_batch,
            keep_delivered_s=self.keep_delivered_days * 86_400.0 or None,
        )
