"""The scale-out engine: N worker processes on one PostgreSQL, through procrastinate.

Each active ticker has one ``tickerwatch.poll`` job in the queue, ``schedule_at`` its
``next_poll_at``, with

- ``queueing_lock="poll:<id>"``: at most one waiting job per ticker (PostgreSQL's unique
  partial index on waiting jobs, so no pile-up however often a job is deferred);
- ``lock="ticker:<id>"``: procrastinate never starts a job while another job with the
  same lock is running, so a ticker is never polled twice at once, cluster-wide.

A job runs one :class:`~scheduler.runner.PollRunner` turn and, as its last step, defers
its successor at the time the turn planned. A worker claims jobs with ``FOR UPDATE SKIP
LOCKED`` inside procrastinate, so every due job runs once; adding a worker adds
throughput.

The periodic ``tickerwatch.sweep`` (procrastinate defers it once per period across the
cluster) heals what a chain cannot: it retries the running jobs of workers whose
heartbeat is older than ``lease_s`` (dead mid-poll), re-creates the job of any active
ticker that has none (new or resumed tickers, a chain cut by a crash) and deletes old
failed jobs. A retried job keeps its due time, and the runner skips the fetch when a
poll at or after that time is already stored, so a poll that died after being recorded
is not recorded twice (polls are also idempotent per ``(ticker_id, started_at)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import psycopg
from procrastinate import App, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException
from procrastinate.jobs import Job, Status
from procrastinate.schema import SchemaManager
from sqlalchemy import make_url

from scheduler.cadence import first_due
from scheduler.ports import EngineConfig, sweep_cron
from scheduler.runner import Clock, PollRunner, PollTurn
from storage.errors import TickerNotFound
from storage.model import TickerId

log = logging.getLogger(__name__)

POLL_TASK: Final = "tickerwatch.poll"
SWEEP_TASK: Final = "tickerwatch.sweep"
_SCHEMA_LOCK: Final = 0x7469636B  # pg advisory lock key ("tick"): one schema install at a time
_SCHEDULED: Final = """
SELECT DISTINCT (args->>'ticker_id')::bigint AS ticker_id
  FROM procrastinate_jobs
 WHERE task_name = %(task_name)s
   AND queue_name = %(queue)s
   AND status IN ('todo', 'doing')
