"""Fuzzing with mutated real pages: ``parse_page`` never raises, what it reads is always
storable, and the pipeline records every poll.

The pages are windows of the real corpus (``tests/data/corpus/real``) with hostile pieces
spliced in, cut, repeated and overwritten. CI runs a bounded number of examples; the
``slow`` variants run many more, and only when asked for by marker
(``pytest -m slow tests/pipeline/test_fuzz_pages.py``), so ``make test`` stays short.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffing.model import PollOutcome
from ingest.fetching.model import FetchOutcome, FetchResult, Validators
from ingest.model import ParsedPage
from ingest.parse import parse_page
from ingest.text import strip_controls
from storage import MemoryStore, NewTicker
from tests.paths import CORPUS
from tickerwatch.polling import DEFAULT_POLICY, record_fetch

NOW = datetime(2026, 4, 23, 12, 0, tzinfo=UTC)
URL = "https://www.example.org/live"
# Windows of at most this many bytes keep one example at a few milliseconds of parsing.
WINDOW = 60_000
CI_EXAMPLES = 25
SLOW_EXAMPLES = 1000

PAGES = sorted(CORPUS.rglob("*.html"))


@cache
def page_bytes(index: int) -> bytes:
    return PAGES[index].read_bytes()


def _ld(data: str) -> bytes:
    return f'<script type="application/ld+json">{data}</script>'.encode()


def _blog(update: dict[str, object]) -> bytes:
    return _ld(json.dumps({"@type": "LiveBlogPosting", "liveBlogUpdate": [update]}))


# Pieces that broke a poll once (the hardening report) or are near kin of those.
HOSTILE: tuple[bytes, ...] = (
    b"<span>" * 3000 + b"x" + b"</span>" * 3000,
    b"<div>" * 1500,
    _ld("[" * 3000 + "]" * 3000),
    _ld('{"a":' * 950 + "1" + "}" * 950),
    _blog({"@type": "BlogPosting", "articleBody": ["x"] * 3, "datePublished": {"a": 1}}),
    _blog({"headline": [[["deep"]]], "datePublished": [1, 2], "dateCreated": True}),
    _blog({"headline": "NUL\\u0000", "articleBody": "<p>a\\u0000\\ud800b</p>"}),
    _blog({"articleBody": "x", "datePublished": 10**30}),
    _ld('{"@type":"LiveBlogPosting","liveBlogUpdate":5,"headline":{"a":[]}}'),
    b"<iframe src='https://t.example/1'>tweet\x01\x00\x1f text</iframe>",
    b"<p>&#0;&#1;&#x1f;&#xd800;\x00\x0b\x0c</p>",
    b'<time datetime="\x002026-04-23T10:00Z">10:00</time>',
    b"\xff\xfe\xc3\x28\xe2\x82",
    b"<![CDATA[",
    b"<!--",
    b"<script>",
    b'<meta charset="utf-7">',
    b"<?xml version='1.0'?>",
)


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    original = page_bytes(draw(st.integers(0, len(PAGES) - 1)))
    start = draw(st.integers(0, max(0, len(original) - WINDOW)))
    page = bytearray(original[:2000] + original[start : start + WINDOW])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(page)))
        kind = draw(st.sampled_from(["hostile", "bytes", "cut", "repeat", "overwrite"]))
        if kind == "hostile":
            page[at:at] = draw(st.sampled_from(HOSTILE))
        elif kind == "bytes":
            page[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif kind == "cut":
            del page[at : at + draw(st.integers(1, 5000))]
        elif kind == "repeat":
            page[at:at] = page[at : at + draw(st.integers(1, 2000))] * draw(st.integers(2, 20))
        else:
            chunk = draw(st.binary(min_size=1, max_size=16))
            page[at : at + len(chunk)] = chunk
    return bytes(page)


def parse(body: bytes) -> ParsedPage:
    return parse_page(body, url=URL, observed_at=NOW, content_type="text/html")


def check_parse(body: bytes) -> None:
    page = parse(body)
    texts = [page.headline or "", page.teaser or ""]
    for entry in page.entries:
        texts += [entry.text, entry.headline or "", entry.html or "", entry.time_label or ""]
        texts += [entry.native_id or ""]
    for text in texts:
        assert strip_controls(text) == text, repr(text)


def check_pipeline(bodies: list[bytes]) -> None:
    store = MemoryStore()
    ticker = store.add(NewTicker(URL, "Live"), created_at=NOW)
    for n, body in enumerate(bodies):
        at = NOW + timedelta(minutes=n)
        result = FetchResult(
            outcome=FetchOutcome.OK,
            url=URL,
            final_url=URL,
            fetched_at=at,
            duration_ms=5,
            body=body,
            http_status=200,
            content_type="text/html",
            validators=Validators(etag=f'"{hashlib.sha256(body).hexdigest()[:12]}"'),
        )
        report = record_fetch(ticker, result, started_at=at, store=store, policy=DEFAULT_POLICY)
        assert isinstance(report.outcome, PollOutcome)
        assert len(store.polls(ticker.id, limit=1000)) == n + 1


# The bounded CI runs are derandomized (the same examples every run, so CI never turns red
# on a draw); the long runs (-m slow) explore anew.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # only `asked_for`, which holds no state
    ],
)
# A failing page is tens of kilobytes; its repr must not turn into the error shown.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


@pytest.fixture
def asked_for(request: pytest.FixtureRequest) -> None:
    """Skips a long fuzz run unless the marker expression names ``slow``."""
    if "slow" not in (request.config.option.markexpr or ""):
        pytest.skip("a long fuzz run: select it with -m slow")


@settings(FUZZ, max_examples=CI_EXAMPLES, derandomize=True)
@given(mutated_pages())
def test_parse_never_raises_on_mutated_real_pages(body: bytes) -> None:
    check_parse(body)


@settings(FUZZ, max_examples=CI_EXAMPLES // 3, derandomize=True)
@given(st.lists(mutated_pages(), min_size=2, max_size=4))
def test_the_pipeline_records_every_poll_of_mutated_real_pages(bodies: list[bytes]) -> None:
    check_pipeline(bodies)


@pytest.mark.slow
@pytest.mark.usefixtures("asked_for")
@settings(FUZZ, max_examples=SLOW_EXAMPLES)
@given(mutated_pages())
def test_parse_never_raises_on_many_mutated_real_pages(body: bytes) -> None:
    check_parse(body)


@pytest.mark.slow
@pytest.mark.usefixtures("asked_for")
@settings(FUZZ, max_examples=SLOW_EXAMPLES // 4)
@given(st.lists(mutated_pages(), min_size=2, max_size=4))
def test_the_pipeline_records_every_poll_of_many_mutated_real_pages(bodies: list[bytes]) -> None:
    check_pipeline(bodies)


@pytest.mark.parametrize("index", range(len(PAGES)), ids=[p.parent.name for p in PAGES])
def test_every_hostile_piece_spliced_into_every_real_page(index: int) -> None:
    original = page_bytes(index)
    middle = len(original) // 2
    body = original[:2000] + original[middle : middle + WINDOW]
    for piece in HOSTILE:
        check_parse(body[: len(body) // 2] + piece + body[len(body) // 2 :])
