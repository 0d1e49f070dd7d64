"""How alike two entries are, 0..1: weighted shared words, RapidFuzz, shared numbers.

Two tickers reporting one event share its rare words (names, places, the storm's
name, the company) and its numbers, while two events of one kind (two earthquakes,
two strikes) share the common words of that kind. So a word weighs by its rarity
across the desk's window (:class:`Vocabulary`), and a word
capitalised inside a sentence in both texts (a proper noun, or in German any noun)
weighs a little more. Numbers count apart: a shared figure is strong evidence, two
texts that each cite figures but none in common are weak counter-evidence.

The RapidFuzz ``token_set_ratio`` of the folded headlines (or leads, where an entry
has no headline) adds the word-order-free overlap of the wording itself.

Two things tell events of one kind apart however alike their wording: headlines that
each place their event where the other does not ("Tödlicher Verkehrsunfall bei
Stade" / "… in Marktheidenfeld", :func:`_elsewhere`), and a ticker's rubric, the
kicker it files unrelated reports under ("Gesundheit:", "Unfälle:"), which is no
evidence at all: :class:`stories.features.Features` keeps the entry without its
kicker as well, and the desk's state says which kickers are rubrics
(:meth:`stories.state.Workbench.compared`). Stock sentences ("Mehr in Kürze.") are
left out of an entry's features by the desk's state as well
(:meth:`stories.state.Workbench.features_of`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz

from stories.features import Features, holds

# A closed compound's part shared with the other side (see stories.features) is worth
# this share of the part's weight.
_PART_SHARE = 0.7
_PROPER_BOOST = 1.3
# Blend of the parts; the threshold in StoryConfig is measured against this blend.
_WORDS_SHARE = 0.7
_FUZZ_SHARE = 0.3
_NUMBER_BONUS = 0.1
_MAX_NUMBER_BONUS = 0.2
_NUMBER_CONFLICT = 0.1
_NAMES_APART = 0.6
# One shared word that neither headline places the event at is thin evidence of one
# event: where every noun is capitalised it may be any noun ("Gericht", "Auto",
# "Wochenende"), and where case marks names a town shared by a strike and a fire. It
# takes back the name bonus it would have earned.
_THIN = 0.15
_NAMES_SHARED = 0.15
_RARE_NAME_MIN = 1
_RARE_NAME_SHARE = 0.005
# A word is rare enough for _rare_shared when no entry but the one compared with
# holds it, in a window of at least 1 / _RARE_SHARED_SHARE entries: in a window of
# forty, a word only one other entry used says little.
_RARE_SHARED_SHARE = 0.008
# An anchor may be held by this many more of the window's entries than the rarest one.
_ANCHOR_SLACK = 1
# Names that two tickers of a story agree on and an entry must all hold to name it.
_AGREED_MIN = 2


class Counts(Protocol):
    """Word -> count lookups: a dict, a mapping, or a pending change set of one."""

    def get(self, key: str, default: int, /) -> int: ...


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """How many of the window's ``size`` entries hold each word: the rarity weights."""

    document_frequency: Counts
    size: int

    def weight(self, word: str) -> float:
        # The square root, not the logarithm of IDF: a name is in a handful of a day's
        # entries, the stock words of a kind of event ("Warnstreik", "Flughafen") in
        # a few dozen, and the log squeezes that 5-10x rarity to a weight ratio of
        # ~1.3, too little to tell two strikes at two airports apart.
        df = self.document_frequency.get(word, 0)
        return math.sqrt((self.size + 1) / (df + 1))


def _compound_share(
    a: Features, only_a: frozenset[str], b: Features, only_b: frozenset[str], vocab: Vocabulary
) -> float:
    """Weight of the parts that closed compounds of one side share with the other side.

    Each compound counts one part, its rarest (Sturmtief ~ Sturm); a part counts once."""
    total = 0.0
    used: set[str] = set()
    weight = vocab.weight
    for longs, compounds, parts in ((only_a, a.compounds, only_b), (only_b, b.compounds, only_a)):
        for long in longs & compounds.keys():
            found = (compounds[long] & parts) - used
            if found:
                part = max(found, key=lambda w: (weight(w), w))
                total += _PART_SHARE * weight(part)
                used.add(part)
    return total


