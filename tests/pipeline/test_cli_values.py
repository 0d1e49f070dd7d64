"""Command-line values are checked at the edge: out-of-range numbers, malformed URLs and
case files that point outside their folder end as one line and a non-zero exit; URLs
are compared in their normal form; ``poll`` says each result once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alerts.model import Delivery, DeliveryId, DeliveryStatus, SubscriptionId
from alerts.views import delivery_lines
from diffing.model import ChangeKind
from storage import TickerId
from tests.fetching.server import LoopbackServer, Reply
from tests.paths import EVAL
from tests.pipeline.test_ticker_check import SELECTOR_OPTIONS
from tests.support.crafted import crafted_page
from tickerwatch.cli import main
from tickerwatch.commands.values import MAX_INTERVAL_S, interval, normal_http_url

HTML = {"Content-Type": "text/html; charset=utf-8"}
TOO_BIG = str(2**63)


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
    monkeypatch.setenv("TICKERWATCH_FETCH__MIN_HOST_INTERVAL_S", "0")


def only_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["pause", TOO_BIG],
        ["remove", TOO_BIG],
        ["poll", TOO_BIG],
        ["edit", "1", "--interval", "inf"],
        ["edit", "1", "--interval", "nan"],
        ["add", "https://example.test/x", "--interval", "9999999h"],
        ["add", "http://[::1"],
        ["add", "http://exa mple.test/x"],
        ["add", "http://example.test:99999/x"],
        ["web", "--port", "99999"],
        ["db", "current", "--url", "notaurl"],
        ["replay", "case", "--db", "postgres://tw@127.0.0.1/tw"],
        ["alerts", "test", TOO_BIG],
        ["alerts", "retry", TOO_BIG],
        ["alerts", "deliveries", "--limit", "1" + TOO_BIG],
        ["alerts", "add", "webhook", "http://127.0.0.1/hook", "--rate", "inf"],
        ["alerts", "add", "webhook", "http://127.0.0.1/hook", "--digest-window", "-1"],
    ],
)
def test_a_value_out_of_range_is_one_usage_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    line = only_line(capsys.readouterr().err)
    assert line.startswith("tickerwatch ")
    assert ": error: " in line


@pytest.mark.parametrize(
    "url", ["http://[::1", "http://exa mple.test/hook", "http://example.test:99999/hook"]
)
def test_a_malformed_sink_url_is_refused(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert main(["alerts", "add", "webhook", url]) == 1
    line = only_line(capsys.readouterr().err)
    assert line.startswith("tickerwatch: the sink URL is refused: not a valid ")
    assert url not in line  # a webhook URL is a credential
    assert main(["alerts", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_ticker_id_out_of_range_in_sink_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "add", "webhook", "http://127.0.0.1/hook", "--tickers", TOO_BIG]) == 2
    assert only_line(capsys.readouterr().err).startswith("tickerwatch: not a ticker id")


def test_a_sink_for_a_desk_that_does_not_exist(capsys: pytest.CaptureFixture[str]) -> None:
    hook = "http://127.0.0.1/hook"
    assert main(["alerts", "add", "webhook", hook, "--desks", "x"]) == 2
    assert only_line(capsys.readouterr().err).startswith("tickerwatch: not a desk id: 'x'")
    assert main(["alerts", "add", "webhook", hook, "--desks", "9"]) == 1
    assert only_line(capsys.readouterr().err) == "tickerwatch: no desk 9"
    assert main(["alerts", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_interval_bounds() -> None:
    assert interval("90") == 90
    assert interval("5m") == 300
    assert interval("1d") == 86400
    assert interval("7d") == MAX_INTERVAL_S
    assert interval("0.5h") == 1800


def test_urls_in_their_normal_form() -> None:
    assert normal_http_url("HTTP://Example.TEST:80") == "http://example.test/"
    assert normal_http_url("https://example.test:443/a?B=1#top") == "https://example.test/a?B=1"
    assert normal_http_url("http://[::1]:8080/x") == "http://[::1]:8080/x"
    assert normal_http_url("https://example.test:8443/Live") == "https://example.test:8443/Live"


def test_one_page_is_one_ticker_whatever_the_case_of_scheme_and_host(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["add", "--no-check", "http://example.test/live"]) == 0
    code = main(["add", "--no-check", "HTTP://Example.TEST:80/live"])
    assert code == 1
    assert only_line(capsys.readouterr().err) == (
        "tickerwatch: a ticker watches http://example.test/live already"
    )


def test_a_replay_file_outside_its_case_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("<html><body>not part of the case</body></html>", encoding="utf-8")
    case = tmp_path / "case"
    case.mkdir()
    meta = {
        "url": "https://example.test/live",
        "snapshots": [{"file": "../secret.html", "fetched_at": "2026-04-23T10:00:00+00:00"}],
    }
    (case / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    code = main(["replay", str(case), "--json", "--db", f"sqlite:///{tmp_path / 'r.db'}"])
    assert code == 2  # the replay command's code for a case it cannot read
    assert "lies outside the case folder" in only_line(capsys.readouterr().err)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    loopback = LoopbackServer()
    loopback.routes["/live"] = Reply(200, HTML, crafted_page())
    loopback.start()
    yield loopback
    loopback.stop()
    assert loopback.errors == []


def test_poll_says_each_result_once(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    assert main(["add", "--no-check", server.url("/live"), *SELECTOR_OPTIONS]) == 0
    assert main(["poll", "1"]) == 0
    capsys.readouterr()
    page = crafted_page().replace(b"Vote passed", b"Vote passed, 300 to 200")
    server.routes["/live"] = Reply(200, HTML, page)
    assert main(["poll", "1"]) == 0
    out, err = capsys.readouterr()
    assert "1 change;" in out
    assert "poll" not in err  # the runner's line about the same poll


def test_a_known_case_still_replays(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    seed = EVAL / "seed" / "kim-putin-2019"
    assert main(["replay", str(seed), "--json", "--db", f"sqlite:///{tmp_path / 'r.db'}"]) == 0
    assert capsys.readouterr().out


@pytest.mark.parametrize(("attempts", "shown"), [(1, "  1 attempt,"), (2, "  2 attempts,")])
def test_attempts_are_counted_in_words(attempts: int, shown: str) -> None:
    at = datetime(2026, 4, 23, 10, 0, tzinfo=UTC)
    delivery = Delivery(
        id=DeliveryId(1),
        key="k",
        subscription_id=SubscriptionId(1),
        change_id=1,
        ticker_id=TickerId(1),
        kind=ChangeKind.ADDED,
        observed_at=at,
        status=DeliveryStatus.PENDING,
        created_at=at,
        queued_at=at,
        next_attempt_at=at,
        attempts=attempts,
    )
    assert shown in delivery_lines([delivery])[1]
