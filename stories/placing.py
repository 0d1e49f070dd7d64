"""Filing each poll's new and edited entries into stories. Pure.

    place(state, entries, now, config=...) -> (state, placements)
    restore(stories, next_story_id=..., now=..., config=...) -> state

A new entry joins the story it is most similar to (:mod:`stories.similarity`) when
that story started within the window of the entry's time and the similarity reaches
the threshold; otherwise it opens a story. Only members of *other* tickers count
towards the similarity: a ticker may report one event twice (an update) and both
entries land in its story, but a story is never formed, nor two stories joined, by
one ticker's entries alone.

After an entry joined, moved or stayed, it may show its story and another to be one
event: when it also matches another story ``margin`` above the threshold, the two
are merged (:class:`PlacementKind.MERGED`), the older id kept.

An edited entry (one the state already holds) is scored again. It moves to another
story only when that one scores ``margin`` above its own; it leaves its story for a
new one only when its own score fell ``margin`` below the threshold; otherwise it
stays. Entries whose time is older than ``retain`` before ``now`` are ignored
(left wherever a store has them); so are stories once their start is that old.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from stories.model import (
    DEFAULT_CONFIG,
    Placement,
    PlacementKind,
    Story,
    StoryConfig,
    StoryEntry,
)
from stories.state import DeskState, Workbench, members_in_order


def place(
    state: DeskState,
    entries: Sequence[StoryEntry],
    now: datetime,
    *,
    config: StoryConfig = DEFAULT_CONFIG,
) -> tuple[DeskState, list[Placement]]:
    """File ``entries`` (one or more polls' new and edited entries) into the desk's stories.

    Entries are filed oldest first (by :attr:`StoryEntry.when`, then ticker and id),
    one placement each, in that order; an entry given twice counts once (the last
    copy). ``now`` (aware) is the time of the poll: stories that started more than
    ``config.retain`` before it are dropped from the state first.
    """
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    bench = Workbench(state, config)
    cutoff = now - config.retain
    bench.retire(cutoff)
    bench.forget(now - config.recurring_memory)
    latest = {e.key: e for e in entries}
    ordered = sorted(latest.values(), key=lambda e: (e.when, e.ticker_id, e.entry_id))
    placements = []
    for entry in ordered:
        if entry.when < cutoff:
            current = bench.assignment.get(entry.key)
            placements.append(Placement(entry.key, PlacementKind.IGNORED, current))
        else:
            placed = _replace(bench, entry) if entry.key in bench.assignment else _add(bench, entry)
            placements.append(placed)
            if placed.kind in _JOINING:
                placements.extend(_merge(bench, entry, placed))
    return bench.freeze(), placements


# Placements after which an entry may show two stories to be one event.
_JOINING = frozenset({PlacementKind.JOINED, PlacementKind.MOVED, PlacementKind.KEPT})


def _merge(bench: Workbench, entry: StoryEntry, placed: Placement) -> list[Placement]:
    """Merge the entry's story with another that the entry matches by a clear margin.

    Stories split early when a second report was worded unlike the first; a later
    report that matches both (the follow-up naming the storm and the town) shows them
    to be one event. The entry must match the other story ``margin`` above the
    threshold, as an edit must to move. The older story (the lower id) keeps its id;
    the other's members move into it, one MERGED placement each, the last one
    ``emptied``.
    """
    config = bench.config
    own = placed.story_id
    assert own is not None
    feats = bench.feats[entry.key]
    vocab = bench.vocabulary()
    best = bench.best(entry, feats, own, vocab)
    if best is None or best.score < config.threshold + config.margin:
        return []
    if abs(bench.starts[own] - bench.starts[best.story_id]) > config.window:
        return []
    # An entry matching two stories of one kind (a roundup, a report naming two
    # towns) must not join two events: their own members must not name two.
    if bench.name_apart(own, best.story_id, entry.key, vocab):
        return []
    keep, gone = min(own, best.story_id), max(own, best.story_id)
    out = []
    members = bench.members_of(gone)
    for n, member in enumerate(members):
        moved = bench.feats[member.key]
        bench.unfile(member.key)
        bench.file(member, moved, keep)
        out.append(
            Placement(
                member.key, PlacementKind.MERGED, keep, best.score, gone, n == len(members) - 1
            )
        )
    return out


def _add(bench: Workbench, entry: StoryEntry) -> Placement:
    feats = bench.features_of(entry)
    best = bench.best(entry, feats, None, bench.vocabulary())
    if best is not None and best.score >= bench.config.threshold:
        bench.file(entry, feats, best.story_id)
        return Placement(entry.key, PlacementKind.JOINED, best.story_id, best.score)
    story_id = bench.open_story()
    bench.file(entry, feats, story_id)
    return Placement(entry.key, PlacementKind.OPENED, story_id)


def _replace(bench: Workbench, entry: StoryEntry) -> Placement:
    config = bench.config
    old_id, emptied = bench.unfile(entry.key)
    feats = bench.features_of(entry)
    vocab = bench.vocabulary()
    own = 0.0 if emptied else bench.score(entry, feats, old_id, vocab)
    lonely = emptied or all(m.ticker_id == entry.ticker_id for m in bench.members_of(old_id))
    best = bench.best(entry, feats, old_id, vocab)
    if (
        best is not None
        and best.score >= config.threshold
        and (lonely or best.score >= own + config.margin)
    ):
        bench.file(entry, feats, best.story_id)
        return Placement(entry.key, PlacementKind.MOVED, best.story_id, best.score, old_id, emptied)
    if not lonely and own < config.threshold - config.margin:
        story_id = bench.open_story()
        bench.file(entry, feats, story_id)
        return Placement(entry.key, PlacementKind.SPLIT, story_id, 0.0, old_id)
    # Stays: back into its own story, which keeps its id even when this was its
    # only member (the store has it under that id).
    bench.file(entry, feats, old_id)
    return Placement(entry.key, PlacementKind.KEPT, old_id, own)


def restore(
    stories: Iterable[Story],
    *,
    now: datetime,
    next_story_id: int | None = None,
    config: StoryConfig = DEFAULT_CONFIG,
) -> DeskState:
    """The state that holds ``stories`` as they are (no entry is re-matched).

    For a store that persisted stories and assignments: load the desk's recent stories
    (at least those started within ``config.retain`` of ``now``, and those within
    ``config.recurring_memory`` to tell regular features as live placing did) and
    carry on placing.
    ``next_story_id`` defaults to one past the highest id given; pass the store's own
    counter when older stories had higher ids.
    """
    stories = list(stories)
    cutoff = now - config.retain
    bench = Workbench(DeskState(), config)
    # Stories older than the window's are only remembered, to tell regular features.
    remembered = now - config.recurring_memory
    open_ids = {s.id for s in stories if s.start >= cutoff}
    for story_id, member in members_in_order(s for s in stories if s.start >= remembered):
        feats = bench.features_of(member)
        if story_id in open_ids:
            bench.file(member, feats, story_id)
        else:
            bench.remember(member, feats)
    highest = max((s.id for s in stories), default=0)
    bench.next_id = max(highest + 1, next_story_id or 1)
    return bench.freeze()
