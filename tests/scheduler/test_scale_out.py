"""Three ``tickerwatch worker`` processes on one PostgreSQL, one killed with SIGKILL mid-run.

300 tickers on a loopback farm, polled every few seconds. Every due poll runs once: no
ticker is polled twice at once or twice for one due time, the dead worker's polls are
run again after the lease, and the chain of every ticker is intact at the end.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from scheduler.cluster import POLL_TASK, conninfo
from storage import NewTicker, SqlStore
from storage.model import TickerId
from tests.scheduler.conftest import utc_now, wait_for
from tests.scheduler.farm import TickerFarm
from tests.scheduler.test_restart import _polled_after, _service_env, _start
from tickerwatch.bootstrap import open_store

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.anyio]

TICKERS = 300
INTERVAL_S = 5
FLOOR_S = 4.0
LEASE_S = 3.0


def _worker_env(url: str, tmp_path: Path) -> dict[str, str]:
    env = _service_env(url, tmp_path)
    env.update(
        {
            "TICKERWATCH_SCHEDULER__MIN_INTERVAL_S": str(FLOOR_S),
            "TICKERWATCH_SCHEDULER__MAX_INTERVAL_S": str(INTERVAL_S),
            "TICKERWATCH_SCHEDULER__JITTER_RATIO": "0.1",
            "TICKERWATCH_SCHEDULER__MAX_CONCURRENT_POLLS": "20",
            "TICKERWATCH_SCHEDULER__LEASE_S": str(LEASE_S),
            # A killed worker's poll claims expire with its lease.
            "TICKERWATCH_SCHEDULER__POLL_CLAIM_S": str(LEASE_S),
            "TICKERWATCH_SCHEDULER__HEARTBEAT_S": "0.5",
            "TICKERWATCH_SCHEDULER__FETCH_JOB_POLLING_INTERVAL_S": "0.2",
            "TICKERWATCH_SCHEDULER__QUEUE": "scale-out",
        }
    )
    return env


def _jobs(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as connection:
        rows = connection.execute(
            "SELECT status::text, count(*) FROM procrastinate_jobs WHERE task_name = %s "
            "GROUP BY status",
            (POLL_TASK,),
        ).fetchall()
    return dict(rows)


def _doing_workers(dsn: str) -> int:
    with psycopg.connect(dsn) as connection:
        row = connection.execute(
            "SELECT count(DISTINCT worker_id) FROM procrastinate_jobs WHERE status = 'doing'"
        ).fetchone()
    return int(row[0]) if row else 0


async def test_three_workers_one_killed_every_due_poll_runs_once(
    pg_url: str, tmp_path: Path
) -> None:
    farm = TickerFarm(advance_every=1000).start()  # one full page each, then 304s
    farm.delay_s = 0.2
    store = open_store(pg_url)
    dsn = conninfo(pg_url)
    env = _worker_env(pg_url, tmp_path)
    logs = [tmp_path / f"worker-{n}.log" for n in range(3)]
    workers: list[subprocess.Popen[bytes]] = []
    try:
        now = utc_now()
        tickers = [
            store.add(NewTicker(farm.url(n), f"t{n}", interval_seconds=INTERVAL_S), created_at=now)
            for n in range(1, TICKERS + 1)
        ]
        workers = [_start("worker", env, log) for log in logs]

        def polled(minimum: int) -> bool:
            return all(farm.answered(n) >= minimum for n in range(1, TICKERS + 1))

        await wait_for(lambda: polled(2), "two polls of every ticker", timeout=120)
        await wait_for(lambda: _doing_workers(dsn) == 3, "all three workers mid-poll")
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=30)
        killed_at = utc_now()
        resumed_after = killed_at + timedelta(seconds=LEASE_S)

        def resumed() -> bool:
            return all(_polled_after(_starts(store, t.id), resumed_after) >= 1 for t in tickers)

        await wait_for(resumed, "every ticker polled after the lease", timeout=120)
        for worker in workers[1:]:
            worker.send_signal(signal.SIGTERM)
        for worker, log in zip(workers[1:], logs[1:], strict=True):
            assert worker.wait(timeout=60) == 0, log.read_text()[-3000:]
        await asyncio.sleep(0)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        farm.stop()

    try:
        assert farm.overlaps == [], "a ticker was polled twice at once"
        survivors = "".join(log.read_text() for log in logs[1:])
        assert "the worker of its poll died; polling again" in survivors
        unrecorded = 0
        for n, ticker in enumerate(tickers, start=1):
            starts = _starts(store, ticker.id)
            gaps = [b - a for a, b in itertools.pairwise(starts)]
            assert all(g >= timedelta(seconds=FLOOR_S) for g in gaps), f"ticker {n}: {gaps}"
            missing = farm.answered(n) - len(starts)
            assert missing in (0, 1), f"ticker {n}: {missing} fetched pages not recorded"
            unrecorded += missing
        # Only the polls the dead worker had in flight can have been fetched, not recorded.
        assert unrecorded <= 20
        jobs = _jobs(dsn)
        assert jobs.get("todo") == TICKERS, f"every ticker's chain goes on: {jobs}"
        assert jobs.get("doing", 0) == 0, jobs
    finally:
        store.close()


def _starts(store: SqlStore, ticker_id: TickerId) -> list[datetime]:
    return sorted(p.started_at for p in store.polls(ticker_id, limit=10_000))
