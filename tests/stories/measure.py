"""Feeding a generated desk poll by poll through ``place`` and scoring the result."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from stories import Basis, DeskState, PlacementKind, Story, StoryEntry, place, story_leads
from tests.stories.generator import Desk

Pair = tuple[tuple[int, str], tuple[int, str]]


@dataclass(frozen=True, slots=True)
class Score:
    true_pairs: int
    found_pairs: int
    correct_pairs: int
    merged_stories: int  # stories holding entries of two or more events
    events_scored: int  # events two or more tickers have
    leads_exact: int  # of those, events whose story gives the true first ticker and lead
    misses: tuple[Pair, ...]
    false: tuple[Pair, ...]

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.found_pairs if self.found_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0


def _cross_pairs(groups: dict[object, list[tuple[int, str]]]) -> set[Pair]:
    pairs: set[Pair] = set()
    for members in groups.values():
        for a, b in combinations(sorted(members), 2):
            if a[0] != b[0]:
                pairs.add((a, b))
    return pairs


def place_each(
    entries: Iterable[StoryEntry], state: DeskState | None = None
) -> tuple[DeskState, dict[str, tuple[PlacementKind, int]]]:
    """Each entry placed in a poll of its own, at its first sighting; the kind and
    story of each entry's last placement, by entry id."""
    state = state or DeskState()
    out = {}
    for entry in entries:
        state, placements = place(state, [entry], entry.first_seen)
        for p in placements:
            assert p.story_id is not None
            out[p.key[1]] = (p.kind, p.story_id)
    return state, out


def run_desk(desk: Desk) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], StoryEntry]]:
    """Every entry's story after the last poll, as a store would record it from the
    placements, and every entry's last version."""
    state = DeskState()
    story_of: dict[tuple[int, str], int] = {}
    latest: dict[tuple[int, str], StoryEntry] = {}
    for at, _ticker, batch in desk.polls():
        state, placements = place(state, batch, at)
        for placement in placements:
            if placement.kind is not PlacementKind.IGNORED and placement.story_id is not None:
                story_of[placement.key] = placement.story_id
        latest.update((e.key, e) for e in batch)
    return story_of, latest


def score_desk(desk: Desk) -> Score:
    story_of, latest = run_desk(desk)
    event_of = desk.event_of()
    by_story: dict[object, list[tuple[int, str]]] = defaultdict(list)
    by_event: dict[object, list[tuple[int, str]]] = defaultdict(list)
    for key in latest:
        by_story[story_of[key]].append(key)
        by_event[event_of[key]].append(key)
    found, truth = _cross_pairs(by_story), _cross_pairs(by_event)
    merged = sum(1 for keys in by_story.values() if len({event_of[k] for k in keys}) > 1)
    scored = exact = 0
    for keys in by_event.values():
        if len({k[0] for k in keys}) < 2:
            continue
        scored += 1
        truth_story = Story(0, tuple(latest[k] for k in keys))
        # The story the event's first entry (by first seen) was filed in.
        first = min(keys, key=lambda k: (latest[k].first_seen, k))
        found_story = Story(0, tuple(latest[k] for k in by_story[story_of[first]]))
        want, got = story_leads(truth_story), story_leads(found_story)
        if all(
            want.first(b) == got.first(b) and want.lead_minutes(b) == got.lead_minutes(b)
            for b in Basis
        ):
            exact += 1
    return Score(
        true_pairs=len(truth),
        found_pairs=len(found),
        correct_pairs=len(found & truth),
        merged_stories=merged,
        events_scored=scored,
        leads_exact=exact,
        misses=tuple(sorted(truth - found)),
        false=tuple(sorted(found - truth)),
    )


def pooled(scores: Iterable[Score]) -> Score:
    """Several desks' scores as one: counts summed, pairs joined."""
    scores = list(scores)
    return Score(
        true_pairs=sum(s.true_pairs for s in scores),
        found_pairs=sum(s.found_pairs for s in scores),
        correct_pairs=sum(s.correct_pairs for s in scores),
        merged_stories=sum(s.merged_stories for s in scores),
        events_scored=sum(s.events_scored for s in scores),
        leads_exact=sum(s.leads_exact for s in scores),
        misses=tuple(p for s in scores for p in s.misses),
        false=tuple(p for s in scores for p in s.false),
    )
