"""``tickerwatch add`` looks before it saves, ``edit`` checks new selectors: against a
real loopback server, through the poller's fetcher and its SSRF guard."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fetching.server import LoopbackServer, Reply
from tests.paths import EVAL
from tests.support.crafted import SELECTORS, crafted_page
from tickerwatch.cli import main

HTML = {"Content-Type": "text/html; charset=utf-8"}
SELECTOR_OPTIONS = [
    "--entry-selector",
    SELECTORS.entry,
    "--time-selector",
    SELECTORS.time or "",
    "--headline-selector",
    SELECTORS.headline or "",
    "--body-selector",
    SELECTORS.body or "",
    "--id-selector",
    SELECTORS.native_id or "",
]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    loopback = LoopbackServer()
    loopback.routes["/ticker"] = Reply(
        200, HTML, (EVAL / "seed/kim-putin-2019/0010.html").read_bytes()
    )
    loopback.routes["/crafted"] = Reply(200, HTML, crafted_page())
    loopback.routes["/article"] = Reply(
        200,
        HTML,
        b"<html><body><h1>Opinion</h1><p>" + b"Just an essay. " * 40 + b"</p></body></html>",
    )
    loopback.routes["/gone"] = Reply(410, {"Content-Type": "text/plain"}, b"gone")
    loopback.start()
    yield loopback
    loopback.stop()
    assert loopback.errors == []


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
    monkeypatch.setenv("TICKERWATCH_FETCH__MIN_HOST_INTERVAL_S", "0")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    result: list[dict[str, object]] = json.loads(out)
    return result


def test_add_reads_the_page_before_saving(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    code, out, _ = run(capsys, "add", server.url("/ticker"), "--zone", "Europe/Berlin")
    assert code == 0
    assert out.startswith("read ")
    assert "entries (layout " in out
    assert ", newest " in out
    assert "added ticker 1" in out
    assert server.hits("/ticker") == 1


def test_add_refuses_a_page_that_is_not_a_ticker_unless_forced(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    code, out, err = run(capsys, "add", server.url("/article"))
    assert code == 1
    assert out.startswith("not a ticker: ")
    assert "--force" in err
    assert listed(capsys) == []
    code, out, _ = run(capsys, "add", server.url("/article"), "--force")
    assert code == 0
    assert "saving anyway" in out
    assert len(listed(capsys)) == 1


def test_add_names_the_setting_when_the_fetch_policy_blocks(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES", "false")
    code, out, err = run(capsys, "add", server.url("/ticker"))
    assert code == 1
    assert out.startswith("blocked by the fetch policy: ")
    assert "loopback" in out
    assert "`fetch.allow_private_addresses`" in out
    assert "TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES" in out
    assert "--force" in err
    assert server.hits("/ticker") == 0
    assert listed(capsys) == []


def test_add_refuses_a_failed_fetch_and_no_check_skips_the_fetch(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    code, out, _ = run(capsys, "add", server.url("/gone"))
    assert code == 1
    assert out.startswith("fetch failed (http_error): HTTP 410")
    code, out, _ = run(capsys, "add", server.url("/gone"), "--no-check")
    assert code == 0
    assert server.hits("/gone") == 1


def test_add_with_selectors_reads_what_discovery_cannot(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    code, out, _ = run(capsys, "add", server.url("/crafted"))
    assert code == 1
    assert out.startswith("not a ticker: ")
    code, out, err = run(capsys, "add", server.url("/crafted"), *SELECTOR_OPTIONS)
    assert (code, err) == (0, "")
    assert out.startswith("read 3 entries (layout selectors, newest ")
    (ticker,) = listed(capsys)
    assert ticker["selectors"] == {
        "entry": SELECTORS.entry,
        "time": SELECTORS.time,
        "headline": SELECTORS.headline,
        "body": SELECTORS.body,
        "native_id": SELECTORS.native_id,
    }


def test_invalid_selectors_are_refused_before_any_fetch(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    code, _, err = run(capsys, "add", server.url("/crafted"), "--entry-selector", "div[")
    assert code == 1
    assert "invalid entry selector 'div['" in err
    code, _, err = run(capsys, "add", server.url("/crafted"), "--time-selector", "time")
    assert code == 1
    assert "--entry-selector is needed" in err
    assert server.hits("/crafted") == 0


def test_edit_checks_new_selectors_against_the_live_page(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer
) -> None:
    assert run(capsys, "add", server.url("/crafted"), "--no-check")[0] == 0
    code, out, err = run(capsys, "edit", "1", "--entry-selector", "article.none")
    assert code == 1
    assert out.startswith("the selectors read nothing: the entry selector 'article.none'")
    assert "--force" in err
    assert listed(capsys)[0]["selectors"] is None

    code, out, _ = run(capsys, "edit", "1", *SELECTOR_OPTIONS, "--name", "Budget")
    assert code == 0
    assert out.startswith("read 3 entries (layout selectors")
    assert "reads --entry-selector 'section.x-feed > div.u9' --time-selector" in out
    code, out, _ = run(capsys, "edit", "1", "--time-selector", "", "--no-check")
    assert code == 0
    ticker = listed(capsys)[0]
    assert ticker["name"] == "Budget"
    assert ticker["selectors"] == {
        "entry": SELECTORS.entry,
        "time": None,
        "headline": SELECTORS.headline,
        "body": SELECTORS.body,
        "native_id": SELECTORS.native_id,
    }
    code, out, _ = run(capsys, "edit", "1", "--clear-selectors")
    assert code == 0
    assert "reads discovery" in out
    assert listed(capsys)[0]["selectors"] is None
    assert run(capsys, "edit", "7", "--name", "x")[0] == 1
