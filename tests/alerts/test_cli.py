"""``tickerwatch alerts …`` against a real SQLite file and a loopback receiver."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage import SqlStore
from tests.alerts.receiver import Answer, Receiver
from tests.storage.builders import Feed, entry
from tickerwatch.bootstrap import open_store
from tickerwatch.cli import main

SECRET_PART = "XXXXSECRETXXXX"


@pytest.fixture(autouse=True)
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", url)
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("TICKERWATCH_ALERTS__POLL_INTERVAL_S", "0.05")
    # The receivers live on loopback: the documented override of the address policy.
    monkeypatch.setenv("TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
    return url


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """``main`` sets up logging for the process; put back what the test session had."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    chatty = {name: logging.getLogger(name).level for name in ("httpx", "apscheduler")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in chatty.items():
        logging.getLogger(name).setLevel(was)


@pytest.fixture
def store(database: str) -> Iterator[SqlStore]:
    opened = open_store(database)
    yield opened
    opened.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert SECRET_PART not in out + err, "a webhook URL was shown in full"
    return code, out, err


def sinks(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "alerts", "list", "--json")
    assert code == 0
    result: list[dict[str, Any]] = json.loads(out)
    return result


def hook(receiver: Receiver) -> str:
    return receiver.url(f"/services/T0AAA/B0BBB/{SECRET_PART}")


