"""Stopping the service during polls and starting it again loses nothing and repeats nothing.

Checked for both engines with a graceful stop in this process, and for the single-machine
default with ``tickerwatch run`` killed by SIGKILL mid-poll and started again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.scheduler.conftest import Rig, utc_now, wait_for
from tests.scheduler.farm import TickerFarm
from tests.scheduler.test_engines import assert_no_change_twice, assert_polled_once_per_turn
from tickerwatch.bootstrap import open_store

# Timestamps of two processes on one host; allow for the database's own rounding.
CLOCK_SLACK = timedelta(milliseconds=5)


@pytest.mark.anyio
async def test_a_restart_resumes_where_the_last_run_stopped(rig: Rig) -> None:
    tickers = [rig.add(n) for n in range(1, 9)]
    rig.farm.delay_s = 0.3
    async with rig.running() as first:
        await wait_for(lambda: all(len(rig.polls(t)) >= 2 for t in tickers), "two polls each")
        await wait_for(lambda: rig.farm.in_flight() >= 2, "polls in flight")
        await first.finish()
    stopped_at = utc_now()
    planned = {t.id: rig.store.get(t.id).next_poll_at for t in tickers}
    before = {t.id: len(rig.polls(t)) for t in tickers}
    for n, ticker in enumerate(tickers, start=1):
        assert rig.farm.answered(n) == before[ticker.id], "a fetched page was not recorded"

    async with rig.running():
        await wait_for(
            lambda: all(len(rig.polls(t)) >= before[t.id] + 3 for t in tickers),
            "three more polls each",
        )
    assert rig.farm.overlaps == []
    for n, ticker in enumerate(tickers, start=1):
        assert rig.farm.answered(n) == len(rig.polls(ticker))
        assert_polled_once_per_turn(rig, ticker)
        assert_no_change_twice(rig, ticker)
        resumed = rig.polls(ticker)[before[ticker.id]]
        due = planned[ticker.id]
        assert due is not None
        if due > stopped_at:
            assert resumed >= due - CLOCK_SLACK, "the restart did not keep the planned time"


def _service_env(url: str, tmp_path: Path) -> dict[str, str]:
    settings = {
        "STORAGE__DATABASE_URL": url,
        "FETCH__ALLOW_PRIVATE_ADDRESSES": "true",
        "FETCH__HONOUR_ROBOTS": "false",
        "FETCH__MIN_HOST_INTERVAL_S": "0",
        "FETCH__PER_HOST_CONCURRENCY": "64",
        "FETCH__RETRIES": "0",
        "SCHEDULER__MIN_INTERVAL_S": "0.5",
        "SCHEDULER__MAX_INTERVAL_S": "2",
        "SCHEDULER__JITTER_RATIO": "0.2",
        "SCHEDULER__RESYNC_EVERY_S": "1",
        "SCHEDULER__MAX_CONCURRENT_POLLS": "4",
        "SCHEDULER__POLL_CLAIM_S": "3",  # a killed process's claims expire this soon
        "LOG__FORMAT": "json",
        "WEB__PORT": "0",  # `run` serves the UI too: on any free port
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKERWATCH_")}
    env.update({f"TICKERWATCH_{k}": v for k, v in settings.items()})
    env["TICKERWATCH_CONFIG"] = str(tmp_path / "absent.toml")
    return env


def _start(command: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "tickerwatch.cli", command], env=env, stderr=sink
        )


@pytest.mark.slow
@pytest.mark.anyio
async def test_run_killed_mid_poll_loses_no_poll_and_repeats_no_change(
    sqlite_db: str, farm: TickerFarm, tmp_path: Path
) -> None:
    store = open_store(sqlite_db)
    rig = Rig("local", sqlite_db, store, farm)
    try:
        tickers = [rig.add(n) for n in range(1, 11)]
        farm.delay_s = 0.3
        env = _service_env(sqlite_db, tmp_path)
        log = tmp_path / "run.log"
        service = _start("run", env, log)
        try:
            await wait_for(lambda: all(len(rig.polls(t)) >= 2 for t in tickers), "two polls each")
            await wait_for(lambda: farm.in_flight() >= 2, "polls in flight")
            service.send_signal(signal.SIGKILL)
            service.wait(timeout=30)
            killed_at = utc_now()
            # The killed polls' requests end at the farm before anything polls again.
            await wait_for(lambda: farm.in_flight() == 0, "the killed requests to end")
            lost = {t.id: farm.answered(n) - len(rig.polls(t)) for n, t in enumerate(tickers, 1)}
            service = _start("run", env, log)
            await wait_for(
                lambda: all(_polled_after(rig.polls(t), killed_at) >= 2 for t in tickers),
                "two polls of every ticker after the restart",
            )
            service.send_signal(signal.SIGTERM)
            assert service.wait(timeout=60) == 0, log.read_text()
        finally:
            if service.poll() is None:
                service.kill()
                service.wait()
        assert farm.overlaps == []
        assert all(0 <= n <= 1 for n in lost.values()), lost
        for n, ticker in enumerate(tickers, start=1):
            # After the graceful stop, every page fetched since the restart is recorded.
            assert farm.answered(n) - len(rig.polls(ticker)) == lost[ticker.id]
            assert_polled_once_per_turn(rig, ticker)
            assert_no_change_twice(rig, ticker)
    finally:
        store.close()


def _polled_after(starts: list[datetime], instant: datetime) -> int:
    return sum(1 for s in starts if s > instant)
