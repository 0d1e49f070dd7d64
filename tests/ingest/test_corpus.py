"""Golden tests over real saved ticker pages (tests/data/corpus/golden.json).

Each live page parses to the entry count of the corpus manifest, with the time
stamps, layout and first/last entries recorded in the golden file; each negative
page (an ordinary article) is flagged not a ticker. A site profile's test is its
page here.
"""

import json
from datetime import UTC, datetime

import pytest

from ingest.layouts.profiles import PROFILES
from ingest.parse import parse_page
from tests.paths import CORPUS, DATA

GOLDEN = json.loads((DATA / "corpus" / "golden.json").read_text(encoding="utf-8"))
MANIFEST = {
    row["file"]: row for row in json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
}
OBSERVED = datetime(2026, 1, 1, tzinfo=UTC)


def _summary(entry) -> dict[str, object]:
    return {
        "time": entry.time.isoformat() if entry.time else None,
        "title": entry.headline,
        "text_starts": entry.text[:60],
        "id": entry.native_id,
    }


@pytest.mark.parametrize("golden", GOLDEN, ids=[g["file"] for g in GOLDEN])
def test_real_page(golden: dict) -> None:  # type: ignore[type-arg]
    page = parse_page(
        (CORPUS / golden["file"]).read_bytes(),
        url=golden["url"],
        observed_at=OBSERVED,
        content_type="text/html",
    )
    if not golden["live"]:
        assert page.not_a_ticker == golden["reason"]
        assert page.entries == ()
        return
    assert page.not_a_ticker is None
    assert len(page.entries) == MANIFEST[golden["file"]]["entries"] == golden["entries"]
    assert page.layout == golden["layout"]
    assert sum(1 for e in page.entries if e.time) == golden["timed"]
    assert _summary(page.entries[0]) == golden["first"]
    assert _summary(page.entries[-1]) == golden["last"]
    for entry in page.entries:
        assert entry.text or entry.headline
        assert entry.time is None or entry.time.utcoffset() is not None


def test_golden_covers_every_html_page_of_the_manifest() -> None:
    pages = {f for f in MANIFEST if f.endswith(".html")}
    assert {g["file"] for g in GOLDEN} == pages


def test_no_real_page_needs_a_site_profile() -> None:
    assert PROFILES == {}


@pytest.mark.parametrize("url", [None, "https://www.example.test/direct"])
def test_pages_without_clock_times_keep_their_label(url: str | None) -> None:
    """A sports ticker counting match minutes reads by discovery alone, on any URL."""
    golden = next(g for g in GOLDEN if g["file"].startswith("sportsfr/"))
    page = parse_page(
        (CORPUS / golden["file"]).read_bytes(), url=url or golden["url"], observed_at=OBSERVED
    )
    assert page.layout == "blocks"
    assert len(page.entries) == golden["entries"]
    assert page.entries[0].time is None
    assert page.entries[0].time_label is not None
    assert page.entries[0].time_label.endswith("'")


def test_a_not_a_ticker_page_names_the_structures_it_weighed() -> None:
    """The article with a newsticker box: the box is a candidate, lost as a link list."""
    golden = next(g for g in GOLDEN if g["file"].startswith("negative/stern-"))
    page = parse_page(
        (CORPUS / golden["file"]).read_bytes(), url=golden["url"], observed_at=OBSERVED
    )
    assert page.not_a_ticker is not None
    assert page.candidates
    assert all(c.verdict != "chosen" for c in page.candidates)
    assert any("link text" in c.verdict and c.selector for c in page.candidates)
