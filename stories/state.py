"""The desk's matching state: its recent stories, their entries and an inverted index.

:class:`DeskState` is an immutable value. :func:`stories.placing.place` copies its
containers once per call into a :class:`Workbench`, files the poll's entries there and
freezes the result into a new state, so one call costs the size of the window (bounded
by :attr:`StoryConfig.retain`), never the size of the day.

The index maps each key of :meth:`Features.index_keys` to the entries filed under it;
candidates for an entry are the stories of entries sharing its rare keys.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from stories.model import EntryKey, Story, StoryConfig, StoryEntry
from stories.similarity import Features, Vocabulary, features, similarity


def _empty() -> Mapping[object, object]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class DeskState:
    """What story matching remembers of a desk between polls.

    ``stories`` are the stories still open for new members (started within
    ``StoryConfig.retain`` of the last ``now``), by id; ``assignment`` maps each of
    their entries to its story; ``next_story_id`` is the id the next story gets.
    The other fields are derived from the stories (see :func:`stories.placing.restore`).
    """

    stories: Mapping[int, Story] = field(default_factory=_empty)  # type: ignore[arg-type]
    assignment: Mapping[EntryKey, int] = field(default_factory=_empty)  # type: ignore[arg-type]
    next_story_id: int = 1
    features: Mapping[EntryKey, Features] = field(default_factory=_empty)  # type: ignore[arg-type]
    document_frequency: Mapping[str, int] = field(default_factory=_empty)  # type: ignore[arg-type]
    postings: Mapping[str, frozenset[EntryKey]] = field(default_factory=_empty)  # type: ignore[arg-type]


@dataclass(slots=True)
class Candidate:
    story_id: int
    score: float


class Workbench:
    """A mutable copy of a :class:`DeskState` for the length of one ``place`` call."""

    __slots__ = (
        "_touched",
        "assignment",
        "config",
        "df",
        "feats",
        "next_id",
        "postings",
        "starts",
        "stories",
    )

    def __init__(self, state: DeskState, config: StoryConfig) -> None:
        self.config = config
        self.stories: dict[int, list[StoryEntry]] = {
            sid: list(s.members) for sid, s in state.stories.items()
        }
        self.starts = {sid: s.start for sid, s in state.stories.items()}
        self.assignment = dict(state.assignment)
        self.feats = dict(state.features)
        self.df = Counter(state.document_frequency)
        self.postings: dict[str, frozenset[EntryKey] | set[EntryKey]] = dict(state.postings)
        self._touched: set[str] = set()
        self.next_id = state.next_story_id

    # -- the index ----------------------------------------------------------------

    def _posting(self, key: str) -> set[EntryKey]:
        posting = self.postings.get(key)
        if key not in self._touched:
            posting = set(posting or ())
            self.postings[key] = posting
            self._touched.add(key)
        assert isinstance(posting, set)
        return posting

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.df, len(self.feats))

    def features_of(self, entry: StoryEntry) -> Features:
        return features(entry, self.config.lead_words)

    def file(self, entry: StoryEntry, feats: Features, story_id: int) -> None:
        """Add ``entry`` to story ``story_id`` (opened when new) and to the index."""
        key = entry.key
        self.assignment[key] = story_id
        self.feats[key] = feats
        self.df.update(feats.words)
        for index_key in feats.index_keys():
            self._posting(index_key).add(key)
        members = self.stories.setdefault(story_id, [])
        members.append(entry)
        start = self.starts.get(story_id)
        self.starts[story_id] = entry.when if start is None else min(start, entry.when)

    def unfile(self, key: EntryKey) -> tuple[int, bool]:
        """Take an entry out of its story and the index: (its story, whether emptied)."""
        story_id = self.assignment.pop(key)
        feats = self.feats.pop(key)
        self.df.subtract(feats.words)
        for word in feats.words:
            if self.df[word] <= 0:
                del self.df[word]
        for index_key in feats.index_keys():
            posting = self._posting(index_key)
            posting.discard(key)
            if not posting:
                del self.postings[index_key]
                self._touched.discard(index_key)
        members = [m for m in self.stories[story_id] if m.key != key]
        if not members:
            del self.stories[story_id]
            del self.starts[story_id]
            return story_id, True
        self.stories[story_id] = members
        self.starts[story_id] = min(m.when for m in members)
        return story_id, False

    def open_story(self) -> int:
        story_id = self.next_id
        self.next_id += 1
        return story_id

    def retire(self, before: datetime) -> None:
        """Drop the stories that started before ``before``, and their entries."""
        for story_id in [sid for sid, start in self.starts.items() if start < before]:
            for member in list(self.stories[story_id]):
                self.unfile(member.key)

    # -- matching -----------------------------------------------------------------

    def candidates(self, entry: StoryEntry, feats: Features, exclude: int | None) -> list[int]:
        """Stories sharing the most rare index keys with ``entry``, within the window."""
        config = self.config
        common = max(config.min_common_postings, int(config.common_share * len(self.feats)))
        votes: Counter[int] = Counter()
        for index_key in feats.index_keys():
            posting = self.postings.get(index_key)
            if not posting or len(posting) > common:
                continue
            for other in posting:
                if other[0] != entry.ticker_id:
                    votes[self.assignment[other]] += 1
        window = config.window
        out = []
        for story_id, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if story_id == exclude or abs(entry.when - self.starts[story_id]) > window:
                continue
            out.append(story_id)
            if len(out) == config.max_candidates:
                break
        return out

    def score(self, entry: StoryEntry, feats: Features, story_id: int, vocab: Vocabulary) -> float:
        """Similarity of ``entry`` to the story: its best match among the story's entries
        of *other* tickers, so that no story grows by one ticker's entries alone."""
        return max(
            (
                similarity(feats, self.feats[member.key], vocab) - self._apart(entry, member)
                for member in self.stories[story_id]
                if member.ticker_id != entry.ticker_id
            ),
            default=0.0,
        )

    def _apart(self, entry: StoryEntry, member: StoryEntry) -> float:
        """The cost of the time between two entries: competitors report one event
        within minutes to an hour of each other, while two events of one kind (two
        fires, two strikes) are hours apart more often than not."""
        hours = abs((entry.when - member.when).total_seconds()) / 3600.0
        return max(0.0, hours - self.config.close.total_seconds() / 3600.0) * (
            self.config.cost_per_hour
        )

    def best(
        self, entry: StoryEntry, feats: Features, exclude: int | None, vocab: Vocabulary
    ) -> Candidate | None:
        best: Candidate | None = None
        for story_id in self.candidates(entry, feats, exclude):
            score = self.score(entry, feats, story_id, vocab)
            if best is None or score > best.score:
                best = Candidate(story_id, score)
        return best

    # -- the result ---------------------------------------------------------------

    def freeze(self) -> DeskState:
        postings = {k: frozenset(v) if isinstance(v, set) else v for k, v in self.postings.items()}
        return DeskState(
            stories=MappingProxyType(
                {sid: Story(sid, tuple(members)) for sid, members in self.stories.items()}
            ),
            assignment=MappingProxyType(self.assignment),
            next_story_id=self.next_id,
            features=MappingProxyType(self.feats),
            document_frequency=MappingProxyType(dict(self.df)),
            postings=MappingProxyType(postings),
        )


def members_in_order(stories: Iterable[Story]) -> list[tuple[int, StoryEntry]]:
    """Every (story id, member) of ``stories``, oldest member first."""
    pairs = [(s.id, m) for s in stories for m in s.members]
    pairs.sort(key=lambda p: (p[1].when, p[1].ticker_id, p[1].entry_id))
    return pairs
