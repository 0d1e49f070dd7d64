"""``tickerwatch parse --explain``: the candidates, the time rule and the selectors to copy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.model import Candidate, Entry, EntrySelectors, ParsedPage
from tests.fetching.server import LoopbackServer, Reply
from tests.support.crafted import SELECTORS, crafted_page
from tickerwatch.cli import main
from tickerwatch.explain import explain_lines

NOW = datetime(2026, 4, 23, 16, 0, tzinfo=UTC)
ARTICLE = (
    b"<html><body><h1>Opinion</h1><p>" + b"Just an essay, no updates. " * 30 + b"</p></body></html>"
)


def parsed(**fields: object) -> ParsedPage:
    return ParsedPage(url="https://x.test/live", observed_at=NOW, **fields)  # type: ignore[arg-type]


def test_candidates_table_time_rule_and_selectors_of_the_chosen() -> None:
    page = parsed(
        layout="blocks",
        headline="Budget live",
        entries=(Entry(0, "a"), Entry(1, "b")),
        zone="Europe/London",
        time_rule="zone Europe/London from the page's lang and domain",
        candidates=(
            Candidate("blocks", 24, 24, 0.9, "chosen", "main > div.post"),
            Candidate("paragraphs", 40, 3, 0.25, "lost: 3 of 40 paragraphs carry a time", None),
            Candidate("jsonld", 0, 0, 0.0, "lost: no LiveBlogPosting"),
        ),
    )
    assert explain_lines(page) == [
        "Budget live",
        "read 2 entries with layout blocks",
        "candidates (3):",
        "  layout      entries  timed  score  verdict",
        "  blocks           24     24   0.90  chosen",
        "  paragraphs       40      3   0.25  lost: 3 of 40 paragraphs carry a time",
        "  jsonld            0      0   0.00  lost: no LiveBlogPosting",
        "time rule: zone Europe/London from the page's lang and domain",
        "zone: Europe/London",
        "selectors of the chosen blocks structure, to copy and adjust:",
        "  --entry-selector 'main > div.post'",
    ]


def test_not_a_ticker_names_its_candidates_and_the_best_one_to_try() -> None:
    page = parsed(
        layout="none",
        not_a_ticker="no time-stamped updates found",
        warnings=("charset detected as cp1252",),
        candidates=(
            Candidate("blocks", 3, 0, 0.3, "lost: no entry carries a time", "ul.news > li"),
            Candidate("paragraphs", 12, 1, 0.1, "lost: one paragraph carries a time"),
        ),
    )
    lines = explain_lines(page)
    assert lines[1] == "not a ticker: no time-stamped updates found"
    assert lines[4].split() == [
        "blocks",
        "3",
        "0",
        "0.30",
        "lost:",
        "no",
        "entry",
        "carries",
        "a",
        "time",
    ]
    assert lines[-3:] == [
        "the best-scoring structure (blocks), to try as selectors:",
        "  --entry-selector 'ul.news > li'",
        "warning: charset detected as cp1252",
    ]


def test_selectors_used_are_printed_whole_and_quoted_for_the_shell() -> None:
    selectors = EntrySelectors(entry="div[data-x='1']", time="i", native_id="@data-k")
    page = parsed(layout="selectors", entries=(Entry(0, "a"),))
    lines = explain_lines(page, selectors)
    assert "candidates: none compared (the ticker's own selectors read the page)" in lines
    assert lines[-1] == (
        "  --entry-selector 'div[data-x='\"'\"'1'\"'\"']' --time-selector 'i' --id-selector '@data-k'"
    )


def test_cli_explain_on_a_page_that_is_not_a_ticker(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    article = tmp_path / "article.html"
    article.write_bytes(ARTICLE)
    assert main(["parse", str(article), "--explain"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Opinion"
    assert out[1].startswith("not a ticker: ")
    assert out[2].startswith("candidates")
    assert any(line.startswith("time rule: ") for line in out)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    loopback = LoopbackServer()
    loopback.routes["/crafted"] = Reply(
        200, {"Content-Type": "text/html; charset=utf-8"}, crafted_page()
    )
    loopback.start()
    yield loopback
    loopback.stop()


def test_cli_parse_url_goes_through_the_fetch_policy(
    capsys: pytest.CaptureFixture[str], server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TICKERWATCH_FETCH__MIN_HOST_INTERVAL_S", "0")
    assert main(["parse", server.url("/crafted")]) == 1
    err = capsys.readouterr().err
    assert "loopback" in err
    assert "TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES" in err
    assert server.hits("/crafted") == 0

    monkeypatch.setenv("TICKERWATCH_FETCH__ALLOW_PRIVATE_ADDRESSES", "true")
    argv = ["parse", server.url("/crafted"), "--explain", "--entry-selector", SELECTORS.entry]
    argv += ["--time-selector", SELECTORS.time or "", "--headline-selector", "b"]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["Budget day", "read 3 entries with layout selectors"]
    assert out[-1] == (
        "  --entry-selector 'section.x-feed > div.u9' --time-selector 'i' --headline-selector 'b'"
    )