def test_add_and_list_a_sink_with_its_rules(
    capsys: pytest.CaptureFixture[str], store: SqlStore
) -> None:
    feed = Feed(store, "gipfel")
    code, out, err = run(
        capsys,
        "alerts",
        "add",
        "slack",
        f"https://hooks.slack.com/services/T0AAA/B0BBB/{SECRET_PART}",
        "--name",
        "newsroom",
        "--tickers",
        str(feed.ticker_id),
        "--tag",
        "politik",
        "--kinds",
        "added,edited",
        "page_retitled",
        "--keyword",
        "Putin",
        "--keyword",
        "re:gipfel\\w*",
        "--exclude",
        "Sport",
        "--min-edit",
        "5%",
        "--rate",
        "30",
    )
    assert code == 0, err
    assert "added alert sink 1: newsroom (slack, https://hooks.slack.com/services/T0…/****)" in out
    (sink,) = sinks(capsys)
    assert sink["url"] == "https://hooks.slack.com/services/T0…/****"
    assert sink["rules"]["tickers"] == [feed.ticker_id]
    assert sink["rules"]["kinds"] == ["added", "edited", "page_retitled"]
    assert sink["rules"]["include"] == ["Putin", "re:gipfel\\w*"]
    assert (sink["rules"]["min_edit"], sink["rules"]["rate_per_minute"]) == (0.05, 30)
    assert sink["enabled"]
    assert sink["deliveries"]["pending"] == 0
    code, out, _ = run(capsys, "alerts", "list")
    assert "newsroom  [slack]" in out
    assert "enabled; 0 pending" in out
    assert "with 'Putin' or 're:gipfel\\\\w*'; without 'Sport'; edits of at least 5%" in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--keyword", "re:(unclosed"], "re:(unclosed"),
        (["--kinds", "paged_out"], "never alerted"),
        (["--kinds", "moved"], "unknown kind"),
        (["--tickers", "x1"], "not a ticker id"),
    ],
)
def test_rules_that_cannot_work_are_refused(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    code, _, err = run(capsys, "alerts", "add", "webhook", "https://example.org/hook", *argv)
    assert code == 2
    assert says in err
    assert sinks(capsys) == []


def test_unknown_tickers_bad_urls_and_missing_apprise_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(
        capsys, "alerts", "add", "webhook", "https://example.org/h", "--tickers", "9"
    )
    assert code == 1
    assert "no ticker 9" in err
    code, _, err = run(capsys, "alerts", "add", "slack", f"ftp://example.org/{SECRET_PART}")
    assert code == 1
    assert "http(s) URL" in err
    code, _, err = run(capsys, "alerts", "add", "apprise", "tgram://token/chat")
    assert code == 2
    assert "pip install 'tickerwatch[apprise]'" in err


def test_test_sends_a_sample_and_says_what_came_back(
    capsys: pytest.CaptureFixture[str], receiver: Receiver
) -> None:
    assert run(capsys, "alerts", "add", "slack", hook(receiver), "--any-host")[0] == 0
    code, out, _ = run(capsys, "alerts", "test", "1")
    assert code == 0
    assert "sent a test alert to sink 1" in out
    assert "HTTP 200" in out
    (request,) = receiver.requests
    assert "Test alert" in request.json()["text"]
    receiver.answer(Answer(404, body=b"no_service"))
    code, _, err = run(capsys, "alerts", "test", "1")
    assert code == 1
    assert "HTTP 404: no_service" in err
    assert "URL is gone" in err
    assert run(capsys, "alerts", "test", "7")[0] == 1


def test_dead_letters_disabled_sinks_retry_and_enable(
    capsys: pytest.CaptureFixture[str], receiver: Receiver, store: SqlStore
) -> None:
    assert (
        run(capsys, "alerts", "add", "webhook", hook(receiver), "--digest-threshold", "0")[0] == 0
    )
    feed = Feed(store, "gipfel")
    feed.poll(entry("Erste Meldung."), entry("Zweite Meldung."))
    receiver.default = Answer(400, body=b"bad payload")
    assert run(capsys, "alerts", "deliver", "--until-empty")[0] == 0
    code, out, _ = run(capsys, "alerts", "deliveries", "--failed")
    assert out.count("dead") == 2
    assert "HTTP 400: bad payload" in out
    assert "retry: tickerwatch alerts retry" in out
    assert sinks(capsys)[0]["deliveries"]["dead"] == 2
    _, out, _ = run(capsys, "status")
    assert "alerts: 1 sink, 0 disabled, 0 deliveries pending, 2 dead" in out
    assert "send them again: tickerwatch alerts retry --all-failed" in out

    receiver.default = Answer(410, body=b"gone")
    code, out, _ = run(capsys, "alerts", "retry", "--all-failed")
    assert (code, out.strip()) == (0, "queued 2 deliveries again")
    assert run(capsys, "alerts", "deliver", "--until-empty")[0] == 0
    (sink,) = sinks(capsys)
    assert not sink["enabled"]
    assert sink["disabled_reason"].startswith("HTTP 410: gone")
    _, out, _ = run(capsys, "alerts", "list")
    assert "DISABLED since" in out
    assert "re-enable: tickerwatch alerts enable 1" in out
    _, out, _ = run(capsys, "status")
    assert "alerts: 1 sink, 1 disabled, 2 deliveries pending, 0 dead" in out
    assert "DISABLED since" in out

    receiver.default = Answer(200)
    code, out, _ = run(capsys, "alerts", "enable", "1")
    assert code == 0
    assert "2 pending deliveries go out now" in out
    assert run(capsys, "alerts", "deliver", "--until-empty")[0] == 0
    assert sinks(capsys)[0]["deliveries"] == {"pending": 0, "failing": 0, "delivered": 2, "dead": 0}
    _, out, _ = run(capsys, "alerts", "deliveries", "--json")
    rows = json.loads(out)
    assert [r["status"] for r in rows] == ["delivered", "delivered"]
    code, _, err = run(capsys, "alerts", "retry", str(rows[0]["id"]))
    assert code == 1
    assert "delivered already" in err
    assert run(capsys, "alerts", "retry")[0] == 2


def test_remove_asks_before_dropping_waiting_deliveries(
    capsys: pytest.CaptureFixture[str], receiver: Receiver, store: SqlStore
) -> None:
    assert run(capsys, "alerts", "add", "webhook", hook(receiver))[0] == 0
    assert run(capsys, "alerts", "disable", "1")[0] == 0
    Feed(store, "gipfel").poll(entry("Erste Meldung."))
    assert run(capsys, "alerts", "deliver", "--until-empty")[0] == 0
    code, _, err = run(capsys, "alerts", "remove", "1")
    assert code == 1
    assert "1 pending" in err
    assert "--yes" in err
    assert run(capsys, "alerts", "remove", "1", "--yes")[0] == 0
    assert sinks(capsys) == []
    assert receiver.requests == []
