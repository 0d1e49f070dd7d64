"""Generated layouts (tests/ingest/layoutgen.py): every family, shape and language reads
right, entry for entry — time, headline and text — by discovery alone."""

import pytest

from ingest.parse import parse_page
from tests.ingest.layoutgen import OBSERVED, Variant, variants

VARIANTS = variants()


def test_the_corpus_holds_at_least_thirty_variants() -> None:
    assert len(VARIANTS) >= 30


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_variant_reads_entry_for_entry(variant: Variant) -> None:
    url, html, expected = variant.build()
    page = parse_page(
        html.encode(),
        url=url,
        observed_at=variant.observed,
        content_type="text/html; charset=utf-8",
    )
    assert page.not_a_ticker is None, page.candidates
    got = [
        (
            e.time.astimezone(item.at.tzinfo).strftime("%d %H:%M") if e.time else None,
            e.headline,
            e.text,
        )
        for e, item in zip(page.entries, expected, strict=False)
    ]
    want = [(i.at.strftime("%d %H:%M"), i.headline, i.text) for i in expected]
    assert got == want
    assert len(page.entries) == len(expected)


def test_a_capped_page_keeps_the_newest_and_says_how_many_went() -> None:
    url, html, expected = Variant("li-clock-span", "de", 128).build()
    page = parse_page(
        html.encode(), url=url, observed_at=OBSERVED, content_type="text/html", max_entries=100
    )
    assert page.truncated == 28
    assert [e.text for e in page.entries] == [i.text for i in expected[:100]]
    oldest_first = Variant("article-time-iso", "en", 40, oldest_first=True)
    url, html, expected = oldest_first.build()
    page = parse_page(
        html.encode(), url=url, observed_at=OBSERVED, content_type="text/html", max_entries=10
    )
    assert page.truncated == 30
    assert [e.text for e in page.entries] == [i.text for i in expected[-10:]]


def test_discovery_explains_its_candidates() -> None:
    url, html, _ = Variant("table-rows", "en", 6).build()
    page = parse_page(html.encode(), url=url, observed_at=OBSERVED, content_type="text/html")
    chosen = [c for c in page.candidates if c.verdict == "chosen"]
    assert [c.layout for c in chosen] == ["blocks"]
    assert any(c.selector and c.selector.endswith("tbody > tr") for c in chosen)