"""


class NotPostgres(ValueError):
    """The scale-out engine needs a PostgreSQL database."""


def conninfo(database_url: str) -> str:
    """The libpq URI of a PostgreSQL SQLAlchemy URL (``NotPostgres`` for anything else)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise NotPostgres(
            f"worker mode needs a PostgreSQL database, not {url.get_backend_name()!r}: "
            "set storage.database_url to postgresql+psycopg://user:password@host/db"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def apply_queue_schema(dsn: str) -> bool:
    """Install procrastinate's tables and functions unless present; True when installed.

    Under an advisory lock, so workers starting together install it once.
    """
    connection = await psycopg.AsyncConnection.connect(dsn)
    async with connection, connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        cursor = await connection.execute("SELECT to_regclass('procrastinate_jobs')")
        row = await cursor.fetchone()
        if row is not None and row[0] is not None:
            return False
        await connection.execute(SchemaManager.get_schema())
    log.info("installed the job queue schema")
    return True


@dataclass(frozen=True, slots=True)
class SweepReport:
    """What one sweep did."""

    retried: int  # running jobs of dead workers, run again
    dropped: int  # such jobs whose successor was queued already
    created: int  # jobs of active tickers that had none


class ClusterWorker:
    """Implements :class:`scheduler.ports.PollService` as a procrastinate worker.

    ``dsn`` is the libpq URI of the same PostgreSQL the store uses (:func:`conninfo`);
    the queue schema must be installed (:func:`apply_queue_schema`).
    """

    def __init__(
        self,
        runner: PollRunner,
        config: EngineConfig,
        *,
        dsn: str,
        clock: Clock,
        name: str = "tickerwatch",
    ) -> None:
        self.runner = runner
        self.config = config
        self.name = name
        self._clock = clock
        self.app = self._build_app(dsn)

    def _build_app(self, dsn: str) -> App:
        app = App(
            connector=PsycopgConnector(conninfo=dsn, min_size=1, max_size=8),
            periodic_defaults={"max_delay": self.config.resync_every_s},
        )
        queue = self.config.queue

        async def poll(ticker_id: int, due_at: str) -> str:
            turn = await self.runner.run(TickerId(ticker_id), datetime.fromisoformat(due_at))
            await self._chain(turn)
            return turn.kind.value

        async def sweep(timestamp: int) -> None:
            await self.sweep()

        app.task(name=POLL_TASK, queue=queue)(poll)
        sweep_task = app.task(name=SWEEP_TASK, queue=queue, queueing_lock=SWEEP_TASK)(sweep)
        app.periodic(cron=sweep_cron(self.config.resync_every_s), periodic_id="sweep")(sweep_task)
        return app

    async def run(self, stop: asyncio.Event) -> None:
        async with self.app.open_async():
            await self.sweep()
            worker = asyncio.create_task(
                self.app.run_worker_async(
                    queues=[self.config.queue],
                    name=self.name,
                    # One slot more than the fetch cap, for the sweep.
                    concurrency=self.config.max_concurrent_polls + 1,
                    wait=True,
                    fetch_job_polling_interval=self.config.fetch_job_polling_interval_s,
                    shutdown_graceful_timeout=self.config.shutdown_grace_s,
                    install_signal_handlers=False,
                    update_heartbeat_interval=self.config.heartbeat_s,
                    stalled_worker_timeout=self.config.lease_s,
                    delete_jobs="successful",
                ),
                name=f"procrastinate worker {self.name}",
            )
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({worker, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not worker.done():
                # Cancelling run_worker_async is procrastinate's graceful stop: no new
                # jobs, running ones get shutdown_graceful_timeout to finish.
                worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    async def _chain(self, turn: PollTurn) -> None:
        if turn.next_at is not None:
            await self.defer(turn.ticker_id, turn.next_at)

    async def defer(self, ticker_id: TickerId, at: datetime) -> bool:
        """Queue the turn of ``ticker_id`` due ``at``; False when one is queued already."""
        deferrer = self.app.configure_task(
            POLL_TASK,
            lock=f"ticker:{ticker_id}",
            queueing_lock=f"poll:{ticker_id}",
            schedule_at=at,
            queue=self.config.queue,
        )
        try:
            await deferrer.defer_async(ticker_id=int(ticker_id), due_at=at.isoformat())
        except AlreadyEnqueued:
            return False
        return True

    async def sweep(self) -> SweepReport:
        """Retry the polls of dead workers, then give every active ticker a job."""
        manager = self.app.job_manager
        retried = dropped = 0
        stalled = await manager.get_stalled_jobs(
            queue=self.config.queue, seconds_since_heartbeat=self.config.lease_s
        )
        for job in stalled:
            if job.task_name == POLL_TASK and await self._retry(job):
                retried += 1
            elif await self._close(job):
                dropped += 1
        await manager.prune_stalled_workers(self.config.lease_s)
        rows = await self.app.connector.execute_query_all_async(
            _SCHEDULED, task_name=POLL_TASK, queue=self.config.queue
        )
        scheduled = {int(row["ticker_id"]) for row in rows}
        tickers = await asyncio.to_thread(self.runner.store.list)
        now = self._clock()
        created = 0
        for ticker in tickers:
            if ticker.paused or ticker.id in scheduled:
                continue
            due = first_due(
                ticker.id, ticker.next_poll_at, ticker.interval_seconds, self.runner.policy, now=now
            )
            if due != ticker.next_poll_at:
                try:
                    await asyncio.to_thread(self.runner.store.set_next_poll_at, ticker.id, due)
                except TickerNotFound:  # removed since the list was read
                    continue
            created += await self.defer(ticker.id, due)
        await manager.delete_old_jobs(nb_hours=24, queue=self.config.queue, include_failed=True)
        if retried or dropped or created:
            log.info(
                "sweep: %d polls of dead workers retried, %d dropped, %d jobs created",
                retried,
                dropped,
                created,
            )
        return SweepReport(retried=retried, dropped=dropped, created=created)

    async def _retry(self, job: Job) -> bool:
        """Run a dead worker's poll again, with its due time; False when its successor
        is queued already (the unique index on waiting jobs refuses the retry)."""
        try:
            await self.app.job_manager.retry_job(job)
        except ConnectorException:
            return False
        ticker_id = job.task_kwargs.get("ticker_id")
        log.warning(
            "ticker %s: the worker of its poll died; polling again",
            ticker_id,
            extra={"ticker_id": ticker_id, "job_id": job.id},
        )
        return True

    async def _close(self, job: Job) -> bool:
        """End a dead worker's job that is not run again (a sweep: the next period
        runs one; a poll whose successor is queued). False if another sweep did."""
        assert job.id is not None
        try:
            await self.app.job_manager.finish_job_by_id_async(
                job.id, Status.FAILED, delete_job=False
            )
        except ConnectorException:
            return False
        return True
