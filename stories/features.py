"""What an entry is compared by: :class:`Features`, computed once when it is placed.

An entry's headline and the lead of its body give folded, stemmed words, numbers and
the words that may be names (capitalised inside a sentence, or, where a text
capitalises every noun, every capitalised word); a headline's kicker ("Wetter:") is
kept apart, so that the desk's state can compare the entry without it where it is a
ticker's rubric; closed compounds give the parts they may hold (Sturmtief ~ Sturm).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from stories.model import StoryEntry
from stories.normalize import Token, fold, sentences, tokens

# Closed compounds: a key at least this long that starts or ends with another key of
# at least PART characters is a partial match (Sturmtief ~ Sturm, Gletscherschmelze ~
# Schmelze).
COMPOUND = 7
PART = 4
# Index keys for compounds: a key of COMPOUND characters or more is also filed under
# its first and last _AFFIX characters, and every key of _AFFIX or more under its own.
_AFFIX = 5
# Over this share of capitalised words, a headline is in title case.
_TITLE_CASE_SHARE = 0.8
# Under this share of capitalised words inside sentences, a text capitalises only names.
_NOUN_CASE_SHARE = 0.3
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
    # The headline's places (see stories.normalize.Token.place) and, where every noun
    # is capitalised, the names in apposition (Token.apposed) of its headline and of
    # its body's first sentence that is not stock.
    places: frozenset[str]
    wording: str  # the headline's (else the lead's) keys, for RapidFuzz
    index_keys: frozenset[str]  # the keys an inverted index files this entry under
    # Each closed compound of ``words`` (COMPOUND characters or more) and the parts it
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
    # The keys of the body's sentences (see stories.normalize.sentences), stock ones
    # included: what the desk's state counts to tell stock sentences.
    sentences: frozenset[str] = frozenset()
    # Its ticker filed the same words on another day (see stories.recurring): a
    # regular feature, alike only to entries worded the same.
    recurring: bool = False


def affixes(word: str) -> frozenset[str]:
    """The parts a closed compound may hold: its prefixes and suffixes of _PART
    characters or more, shorter than the word (Sturmtief: stur.., sturm, tief, ...)."""
    return frozenset(affix for n in range(PART, len(word)) for affix in (word[:n], word[-n:]))


def _compounds(words: frozenset[str]) -> dict[str, frozenset[str]]:
    return {w: affixes(w) for w in words if len(w) >= COMPOUND}


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


def features(
    entry: StoryEntry, lead_words: int, stock: Callable[[str], bool] = lambda _: False
) -> Features:
    """The features of ``entry``: its headline and the first ``lead_words`` words of
    its body's sentences that are not ``stock`` (sentence key -> whether the desk's
    tickers file it under unrelated events: "More to follow shortly."); where the
    headline has a kicker, also those of the entry without it (``unkicked``),
    compared instead when the kicker is its ticker's rubric."""
    said = sentences(entry.text)
    kept = [part for key, part in said if not stock(key)]
    body = [t for part in kept for t in part][:lead_words]
    lead = kept[0] if kept else []
    keys = frozenset(key for key, _ in said)
    kick, rest = kicker(entry.title)
    if not kick:
        return replace(_features(tokens(entry.title), body, lead), sentences=keys)
    full = _features(tokens(entry.title), body, lead)
    bare = _features(tokens(rest), body, lead)
    bare = replace(bare, muted=full.words - bare.words)
    return replace(full, kicker=kick, unkicked=bare, sentences=keys)


def _features(title: list[Token], body: list[Token], lead: list[Token]) -> Features:
    both = title + body
    words = frozenset(t.key for t in both if not t.number)
    numbers = frozenset(t.key for t in both if t.number)
    wording = " ".join(t.key for t in (title or body) if not t.number)
    compounds = _compounds(words)
    names_only = _capitalises_names_only(both)
    places = {t.key for t in title if t.place}
    title_case = bool(title) and sum(1 for t in title if t.upper) >= _TITLE_CASE_SHARE * len(title)
    if not names_only and not title_case:
        # Where every noun is capitalised, a capitalised word in apposition to a noun
        # ("Flughafen Passau", "Bürgermeister Malte Eschweiler") names the place or the
        # person as surely as a preposition of place does; in title case every word
        # would pass for one.
        places.update(t.key for t in title + lead if t.apposed)
    return Features(
        words=words,
        numbers=numbers,
        index_keys=_index_keys(words, numbers),
        proper=frozenset(t.key for t in both if t.capitalised),
        names=_name_candidates(both),
        names_only=names_only,
        initials=frozenset(t.key for t in both if t.upper and not t.capitalised),
        places=frozenset(places),
        wording=wording,
        compounds=compounds,
        parts=frozenset().union(*compounds.values()),
    )


def holds(feats: Features, word: str) -> bool:
    """Whether ``feats`` hold ``word``: the word itself, a closed compound holding it,
    or a part of it (Sturmtief ~ Sturm)."""
    return (
        word in feats.words
        or word in feats.parts
        or (len(word) >= COMPOUND and not affixes(word).isdisjoint(feats.words))
    )
