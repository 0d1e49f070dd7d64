"""``choose``: which of several readings of one page is the ticker."""

from datetime import UTC, datetime, timedelta

from ingest.choosing import choose
from ingest.dating import Stamp
from ingest.layouts.base import RawEntry, Reading

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
