"""``[scheduler]``: when tickers are polled."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from scheduler.cadence import CadencePolicy
from scheduler.ports import EngineConfig


class SchedulerSettings(BaseModel):
    """Cadence, backoff and concurrency of polling; see :meth:`cadence` and :meth:`engine`."""

    min_interval_s: float = Field(
        default=30.0,
        gt=0,
        description="The fastest a ticker is polled, while entries keep arriving.",
    )
    max_interval_s: float = Field(
        default=3600.0,
        gt=0,
        description=(
            "The slowest a ticker that has been silent for hours is polled (its own "
            "interval, if longer, wins)."
        ),
    )
    follow_ratio: float = Field(
        default=0.25,
        gt=0,
        le=10,
        description=(
            "The interval follows the silence: this fraction of the time since entries "
            "last arrived or changed, between `min_interval_s` and the ticker's own interval."
        ),
    )
    quiet_after_s: float = Field(
        default=3 * 3600.0,
        gt=0,
        description="Silence after which a ticker may be polled less often than its own interval.",
    )
    ended_interval_s: float = Field(
        default=6 * 3600.0,
        gt=0,
        description="Interval once the page's `coverageEndTime` has passed.",
    )
    jitter_ratio: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Each interval is lengthened by a random 0 to this fraction of itself.",
    )
    breaker_threshold: int = Field(
        default=5,
        ge=1,
        le=100,
        description=(
            "Failed fetches in a row that open a ticker's circuit; fewer double the "
            "interval with each failure."
        ),
    )
    open_interval_s: float = Field(
        default=3600.0,
        gt=0,
        description="Interval of a ticker whose circuit is open (one probe each time).",
    )
    max_concurrent_polls: int = Field(
        default=20, ge=1, le=1000, description="Fetches in flight in one process at once."
    )
    poll_claim_s: float = Field(
        default=300.0,
        gt=0,
        description=(
            "How long a poll holds its ticker against every other process's poll (the "
            "service, `tickerwatch poll`, other workers); longer than a poll with all its "
            "retries takes. A process that dies mid-poll blocks its tickers this long."
        ),
    )
    resync_every_s: int = Field(
        default=60,
        ge=1,
        description=(
            "How often the ticker table is read again to pick up added, paused, resumed and "
            "removed tickers; in worker mode also the period of the sweep that retries the "
            "polls of dead workers. Must divide a minute, or be whole minutes dividing an hour."
        ),
    )
    shutdown_grace_s: float = Field(
        default=30.0, gt=0, description="On stop, how long polls in flight may take to finish."
    )
    queue: str = Field(
        default="tickerwatch",
        min_length=1,
        description="Worker mode: the procrastinate queue of the poll jobs.",
    )
    lease_s: float = Field(
        default=60.0,
        gt=0,
        description=(
            "Worker mode: a worker silent for this long is dead, and the polls it was "
            "running are run again by the next sweep."
        ),
    )
    heartbeat_s: float = Field(
        default=10.0, gt=0, description="Worker mode: how often a worker says it is alive."
    )
    fetch_job_polling_interval_s: float = Field(
        default=1.0,
        gt=0,
        description=(
            "Worker mode: how often an idle worker looks for polls that became due "
            "(bounds the schedule lag)."
        ),
    )

    @model_validator(mode="after")
    def _consistent(self) -> SchedulerSettings:
        # Both raise ValueError with the reason, which pydantic reports.
        self.cadence()
        self.engine()
        return self

    def cadence(self) -> CadencePolicy:
        """The cadence rule's knobs."""
        return CadencePolicy(
            min_interval_s=self.min_interval_s,
            max_interval_s=self.max_interval_s,
            follow_ratio=self.follow_ratio,
            quiet_after_s=self.quiet_after_s,
            ended_interval_s=self.ended_interval_s,
            jitter_ratio=self.jitter_ratio,
            breaker_threshold=self.breaker_threshold,
            open_interval_s=self.open_interval_s,
        )

    def engine(self) -> EngineConfig:
        """How either engine runs turns."""
        return EngineConfig(
            max_concurrent_polls=self.max_concurrent_polls,
            resync_every_s=self.resync_every_s,
            shutdown_grace_s=self.shutdown_grace_s,
            queue=self.queue,
            lease_s=self.lease_s,
            heartbeat_s=self.heartbeat_s,
            fetch_job_polling_interval_s=self.fetch_job_polling_interval_s,
        )
