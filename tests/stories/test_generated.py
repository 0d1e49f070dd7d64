"""Quality gate: generated desks in de, en and fr, scored against their known truth.

Pair precision and recall count pairs of entries of *different* tickers in one story.
Floors pin what the matcher measures (the issue's target is 0.95 for both; measured
precision 0.966, recall 0.970, leads exact 145/151, 4 stories merging two events).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.stories.generator import generate_desk
from tests.stories.measure import Score, score_desk

LANGUAGES = ("de", "en", "fr")
SEEDS = (0, 1, 2)
FLOOR_PRECISION = 0.96
FLOOR_RECALL = 0.95
# Of the events two or more tickers have, the share whose story names the true first
# ticker and lead to the minute on both clocks.
FLOOR_LEADS_EXACT = 0.95
# Stories holding two events, over all nine desks.
MAX_MERGED = 4


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, int], Score]:
    return {
        (lang, seed): score_desk(generate_desk(seed, lang)) for lang in LANGUAGES for seed in SEEDS
    }


def test_pair_precision_and_recall(scores: dict[tuple[str, int], Score]) -> None:
    correct = sum(s.correct_pairs for s in scores.values())
    found = sum(s.found_pairs for s in scores.values())
    true = sum(s.true_pairs for s in scores.values())
    for (lang, seed), s in scores.items():
        print(
            f"{lang} seed {seed}: precision {s.precision:.3f} recall {s.recall:.3f} merged {s.merged_stories}"
        )
    print(f"all: precision {correct / found:.3f} recall {correct / true:.3f}")
    assert correct / found >= FLOOR_PRECISION
    assert correct / true >= FLOOR_RECALL


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_holds_up(scores: dict[tuple[str, int], Score], lang: str) -> None:
    mine = [s for (language, _), s in scores.items() if language == lang]
    correct = sum(s.correct_pairs for s in mine)
    assert correct / sum(s.found_pairs for s in mine) >= 0.9
    assert correct / sum(s.true_pairs for s in mine) >= 0.85


def test_lead_times_and_merges(scores: dict[tuple[str, int], Score]) -> None:
    scored = sum(s.events_scored for s in scores.values())
    exact = sum(s.leads_exact for s in scores.values())
    merged = sum(s.merged_stories for s in scores.values())
    print(f"leads exact {exact}/{scored}, stories merging two events {merged}")
    assert exact >= FLOOR_LEADS_EXACT * scored
    assert merged <= MAX_MERGED


# Events of one kind (two storms, two strikes in two places) only an hour apart, not
# three: the time between them no longer tells them apart, only their names do.
# Measured: precision 0.777, recall 0.965, 29 stories merging two events (0.791 /
# 0.958 / 29 before a headline's first word could be a name: French headlines that
# open with the town of one strike now and then pair with another town's; earlier
# 0.768 / 0.942 / 34). Pinned, far from the target.
CLOSE_FLOOR_PRECISION = 0.77
CLOSE_FLOOR_RECALL = 0.95


def test_same_kind_events_an_hour_apart() -> None:
    close = [
        score_desk(generate_desk(seed, lang, kind_spacing=timedelta(hours=1)))
        for lang in LANGUAGES
        for seed in SEEDS
    ]
    correct = sum(s.correct_pairs for s in close)
    precision = correct / sum(s.found_pairs for s in close)
    recall = correct / sum(s.true_pairs for s in close)
    merged = sum(s.merged_stories for s in close)
    print(f"an hour apart: precision {precision:.3f} recall {recall:.3f} merged {merged}")
    assert precision >= CLOSE_FLOOR_PRECISION
    assert recall >= CLOSE_FLOOR_RECALL


def test_generator_is_deterministic() -> None:
    assert generate_desk(7, "fr") == generate_desk(7, "fr")
