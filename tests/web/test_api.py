"""The JSON API and the pages, through FastAPI's TestClient, over the replayed seed case
in a real SQLite database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from storage import SqlStore, TickerId, create_engine_for
from tests.web.conftest import TestClient
from tests.web.html import elements, strings, tree

BERLIN = ZoneInfo("Europe/Berlin")
AT_1430 = datetime(2019, 4, 24, 14, 30, tzinfo=BERLIN)
SEED_URL = "https://www.beispiel-zeitung.test/politik/kim-jong-un-putin-gipfel-russland-live-ticker-zr-12345.html"


def panne_id(client: TestClient) -> str:
    hits = client.get("/api/search", params={"q": '"Kleine Panne"'}).json()["items"]
    (hit,) = hits
    return str(hit["entry_id"])


def ids_on(page: str, attribute: str) -> list[str]:
    return [str(e.get(attribute)) for e in elements(tree(page), f"//*[@{attribute}]")]


def test_tickers_with_their_status(client: TestClient) -> None:
    (ticker,) = client.get("/api/tickers").json()
    assert ticker["url"] == SEED_URL
    assert ticker["entries"] == 6
    assert ticker["last_outcome"] == "fresh"
    assert ticker["error_streak"] == 0
    # "Today" is 25 April in Berlin (the app's clock): the three changes of 06:40.
    assert ticker["changes_today"] == 3
    assert ticker["links"]["timemap"].endswith("/tickers/1/timemap")
    page = client.get("/")
    assert page.status_code == 200
    assert ids_on(page.text, "data-ticker-id") == ["1"]
    assert client.get("/api/tickers/1").json() == ticker


def test_the_timeline_pages_newest_first(
    make_client: Callable[..., TestClient], seeded_db: str
) -> None:
    client = make_client(seeded_db, page_size=5)
    every = [
        c["id"] for c in client.get("/api/tickers/1/changes", params={"limit": 500}).json()["items"]
    ]
    assert len(every) == 15
    shown: list[str] = []
    for number in (1, 2, 3):
        page = client.get("/tickers/1", params={"page": number})
        assert page.status_code == 200
        rows = ids_on(page.text, "data-change-id")
        assert len(rows) == 5
        shown += rows
        assert ('rel="next"' in page.text) == (number < 3)
    assert shown == [str(i) for i in every]
    assert ids_on(client.get("/tickers/1", params={"page": 4}).text, "data-change-id") == []


def test_the_api_pages_with_next_links(client: TestClient) -> None:
    seen: list[dict[str, object]] = []
    url: str | None = "/api/tickers/1/changes?limit=4"
    pages = 0
    while url:
        response = client.get(url)
        body = response.json()
        seen += body["items"]
        url = body["next"]
        pages += 1
        assert (response.headers.get("link") is not None) == (url is not None)
        if url:
            assert response.headers["link"] == f'<{url}>; rel="next"'
    assert pages == 4
    assert len({c["id"] for c in seen}) == 15
    observed = [str(c["observed_at"]) for c in seen]
    assert observed == sorted(observed, reverse=True)
    first = seen[-1]
    assert set(first) >= {
        "snapshot",
        "kind",
        "changed",
        "entry_id",
        "title",
        "text",
        "time",
        "previous",
        "similarity",
    }
    assert first["kind"] == "added"


def test_filters_by_kind_and_time_range(client: TestClient) -> None:
    def count(**params: object) -> int:
        return len(
            client.get("/api/tickers/1/changes", params={"limit": 100, **params}).json()["items"]
        )

    assert count(kind="retitled") == 3
    assert count(kind="retitled,edited") == 5
    assert count(kind=["added", "page_retitled"]) == 10
    # 24 April, Berlin time (the offset-free form is read in the configured zone).
    assert count(since="2019-04-24T00:00", until="2019-04-25T00:00") == 8
    assert count(since="2019-04-23T22:00:00Z", until="2019-04-24T22:00:00Z") == 8
    page = client.get("/tickers/1", params={"kind": "edited", "since": "2019-04-24T00:00"})
    assert len(ids_on(page.text, "data-change-id")) == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "exploded"}, "unknown kind 'exploded'"),
        ({"since": "yesterday"}, "not a date and time"),
    ],
)
def test_bad_filters_are_refused_with_the_reason(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    api = client.get("/api/tickers/1/changes", params=params)
    assert api.status_code == 422
    assert message in api.json()["detail"]
    page = client.get("/tickers/1", params=params)
    assert page.status_code == 422
    assert message in tree(page.text).text_content()


def test_entry_history(client: TestClient) -> None:
    entry = client.get(f"/api/entries/{panne_id(client)}").json()
    assert [c["kind"] for c in entry["changes"]] == ["added", "edited", "retitled"]
    assert len(entry["revisions"]) == 3
    assert entry["revisions"][-1]["version"]["title"].startswith("Kim-Panne vor Putin-Besuch")
    assert entry["revisions"][-1]["version"]["time_label"] == "14.01 Uhr"
    assert entry["changes"][1]["word_ops"]


def test_entry_page_marks_the_headline_change(client: TestClient) -> None:
    page = client.get(f"/entries/{panne_id(client)}")
    assert page.status_code == 200
    root = tree(page.text)
    changes = elements(root, "//article[contains(@class, 'change')]")
    assert [(c.get("class") or "").split()[-1] for c in changes] == [
        "kind-retitled",
        "kind-edited",
        "kind-added",
    ]
    inserted = elements(changes[0], ".//p[contains(@class, 'headline-diff')]//ins")
    assert inserted
    assert inserted[0].text_content().startswith("Kim-Panne vor Putin-Besuch:")
    edit = elements(changes[1], ".//p[contains(@class, 'text-diff')]")[0]
    assert elements(edit, ".//ins") or elements(edit, ".//del")
    # Older/newer buttons step through the entry's changes.
    newest, _middle, oldest = (c.get("data-change-id") for c in changes)
    assert strings(changes[1], ".//a[@class='older']/@href")[0].endswith(f"#change-{oldest}")
    assert strings(changes[1], ".//a[@class='newer']/@href")[0].endswith(f"#change-{newest}")
    headlines = elements(root, "//section[@class='headlines']//li")
    assert len(headlines) == 2


def test_as_it_stood_at(client: TestClient, seeded_db: str) -> None:
    store = SqlStore(create_engine_for(seeded_db))
    try:
        expected = [e.entry_id for e in store.ticker_as_of(TickerId(1), AT_1430).entries]
    finally:
        store.close()
    assert len(expected) == 5
    page = client.get("/tickers/1/as-of", params={"at": "2019-04-24T14:30"})
    assert ids_on(page.text, "data-entry-id") == expected
    view = client.get("/api/tickers/1/as-of", params={"at": "2019-04-24T14:30:00+02:00"}).json()
    assert [e["entry_id"] for e in view["entries"]] == expected
    assert view["observed_at"] == "2019-04-24T12:06:00Z"
    raw = client.get(view["raw"])
    assert raw.status_code == 200
    assert b"Kleine Panne" in raw.content
    # The slider runs over the fresh pages: the sixth is 0006.html (14:06).
    by_slider = client.get("/tickers/1/as-of", params={"snapshot": 5})
    assert ids_on(by_slider.text, "data-entry-id") == expected
    (frame,) = elements(tree(page.text), "//iframe")
    assert frame.get("sandbox") == ""
    assert frame.get("src") == view["raw"]


def test_before_the_first_poll_nothing_stood(client: TestClient) -> None:
    view = client.get("/api/tickers/1/as-of", params={"at": "2019-01-01T00:00Z"}).json()
    assert view["entries"] == []
    assert view["snapshot_id"] is None
    assert view["raw"] is None
    assert "No fresh page" in client.get("/tickers/1/as-of", params={"at": "2019-01-01T00:00"}).text


def test_search_pages_and_api(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Wladiwostok", "limit": 4}).json()
    assert body["total"] == 6
    assert len(body["items"]) == 4
    assert body["next"]
    rest = client.get(body["next"]).json()
    assert len(rest["items"]) == 2
    assert rest["next"] is None
    page = client.get("/search", params={"q": "Panne"})
    assert page.status_code == 200
    assert "<mark>Panne</mark>" in page.text
    assert ids_on(page.text, "data-entry-id") == [panne_id(client)]
    refused = client.get("/search", params={"q": "-Trump"})
    assert refused.status_code == 422
    assert "leave out" in refused.text
    assert client.get("/api/search", params={"q": "-Trump"}).status_code == 422


@pytest.mark.parametrize("kind", ["entries", "revisions", "events"])
def test_exports_as_json_and_csv(client: TestClient, kind: str) -> None:
    expected = {"entries": 6, "revisions": 11, "events": 15}[kind]
    rows = client.get(f"/api/tickers/1/export/{kind}.json").json()
    assert len(rows) == expected
    csv = client.get(f"/api/tickers/1/export/{kind}.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert 'filename="ticker-1-' in csv.headers["content-disposition"]
    lines = csv.text.splitlines()
    assert lines[0].split(",")[0] in ("entry_id", "revision_id", "event_id")
    import csv as csv_module

    assert len(list(csv_module.DictReader(lines))) == expected


def test_atom_feeds(client: TestClient) -> None:
    for path in ("/tickers/1/feed.atom", "/feed.atom"):
        response = client.get(path)
        assert response.headers["content-type"].startswith("application/atom+xml")
        feed = ElementTree.fromstring(response.content)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entries = feed.findall("a:entry", ns)
        assert len(entries) == 15
        titles = [e.findtext("a:title", namespaces=ns) or "" for e in entries]
        assert any("retitled" in t and "Kim-Panne" in t for t in titles)
        assert feed.findtext("a:updated", namespaces=ns) == "2019-04-25T04:40:00+00:00"


def test_healthz(client: TestClient, make_client: Callable[..., TestClient]) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    down = make_client("postgresql://nobody@127.0.0.1:9/none")
    response = down.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_not_found_as_json_and_as_page(client: TestClient) -> None:
    assert client.get("/api/tickers/99").status_code == 404
    assert client.get("/api/tickers/99").json()["detail"] == "no ticker 99"
    page = client.get("/entries/nope")
    assert page.status_code == 404
    assert "no entry nope" in page.text
    assert client.get("/tickers/1/polls/999/raw").status_code == 404


def test_the_openapi_document_describes_the_api(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/tickers",
        "/api/tickers/{ticker_id}",
        "/api/tickers/{ticker_id}/changes",
        "/api/entries/{entry_id}",
        "/api/tickers/{ticker_id}/as-of",
        "/api/search",
        "/api/tickers/{ticker_id}/export/{kind}.{fmt}",
        "/api/tickers/{ticker_id}/export.warc.gz",
        "/tickers/{ticker_id}/timegate",
        "/tickers/{ticker_id}/timemap",
        "/tickers/{ticker_id}/feed.atom",
        "/healthz",
    ):
        assert path in paths, path
    assert "/tickers/{ticker_id}" not in paths  # pages are not API
    assert set(paths["/api/tickers"]) == {"get", "post"}
    change = document["components"]["schemas"]["ChangeOut"]["properties"]
    assert {"snapshot", "kind", "changed", "entry_id", "previous", "similarity"} <= set(change)


def test_polls_page_links_every_raw_page(client: TestClient) -> None:
    page = client.get("/tickers/1/polls")
    assert len(ids_on(page.text, "data-poll-id")) == 12
    polls = client.get("/api/tickers/1/polls", params={"limit": 5}).json()
    assert len(polls["items"]) == 5
    assert polls["next"]
    assert all(p["raw"] for p in polls["items"])
