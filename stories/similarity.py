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
evidence at all: :class:`Features` keeps the entry without its kicker as well, and
the desk's state says which kickers are rubrics (:meth:`stories.state.Workbench.compared`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from rapidfuzz import fuzz

from stories.model import StoryEntry
from stories.normalize import Token, fold, tokens

# Closed compounds: a key at least this long that starts or ends with another key of
# at least _PART characters is a partial match (Sturmtief ~ Sturm, Gletscherschmelze ~
# Schmelze), worth this share of the part's weight.
_COMPOUND = 7
_PART = 4
_PART_SHARE = 0.7
_PROPER_BOOST = 1.3
# Index keys for compounds: a key of _COMPOUND characters or more is also filed under
# its first and last _AFFIX characters, and every key of _AFFIX or more under its own.
_AFFIX = 5
# Blend of the parts; the threshold in StoryConfig is measured against this blend.
_WORDS_SHARE = 0.7
_FUZZ_SHARE = 0.3
_NUMBER_BONUS = 0.1
_MAX_NUMBER_BONUS = 0.2
_NUMBER_CONFLICT = 0.1
_NAMES_APART = 0.6
# Where every noun is capitalised, one shared word ("Gericht", "Auto", "Wochenende")
# that neither headline places the event at is thin evidence of one event: it takes
# back the name bonus it would have earned.
_THIN = 0.15
_NAMES_SHARED = 0.15
_RARE_NAME_MIN = 1
_RARE_NAME_SHARE = 0.005
# A word is rare enough for _rare_shared when no entry but the one compared with
# holds it, in a window of at least 1 / _RARE_SHARED_SHARE entries: in a window of
# forty, a word only one other entry used says little.
_RARE_SHARED_SHARE = 0.008
# Under this share of capitalised words inside sentences, a text capitalises only names.
_NOUN_CASE_SHARE = 0.3
# An anchor may be held by this many more of the window's entries than the rarest one.
_ANCHOR_SLACK = 1
# Names that two tickers of a story agree on and an entry must all hold to name it.
_AGREED_MIN = 2
# A kicker: what precedes a headline's first colon when a space follows it (not the
# colon of "14:05" or "2:1").
_KICKER = re.compile(r"\s*([^:]*?[^\s:])\s*:\s+(\S.*)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Features:
    """What an entry is compared by, computed once when it is placed."""

    words: frozenset[str]  # folded, stemmed content words of headline and lead
    numbers: frozenset[str]
    proper: frozenset[str]  # words capitalised inside a sentence
    names: frozenset[str]  # where the anchor is looked for (see _name_candidates)
    # The text capitalises only names (not every noun, not every word): its names are
    # names, so their count in a story does not make them common words.
    names_only: bool
    initials: frozenset[str]  # capitalised words that open a sentence or headline
    places: frozenset[str]  # the headline's places (see stories.normalize.Token.place)
    wording: str  # the headline's (else the lead's) keys, for RapidFuzz
    index_keys: frozenset[str]  # the keys an inverted index files this entry under
    # Each closed compound of ``words`` (_COMPOUND characters or more) and the parts it
    # may hold: its prefixes and suffixes of _PART characters or more, itself excluded.
    compounds: Mapping[str, frozenset[str]]
    parts: frozenset[str]  # the union of the compounds' parts
    # The headline's kicker ("Gesundheit" in "Gesundheit: Corona-Inzidenz in Bayern"),
    # folded, or "" without one; and the features of the entry without it, compared
    # instead where the ticker uses the kicker as a rubric (see stories.state).
    kicker: str = ""
    unkicked: Features | None = None
    # Words weighed as part of the entry's size but never shared: the kicker's, in
    # the features without it (a rubric is no evidence, but the headline is no
    # shorter for it).
    muted: frozenset[str] = frozenset()


def _affixes(word: str) -> frozenset[str]:
    """The parts a closed compound may hold: its prefixes and suffixes of _PART
    characters or more, shorter than the word (Sturmtief: stur.., sturm, tief, ...)."""
    return frozenset(affix for n in range(_PART, len(word)) for affix in (word[:n], word[-n:]))


def _compounds(words: frozenset[str]) -> dict[str, frozenset[str]]:
    return {w: _affixes(w) for w in words if len(w) >= _COMPOUND}


def _index_keys(words: frozenset[str], numbers: frozenset[str]) -> frozenset[str]:
    keys = set(words)
    for word in words:
        if len(word) >= _AFFIX:
            keys.add("^" + word[:_AFFIX])
            keys.add("$" + word[-_AFFIX:])
    keys.update("#" + n for n in numbers)
    return frozenset(keys)


def _capitalises_names_only(both: list[Token]) -> bool:
    # Distinct words, not occurrences: a short text that repeats its two names ("la
    # tempête Alex a touché Nîmes … Après la tempête Alex, Nîmes nettoie") still
    # capitalises only names.
    inside = {
        t.key: t.capitalised for t in both if not t.number and not (t.upper and not t.capitalised)
    }
    capitalised = sum(inside.values())
    return bool(inside) and capitalised < _NOUN_CASE_SHARE * len(inside)


def _name_candidates(both: list[Token]) -> frozenset[str]:
    """The words an entry's names are looked for among.

    Where a text capitalises only names (English, French: under a third of its words
    inside sentences are capitalised), the words capitalised inside a sentence; a
    sentence's first word is capitalised by grammar, not because it is a name. Where
    it capitalises every noun (German) or every word (title case), capitalisation says
    little and every capitalised word is a candidate: rarity picks the name.
    """
    if _capitalises_names_only(both):
        return frozenset(t.key for t in both if t.capitalised)
    return frozenset(t.key for t in both if t.upper)


def kicker(title: str) -> tuple[str, str]:
    """A headline's kicker, folded, and the headline after it ("Wetter: Sturm im
    Harz" -> "wetter", "Sturm im Harz"); "" and the headline when it has none."""
    found = _KICKER.match(title)
    if found is None:
        return "", title
    return " ".join(fold(w) for w in found[1].split()), found[2]


def features(entry: StoryEntry, lead_words: int) -> Features:
    """The features of ``entry``: its headline and the first ``lead_words`` body words;
    where the headline has a kicker, also those of the entry without it (``unkicked``),
    compared instead when the kicker is its ticker's rubric."""
    body = tokens(entry.text)[:lead_words]
    kick, rest = kicker(entry.title)
    if not kick:
        return _features(tokens(entry.title), body)
    full = _features(tokens(entry.title), body)
    bare = _features(tokens(rest), body)
    bare = replace(bare, muted=full.words - bare.words)
    return replace(full, kicker=kick, unkicked=bare)


def _features(title: list[Token], body: list[Token]) -> Features:
    both = title + body
    words = frozenset(t.key for t in both if not t.number)
    numbers = frozenset(t.key for t in both if t.number)
    wording = " ".join(t.key for t in (title or body) if not t.number)
    compounds = _compounds(words)
    return Features(
        words=words,
        numbers=numbers,
        index_keys=_index_keys(words, numbers),
        proper=frozenset(t.key for t in both if t.capitalised),
        names=_name_candidates(both),
        names_only=_capitalises_names_only(both),
        initials=frozenset(t.key for t in both if t.upper and not t.capitalised),
        places=frozenset(t.key for t in title if t.place),
        wording=wording,
        compounds=compounds,
        parts=frozenset().union(*compounds.values()),
    )


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
    Bielefeld strike's Streik, Flughafen, Bielefeld).
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
        if len(told) >= _AGREED_MIN and all(_holds(a, w) for w in told):
            return 1
    own = held if held is not None and (a.names_only or b.names_only) else None
    if any(df.get(w, 0) - (own.get(w, 0) if own else 0) <= rare for w in a.names & b.names):
        # They share a name that is rare in the window (a minister, a company): each
        # headline's own odd word ("Wegfall", "Strompreise") does not set them apart.
        return 1
    a_in_b = any(_holds(b, w) for w in anchors_a)
    b_in_a = any(_holds(a, w) for w in anchors_b)
    if a_in_b and b_in_a:
        return 1
    return -1 if not (a_in_b or b_in_a) else 0


def _elsewhere(a: Features, b: Features) -> bool:
    """Whether each entry places its event where the other does not mention at all
    ("Tödlicher Verkehrsunfall bei Stade" / "… in Marktheidenfeld", "Corona-Inzidenz
    in Bayern" / "… in NRW"): two events of one kind, however alike the wording. An
    entry naming no place, or only places the other names too, may report either."""
    return any(not _holds(b, w) for w in a.places) and any(not _holds(a, w) for w in b.places)


def _holds(feats: Features, word: str) -> bool:
    # The word itself, a closed compound holding it, or a part of it (Sturmtief ~ Sturm).
    return (
        word in feats.words
        or word in feats.parts
        or (len(word) >= _COMPOUND and not _affixes(word).isdisjoint(feats.words))
    )


@dataclass(frozen=True, slots=True)
class Match:
    """A similarity and the name evidence in it: +1 when the two entries share their
    rare names, -1 when each names something the other does not, else 0."""

    score: float
    names: int
    # Distinct words both entries hold that are rare in the window (see _rare_shared).
    rare_shared: int = 0


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
    if (
        not (a.names_only or b.names_only)
        and len(shared) + same_numbers + (parts > 0) == 1
        and shared.isdisjoint(a.places | b.places)
    ):
        score -= _THIN
    if names < 0:
        score -= _NAMES_APART
    elif names > 0:
        score += _NAMES_SHARED
    return Match(score, names, _rare_shared(a, b, vocab))


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
    rare = min(1.0, _RARE_SHARED_SHARE * vocab.size)
    found = {w for w in a.words & b.words if df.get(w, 0) <= rare}
    for longs, parts in ((a, b.words), (b, a.words)):
        for part in (parts - longs.words) & longs.parts:
            if df.get(part, 0) <= rare:
                found.add(part)
    return sum(1 for w in found if not any(w != o and w in o for o in found))