def _anchors(names: frozenset[str], vocab: Vocabulary) -> list[str]:
    """An entry's rarest ``names`` (within a little of the rarest one).

    In news the rarest capitalised word of an entry is, most often, the name its
    event is known by: the town, the person, the storm. Rarity across the window, not
    capitalisation alone, is what keeps German nouns out: they are as common as the
    kind of event they describe. A few near-rarest words are kept, not one, since one
    entry's odd word can be rarer than the event's name. "A little" is one entry:
    an event's name that one earlier report already carries (in one entry of the
    window) is as telling as this entry's own odd word (in none), and without that
    slack every second report of an event was judged by its odd word alone.
    """
    df = vocab.document_frequency
    counts = [(df.get(w, 0), w) for w in names]
    if not counts:
        return []
    rarest = min(c for c, _ in counts)
    return [w for c, w in counts if c <= rarest + _ANCHOR_SLACK]


def _names(
    a: Features,
    b: Features,
    vocab: Vocabulary,
    held: Counts | None = None,
    agreed: frozenset[str] = frozenset(),
) -> int:
    """+1 when each entry holds one of the other's rarest names (an update naming the
    storm and the town, worded nothing like the first report), -1 when neither does
    (two fires in two towns, two strikes at two airports, worded from the same stock
    phrases), else 0.

    ``held`` counts, per word, the entries of the story ``b`` belongs to that name it.
    Where either text capitalises only names, a name's rarity is counted outside that
    story: every report of an event repeats its name (the storm, the company), so
    the third report of "Storm Dudley" must not find "Dudley" common because the
    first two used it. Where every noun is capitalised (German), a story's own
    words may be the stock words of its kind of event ("Flughafen", "Streik"), which
    would turn rare if counted outside it, so the whole window counts.

    ``agreed`` are the names that members of two or more tickers of that story hold:
    what independent newsrooms agreed the event is called. When ``a`` holds every
    one of them that is rare outside the story, and there are at least two, it names
    the event: the follow-up hours later ("Nach Sturm Zeynep: Aufräumarbeiten in
    Jena"), whatever odd word of its own it adds. A report of another event of the
    kind lacks the agreed town or person ("Streik am Flughafen Paderborn" against the
    Bielefeld strike's Streik, Flughafen, Bielefeld); when it holds none of the
    agreed names and its own rarest name is one no member of the story names
    (Carvelle's job cuts against the Frontenac story), it reports another event,
    whatever common word ("France") it shares with one member.
    """
    # A word that opens a text is capitalised by grammar, so it is no name candidate
    # where case marks names; but when the other text capitalises it inside a
    # sentence, it is a name in both ("Bellmont to cut 15 jobs" / "15 jobs will go
    # at Bellmont"): a headline often opens with the company or the town.
    names_a = a.names | (a.initials & b.names) if a.names_only else a.names
    names_b = b.names | (b.initials & a.names) if b.names_only else b.names
    anchors_a, anchors_b = _anchors(names_a, vocab), _anchors(names_b, vocab)
    if not (anchors_a and anchors_b):
        return 0
    rare = max(_RARE_NAME_MIN, _RARE_NAME_SHARE * vocab.size)
    df = vocab.document_frequency
    if agreed and held is not None:
        told = [w for w in agreed if df.get(w, 0) - held.get(w, 0) <= rare]
        if len(told) >= _AGREED_MIN and all(holds(a, w) for w in told):
            return 1
        if told and not any(holds(a, w) for w in agreed):
            rarest = min(df.get(w, 0) for w in anchors_a)
            if all(
                held.get(w, 0) == 0 and not holds(b, w) for w in anchors_a if df.get(w, 0) == rarest
            ):
                return -1
    own = held if held is not None and (a.names_only or b.names_only) else None
    if any(df.get(w, 0) - (own.get(w, 0) if own else 0) <= rare for w in a.names & b.names):
        # They share a name that is rare in the window (a minister, a company): each
        # headline's own odd word ("Wegfall", "Strompreise") does not set them apart.
        return 1
    a_in_b = any(holds(b, w) for w in anchors_a)
    b_in_a = any(holds(a, w) for w in anchors_b)
    if a_in_b and b_in_a:
        return 1
    return -1 if not (a_in_b or b_in_a) else 0


def _elsewhere(a: Features, b: Features) -> bool:
    """Whether each entry places its event where the other does not mention at all
    ("Tödlicher Verkehrsunfall bei Stade" / "… in Marktheidenfeld", "Corona-Inzidenz
    in Bayern" / "… in NRW"): two events of one kind, however alike the wording. An
    entry naming no place, or only places the other names too, may report either."""
    return any(not holds(b, w) for w in a.places) and any(not holds(a, w) for w in b.places)


