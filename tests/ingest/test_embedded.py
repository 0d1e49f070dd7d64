"""Updates read from embedded application state: Next.js, Nuxt, Apollo, Redux."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.layouts import embedded
from ingest.layouts.base import PageInput, Reading
from ingest.model import PageMeta, ParsedPage, TimeSource
from ingest.parse import parse_page
from ingest.scriptjson import script_json

NOW = datetime(2026, 4, 23, 16, 0, tzinfo=UTC)
FIRST = datetime(2026, 4, 23, 6, 0, tzinfo=UTC)
URL = "https://news.example.test/live/summit"


def _time(i: int) -> datetime:
    return FIRST + timedelta(minutes=15 * i)


def _sentence(i: int) -> str:
    return f"Update number {i}: the delegations met again and issued statement {i}."


def _page(state_script: str, dom_updates: int = 5, total: int = 30) -> bytes:
    """A framework page: the DOM renders the newest ``dom_updates`` of ``total``."""
    newest = list(range(total - 1, total - 1 - dom_updates, -1))
    articles = "".join(
        f'<article class="post"><time datetime="{_time(i).isoformat()}">'
        f"{_time(i):%H:%M}</time><h2>Headline {i}</h2><p>{_sentence(i)}</p></article>"
        for i in newest
    )
    return (
        f'<html lang="en"><head><title>Summit live</title></head><body><h1>Summit live</h1>'
        f'<main id="__next">{articles}</main>{state_script}</body></html>'
    ).encode()


def _parse(body: bytes) -> ParsedPage:
    return parse_page(body, url=URL, observed_at=NOW, content_type="text/html")


def _newest_first(total: int = 30) -> range:
    return range(total - 1, -1, -1)


def _next_data(total: int = 30) -> str:
    posts = [
        {
            "id": f"post-{i}",
            "title": f"Headline {i}",
            "publishedAt": _time(i).isoformat().replace("+00:00", "Z"),
            "body": [
                {"type": "paragraph", "children": [{"text": _sentence(i)}]},
                {"type": "paragraph", "children": [{"text": "Second "}, {"text": "paragraph."}]},
            ],
        }
        for i in _newest_first(total)
    ]
    data = {
        "props": {"pageProps": {"liveblog": {"title": "Summit", "posts": posts}}},
        "page": "/live/[slug]",
        "buildId": "abc",
    }
    return f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'


def test_next_data_holds_every_update_the_dom_renders_five_of() -> None:
    page = _parse(_page(_next_data()))
    assert page.layout == "embedded"
    assert len(page.entries) == 30
    first = page.entries[0]
    assert first.native_id == "post-29"
    assert first.headline == "Headline 29"
    assert first.text == f"{_sentence(29)}\n\nSecond paragraph."
    assert first.time == _time(29)
    assert first.time_source is TimeSource.MACHINE
    assert [e.time for e in page.entries] == [_time(i) for i in _newest_first()]


def test_the_richer_source_is_read_on_every_poll() -> None:
    """A new update appears: the next poll reads the same source, with one more entry."""
    before = _parse(_page(_next_data(30)))
    after = _parse(_page(_next_data(31), total=31))
    assert (before.layout, after.layout) == ("embedded", "embedded")
    assert [e.native_id for e in after.entries[1:]] == [e.native_id for e in before.entries]


def test_nuxt_state_with_html_bodies() -> None:
    posts = [
        {
            "uuid": f"u{i}",
            "created_at": _time(i).isoformat(),
            "content": f"<p>{_sentence(i)}</p><p>It&#39;s <b>late</b>.</p>",
        }
        for i in range(12)  # oldest first
    ]
    script = f"<script>window.__NUXT__ = {json.dumps({'data': [{'feed': posts}]})};</script>"
    page = _parse(_page(script, dom_updates=3, total=12))
    assert page.layout == "embedded"
    assert len(page.entries) == 12
    assert page.entries[0].text == f"{_sentence(0)}\n\nIt's late."
    assert "<b>late</b>" in page.entries[0].html
    assert page.entries[0].native_id == "u0"


def test_apollo_normalized_cache() -> None:
    cache: dict[str, Any] = {
        f"LiveUpdate:{i}": {
            "__typename": "LiveUpdate",
            "id": str(i),
            "timestamp": int(_time(i).timestamp() * 1000),
            "headline": f"Headline {i}",
            "bodyHtml": f"<p>{_sentence(i)}</p>",
        }
        for i in _newest_first(20)
    }
    cache["Author:1"] = {"__typename": "Author", "name": "A. Writer"}
    cache["ROOT_QUERY"] = {"liveUpdates": [{"__ref": f"LiveUpdate:{i}"} for i in range(20)]}
    script = f"<script>window.__APOLLO_STATE__={json.dumps(cache)}</script>"
    page = _parse(_page(script, total=20))
    assert page.layout == "embedded"
    assert [e.native_id for e in page.entries] == [str(i) for i in _newest_first(20)]
    assert page.entries[-1].time == _time(0)


def _contentful(*paragraphs: str) -> dict[str, Any]:
    return {
        "nodeType": "document",
        "content": [
            {
                "nodeType": "paragraph",
                "content": [{"nodeType": "text", "value": half} for half in (p[:9], p[9:])],
            }
            for p in paragraphs
        ],
    }


def test_redux_state_inside_json_parse() -> None:
    state = {
        "ticker": {
            "entries": [
                {
                    "key": f"e{i}",
                    "createdAt": int(_time(i).timestamp()),
                    "content": {"json": _contentful(_sentence(i), "More to follow.")},
                    "isPinned": False,
                }
                for i in _newest_first(8)
            ]
        }
    }
    literal = json.dumps(json.dumps(state))
    script = f'<script type="text/javascript">window.__PRELOADED_STATE__ = JSON.parse({literal});</script>'
    page = _parse(_page(script, total=8))
    assert page.layout == "embedded"
    assert [e.text for e in page.entries] == [
        f"{_sentence(i)}\n\nMore to follow." for i in _newest_first(8)
    ]


def _reading_of(html: str) -> Reading | None:
    page = PageInput(URL, html, lxml.html.fromstring(html), NOW, ZoneInfo("UTC"), PageMeta(), ())
    return embedded.read(page)


def test_nav_and_product_lists_are_not_tickers() -> None:
    nav = [
        {"title": "Home", "url": "/", "date": "2026-04-20T10:00:00Z"},
        {"title": "World", "url": "/world", "date": "2026-04-21T10:00:00Z"},
    ]
    products = [
        {
            "name": f"Running shoe {i}",
            "description": "A light shoe for running in every kind of weather.",
            "price": 99.5 + i,
            "sku": f"S{i}",
            "createdAt": _time(i).isoformat(),
        }
        for i in range(10)
    ]
    short = [{"title": f"Link {i}", "text": "More", "date": _time(i).isoformat()} for i in range(9)]
    state = {"nav": nav, "products": products, "links": short}
    html = f"<html><body><p>Shop</p><script>window.__INITIAL_STATE__={json.dumps(state)};</script></body></html>"
    assert _reading_of(html) is None


def test_unsorted_lists_are_not_tickers() -> None:
    """Search results and recommendations carry times, but not in time order."""
    order = [5, 1, 8, 0, 6, 2, 9, 3, 7, 4]
    items = [{"date": _time(i).isoformat(), "summary": _sentence(i)} for i in order]
    html = f'<html><body><script type="application/json">{json.dumps({"results": items})}</script></body></html>'
    assert _reading_of(html) is None


def test_javascript_that_is_not_json_is_skipped() -> None:
    script = (
        "<script>window.__NUXT__=(function(a,b){return {posts:[{date:a,text:b}]}}(1,2));</script>"
    )
    assert list(script_json(script)) == []
    page = _parse(_page(script))
    assert page.layout != "embedded"
    assert len(page.entries) == 5


def test_hostile_nesting_raises_nothing() -> None:
    deep = '{"a":' * 5000 + '"x"' + "}" * 5000
    html = (
        f'<script type="application/json">{deep}</script>'
        f"<script>window.__APOLLO_STATE__ = {'[' * 5000}{']' * 5000};</script>"
    )
    page = _parse(_page(html))
    assert len(page.entries) == 5
    assert page.layout != "embedded"


def test_updates_below_the_depth_limit_are_not_followed() -> None:
    updates = [{"date": _time(i).isoformat(), "text": _sentence(i)} for i in range(10)]
    nested: Any = {"posts": updates}
    for _ in range(embedded.MAX_DEPTH + 5):
        nested = {"child": nested}
    html = (
        f'<html><body><script type="application/json">{json.dumps(nested)}</script></body></html>'
    )
    assert _reading_of(html) is None
    shallow = f'<html><body><script type="application/json">{json.dumps({"posts": updates})}</script></body></html>'
    reading = _reading_of(shallow)
    assert reading is not None
    assert len(reading.entries) == 10


def test_broken_scripts_raise_nothing() -> None:
    broken = [
        "<script>window.__NUXT__ = {",
        '<script type="application/json">{"date": "2020-05-30T10:00:00Z", </script>',
        "<script>window.initialState = JSON.parse('{\"date\": 1}');</script>",
        '<script>window.__APOLLO_STATE__ = JSON.parse("not json");</script>',
        "<SCRIPT>window.__DATA__ = [1, 2, 3]</SCRIPT>",
    ]
    for html in broken:
        assert all(isinstance(v, dict | list) for v in script_json(html))
    assert list(script_json(broken[-1])) == [[1, 2, 3]]


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["2020-05-30T10:00:00Z", "<p>A body long enough to be one.</p>", ""]),
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(
            st.sampled_from(["id", "date", "text", "title", "body", "Post:1", "Post:2", "price"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_any_json_state_reads_to_a_reading_or_nothing(state: Any) -> None:
    html = f'<html><body><script type="application/json">{json.dumps(state)}</script></body></html>'
    reading = _reading_of(html)
    assert reading is None or len(reading.entries) >= embedded.MIN_UPDATES
