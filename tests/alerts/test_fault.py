"""A delivery process killed with SIGKILL mid-delivery loses no alert.

``tickerwatch alerts deliver`` sends 100 alerts of five tickers to a receiver that answers
slowly; it is killed once about a third arrived, and ``alerts deliver --until-empty``
finishes the job. Every alert arrives; the only repeats are messages that were in flight
(claimed, not yet recorded) when the first process died, and each lane still arrives in
order.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from alerts.alert import SinkKind
from alerts.model import DeliveryStatus
from storage import create_engine_for
from tests.alerts.conftest import Stores
from tests.alerts.receiver import Answer, Receiver

TICKERS = 5
PER_TICKER = 20
TIMEOUT_S = 60.0


def _env(url: str, tmp_path: Path) -> dict[str, str]:
    settings = {
        "STORAGE__DATABASE_URL": url,
        "ALERTS__POLL_INTERVAL_S": "0.05",
        "ALERTS__REQUEST_TIMEOUT_S": "1",
        "ALERTS__LEASE_S": "2",
        "ALERTS__BATCH_SIZE": "10",
        "LOG__FORMAT": "json",
        "FETCH__ALLOW_PRIVATE_ADDRESSES": "true",  # the receiver lives on loopback
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKERWATCH_")}
    env.update({f"TICKERWATCH_{k}": v for k, v in settings.items()})
    env["TICKERWATCH_CONFIG"] = str(tmp_path / "absent.toml")
    return env


def _deliver(env: dict[str, str], log: Path, *flags: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "tickerwatch.cli", "alerts", "deliver", *flags],
            env=env,
            stderr=sink,
        )


def _wait(condition: object, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _in_flight(url: str) -> int:
    """Deliveries claimed by a worker and not yet recorded (leased, still pending)."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            query = "SELECT count(*) FROM alert_delivery WHERE status = 'pending' AND leased_by IS NOT NULL"
            return int(connection.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_killed_delivery_process_loses_no_alert(
    sqlite_stores: Stores, receiver: Receiver, tmp_path: Path
) -> None:
    assert sqlite_stores.url is not None
    sqlite_stores.subscribe(
        SinkKind.WEBHOOK, receiver.url("/hook"), rate_per_minute=0, digest_threshold=0
    )
    for n in range(TICKERS):
        sqlite_stores.add_entries(f"t{n}", PER_TICKER)
    receiver.default = Answer(200, delay_s=0.05)
    env = _env(sqlite_stores.url, tmp_path)
    log = tmp_path / "deliver.log"

    first = _deliver(env, log)
    try:
        _wait(lambda: receiver.count() >= 30, "a third of the alerts to arrive")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    killed_at = datetime.now(UTC)
    before = receiver.count()
    in_flight = _in_flight(sqlite_stores.url)

    second = _deliver(env, log, "--until-empty")
    try:
        assert second.wait(timeout=TIMEOUT_S) == 0, log.read_text()
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()

    accepted = receiver.accepted()
    counts = Counter(r.webhook_id for r in accepted)
    deliveries = sqlite_stores.alerts.deliveries(limit=1000)
    assert len(deliveries) == TICKERS * PER_TICKER
    assert {d.status for d in deliveries} == {DeliveryStatus.DELIVERED}
    assert set(counts) == {d.key for d in deliveries}, "an alert was lost"
    twice = sum(n - 1 for n in counts.values())
    assert twice <= in_flight, (twice, in_flight)
    by_key = {d.key: d for d in deliveries}
    lanes: dict[int, list[int]] = {}
    seen: set[str] = set()
    for request in sorted(accepted, key=lambda r: r.at):
        key = str(request.webhook_id)
        if key not in seen:
            seen.add(key)
            lanes.setdefault(by_key[key].ticker_id, []).append(by_key[key].change_id)
    assert all(sent == sorted(sent) for sent in lanes.values())
    print(
        f"\nkilled at {killed_at:%H:%M:%S.%f} after {before} requests; in flight: {in_flight}; "
        f"arrived twice: {twice}; lost: 0 of {len(deliveries)}"
    )
