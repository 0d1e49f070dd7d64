"""The values story matching reads and returns.

A desk's tickers report events; a :class:`Story` is the set of entries, across the
desk's tickers, that report one event. :func:`stories.placing.place` files each poll's
new and edited :class:`StoryEntry` values into the stories of a :class:`DeskState` and
says what it did for each as a :class:`Placement`. No I/O, no clock: ``now`` is an
argument.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# An entry is known by its ticker and its id within that ticker (diffing's entry id).
EntryKey = tuple[int, str]


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """One ticker entry as story matching sees it.

    ``printed`` is the time the page printed (aware) or None; ``first_seen`` is when a
    poll first saw the entry (aware). Edits keep ``entry_id`` and ``first_seen``.
    """

    ticker_id: int
    entry_id: str
    title: str
    text: str
    first_seen: datetime
    printed: datetime | None = None
    link: str | None = None

    def __post_init__(self) -> None:
        if self.first_seen.utcoffset() is None:
            raise ValueError("StoryEntry.first_seen must be timezone-aware")
        if self.printed is not None and self.printed.utcoffset() is None:
            raise ValueError("StoryEntry.printed must be timezone-aware")

    @property
    def key(self) -> EntryKey:
        return (self.ticker_id, self.entry_id)

    @property
    def when(self) -> datetime:
        """When the entry reported its event: the printed time, unless it lies after the
        poll that first saw the entry (a wrong zone or a clock ahead), else first seen.

        A backdated printed time is kept: an entry first seen on a ticker's first poll
        may be hours old, and its printed time says so.
        """
        if self.printed is not None and self.printed <= self.first_seen:
            return self.printed
        return self.first_seen


@dataclass(frozen=True, slots=True)
class Story:
    """Entries of a desk's tickers that report one event, in the order they joined.

    ``id`` is stable: given when the story opens and never reused within a desk.
    """

    id: int
    members: tuple[StoryEntry, ...]

    @property
    def start(self) -> datetime:
        """The earliest :attr:`StoryEntry.when` of the members: the story's place in time."""
        return min(m.when for m in self.members)

    @property
    def tickers(self) -> frozenset[int]:
        return frozenset(m.ticker_id for m in self.members)


class PlacementKind(enum.Enum):
    """What :func:`stories.placing.place` did with one entry."""

    OPENED = "opened"  # a new entry opened a new story
    JOINED = "joined"  # a new entry joined an existing story
    KEPT = "kept"  # an edited entry stayed in its story
    MOVED = "moved"  # an edited entry left its story for an existing one (clear margin)
    SPLIT = "split"  # an edited entry no longer matched its story and opened a new one
    IGNORED = "ignored"  # older than the desk keeps stories for: left where it was
    # An entry moved with its whole story into an older one, which a later entry
    # showed to report the same event; ``previous_story_id`` is merged into ``story_id``.
    MERGED = "merged"


@dataclass(frozen=True, slots=True)
class Placement:
    """The decision for one entry: where it is now and, after an edit, where it was.

    ``score`` is the similarity to the story it joined or kept (0 for an opened
    story; for a MERGED entry, that of the entry that showed the two stories one).
    ``emptied`` says the previous story lost its last member and is gone
    from the state (a store deletes it; after MERGED placements, a store records it
    as merged into ``story_id``, see :func:`merges`).
    """

    key: EntryKey
    kind: PlacementKind
    story_id: int | None
    score: float = 0.0
    previous_story_id: int | None = None
    emptied: bool = False


@dataclass(frozen=True, slots=True)
class StoryConfig:
    """The thresholds of story matching, measured on the generated desks and the
    hand-labelled real pairs (tests/stories, tests/data/stories)."""

    # An entry joins a story when the story's event started within this of the
    # entry's own time (:attr:`StoryEntry.when`): the default window.
    window: timedelta = timedelta(hours=6)
    # Stories are kept (indexed, matchable) until their start is this old. Longer
    # than the window, so that entries a poll files late still find their story.
    retain: timedelta = timedelta(hours=12)
    # Similarity (about 0..1) at which an entry joins a story. On the generated desks
    # 0.40 gives precision 0.93 / recall 0.95, 0.45 gives 0.96 / 0.91, 0.50 0.98 / 0.89
    # (tests/stories/test_generated.py); a false "competitor was first" costs a desk
    # more than a missed pair, so the higher one.
    threshold: float = 0.45
    # Entries further apart in time than ``close`` lose ``cost_per_hour`` of similarity
    # per hour beyond it: competitors' reports of one event come within the hour.
    close: timedelta = timedelta(minutes=45)
    cost_per_hour: float = 0.1
    # An edited entry moves to another story only when that story scores this much
    # above its own: an edit that fixes a typo must not flip a story back and forth.
    margin: float = 0.15
    # Body words compared besides the headline: a live-blog entry names its event in
    # its first sentences; the rest is detail other tickers word differently.
    lead_words: int = 40
    # Index keys found in more than this share of the window's entries (and more than
    # min_common_postings) are too common to propose candidates.
    common_share: float = 0.02
    min_common_postings: int = 20
    # At most this many candidate stories (those sharing the most rare keys) are scored:
    # the cost of a poll. On the generated desks 10 scores as well as 40.
    max_candidates: int = 10
    # An entry whose ticker filed the same words under another id at least
    # ``recurs_after`` before (within ``recurring_memory``) is a regular feature (a
    # daily gallery, a briefing, yesterday's wire headline run again): it joins only
    # stories of entries worded the same (see stories.recurring).
    recurs_after: timedelta = timedelta(hours=16)
    recurring_memory: timedelta = timedelta(hours=36)


DEFAULT_CONFIG = StoryConfig()


def merges(placements: Iterable[Placement]) -> dict[int, int]:
    """The stories ``placements`` merged into others: merged id -> the id it went into."""
    return {
        p.previous_story_id: p.story_id
        for p in placements
        if p.kind is PlacementKind.MERGED
        and p.emptied
        and p.previous_story_id is not None
        and p.story_id is not None
    }
