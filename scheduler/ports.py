"""The scheduling port: a service that runs every ticker's turns until told to stop.

Adapters, one per module, both driving the same :class:`~scheduler.runner.PollRunner`:

- :class:`scheduler.local.LocalScheduler`: one process, APScheduler 3.11's
  ``AsyncIOScheduler`` (SQLite or PostgreSQL);
- :class:`scheduler.cluster.ClusterWorker`: one of N worker processes sharing one
  PostgreSQL through a procrastinate queue.

Both pass one contract suite (``tests/scheduler/test_engines.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from diffing.model import Change, HealthEvent
from storage.model import PollId, PollSchedule, TurnStart


class TurnReport(Protocol):
    """What a turn reads of a poll's report: the poll function the composition root
    wires in (``tickerwatch.polling.poll_once``) returns a value with these fields, and
    observers get that very value back in :attr:`~scheduler.runner.PollTurn.report`.

    ``changes`` are the events stored for the poll; ``failed`` is true for a poll that
    got no usable page (it counts into the error streak); ``previous_poll_id`` is the
    ticker's latest poll before this one; ``coverage_end`` the page's
    ``coverageEndTime``; ``retry_after_s`` the server's Retry-After."""

    @property
    def poll_id(self) -> PollId: ...

    @property
    def started_at(self) -> datetime: ...

    @property
    def outcome(self) -> Enum: ...

    @property
    def changes(self) -> Sequence[Change]: ...

    @property
    def health(self) -> HealthEvent | None: ...

    @property
    def truncated(self) -> int: ...

    @property
    def error(self) -> str | None: ...

    @property
    def retry_after_s(self) -> float | None: ...

    @property
    def coverage_end(self) -> datetime | None: ...

    @property
    def previous_poll_id(self) -> PollId | None: ...

    @property
    def failed(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Turn:
    """What a turn hands the poll function besides the ticker: what it read when it
    claimed the ticker (``start``; its ``ticker`` is the one polled), and ``schedule``,
    which plans the next poll from the poll's report and returns what the poll's own
    transaction must write with it (``record_poll(..., schedule=...)``: the next time,
    and the end of the claim). A poll function that records without it leaves the
    runner to persist the plan in a transaction of its own."""

    start: TurnStart
    schedule: Callable[[TurnReport], PollSchedule]


class PollService(Protocol):
    async def run(self, stop: asyncio.Event) -> None:
        """Poll due tickers until ``stop`` is set, then let polls in flight finish
        (up to the grace period) and return. Tickers added, paused, resumed or removed
        while it runs are picked up within ``resync_every_s``."""
        ...


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """How an engine runs turns (seconds); built from ``[scheduler]`` settings.

    - ``max_concurrent_polls``: fetches in flight in one process at once.
    - ``resync_every_s``: how often the ticker table is read again (local) or the
      cluster's sweep runs (re-creating missing jobs, retrying those of dead workers).
    - ``shutdown_grace_s``: how long polls in flight may take to finish on stop.
    - ``queue``: the procrastinate queue of the poll jobs.
    - ``lease_s``: a worker whose heartbeat is older than this is dead and its polls
      are run again; ``heartbeat_s`` how often a live worker renews it.
    - ``fetch_job_polling_interval_s``: how often an idle worker looks for jobs that
      became due (a job due later sends no notification when its time comes).
    """

    max_concurrent_polls: int = 20
    resync_every_s: float = 60.0
    shutdown_grace_s: float = 30.0
    queue: str = "tickerwatch"
    lease_s: float = 60.0
    heartbeat_s: float = 10.0
    fetch_job_polling_interval_s: float = 1.0

    def __post_init__(self) -> None:
        if self.max_concurrent_polls < 1:
            raise ValueError("max_concurrent_polls must be at least 1")
        if not 0 < self.heartbeat_s < self.lease_s:
            raise ValueError("need 0 < heartbeat_s < lease_s")
        for name in ("resync_every_s", "shutdown_grace_s", "fetch_job_polling_interval_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
        if not self.queue.strip():
            raise ValueError("queue must not be blank")
        sweep_cron(self.resync_every_s)


def sweep_cron(every_s: float) -> str:
    """A procrastinate cron (seconds in a 6th field) firing every ``every_s`` seconds;
    the period must divide a minute or be a whole number of minutes dividing an hour."""
    seconds = int(every_s)
    if seconds != every_s or seconds < 1:
        raise ValueError(f"a sweep period must be whole seconds, got {every_s!r}")
    if seconds < 60 and 60 % seconds == 0:
        return f"* * * * * */{seconds}"
    if seconds % 60 == 0 and 60 % (seconds // 60) == 0:
        return f"*/{seconds // 60} * * * *"
    raise ValueError(
        f"a sweep period of {seconds} s does not divide a minute or an hour "
        "(e.g. 5, 10, 30, 60, 300)"
    )
