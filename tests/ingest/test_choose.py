"""``choose``: which of several readings of one page is the ticker."""

from datetime import UTC, datetime, timedelta

from ingest.choosing import choose
from ingest.dating import Stamp
from ingest.layouts.base import RawEntry, Reading
from ingest.parse import parse_page
from tests.ingest.layoutgen import Variant

T = datetime(2026, 4, 23, 12, 0, tzinfo=UTC)


def reading(layout: str, count: int, *, timed: int | None = None, rank: int = 0) -> Reading:
    timed = count if timed is None else timed
    return Reading(
        layout=layout,
        entries=tuple(
            RawEntry(
                text=f"entry {i}",
                stamp=Stamp(machine=T + timedelta(minutes=i)) if i < timed else Stamp(),
            )
            for i in range(count)
        ),
        rank=rank,
    )


def test_more_timed_entries_win_among_rendered_readings() -> None:
    best, _ = choose([reading("paragraphs", 10, rank=10), reading("blocks", 12, rank=20)])
    assert best.layout == "blocks"


def test_the_last_polls_layout_is_kept_while_it_reads_about_as_well() -> None:
    readings = [reading("paragraphs", 19, rank=10), reading("blocks", 20, rank=20)]
    assert choose(readings)[0].layout == "blocks"
    best, why = choose(readings, previous_layout="paragraphs")
    assert best.layout == "paragraphs"
    assert "kept" in why[0]
    assert (
        choose([reading("paragraphs", 10), reading("blocks", 20)], "paragraphs")[0].layout
        == "blocks"
    )


def test_app_state_holding_more_than_the_page_renders_wins() -> None:
    best, why = choose([reading("embedded", 30, rank=29), reading("blocks", 5, rank=20)])
    assert best.layout == "embedded"
    assert "richer" in why[0]


def test_json_ld_holding_a_whole_archive_loses_to_the_page() -> None:
    best, _ = choose([reading("jsonld", 428, rank=30), reading("blocks", 30, rank=20)])
    assert best.layout == "blocks"


def test_selectors_win_outright() -> None:
    best, _ = choose([reading("selectors", 3, rank=200), reading("jsonld", 30, rank=30)])
    assert best.layout == "selectors"


def test_a_copy_in_a_flat_reading_does_not_outrank_the_blocks_with_ids() -> None:
    # Time-led paragraphs read a pinned copy above the stream as one more entry, with
    # the page's <h1> for a headline; the block reading shows each entry once, with ids.
    def entry(i: int, headline: str | None = None, native_id: str | None = None) -> RawEntry:
        at = Stamp(machine=T + timedelta(minutes=i))
        return RawEntry(text=f"entry {i}", headline=headline, stamp=at, native_id=native_id)

    flat = Reading(
        layout="paragraphs",
        entries=(entry(2, headline="Page title"), *(entry(i) for i in range(7))),
        rank=10,
    )
    blocks = Reading(
        layout="blocks", entries=tuple(entry(i, native_id=f"b{i}") for i in range(7)), rank=20
    )
    assert choose([flat, blocks])[0].layout == "blocks"
    # A flat reading with a real eighth entry still wins on count.
    more = Reading(layout="paragraphs", entries=tuple(entry(i) for i in range(8)), rank=10)
    assert choose([more, blocks])[0].layout == "paragraphs"


def test_a_pinned_copy_above_the_stream_leaves_every_entry_its_block_id() -> None:
    variant = Variant("pinned-copy", "en", 6, winter=True)
    url, html, expected = variant.build()
    page = parse_page(
        html.encode(), url=url, observed_at=variant.observed, content_type="text/html"
    )
    assert page.layout == "blocks"
    assert [e.native_id for e in page.entries] == [f"u-{n}" for n in range(len(expected))]
