"""Hand-labelled same-story pairs of two real newstickers (tests/data/stories/README.md).

The captures are read in place from ``../shared/corpus/series`` (no licence: never copied
into the project); the tests skip where they are absent. Scored twice: the pure matcher
fed each capture as one poll (entries as live polling would have seen them, interleaved
by fetch time, a retitled entry as an edit; entries already on a series' first capture
at their printed time, as if polled when they appeared), and the whole pipeline through
``tickerwatch replay … --stories --json``, which files first captures the same way. A
pair found in the labelled scope but not labelled counts as wrong.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from stories import DeskState, PlacementKind, StoryEntry, place
from tests.paths import DATA
from tests.stories.series import SERIES, TICKERS, polls
from tickerwatch.cli import main

LABELS = DATA / "stories" / "real_pairs.jsonl"
# Measured, both through stories.place and through the replay contract: precision
# 14/14, recall 14/14, reworded 11/11. The pairs that were hardest: a reworded
# headline-only pair 2.6 hours apart whose shared words are one hyphenated name
# ("US-Bundesstaaten"; the one says "Epic vs. Apple", the other "App-Store-Streit"),
# joined because nothing else is shared and nothing of it is common or a place; and
# heise's "Fotografie-Stil: Bilder gestalten nach dem Wabi-Sabi-Prinzip" against zeit's
# daily "Fotografie: Bilder des Tages" 2.6 hours later, kept apart because zeit filed
# the same gallery the evening before (stories.recurring).
FLOOR_PRECISION = 0.95
FLOOR_RECALL = 0.95
FLOOR_REWORDED = 0.9

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SERIES.is_dir(), reason=f"{SERIES} is absent"),
]


# The labelled scope (tests/data/stories/README.md): entries of this period, pairs at
# most this far apart. A pair found in scope but not in the file is a wrong pair.
PERIOD = (datetime(2022, 1, 27, 6, 0, tzinfo=UTC), datetime(2022, 1, 30, 14, 18, tzinfo=UTC))
MAX_APART = timedelta(hours=6)


@dataclass(frozen=True)
class Member:
    ticker: str  # the series' folder name
    link: str
    when: datetime  # StoryEntry.when: the printed time, unless after the first sighting


@dataclass(frozen=True)
class Scored:
    precision: float
    recall: float
    reworded_found: int
    reworded: int
    misses: list[tuple[str, str]]
    wrong: list[tuple[str, str]]


def score(stories: list[list[Member]]) -> Scored:
    """Pair precision and recall of ``stories`` against the labels, in their scope."""
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    same = {(r["link_a"], r["link_b"]) for r in labels if r["same"]}
    reworded = {(r["link_a"], r["link_b"]) for r in labels if r["same"] and r["reworded"]}
    found = set()
    for members in stories:
        for a in members:
            for b in members:
                if (
                    (a.ticker, b.ticker) == ("heise-newsticker", "zeit-news")
                    and all(PERIOD[0] <= m.when <= PERIOD[1] for m in (a, b))
                    and abs(a.when - b.when) <= MAX_APART
                ):
                    found.add((a.link, b.link))
    correct = found & same
    return Scored(
        precision=len(correct) / len(found) if found else 1.0,
        recall=len(correct) / len(same),
        reworded_found=len(correct & reworded),
        reworded=len(reworded),
        misses=sorted(same - found),
        wrong=sorted(found - same),
    )


def check(scored: Scored, path: str) -> None:
    print(
        f"\nreal pairs ({path}): {len(LABELS.read_text().splitlines())} labelled; precision "
        f"{scored.precision:.3f}, recall {scored.recall:.3f}, reworded recall "
        f"{scored.reworded_found}/{scored.reworded}\nmisses {scored.misses}\nwrong {scored.wrong}"
    )
    assert scored.precision >= FLOOR_PRECISION, scored.wrong
    assert scored.recall >= FLOOR_RECALL, scored.misses
    assert scored.reworded_found >= FLOOR_REWORDED * scored.reworded, scored.misses


def test_hand_labelled_pairs() -> None:
    """The pure matcher, fed the captures' polls."""
    state = DeskState()
    story_of: dict[str, int] = {}
    latest: dict[str, StoryEntry] = {}
    for at, batch in polls():
        state, placements = place(state, batch, at)
        latest.update((e.entry_id, e) for e in batch)
        for placement in placements:
            if placement.kind is not PlacementKind.IGNORED and placement.story_id is not None:
                story_of[placement.key[1]] = placement.story_id
    names = {ticker: name for name, ticker in TICKERS.items()}
    stories: dict[int, list[Member]] = defaultdict(list)
    for link, story_id in story_of.items():
        entry = latest[link]
        stories[story_id].append(Member(names[entry.ticker_id], link, entry.when))
    check(score(list(stories.values())), "stories.place")


def test_hand_labelled_pairs_through_the_replay_contract(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``tickerwatch replay heise zeit --stories --json``: the whole pipeline."""
    cases = [str(SERIES / name) for name in TICKERS]
    assert main(["replay", *cases, "--stories", "--json"]) == 0
    stories = []
    for line in capsys.readouterr().out.splitlines():
        members = []
        for e in json.loads(line)["entries"]:
            seen = datetime.fromisoformat(e["first_seen"])
            printed = datetime.fromisoformat(e["time"]) if e["time"] else None
            when = printed if printed is not None and printed <= seen else seen
            members.append(Member(e["ticker"], e["link"], when))
        stories.append(members)
    check(score(stories), "replay --stories")
