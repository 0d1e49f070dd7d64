"""What a new user of ``poll`` and ``status`` tripped over, against a loopback server:
a page that reads no ticker was shown as "not_a_ticker" without the reason stored with
the poll, and ``poll`` said each result twice (its own line and a log line)."""

from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fetching.server import LoopbackServer, Reply
from tests.paths import EVAL
from tickerwatch.cli import main

HTML = {"Content-Type": "text/html; charset=utf-8"}
ESSAY = b"<html><body><h1>Opinion</h1><p>" + b"Just an essay. " * 40 + b"</p></body></html>"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    loopback = LoopbackServer()
    loopback.routes["/ticker"] = Reply(
        200, HTML, (EVAL / "seed/kim-putin-2019/0010.html").read_bytes()
    )
    loopback.routes["/article"] = Reply(200, HTML, ESSAY)
    loopback.routes["/broken"] = Reply(500, {"Content-Type": "text/plain"}, b"oops")
    loopback.start()
    yield loopback
    loopback.stop()
    assert loopback.errors == []


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
    monkeypatch.setenv("TICKERWATCH_FETCH__MIN_HOST_INTERVAL_S", "0")
    monkeypatch.setenv("TICKERWATCH_FETCH__HONOUR_ROBOTS", "false")
    monkeypatch.setenv("TICKERWATCH_FETCH__RETRIES", "0")
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in levels.items():
        logging.getLogger(name).setLevel(was)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert run(capsys, "add", url, "--no-check")[0] == 0


def test_poll_and_status_say_why_a_page_reads_no_ticker(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    """Before: "not_a_ticker, 0 changes" and "last poll … not_a_ticker", no reason."""
    add(capsys, server.url("/article"))
    code, out, _ = run(capsys, "poll", "1")
    assert code == 0
    line = out.strip()
    assert line.startswith("ticker 1 ")
    assert ": not_a_ticker, 0 changes (" in line
    reason = line.split(" changes (", 1)[1].rsplit("); next poll", 1)[0]
    assert reason, "the stored reason is shown"
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert f"not_a_ticker ({reason})" in out
    (row,) = json.loads(run(capsys, "status", "--json")[1])
    assert (row["last_outcome"], row["last_error"]) == ("not_a_ticker", reason)


def test_poll_prints_each_result_once(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    """Before: a failed poll's line on stdout came again as a WARNING log line on stderr
    (and the parser's or the store's words about it once more)."""
    for path in ("/ticker", "/article", "/broken"):
        add(capsys, server.url(path))
    code, out, err = run(capsys, "poll", "--all")
    assert code == 1
    assert len(out.splitlines()) == 3
    assert "broken: http_error, 0 changes (HTTP 500" in out
    assert err == "", "each result is said once, on stdout"


def test_a_parse_health_event_is_on_the_polls_own_line(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    """The runner's parse-health warning is held back during ``poll``: its words are on
    the result line instead, so nothing is lost by saying it once."""
    add(capsys, server.url("/ticker"))
    assert run(capsys, "poll", "1")[0] == 0
    server.routes["/ticker"] = Reply(200, HTML, ESSAY)
    lines = []
    for _ in range(2):  # the second poll in a row without a ticker is reported
        code, out, err = run(capsys, "poll", "1")
        assert (code, err) == (0, "")
        lines.append(out.strip())
    assert "parse health:" not in lines[0]
    assert "; parse health: " in lines[1]


class StopWhenServing(logging.Handler):
    """Sends SIGTERM to this process once the web UI says it is serving, and keeps what
    the service logger said: the stop follows an event, not a clock."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.messages.append(message)
        if message.startswith("web UI on http://"):
            os.kill(os.getpid(), signal.SIGTERM)


def test_web_says_what_it_waits_for_when_it_stops(capsys: pytest.CaptureFixture[str]) -> None:
    """Before: "SIGTERM: stopping after the polls in flight", from a process that polls
    nothing."""
    watcher = StopWhenServing()
    service_log = logging.getLogger("tickerwatch.service")
    service_log.addHandler(watcher)
    try:
        code, _, _ = run(capsys, "web", "--host", "127.0.0.1", "--port", "0")
    finally:
        service_log.removeHandler(watcher)
    assert code == 0
    (stopping,) = [m for m in watcher.messages if m.startswith("SIGTERM: ")]
    assert "polls" not in stopping
    assert stopping == "SIGTERM: stopping after the requests in progress"


def test_counts_of_one_read_right(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: "gave up after 1 attempts", "after 1 failed polls", "deletes 1 polls"."""
    monkeypatch.setenv("TICKERWATCH_SCHEDULER__BREAKER_THRESHOLD", "1")
    add(capsys, server.url("/broken"))
    _, out, _ = run(capsys, "poll", "1")
    assert "(HTTP 500 Internal Server Error; gave up after 1 attempt)" in out
    _, out, _ = run(capsys, "status")
    assert "CIRCUIT OPEN after 1 failed poll in a row" in out
    code, _, err = run(capsys, "remove", "1")
    assert code == 1
    assert "deletes 1 poll, 0 entries and 0 changes" in err