@dataclass(frozen=True, slots=True)
class Match:
    """A similarity and the name evidence in it: +1 when the two entries share their
    rare names, -1 when each names something the other does not, else 0."""

    score: float
    names: int
    # Distinct words both entries hold that are rare in the window (see _rare_shared).
    rare_shared: int = 0
    # Both entries hold two or more words (a hyphenated name gives its head as well),
    # every one rare in the window and none a headline's place: no stock word of a
    # kind of event, no town two events may share.
    only_rare: bool = False


def similarity(a: Features, b: Features, vocab: Vocabulary) -> float:
    """How alike two entries are, 0..1 (rarely a little above 1 with shared numbers)."""
    return match(a, b, vocab).score


def match(
    a: Features,
    b: Features,
    vocab: Vocabulary,
    held: Counts | None = None,
    agreed: frozenset[str] = frozenset(),
) -> Match:
    """:func:`similarity` with the name evidence it weighed (see :class:`Match`);
    ``held`` counts the names of the story ``b`` is compared as a member of, and
    ``agreed`` are the names members of two or more of its tickers hold (see
    :func:`_names`)."""
    shared = a.words & b.words
    if not shared and not (a.numbers & b.numbers):
        only = _compound_share(a, a.words, b, b.words, vocab)
        if only == 0.0:
            return Match(0.0, 0)
    weight = vocab.weight
    proper = a.proper & b.proper
    common = sum(weight(w) * (_PROPER_BOOST if w in proper else 1.0) for w in shared)
    parts = _compound_share(a, a.words - shared, b, b.words - shared, vocab)
    common += parts
    size_a = sum(weight(w) for w in a.words | a.muted)
    size_b = sum(weight(w) for w in b.words | b.muted)
    small, large = min(size_a, size_b), max(size_a, size_b)
    # Mostly the smaller side's coverage: a headline inside a long live-blog entry is
    # a match; a little of the larger side's, so one shared word in 50 is not.
    words = min(1.0, common / (0.75 * small + 0.25 * large)) if small > 0 else 0.0
    wording = fuzz.token_set_ratio(a.wording, b.wording) / 100.0 if a.wording and b.wording else 0.0
    score = _WORDS_SHARE * words + _FUZZ_SHARE * wording
    same_numbers = len(a.numbers & b.numbers)
    if same_numbers:
        score += min(_MAX_NUMBER_BONUS, _NUMBER_BONUS * same_numbers)
    elif a.numbers and b.numbers:
        score -= _NUMBER_CONFLICT
    names = -1 if _elsewhere(a, b) else _names(a, b, vocab, held, agreed)
    if len(shared) + same_numbers + (parts > 0) == 1 and shared.isdisjoint(a.places | b.places):
        score -= _THIN
    if names < 0:
        score -= _NAMES_APART
    elif names > 0:
        score += _NAMES_SHARED
    df, limit = vocab.document_frequency, _rare_limit(vocab)
    only_rare = (
        len(shared) > 1
        and all(df.get(w, 0) <= limit for w in shared)
        and shared.isdisjoint(a.places | b.places)
    )
    return Match(score, names, _rare_shared(a, b, vocab), only_rare)


def _rare_limit(vocab: Vocabulary) -> float:
    """How many of the window's entries may hold a word rare enough for
    :func:`_rare_shared`: none but the one compared with, in a window of at least
    1 / _RARE_SHARED_SHARE entries."""
    return min(1.0, _RARE_SHARED_SHARE * vocab.size)


def _rare_shared(a: Features, b: Features, vocab: Vocabulary) -> int:
    """How many distinct words two entries share that no other entry of the window
    holds, a closed compound's part counting as shared (Messenger ~
    Messengerdienste) and a hyphenated word's parts as the word itself
    (US-Bundesstaaten gives bundesstaat and usbundesstaat: one).

    Two such words are the mark of one event (a court and the rule it struck down,
    a company and its product): a report of another event of the same kind shares
    the stock words of that kind, which other entries use too, and one odd word
    may be chance, two seldom are."""
    df = vocab.document_frequency
    rare = _rare_limit(vocab)
    found = {w for w in a.words & b.words if df.get(w, 0) <= rare}
    for longs, parts in ((a, b.words), (b, a.words)):
        for part in (parts - longs.words) & longs.parts:
            if df.get(part, 0) <= rare:
                found.add(part)
    return sum(1 for w in found if not any(w != o and w in o for o in found))
