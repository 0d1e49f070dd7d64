"""The desk's matching state: its recent stories, their entries and an inverted index.

:class:`DeskState` is an immutable value built from persistent hash maps
(``immutables.Map``, a HAMT): :func:`stories.placing.place` derives the next state by
changing only what a poll's entries touch, in O(changes × log(window)), never copying
the window. So a poll costs the same at the end of a day as at its start, however many
stories the day has; only retiring old stories looks at every story's start.

The index maps each key of :meth:`Features.index_keys` to the entries filed under it;
candidates for an entry are the stories of entries sharing its rare keys.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from operator import itemgetter
from typing import TypeVar

from immutables import Map, MapMutation

from stories.features import Features, features
from stories.model import EntryKey, Story, StoryConfig, StoryEntry
from stories.recurring import Filed, gist, worded_alike
from stories.similarity import Match, Vocabulary, match

K = TypeVar("K")
V = TypeVar("V")
Posting = Map[EntryKey, bool]
_EMPTY_POSTING: Posting = Map()
_RARE_SHARED_TIMELESS = 2
# Taken off a match between entries filed under two rubrics both tickers use (see
# Workbench._rubrics_apart). On zeit-news split in two: wrong pairs 48 -> 42, none
# lost; 0.6 measures the same.
_RUBRICS_APART = 0.3
# How far a story's score is drawn from the entry's best match with its members towards
# their mean (see Workbench.score). On the generated desks 0.5 gives precision 1.000 /
# recall 0.955, 0.3 0.992 / 0.958, 0 (the best match alone) 0.974 / 0.974 with 3
# stories merging two events.
_LINKAGE = 0.5
# A vote's whole weight, divided among the entries of a key (divisible by 1..16).
_VOTE = 720_720
_NO_USES: Map[int, int] = Map()


@dataclass(frozen=True, slots=True)
class DeskState:
    """What story matching remembers of a desk between polls.

    ``stories`` are the stories still open for new members (started within
    ``StoryConfig.retain`` of the last ``now``), by id; ``assignment`` maps each of
    their entries to its story; ``next_story_id`` is the id the next story gets.
    The other fields are derived from the stories (see :func:`stories.placing.restore`).
    """

    stories: Mapping[int, Story] = field(default_factory=Map)
    assignment: Mapping[EntryKey, int] = field(default_factory=Map)
    next_story_id: int = 1
    starts: Mapping[int, datetime] = field(default_factory=Map)
    features: Mapping[EntryKey, Features] = field(default_factory=Map)
    document_frequency: Mapping[str, int] = field(default_factory=Map)
    postings: Mapping[str, Posting] = field(default_factory=Map)
    # Per ticker and headline kicker, the stories whose entries of that ticker open
    # with it (and how many each).
    kickers: Mapping[tuple[int, str], Map[int, int]] = field(default_factory=Map)
    # Per body sentence (its key), the stories whose entries hold it (and how many each).
    sentences: Mapping[str, Map[int, int]] = field(default_factory=Map)
    # What each ticker filed over StoryConfig.recurring_memory, to tell regular features.
    filed: Filed = field(default_factory=Filed)


def _map(mapping: Mapping[K, V]) -> Map[K, V]:
    return mapping if isinstance(mapping, Map) else Map(mapping)


def _count_in(uses: MapMutation[K, Map[int, int]], key: K, story_id: int) -> None:
    """One more use of ``key`` by an entry of story ``story_id``."""
    counts = uses.get(key, _NO_USES)
    uses[key] = counts.set(story_id, counts.get(story_id, 0) + 1)


def _count_out(uses: MapMutation[K, Map[int, int]], key: K, story_id: int) -> None:
    """One use fewer of ``key`` by story ``story_id``; keys no story uses are dropped."""
    counts = uses[key]
    left = counts[story_id] - 1
    counts = counts.set(story_id, left) if left else counts.delete(story_id)
    if counts:
        uses[key] = counts
    else:
        del uses[key]


@dataclass(slots=True)
class Candidate:
    story_id: int
    score: float


class Workbench:
    """Pending changes to a :class:`DeskState` for the length of one ``place`` call."""

    __slots__ = (
        "assignment",
        "config",
        "df",
        "feats",
        "filed",
        "kickers",
        "next_id",
        "postings",
        "sentences",
        "size",
        "start_of",
        "starts",
        "stories",
    )

    def __init__(self, state: DeskState, config: StoryConfig) -> None:
        self.config = config
        self.start_of: Map[int, datetime] = _map(state.starts)
        self.stories: MapMutation[int, Story] = _map(state.stories).mutate()
        self.starts: MapMutation[int, datetime] = self.start_of.mutate()
        self.assignment: MapMutation[EntryKey, int] = _map(state.assignment).mutate()
        self.feats: MapMutation[EntryKey, Features] = _map(state.features).mutate()
        self.df: MapMutation[str, int] = _map(state.document_frequency).mutate()
        self.postings: MapMutation[str, Posting] = _map(state.postings).mutate()
        self.kickers: MapMutation[tuple[int, str], Map[int, int]] = _map(state.kickers).mutate()
        self.sentences: MapMutation[str, Map[int, int]] = _map(state.sentences).mutate()
        self.filed = state.filed
        self.size = len(state.features)
        self.next_id = state.next_story_id

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self.df, self.size)

    def features_of(self, entry: StoryEntry) -> Features:
        """The entry's features, its body's stock sentences left out: those the
        window's entries of two or more stories hold ("Mehr in Kürze.", "The situation
        remains unclear."), which say nothing of the event."""
        feats = features(entry, self.config.lead_words, self._stock)
        said = gist(entry, feats)
        if said and self.filed.recurs(entry.key, said, entry.when, self.config.recurs_after):
            return replace(feats, recurring=True)
        return feats

    def remember(self, entry: StoryEntry, feats: Features) -> None:
        """Note what ``entry`` says, to tell its ticker's regular features later."""
        said = gist(entry, feats)
        if said:
            self.filed = self.filed.remember(entry.key, said, entry.when)

    def forget(self, before: datetime) -> None:
        """Forget what was filed before ``before``."""
        self.filed = self.filed.forget(before)

    def _stock(self, sentence: str) -> bool:
        return len(self.sentences.get(sentence, _NO_USES)) > 1

    def file(self, entry: StoryEntry, feats: Features, story_id: int) -> None:
        """Add ``entry`` to story ``story_id`` (opened when new) and to the index."""
        key = entry.key
        self.remember(entry, feats)
        self.assignment[key] = story_id
        self.feats[key] = feats
        self.size += 1
        for word in feats.words:
            self.df[word] = self.df.get(word, 0) + 1
        for index_key in feats.index_keys:
            self.postings[index_key] = self.postings.get(index_key, _EMPTY_POSTING).set(key, True)
        if feats.kicker:
            _count_in(self.kickers, (entry.ticker_id, feats.kicker), story_id)
        for sentence in feats.sentences:
            _count_in(self.sentences, sentence, story_id)
        story = self.stories.get(story_id)
        members = (entry,) if story is None else (*story.members, entry)
        self.stories[story_id] = Story(story_id, members)
        start = self.starts.get(story_id)
        self.starts[story_id] = entry.when if start is None else min(start, entry.when)

    def unfile(self, key: EntryKey) -> tuple[int, bool]:
        """Take an entry out of its story and the index: (its story, whether emptied)."""
        story_id = self.assignment.pop(key)
        feats = self.feats.pop(key)
        self.size -= 1
        for word in feats.words:
            left = self.df[word] - 1
            if left:
                self.df[word] = left
            else:
                del self.df[word]
        for index_key in feats.index_keys:
            posting = self.postings[index_key].delete(key)
            if posting:
                self.postings[index_key] = posting
            else:
                del self.postings[index_key]
        if feats.kicker:
            _count_out(self.kickers, (key[0], feats.kicker), story_id)
        for sentence in feats.sentences:
            _count_out(self.sentences, sentence, story_id)
        members = tuple(m for m in self.stories[story_id].members if m.key != key)
        if not members:
            del self.stories[story_id]
            del self.starts[story_id]
            return story_id, True
        self.stories[story_id] = Story(story_id, members)
        self.starts[story_id] = min(m.when for m in members)
        return story_id, False

    def open_story(self) -> int:
        story_id = self.next_id
        self.next_id += 1
        return story_id

    def retire(self, before: datetime) -> None:
        """Drop the stories that started before ``before``, and their entries.

        Reads the starts as the state had them (call it before filing anything)."""
        for story_id in [sid for sid, start in self.start_of.items() if start < before]:
            for member in self.stories[story_id].members:
                self.unfile(member.key)

    # -- matching -----------------------------------------------------------------

    def candidates(self, entry: StoryEntry, feats: Features, exclude: int | None) -> list[int]:
        """Stories sharing the most rare index keys with ``entry``, within the window."""
        config = self.config
        common = max(config.min_common_postings, int(config.common_share * self.size))
        # A key votes for each story holding it by its rarity: a story sharing the
        # company's name and the figure outranks ten sharing a stock phrase ("Die Lage
        # ist unübersichtlich") that a third of the window uses. Integer shares, so
        # that the sums do not depend on the order the keys come in.
        votes: defaultdict[int, int] = defaultdict(int)
        for index_key in feats.index_keys:
            posting = self.postings.get(index_key)
            if posting is None or len(posting) > common:
                continue
            share = _VOTE // len(posting)
            for other in posting:
                if other[0] != entry.ticker_id:
                    votes[self.assignment[other]] += share
        # Most votes first, then the lower id (a stable sort of the id-sorted list).
        ranked = sorted(votes.items())
        ranked.sort(key=itemgetter(1), reverse=True)
        window = config.window
        out: list[int] = []
        for story_id, _ in ranked:
            if story_id == exclude or abs(entry.when - self.starts[story_id]) > window:
                continue
            out.append(story_id)
            if len(out) == config.max_candidates:
                break
        return out

    def score(self, entry: StoryEntry, feats: Features, story_id: int, vocab: Vocabulary) -> float:
        """Similarity of ``entry`` to the story: its matches with the story's entries of
        *other* tickers (so that no story grows by one ticker's entries alone), their
        best drawn towards their mean by ``_LINKAGE``.

        The best match alone lets a story grow by chains: a regional Corona figure
        joins the story of another region's through one member worded alike, the next
        through it, until one story holds a day's Corona reports. An entry of the event
        is like most of what the other tickers filed under it, not only like one."""
        own, kicker = feats, feats.kicker
        feats = self.compared(entry.key, feats)
        members = [
            (member, self.compared(member.key, self.feats[member.key]))
            for member in self.stories[story_id].members
        ]
        held: Counter[str] = Counter()
        naming: defaultdict[str, set[int]] = defaultdict(set)
        for member, theirs in members:
            held.update(theirs.names)
            for name in theirs.names:
                naming[name].add(member.ticker_id)
        agreed = frozenset(w for w, tickers in naming.items() if len(tickers) > 1)
        scores = [
            self._timed(match(feats, theirs, vocab, held, agreed), entry, member)
            - (_RUBRICS_APART if self._rubrics_apart(entry.key, kicker, member) else 0.0)
            if worded_alike(own, self.feats[member.key])
            else 0.0
            for member, theirs in members
            if member.ticker_id != entry.ticker_id
        ]
        if not scores:
            return 0.0
        top = max(scores)
        return top - _LINKAGE * (top - sum(scores) / len(scores))

    def _rubric(self, ticker: int, kicker: str) -> bool:
        return len(self.kickers.get((ticker, kicker), _NO_USES)) > 1

    def _rubrics_apart(self, key: EntryKey, kicker: str, member: StoryEntry) -> bool:
        """Whether an entry (``key``, its headline's ``kicker``) and ``member`` are filed
        under two different rubrics, each its own ticker's, one of them used by the
        other ticker too: newsrooms fed by one wire file one event under one rubric.
        A ticker's own kickers against rubrics the other never uses say nothing."""
        theirs = self.feats[member.key].kicker
        if not kicker or not theirs or kicker == theirs:
            return False
        mine, other = key[0], member.ticker_id
        return (
            self._rubric(mine, kicker)
            and self._rubric(other, theirs)
            and ((other, kicker) in self.kickers or (mine, theirs) in self.kickers)
        )

    def compared(self, key: EntryKey, feats: Features) -> Features:
        """The features an entry is compared by: without its headline's kicker where
        its ticker opens entries of two or more stories of the window with it. A
        kicker a ticker uses across events is its rubric ("Gesundheit:", "Wetter:",
        "Fußball:"), shared by unrelated reports; one it uses for one event names
        it ("BGH kippt Klarnamenpflicht:", "Quimper : l'incendie maîtrisé")."""
        if feats.unkicked is None:
            return feats
        stories = self.kickers.get((key[0], feats.kicker), _NO_USES)
        return feats.unkicked if len(stories) > 1 else feats

    def _timed(self, found: Match, entry: StoryEntry, member: StoryEntry) -> float:
        # Two entries that share two words nobody else in the window uses report one
        # event, however many hours apart: a follow-up (the verdict's reactions in
        # the evening, the study's second finding) keeps the event's own words. The
        # time cost is there to tell apart two events of one kind, which share only
        # the kind's stock words. So is one such word, when it is all they share and
        # no place: a hyphenated name and its head ("US-Bundesstaaten"), with no stock
        # word of a kind beside it.
        if found.names > 0 and (
            found.rare_shared >= _RARE_SHARED_TIMELESS or (found.rare_shared and found.only_rare)
        ):
            return found.score
        return found.score - self._apart(entry, member)

    def _apart(self, entry: StoryEntry, member: StoryEntry) -> float:
        """The cost of the time between two entries: competitors report one event
        within minutes to an hour of each other, while two events of one kind (two
        fires, two strikes) are hours apart more often than not."""
        hours = abs((entry.when - member.when).total_seconds()) / 3600.0
        close = self.config.close.total_seconds() / 3600.0
        return max(0.0, hours - close) * self.config.cost_per_hour

    def name_apart(self, one: int, other: int, but: EntryKey, vocab: Vocabulary) -> bool:
        """Whether some member of story ``one`` (other than ``but``) and a member of
        another ticker in story ``other`` each name what the other does not: two
        events, whatever an entry that matches both says."""
        for member in self.stories[one].members:
            if member.key == but:
                continue
            feats = self.compared(member.key, self.feats[member.key])
            for theirs in self.stories[other].members:
                if (
                    theirs.ticker_id != member.ticker_id
                    and match(feats, self.compared(theirs.key, self.feats[theirs.key]), vocab).names
                    < 0
                ):
                    return True
        return False

    def members_of(self, story_id: int) -> tuple[StoryEntry, ...]:
        story = self.stories.get(story_id)
        return () if story is None else story.members

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
        return DeskState(
            stories=self.stories.finish(),
            assignment=self.assignment.finish(),
            next_story_id=self.next_id,
            starts=self.starts.finish(),
            features=self.feats.finish(),
            document_frequency=self.df.finish(),
            postings=self.postings.finish(),
            kickers=self.kickers.finish(),
            sentences=self.sentences.finish(),
            filed=self.filed,
        )


def members_in_order(stories: Iterable[Story]) -> list[tuple[int, StoryEntry]]:
    """Every (story id, member) of ``stories``, oldest member first."""
    pairs = [(s.id, m) for s in stories for m in s.members]
    pairs.sort(key=lambda p: (p[1].when, p[1].ticker_id, p[1].entry_id))
    return pairs
