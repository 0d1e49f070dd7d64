"""Regular features: what a ticker files again, word for word, on another day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stories import DEFAULT_CONFIG, PlacementKind, Story, StoryEntry, restore
from stories.state import Workbench
from tests.stories.measure import place_each

DAY = datetime(2026, 3, 2, tzinfo=UTC)
GALLERY = "Fotografie: Bilder des Tages"
GUIDE = "Fotografie-Stil: Bilder gestalten nach dem Wabi-Sabi-Prinzip"


def _entry(ticker: int, entry_id: str, title: str, at: datetime) -> StoryEntry:
    return StoryEntry(ticker, entry_id, title, "", first_seen=at, printed=at)


def test_a_daily_feature_is_not_the_story_of_what_shares_its_words() -> None:
    evening = DAY + timedelta(days=1, hours=19)
    guide = _entry(1, "guide", GUIDE, evening)
    gallery = _entry(2, "gallery-2", GALLERY, evening + timedelta(minutes=30))
    # The first gallery the desk sees shares the guide's rare words: it joins.
    _, placed = place_each([guide, gallery])
    assert placed["gallery-2"] == (PlacementKind.JOINED, placed["guide"][1])
    # Its ticker filed the same gallery the evening before: a regular feature.
    yesterday = _entry(2, "gallery-1", GALLERY, evening - timedelta(hours=21))
    _, placed = place_each([yesterday, guide, gallery])
    assert placed["gallery-2"][0] is PlacementKind.OPENED


def test_an_entry_edited_keeps_its_own_words_without_recurring() -> None:
    # The same entry placed again a day later (an old entry edited, its story retired
    # from the window) is no feature of its own.
    at = DAY + timedelta(hours=8)
    first = _entry(1, "a", "Streik legt Flughafen Passau lahm", at)
    other = _entry(2, "b", "Flughafen Passau: Streik legt Betrieb lahm", at + timedelta(hours=17))
    edited = _entry(
        1, "a", "Streik legt Flughafen Passau lahm", at + timedelta(hours=17, minutes=5)
    )
    _, placed = place_each([first, other, edited])
    assert placed["a"] == (PlacementKind.JOINED, placed["b"][1])


def test_a_restored_state_knows_the_features_of_stories_older_than_the_window() -> None:
    evening = DAY + timedelta(days=1, hours=19)
    yesterday = _entry(2, "gallery-1", GALLERY, evening - timedelta(hours=21))
    guide = _entry(1, "guide", GUIDE, evening)
    gallery = _entry(2, "gallery-2", GALLERY, evening + timedelta(minutes=30))
    # What a store holds: yesterday's story, long retired from the live state, and
    # the guide's. Restored, the gallery is told as it was live.
    stored = [Story(1, (yesterday,)), Story(2, (guide,))]
    state = restore(stored, now=evening)
    assert len(state.stories) == 1
    _, placed = place_each([gallery], state)
    assert placed["gallery-2"][0] is PlacementKind.OPENED


def test_a_feature_under_its_tickers_rubric_is_still_a_feature() -> None:
    # "Fotografie:" is the ticker's rubric (two stories use it), so its entries are
    # compared without it; the gallery is a regular feature all the same.
    evening = DAY + timedelta(days=1, hours=19)
    state, placed = place_each(
        [
            _entry(2, "gallery-1", GALLERY, evening - timedelta(hours=21)),
            _entry(2, "award", "Fotografie: Preis für Reportage", evening - timedelta(hours=2)),
            _entry(2, "show", "Fotografie: Ausstellung eröffnet", evening - timedelta(hours=1)),
            _entry(1, "guide", GUIDE, evening),
        ]
    )
    gallery = _entry(2, "gallery-2", GALLERY, evening + timedelta(minutes=30))
    bench = Workbench(state, DEFAULT_CONFIG)
    feats = bench.features_of(gallery)
    assert feats.recurring
    assert bench.compared(gallery.key, feats) is feats.unkicked
    assert bench.score(gallery, feats, placed["guide"][1], bench.vocabulary()) == 0.0


@pytest.mark.parametrize(
    ("piece", "copy"),
    [
        # Yesterday's wire headline run again, and the other ticker's copy of it.
        ("Corona-Inzidenz in Bayern steigt weiter", "Corona-Inzidenz in Bayern steigt weiter"),
        # The other ticker's copy drops the kicker.
        (
            "Agrar: Frühjahrsblüher harren auf großen Auftritt",
            "Frühjahrsblüher harren auf großen Auftritt",
        ),
    ],
)
def test_a_piece_run_again_still_joins_the_copy_worded_the_same(piece: str, copy: str) -> None:
    morning = DAY + timedelta(days=1, hours=11)
    _, placed = place_each(
        [
            _entry(2, "monday", piece, morning - timedelta(days=1)),
            _entry(2, "tuesday", piece, morning),
            _entry(1, "copy", copy, morning + timedelta(minutes=5)),
        ]
    )
    assert placed["copy"] == (PlacementKind.JOINED, placed["tuesday"][1])
