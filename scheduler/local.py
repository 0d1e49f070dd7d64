"""The single-machine engine: APScheduler 3.11's ``AsyncIOScheduler`` in this process.

One ``DateTrigger`` job per active ticker, id ``ticker-<id>``, at the ticker's
``next_poll_at``. The jobs live in APScheduler's memory store only: the ticker table is
the schedule, and the jobs are rebuilt from it at every start, so a restart resumes
where the last run stopped, and no pickled job is ever kept in the database. After
each turn the job is added again at the time the turn planned (and persisted).

Jobs run with ``max_instances=1`` (APScheduler skips a run while the last one of the
same ticker is still going), ``coalesce=True`` and no misfire grace limit (a late turn
runs late rather than being dropped). The fetch cap is the runner's semaphore, since
APScheduler's asyncio executor has none. Every ``resync_every_s`` the table is read
again: jobs of paused and removed tickers are removed, new and resumed tickers get one.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

# APScheduler 3.x ships no type information (4.x does, but is not for production).
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.cadence import first_due
from scheduler.ports import EngineConfig
from scheduler.runner import Clock, PollRunner
from storage.model import TickerId

log = logging.getLogger(__name__)

_PREFIX = "ticker-"


def job_id(ticker_id: int) -> str:
    return f"{_PREFIX}{ticker_id}"


class LocalScheduler:
    """Implements :class:`scheduler.ports.PollService` with APScheduler 3.11.

    One instance runs once: build a new one (and a new runner) to start again.
    """

    def __init__(self, runner: PollRunner, config: EngineConfig, *, clock: Clock) -> None:
        self.runner = runner
        self.config = config
        self._clock = clock
        self._scheduler: AsyncIOScheduler | None = None
        self._running: dict[TickerId, asyncio.Task[object]] = {}
        self._stopping = False

    async def run(self, stop: asyncio.Event) -> None:
        scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop(), timezone=UTC)
        self._scheduler = scheduler
        scheduler.start()
        try:
            await self.resync()
            scheduler.add_job(
                self.resync,
                IntervalTrigger(seconds=self.config.resync_every_s, timezone=UTC),
                id="resync",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
            log.info("scheduler started: %d tickers scheduled", len(self._ticker_jobs()))
            await stop.wait()
        finally:
            await self._drain(scheduler)

    async def resync(self) -> None:
        """Make the jobs match the ticker table (also run every ``resync_every_s``)."""
        scheduler = self._scheduler
        if scheduler is None or self._stopping:
            return
        tickers = await asyncio.to_thread(self.runner.store.list)
        active = {t.id: t for t in tickers if not t.paused}
        for job in self._ticker_jobs():
            if TickerId(int(job.id.removeprefix(_PREFIX))) not in active:
                job.remove()
        now = self._clock()
        for ticker in active.values():
            if ticker.id in self._running or scheduler.get_job(job_id(ticker.id)) is not None:
                continue
            due = first_due(
                ticker.id, ticker.next_poll_at, ticker.interval_seconds, self.runner.policy, now=now
            )
            if due != ticker.next_poll_at:
                await asyncio.to_thread(self.runner.store.set_next_poll_at, ticker.id, due)
            if not self._stopping:
                self._schedule(ticker.id, due)

    def _ticker_jobs(self) -> list[Job]:
        if self._scheduler is None:
            return []
        return [j for j in self._scheduler.get_jobs() if j.id.startswith(_PREFIX)]

    def _schedule(self, ticker_id: TickerId, at: datetime) -> None:
        assert self._scheduler is not None
        self._scheduler.add_job(
            self._turn,
            DateTrigger(run_date=at, timezone=UTC),
            args=(ticker_id, at),
            id=job_id(ticker_id),
            name=f"poll ticker {ticker_id}",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def _turn(self, ticker_id: TickerId, due_at: datetime) -> None:
        if self._stopping or ticker_id in self._running:
            return
        task = asyncio.current_task()
        assert task is not None
        self._running[ticker_id] = task
        try:
            turn = await self.runner.run(ticker_id, due_at)
        finally:
            del self._running[ticker_id]
        if turn.next_at is not None and not self._stopping:
            self._schedule(ticker_id, turn.next_at)

    async def _drain(self, scheduler: AsyncIOScheduler) -> None:
        """Stop starting turns, let polls in flight finish within the grace period."""
        self._stopping = True
        self.runner.stop()
        scheduler.pause()
        running = list(self._running.values())
        if running:
            log.info("stopping: waiting for %d polls in flight", len(running))
            _, late = await asyncio.wait(running, timeout=self.config.shutdown_grace_s)
            if late:
                log.warning("stopping: %d polls did not finish in time; abandoned", len(late))
        # Cancels whatever is still running. A poll is recorded in one transaction, whole
        # or not at all; one not recorded leaves next_poll_at saying the ticker is due.
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)
        log.info("scheduler stopped")
