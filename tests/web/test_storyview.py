"""The desk page's view of a story, pure: the timeline's geometry, the words that say
who was first, the entry rows' leads and the source links it allows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from stories import Basis, Story, StoryEntry
from web.storyview import (
    TRACK_END,
    TRACK_START,
    TickerSide,
    entry_rows,
    lead_text,
    minutes_text,
    safe_source,
    story_view,
)

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SIDES = {1: TickerSide("Haus", own=True), 2: TickerSide("Rivale"), 3: TickerSide("Andere")}


def entry(ticker: int, name: str, printed: int | None, seen: int) -> StoryEntry:
    return StoryEntry(
        ticker,
        name,
        f"Meldung {name}",
        "Text",
        first_seen=T0 + timedelta(minutes=seen),
        printed=None if printed is None else T0 + timedelta(minutes=printed),
    )


def test_marks_span_the_story_on_the_printed_clock_with_first_seen_apart() -> None:
    story = Story(7, (entry(2, "r", 0, 2), entry(1, "h", 10, 10), entry(1, "h2", None, 20)))
    view = story_view(story, SIDES, BERLIN)
    haus, rivale, andere = view.lanes
    assert [m.x for m in rivale.marks] == [TRACK_START]
    assert rivale.marks[0].seen_x == TRACK_START + (TRACK_END - TRACK_START) * 2 / 20
    assert rivale.marks[0].seen_apart
    assert [m.x for m in haus.marks] == [TRACK_START + 200, TRACK_END]  # no printed time: seen
    assert not haus.marks[1].seen_apart
    assert (rivale.first, rivale.note, haus.note) == (True, "first by 10 min", "10 min later")
    assert (andere.marks, andere.note, andere.first) == ((), "", False)
    assert "printed no time printed" not in haus.marks[1].tip
    assert "no time printed" in haus.marks[1].tip
    assert view.summary == (
        "First by printed time: Rivale, 10 min before Haus. First seen: Rivale, 8 min "
        "before Haus. Not reported by Andere."
    )


def test_a_story_at_one_instant_sits_in_the_middle_and_ties_are_said() -> None:
    story = Story(1, (entry(1, "h", 5, 5), entry(3, "a", 5, 5)))
    view = story_view(story, SIDES, BERLIN)
    assert {m.x for lane in view.lanes for m in lane.marks} == {(TRACK_START + TRACK_END) / 2}
    assert view.summary == "First by printed time: Haus, tied with Andere. Not reported by Rivale."
    assert view.lanes[0].note == "first (tied)"
    assert view.lanes[2].note == "same time"


def test_one_ticker_alone_and_whether_we_have_it() -> None:
    theirs = story_view(Story(2, (entry(2, "r", 0, 1),)), SIDES, BERLIN)
    assert (theirs.single, theirs.theirs) == (True, True)
    assert theirs.summary == "Only Rivale has this story. We don't have it."
    assert not any(lane.first for lane in theirs.lanes)
    ours = story_view(Story(3, (entry(1, "h", 0, 1),)), SIDES, BERLIN)
    assert (ours.theirs, ours.summary) == (False, "Only Haus has this story.")
    no_own = {2: TickerSide("Rivale"), 3: TickerSide("Andere")}
    assert story_view(Story(2, (entry(2, "r", 0, 1),)), no_own, BERLIN).theirs is False


def test_a_ticker_that_left_the_desk_keeps_its_lane_in_its_stories() -> None:
    view = story_view(Story(4, (entry(1, "h", 0, 0), entry(9, "x", 3, 3))), SIDES, BERLIN)
    assert [lane.ticker_id for lane in view.lanes] == [1, 2, 3, 9]
    assert (view.lanes[3].side.name, view.lanes[3].side.on_desk) == ("ticker 9", False)


def test_the_seen_clock_can_name_another_first() -> None:
    # Rivale printed first but backdated: Haus's entry was seen first.
    story = Story(5, (entry(2, "r", 0, 30), entry(1, "h", 10, 11)))
    view = story_view(story, SIDES, BERLIN, basis=Basis.SEEN)
    assert [lane.ticker_id for lane in view.lanes if lane.first] == [1]
    assert view.summary.startswith("First by seen time: Haus, 19 min before Rivale. ")
    assert "First printed: Rivale, 10 min before Haus." in view.summary
    rows = entry_rows(story, SIDES, basis=Basis.SEEN)
    assert [(r.entry.entry_id, r.first, r.lead_printed, r.lead_seen) for r in rows] == [
        ("r", False, 10.0, -19.0),
        ("h", True, -10.0, 19.0),
    ]


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("https://www.example.test/live#e1", True),
        ("http://example.test/a?b=c", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.test/x", False),
        ("/relative", False),
        ("https://", False),
        ("http://[::1", False),
        (None, False),
        ("", False),
    ],
)
def test_only_absolute_http_links_are_sources(link: str | None, kept: bool) -> None:
    assert (safe_source(link) is not None) is kept


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.4, "under a minute"), (6.0, "6 min"), (119.4, "119 min"), (125, "2 h 5 min"), (180, "3 h")],
)
def test_minutes_for_people(value: float, text: str) -> None:
    assert minutes_text(value) == text


def test_leads_for_people() -> None:
    assert [lead_text(v) for v in (None, 0, 6.2, -3)] == [
        "—",
        "same time",
        "6 min ahead",
        "3 min behind",
    ]
