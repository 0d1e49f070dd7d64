"""``tickerwatch poll|status|worker`` against a real SQLite file and the loopback farm."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from storage import NewTicker, TickerId
from tests.scheduler.conftest import utc_now
from tests.scheduler.farm import Failure, TickerFarm
from tickerwatch.bootstrap import open_store
from tickerwatch.cli import main


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    for name, value in {
        "STORAGE__DATABASE_URL": url,
        "FETCH__ALLOW_PRIVATE_ADDRESSES": "true",
        "FETCH__HONOUR_ROBOTS": "false",
        "FETCH__MIN_HOST_INTERVAL_S": "0",
        "FETCH__RETRIES": "0",
        "SCHEDULER__BREAKER_THRESHOLD": "1",
    }.items():
        monkeypatch.setenv(f"TICKERWATCH_{name}", value)
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    return url


@pytest.fixture
def tickers(database: str, farm: TickerFarm) -> list[TickerId]:
    store = open_store(database)
    try:
        ids = [
            store.add(NewTicker(farm.url(n), f"Ticker {n}", paused=n == 3), created_at=utc_now()).id
            for n in (1, 2, 3)
        ]
    finally:
        store.close()
    farm.statuses[2] = Failure(500)
    return ids


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_poll_one_ticker_prints_its_outcome_and_changes(
    tickers: list[TickerId], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "poll", str(tickers[0]))
    assert code == 0
    assert out.startswith(f"ticker {tickers[0]} Ticker 1: fresh, ")
    assert re.search(r" \d+ changes?; next poll ", out)
    code, out, _ = run(capsys, "poll", str(tickers[0]))
    assert "unchanged, 0 changes" in out, "the second poll is answered 304"


def test_poll_all_skips_paused_tickers_and_fails_when_a_poll_failed(
    tickers: list[TickerId], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "poll", "--all")
    assert code == 1
    lines = sorted(out.splitlines())
    assert len(lines) == 2
    assert lines[0].startswith("ticker 1 Ticker 1: fresh")
    assert lines[1].startswith("ticker 2 Ticker 2: http_error, 0 changes (HTTP 500")
    assert "polled" not in err, "no progress bar when stderr is not a terminal"


def test_poll_needs_ids_or_all_and_known_ids(
    tickers: list[TickerId], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "poll")[0] == 2
    code, _, err = run(capsys, "poll", "99")
    assert code == 1
    assert "99" in err


def test_status_shows_last_and_next_poll_errors_and_circuit(
    tickers: list[TickerId], capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "poll", "--all")
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    healthy, broken, paused = (rows[i] for i in tickers)
    assert healthy["last_outcome"] == "fresh"
    assert healthy["circuit"] == "closed"
    assert healthy["entries"] > 0
    assert healthy["next_poll_at"] is not None
    assert broken["error_streak"] == 1
    assert broken["circuit"] == "open"
    assert paused["paused"] is True
    assert paused["last_poll_at"] is None
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert "CIRCUIT OPEN after 1 failed poll in a row" in out
    assert "[paused]" in out
    assert "never polled" in out


def test_worker_refuses_sqlite_with_a_clear_error(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "worker")
    assert code == 2
    assert "worker mode needs a PostgreSQL database" in err
