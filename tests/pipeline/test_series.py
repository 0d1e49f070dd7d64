"""Two real newsticker pages, captured 37 and 44 times, read and replayed.

The pages live beside the clone in ``../shared/corpus/series`` (no licence: read in
place, never copied into the project); the tests skip where they are absent. What is
on each capture, and what changed between two captures, is computed here from the
pages themselves, simply and without the reader: the items' headline anchors, their
links and their ``<time datetime>``. Changes are judged by link, as the series' README
says: a link never seen before is ``added``; a link whose headline text changed is
``retitled``; a link whose time moved on is ``retimed`` (re-published); a link that
fell off the end of the list is ``paged_out`` (never a removal), one that vanished
from the middle ``removed``.

One replay per series (module fixture) feeds every capture through the live pipeline
(:func:`tickerwatch.replay.replay` into SQLite) and both tests read its reports.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from diffing.model import ChangeKind, PollOutcome
from tickerwatch.bootstrap import open_store
from tickerwatch.polling import PollReport
from tickerwatch.replay import load_case, replay

SERIES = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "series"
# Per series, in XPath: the list's items and, inside one, its headline anchor. These
# describe the test data only; the reader knows nothing of them.
ITEMS = {
    "zeit-news": ("//section[contains(@class, 'cp-area--news')]/article", ".//a[.//h3]", ".//h3"),
    "heise-newsticker": (
        "//ul[contains(@class, 'archive__list')]/li/article",
        ".//a[.//h1]",
        ".//h1",
    ),
}
# The pages print times without an offset in the zone of their country.
PAGE_ZONE = ZoneInfo("Europe/Berlin")
# Kinds a reader is alerted to: what precision and recall are scored on.
SCORED = {"added", "edited", "retitled", "retimed", "removed", "restored", "page_retitled"}
TARGET = 0.98

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SERIES.is_dir(), reason=f"{SERIES} is absent"),
]


@dataclass(frozen=True, slots=True)
class Item:
    link: str  # absolute, without fragment and query: what the test compares
    headline: str
    minute: datetime  # the item's time, to the minute (what a reader sees)


@dataclass
class Replayed:
    reports: list[tuple[str, PollReport]] = field(default_factory=list)
    pages: dict[str, list[Item]] = field(default_factory=dict)


def _key(url: str, href: str) -> str:
    parts = urlsplit(urljoin(url, href))
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path}"


def _time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PAGE_ZONE)
    return parsed.replace(second=0, microsecond=0)


def page_items(series: str, path: Path, url: str) -> list[Item]:
    """The page's news items in page order, first occurrence of each link only.

    An item labelled "Anzeige" (an advertisement in the list) is not news.
    """
    root = lxml.html.parse(str(path)).getroot()
    item_path, anchor_path, heading_path = ITEMS[series]
    out: list[Item] = []
    seen: set[str] = set()
    for element in root.xpath(item_path):
        labels = {" ".join(t.split()) for t in element.xpath(".//text()")}
        if "Anzeige" in labels:
            continue
        (anchor,) = element.xpath(anchor_path)[:1]
        link = _key(url, anchor.get("href"))
        if link in seen:
            continue
        seen.add(link)
        headline = " ".join(anchor.xpath(f"string({heading_path})").replace("\u200b", "").split())
        (stamp,) = element.xpath(".//time/@datetime")[:1]
        out.append(Item(link, headline, _time(stamp)))
    return out


def truth(pages: dict[str, list[Item]]) -> set[tuple[str, str, str]]:
    """(snapshot, kind, link) of every change after the first capture, judged by link."""
    events: set[tuple[str, str, str]] = set()
    last_seen: dict[str, Item] = {}
    previous: list[Item] | None = None
    for snapshot, items in pages.items():
        links = {i.link for i in items}
        if previous is not None:
            for item in items:
                before = last_seen.get(item.link)
                if before is None:
                    events.add((snapshot, "added", item.link))
                elif before.headline != item.headline:
                    events.add((snapshot, "retitled", item.link))
                elif before.minute != item.minute:
                    events.add((snapshot, "retimed", item.link))
            kept = [n for n, i in enumerate(previous) if i.link in links]
            for n, item in enumerate(previous):
                if item.link not in links:
                    kind = "removed" if kept and n < max(kept) else "paged_out"
                    events.add((snapshot, kind, item.link))
        last_seen.update({i.link: i for i in items})
        previous = items
    return events


def _link_of(native_id: str | None) -> str:
    assert native_id is not None
    return _key(native_id, native_id)


def pipeline_events(replayed: Replayed) -> set[tuple[str, str, str]]:
    """(snapshot, kind, link) of every change the pipeline reported after the first poll."""
    out = set()
    for snapshot, report in replayed.reports[1:]:
        for change in report.changes:
            if change.kind is ChangeKind.PAGE_RETITLED:
                out.add((snapshot, change.kind.value, "page"))
                continue
            version = change.current or change.previous
            assert version is not None
            out.add((snapshot, change.kind.value, _link_of(version.native_id)))
    return out


@pytest.fixture(scope="module", params=sorted(ITEMS))
def replayed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Replayed:
    series: str = request.param
    folder = SERIES / series
    case = load_case(folder)
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp(series) / 'replay.db'}")
    result = Replayed()

    async def run() -> None:
        async for snapshot, report in replay(case, store=store):
            result.reports.append((snapshot.file, report))

    try:
        asyncio.run(run())
    finally:
        store.close()
    result.pages = {s.file: page_items(series, s.path, case.url) for s in case.snapshots}
    return result


def test_every_capture_reads_to_the_items_on_the_page(replayed: Replayed) -> None:
    exact = 0
    for snapshot, report in replayed.reports:
        expected = replayed.pages[snapshot]
        assert report.page is not None, snapshot
        page = report.page
        assert page.layout == "newsticker", snapshot
        read = [_link_of(e.native_id) for e in page.entries]
        assert len(read) == len(set(read)) == len(expected), snapshot
        assert read == [i.link for i in expected], snapshot
        times = {i.link: i.minute for i in expected}
        for entry, link in zip(page.entries, read, strict=True):
            assert entry.time is not None, (snapshot, link)
            assert entry.time.replace(second=0, microsecond=0) == times[link], (snapshot, link)
        headlines = {i.link: i.headline for i in expected}
        assert all(
            e.headline == headlines[link] for e, link in zip(page.entries, read, strict=True)
        )
        exact += 1
    print(f"\n{exact}/{len(replayed.reports)} captures read exactly")


def test_replay_gives_the_link_judged_changes(replayed: Replayed) -> None:
    outcomes = Counter(
        r.outcome.value if isinstance(r.outcome, PollOutcome) else "failed"
        for _, r in replayed.reports
    )
    expected = truth(replayed.pages)
    got = pipeline_events(replayed)
    scored_truth = {e for e in expected if e[1] in SCORED}
    scored_got = {e for e in got if e[1] in SCORED}
    hits = scored_truth & scored_got
    precision = len(hits) / len(scored_got) if scored_got else 1.0
    recall = len(hits) / len(scored_truth) if scored_truth else 1.0
    kinds = Counter(kind for _, kind, _ in scored_truth)
    paged_truth = {e for e in expected if e[1] == "paged_out"}
    paged_got = {e for e in got if e[1] == "paged_out"}
    print(
        f"\npolls {dict(outcomes)}; truth {dict(kinds)}; "
        f"precision {precision:.3f} recall {recall:.3f}; "
        f"paged out {len(paged_truth & paged_got)}/{len(paged_truth)} (pipeline {len(paged_got)})"
    )
    misses = sorted(scored_truth - scored_got)[:10]
    extras = sorted(scored_got - scored_truth)[:10]
    assert precision >= TARGET, f"false events: {extras}"
    assert recall >= TARGET, f"missed events: {misses}"
    # What scrolled off the end is recorded as paged out, and never as a removal.
    assert paged_truth == paged_got
    assert not {link for _, kind, link in got if kind == "removed"} & {
        link for _, _, link in paged_truth
    }
