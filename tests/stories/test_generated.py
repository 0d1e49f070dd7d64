"""Quality gate: generated desks in de, en and fr, scored against their known truth.

Pair precision and recall count pairs of entries of *different* tickers in one story.
Floors pin what the matcher measures (the issue's target is 0.95 for both; measured
precision 1.000, recall 0.973, leads exact 148/148, no story merging two events; on
desks of seeds 3-10, which no threshold was tuned on: 0.997 / 0.959, 420/426, 4). Two
harder variants are measured on their own below: events of a kind an hour apart, and
one person the main name of two events of a day.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.stories.generator import generate_desk
from tests.stories.measure import Score, pooled, score_desk

LANGUAGES = ("de", "en", "fr")
SEEDS = (0, 1, 2)
FLOOR_PRECISION = 0.99
FLOOR_RECALL = 0.97
# Of the events two or more tickers have, the share whose story names the true first
# ticker and lead to the minute on both clocks: every one.
FLOOR_LEADS_EXACT = 1.0
# Stories holding two events, over all nine desks.
MAX_MERGED = 0


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, int], Score]:
    return {
        (lang, seed): score_desk(generate_desk(seed, lang)) for lang in LANGUAGES for seed in SEEDS
    }


def test_pair_precision_and_recall(scores: dict[tuple[str, int], Score]) -> None:
    for (lang, seed), s in scores.items():
        print(
            f"{lang} seed {seed}: precision {s.precision:.3f} recall {s.recall:.3f} merged {s.merged_stories}"
        )
    every = pooled(scores.values())
    print(f"all: precision {every.precision:.3f} recall {every.recall:.3f}")
    assert every.precision >= FLOOR_PRECISION
    assert every.recall >= FLOOR_RECALL


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_holds_up(scores: dict[tuple[str, int], Score], lang: str) -> None:
    mine = pooled(s for (language, _), s in scores.items() if language == lang)
    assert mine.precision >= 0.9
    assert mine.recall >= 0.85


def test_lead_times_and_merges(scores: dict[tuple[str, int], Score]) -> None:
    every = pooled(scores.values())
    scored, exact, merged = every.events_scored, every.leads_exact, every.merged_stories
    print(f"leads exact {exact}/{scored}, stories merging two events {merged}")
    assert exact >= FLOOR_LEADS_EXACT * scored
    assert merged <= MAX_MERGED


# Events of one kind (two storms, two strikes in two places) only an hour apart, not
# three: the time between them no longer tells them apart, only their names do.
# Measured: precision 0.977, recall 0.947, 7 stories merging two events (0.984 / 0.938 /
# 7 before words for one kind of event were read as one, 0.868 / 0.962 /
# 16 while a story scored an entry by its one best member and German names in
# apposition did not place an event; 0.768 / 0.942 / 34 at first).
CLOSE_FLOOR_PRECISION = 0.97
CLOSE_FLOOR_RECALL = 0.93


def test_same_kind_events_an_hour_apart() -> None:
    close = pooled(
        score_desk(generate_desk(seed, lang, kind_spacing=timedelta(hours=1)))
        for lang in LANGUAGES
        for seed in SEEDS
    )
    print(
        f"an hour apart: precision {close.precision:.3f} recall {close.recall:.3f} "
        f"merged {close.merged_stories}"
    )
    assert close.precision >= CLOSE_FLOOR_PRECISION
    assert close.recall >= CLOSE_FLOOR_RECALL


# One person the main name of two events of different kinds on one desk (elected in
# one town, sentenced in another): the shared rare name outweighs the rest. Measured:
# precision 0.981, recall 0.962, 3 stories merging two events (0.972 / 0.972 / 4 while
# a story scored an entry by its one best member).
PEOPLE_FLOOR_PRECISION = 0.97
PEOPLE_FLOOR_RECALL = 0.95


def test_one_person_in_two_events() -> None:
    desks = pooled(
        score_desk(generate_desk(seed, lang, people=True)) for lang in LANGUAGES for seed in SEEDS
    )
    print(
        f"one person, two events: precision {desks.precision:.3f} recall {desks.recall:.3f} "
        f"merged {desks.merged_stories}"
    )
    assert desks.precision >= PEOPLE_FLOOR_PRECISION
    assert desks.recall >= PEOPLE_FLOOR_RECALL


def test_generator_is_deterministic() -> None:
    assert generate_desk(7, "fr") == generate_desk(7, "fr")
