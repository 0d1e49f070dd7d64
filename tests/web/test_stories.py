"""A desk's stories in the UI and the JSON API: the desk page with its timelines and
record, the story page, filters, 404s, the CSV/JSON exports, the Atom feed; and a real
Chromium that opens a desk page and sees who was first.

The stories are filed by real story matching from hand-made entries
(:mod:`tests.web.stories_support`, which states the truth) into the memory and the SQL story store.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from fastapi import FastAPI
from playwright.sync_api import expect

from storage import NewTicker, SqlArchive, SqlStore, create_engine_for
from storage.desks import DeskMember, NewDesk
from storage.desks_sql import SqlDeskStore
from storage.model import TickerId
from storage.story_store import StoryStore
from storage.story_store_memory import MemoryStoryStore
from storage.story_store_sql import SqlStoryStore
from stories import StoryEntry
from tests.web.browser import CHROMIUM, MISSING, berlin_page, chromium
from tests.web.conftest import ADMIN_TOKEN, FIXED_NOW, LiveServer, TestClient, config_for
from tests.web.html import elements, strings, tree
from tests.web.stories_support import ANDERE, HAUS, RIVALE, file_stories
from web import create_app
from web.atom import ATOM

HEIZUNG, ERDBEBEN, BAHN, PEKING = 4, 3, 2, 1
A = f"{{{ATOM}}}"


@contextlib.contextmanager
def build_app(
    sqlite_db: str,
    *,
    stories: bool = True,
    page_size: int = 50,
    adapter: str = "memory",
    merged: dict[int, int] | None = None,
) -> Iterator[FastAPI]:
    """The app over three tickers, desk 1 "Politik" (Haus own) and its stories in the
    ``adapter`` story store (``memory`` or ``sql``), the stories ``merged`` merged."""
    store = SqlStore(create_engine_for(sqlite_db))
    for name in ("Haus", "Rivale", "Andere"):
        store.add(NewTicker(f"https://www.example.test/{name}", name), created_at=FIXED_NOW)
    archive = SqlArchive(create_engine_for(sqlite_db))
    desks = SqlDeskStore(create_engine_for(sqlite_db))
    desk = desks.add(
        NewDesk(
            "Politik",
            members=tuple(DeskMember(TickerId(t), own=t == HAUS) for t in (HAUS, RIVALE, ANDERE)),
        ),
        created_at=FIXED_NOW,
    )
    story_store: StoryStore = (
        MemoryStoryStore(desks, store)
        if adapter == "memory"
        else SqlStoryStore(create_engine_for(sqlite_db))
    )
    state = file_stories(story_store, desk.id)
    if merged:
        story_store.apply(desk.id, [], merged=merged, next_story_id=state.next_story_id)
    try:
        yield create_app(
            store,
            config_for(admin_token=ADMIN_TOKEN, page_size=page_size),
            archive=archive,
            clock=lambda: FIXED_NOW,
            desks=desks,
            stories=story_store if stories else None,
        )
    finally:
        story_store.close()
        desks.close()
        archive.close()
        store.close()


@pytest.fixture(params=["memory", "sql"])
def app(sqlite_db: str, request: pytest.FixtureRequest) -> Iterator[FastAPI]:
    with build_app(sqlite_db, adapter=request.param) as app:
        yield app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def story_ids(page: str) -> list[int]:
    return [int(i) for i in strings(tree(page), "//li[contains(@class,'story')]/@data-story-id")]


def test_the_desk_page_shows_shared_stories_newest_first_and_who_was_first(
    client: TestClient,
) -> None:
    answer = client.get("/desks/1")
    assert answer.status_code == 200, answer.text
    page = tree(answer.text)
    assert story_ids(answer.text) == [HEIZUNG, PEKING]
    heizung = elements(page, "//li[@data-story-id='4']")[0]
    # One lane per desk ticker, own marked, the first one highlighted with its lead.
    lanes = elements(heizung, ".//*[local-name()='g'][contains(@class,'lane')]")
    assert [lane.get("data-ticker-id") for lane in lanes] == ["1", "2", "3"]
    assert "own" in (lanes[0].get("class") or "")
    first = [lane for lane in lanes if "first" in (lane.get("class") or "").split()]
    assert [lane.get("data-ticker-id") for lane in first] == [str(RIVALE)]
    assert "first by 6 min" in first[0].text_content()
    assert "6 min later" in lanes[0].text_content()
    assert "absent" in (lanes[2].get("class") or "")
    # The text alternative, tied to the picture, says it in words, both clocks.
    caption = elements(heizung, ".//figcaption")[0]
    svg = elements(heizung, ".//*[local-name()='svg']")[0]
    assert svg.get("aria-labelledby") == caption.get("id")
    assert caption.text_content() == (
        "First by printed time: Rivale, 6 min before Haus. First seen: Rivale, 7 min "
        "before Haus. Not reported by Andere."
    )
    # Marks sit on the printed clock; the first-seen mark apart, the tooltip says both.
    marks = elements(heizung, ".//*[local-name()='g'][@data-entry-id='rivale-heizung']")
    tip = marks[0].text_content()
    assert "printed 2019-04-25 11:50 CEST" in tip
    assert "first seen 2019-04-25 11:52:00 CEST" in tip
    printed = elements(marks[0], ".//*[local-name()='circle'][@class='printed']")[0]
    assert printed.get("cx") == "160.0"  # the story's earliest instant
    # The record over the default period (the week before now).
    rows = {
        r.get("data-ticker-id"): [c.text_content().strip() for c in elements(r, "td")]
        for r in elements(page, "//tr[contains(@class,'ticker-record')]")
    }
    assert rows["1"][1:] == ["2", "1", "50 %", "11 min", "2.5 min", "0"]
    assert rows["2"][1:] == ["1", "1", "100 %", "6 min", "6 min", "1"]
    assert rows["3"][1:] == ["1", "0", "0 %", "—", "-11 min", "1"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("min_tickers=1", [HEIZUNG, ERDBEBEN, BAHN, PEKING]),
        ("min_tickers=3", []),
        ("only=single", [ERDBEBEN, BAHN]),
        ("only=theirs", [ERDBEBEN]),
        ("only=theirs&min_tickers=2", [ERDBEBEN]),
        ("since=2019-04-25T11:00&min_tickers=1", [HEIZUNG, ERDBEBEN]),
        ("until=2019-04-25T09:18%2B00:00&min_tickers=1", [BAHN, PEKING]),
        ("since=2019-04-25T10:45&until=2019-04-25T11:30&min_tickers=1", [ERDBEBEN, BAHN]),
    ],
)
def test_the_filters_choose_the_stories(
    client: TestClient, query: str, expected: list[int]
) -> None:
    page = client.get(f"/desks/1?{query}")
    assert page.status_code == 200, page.text
    assert story_ids(page.text) == expected
    api = client.get(f"/api/desks/1/stories?{query}")
    assert [s["id"] for s in api.json()["items"]] == expected


def test_what_they_have_that_we_dont_is_said(client: TestClient) -> None:
    page = client.get("/desks/1?only=theirs").text
    story = elements(tree(page), "//li[@data-story-id='3']")[0]
    assert "theirs" in (story.get("class") or "")
    assert "they have it, we don't" in story.text_content()
    assert "Only Rivale has this story. We don't have it." in story.text_content()


def test_pages_and_api_pages_link_the_next(sqlite_db: str) -> None:
    with build_app(sqlite_db, page_size=5) as app, TestClient(app) as client:
        first = client.get("/api/desks/1/stories?min_tickers=1&limit=3")
        assert [s["id"] for s in first.json()["items"]] == [HEIZUNG, ERDBEBEN, BAHN]
        following = first.json()["next"]
        assert following
        assert following == first.links["next"]["url"]
        second = client.get(following).json()
        assert ([s["id"] for s in second["items"]], second["next"]) == ([PEKING], None)
        single = client.get("/api/desks/1/stories?only=single&limit=1&offset=1").json()
        assert [s["id"] for s in single["items"]] == [BAHN]
        assert client.get("/desks/1?min_tickers=1&page=2").text.count("data-story-id") == 0


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/desks/1?since=yesterday", "not a date and time"),
        ("/desks/1?only=ours", "only"),
        ("/desks/1?min_tickers=0", "min_tickers"),
        ("/desks/1?clock=sundial", "clock"),
        ("/api/desks/1/stories?until=0001-01-01T00:00", "out of range"),
        ("/desks/1/stories.csv?only=x", "only"),
    ],
)
def test_bad_filters_are_refused_with_the_reason(client: TestClient, path: str, words: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 422
    assert words in answer.text


@pytest.mark.parametrize(
    "path",
    [
        "/desks/9",
        "/desks/1/stories/99",
        "/desks/9/stories/1",
        "/api/desks/1/stories/99",
        "/api/desks/9/stories",
        "/desks/9/stories.csv",
        "/desks/9/stories.atom",
    ],
)
def test_unknown_desks_and_stories_are_not_found(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_without_a_story_store_the_story_routes_say_why(sqlite_db: str) -> None:
    with build_app(sqlite_db, stories=False) as app, TestClient(app) as client:
        for path in (
            "/desks/1",
            "/desks/1/stories/4",
            "/api/desks/1/stories",
            "/desks/1/stories.json",
        ):
            answer = client.get(path)
            assert answer.status_code == 404
            assert "stories are not served by this process" in answer.text
        assert client.get("/desks").status_code == 200
        assert 'href="http://testserver/desks/1"' not in client.get("/desks").text


def test_the_desks_list_links_each_desk_page(client: TestClient) -> None:
    assert 'href="http://testserver/desks/1"' in client.get("/desks").text


def test_the_story_page_lists_every_entry_with_its_lead_and_history(client: TestClient) -> None:
    answer = client.get("/desks/1/stories/4")
    assert answer.status_code == 200, answer.text
    page = tree(answer.text)
    rows = elements(page, "//tr[contains(@class,'story-entry')]")
    assert [r.get("data-entry-id") for r in rows] == ["rivale-heizung", "haus-heizung"]
    assert "first" in (rows[0].get("class") or "").split()
    cells = [[c.text_content().strip() for c in elements(r, "td")] for r in rows]
    assert cells[0][2:6] == [
        "2019-04-25 11:50 CEST",
        "2019-04-25 11:52:00 CEST",
        "6 min ahead",
        "7 min ahead",
    ]
    assert cells[1][4:6] == ["6 min behind", "7 min behind"]
    # Entries the archive does not hold (these are hand-made) are named, not linked.
    assert strings(rows[0], ".//a[@class='title']/@href") == []
    assert "no longer in the archive" in rows[0].text_content()
    # A javascript: source never becomes a link; an http(s) one does.
    assert strings(rows[0], ".//a[@class='source']/@href") == []
    assert strings(rows[1], ".//a[@class='source']/@href") == [
        "https://haus.example.test/live#heizung"
    ]
    assert "javascript:" not in answer.text


@pytest.mark.parametrize("adapter", ["memory", "sql"])
def test_a_merged_story_redirects_to_the_story_it_went_into(sqlite_db: str, adapter: str) -> None:
    with build_app(sqlite_db, adapter=adapter, merged={3: 4}) as app, TestClient(app) as client:
        answer = client.get("/desks/1/stories/3?clock=seen", follow_redirects=False)
        assert answer.status_code == 301
        assert answer.headers["location"] == "4?clock=seen"
        assert client.get("/desks/1/stories/3").url.path == "/desks/1/stories/4"
        assert client.get("/api/desks/1/stories/3").json()["id"] == 4


def test_story_text_is_escaped_everywhere(client: TestClient) -> None:
    for path in ("/desks/1?only=theirs", "/desks/1/stories/3"):
        page = client.get(path).text
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "script-src 'self'" in client.get("/desks/1").headers["content-security-policy"]


def test_the_api_gives_a_story_with_both_clocks(client: TestClient) -> None:
    story = client.get("/api/desks/1/stories/4").json()
    assert (story["id"], story["desk_id"], story["tickers"]) == (4, 1, [HAUS, RIVALE])
    assert (story["first_by_printed"], story["first_by_seen"]) == (RIVALE, RIVALE)
    assert story["lead_minutes"] == {"printed": 6.0, "seen": 7.0}
    assert story["title"] == "Bundestag beschließt Heizungsgesetz nach langer Debatte"
    assert [(e["entry_id"], e["own"], e["lead_minutes"]) for e in story["entries"]] == [
        ("rivale-heizung", False, {"printed": 6.0, "seen": 7.0}),
        ("haus-heizung", True, {"printed": -6.0, "seen": -7.0}),
    ]
    assert [e["link"] for e in story["entries"]] == [None, "https://haus.example.test/live#heizung"]
    assert story["links"]["html"] == "http://testserver/desks/1/stories/4"
    assert [t["ticker_id"] for t in story["leads"]["seen"]] == [RIVALE, HAUS]
    record = client.get("/api/desks/1/record?clock=seen").json()
    assert [(r["ticker"], r["first"], r["missed"]) for r in record] == [
        ("Haus", 1, 0),
        ("Rivale", 1, 1),
        ("Andere", 0, 1),
    ]


def test_the_exports_hold_every_entry_of_the_filtered_stories(client: TestClient) -> None:
    answer = client.get("/desks/1/stories.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["story_id"], r["entry_id"]) for r in rows] == [
        ("4", "rivale-heizung"),
        ("4", "haus-heizung"),
        ("1", "haus-peking"),
        ("1", "andere-peking"),
    ]
    assert (rows[0]["first_by_printed"], rows[0]["story_lead_printed_minutes"]) == ("2", "6.0")
    assert (rows[1]["own"], rows[1]["lead_seen_minutes"]) == ("True", "-7.0")
    exported = json.loads(client.get("/desks/1/stories.json").content)
    assert [list(r) for r in exported] == [list(r) for r in rows]  # the same columns
    assert [r["entry_id"] for r in exported] == [r["entry_id"] for r in rows]
    assert (exported[1]["own"], exported[1]["lead_seen_minutes"]) == (True, -7.0)
    assert exported[0]["ticker"] == "Rivale"
    assert exported[0]["link"] is None
    theirs = json.loads(client.get("/desks/1/stories.json?only=theirs").content)
    assert [r["entry_id"] for r in theirs] == ["rivale-erdbeben"]
    assert json.loads(client.get("/desks/1/stories.json?min_tickers=3").content) == []


def test_the_feed_is_atom_of_shared_stories_saying_who_was_first(client: TestClient) -> None:
    answer = client.get("/desks/1/stories.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(answer.content)
    assert feed.tag == f"{A}feed"
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == [
        "Bundestag beschließt Heizungsgesetz nach langer Debatte — first: Rivale by 6 min",
        "Kanzler Scholz reist nach Peking zu Gesprächen mit Xi Jinping — first: Haus by 11 min",
    ]
    assert [e.findtext(f"{A}id") for e in entries] == [
        "http://testserver/desks/1/stories/4",
        "http://testserver/desks/1/stories/1",
    ]
    assert entries[0].findtext(f"{A}updated") == "2019-04-25T09:59:00+00:00"
    assert "Rivale, 6 min before Haus" in (entries[0].findtext(f"{A}content") or "")
    assert feed.findtext(f"{A}updated") == "2019-04-25T09:59:00+00:00"


@pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING)
def test_a_browser_sees_which_ticker_was_first(sqlite_db: str) -> None:
    with build_app(sqlite_db, adapter="sql") as app:
        browse_the_desk(LiveServer(app))


def browse_the_desk(server: LiveServer) -> None:
    """From the desk list to the desk page: who was first, in the picture's accessible
    name and in the highlighted lane; then what a competitor has alone; then a story."""
    try:
        with chromium() as browser, berlin_page(browser) as page:
            page.goto(f"{server.url}/desks")
            page.click("td.name >> text=Politik")
            page.wait_for_url(f"{server.url}/desks/1")
            story = page.locator("li.story[data-story-id='4']")
            expect(story.locator("figcaption")).to_contain_text(
                "First by printed time: Rivale, 6 min before Haus."
            )
            picture = story.get_by_role("img")
            expect(picture).to_have_accessible_name(
                "First by printed time: Rivale, 6 min before Haus. First seen: Rivale, "
                "7 min before Haus. Not reported by Andere."
            )
            first = story.locator("g.lane.first")
            expect(first).to_have_count(1)
            expect(first).to_have_attribute("data-ticker-id", str(RIVALE))
            expect(first.locator("text.name")).to_have_text("Rivale")
            expect(first.locator("text.note")).to_have_text("first by 6 min")
            # The highlight is drawn: the first lane's band is filled unlike the others.
            fill = "e => getComputedStyle(e).fill"
            highlighted = first.locator("rect.band").evaluate(fill)
            plain = story.locator("g.lane.absent rect.band").evaluate(fill)
            own = story.locator("g.lane.own rect.band").evaluate(fill)
            assert len({highlighted, plain, own}) == 3, (highlighted, plain, own)

            page.select_option("select[name=only]", "theirs")
            page.click("form.story-filters button[type=submit]")
            page.wait_for_url("**only=theirs**")
            expect(page.locator("li.story")).to_have_count(1)
            expect(page.locator("li.story figcaption")).to_have_text(
                "Only Rivale has this story. We don't have it."
            )

            page.goto(f"{server.url}/desks/1")
            page.click("li.story[data-story-id='4'] h3 a")
            page.wait_for_url(f"{server.url}/desks/1/stories/4")
            first_row = page.locator("tr.story-entry.first")
            expect(first_row).to_have_attribute("data-ticker-id", str(RIVALE))
            expect(first_row.locator("td").nth(4)).to_have_text("6 min ahead")
    finally:
        server.close()


def test_a_story_entry_links_its_history_of_revisions(seeded_db: str) -> None:
    """A story over a real archived entry (the seed case's ticker 1) and another
    ticker's report of it: the story page links the entry's history, with its count
    of revisions, and that page is there."""
    store = SqlStore(create_engine_for(seeded_db))
    archive = SqlArchive(create_engine_for(seeded_db))
    desks = SqlDeskStore(create_engine_for(seeded_db))
    stories = SqlStoryStore(create_engine_for(seeded_db))
    try:
        other = store.add(
            NewTicker("https://other.example.test/live", "Other"), created_at=FIXED_NOW
        )
        histories = [store.entry_history(i) for i in archive.entry_ids(TickerId(1))]
        history = max(histories, key=lambda h: len(h.revisions))
        version = history.revisions[-1].version
        desk = desks.add(
            NewDesk("Kim", members=(DeskMember(TickerId(1), own=True), DeskMember(other.id))),
            created_at=FIXED_NOW,
        )
        seen = history.first_seen
        file_stories(
            stories,
            desk.id,
            (
                StoryEntry(1, history.entry_id, version.headline or "", version.text, seen),
                StoryEntry(
                    other.id,
                    "other-1",
                    version.headline or "",
                    version.text,
                    seen + timedelta(minutes=4),
                ),
            ),
        )
        (story,) = stories.recent(desk.id)
        app = create_app(
            store,
            config_for(),
            archive=archive,
            clock=lambda: FIXED_NOW,
            desks=desks,
            stories=stories,
        )
        with TestClient(app) as client:
            page = tree(client.get(f"/desks/{desk.id}/stories/{story.id}").text)
            row = elements(page, f"//tr[@data-entry-id='{history.entry_id}']")[0]
            (href,) = strings(row, ".//a[@class='title']/@href")
            count = len(history.revisions)
            assert f"{count} revision{'s' if count != 1 else ''}" in row.text_content()
            assert "first" in (row.get("class") or "").split()
            entry_page = client.get(href)
            assert entry_page.status_code == 200
            shown = tree(entry_page.text).text_content()
            assert store.get(TickerId(1)).name in shown
            assert " ".join(version.text.split()[:6]) in " ".join(shown.split())
    finally:
        stories.close()
        desks.close()
        archive.close()
        store.close()
