"""Headline and text in the form stories are compared in: folded, stemmed word tokens.

Tickers of one desk report an event in different words, spellings and languages'
conventions, so a token is folded until the spellings a reader takes for one word
agree: case folded; umlauts, their ``ae``/``oe``/``ue`` transcriptions and the bare
vowel (Müller, Mueller, Muller) folded to one key; ß to ss; accents dropped (é → e);
then a crude suffix strip makes inflected forms agree (schmelzen/Schmelze,
resigns/resigned, blessés/blessé). The keys are not words any more; they only need to
agree between two texts, which they do because both sides are folded alike.

Numbers stay tokens of their own, in one form: ``7,3`` and ``7.3`` are ``7.3``;
thousands separators (``118.970``, ``118,970``) are dropped. Stop words of de, en, fr,
es and it are dropped. Hyphenated compounds give their parts and the joined form;
closed German compounds (Sturmtief, Gletscherschmelze) are matched part-wise when two
texts are compared (:mod:`stories.features`), since which parts are
words depends on the other text.

A capitalised word right after a preposition of place ("in Paderborn", "bei Stade",
"à Quimper", "in Berlin und Brandenburg") is marked as a place: where the event is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stories.stopwords import STOP_WORDS_RAW
from stories.synonyms import SAME_KIND

# A word or a number; numbers may carry decimal or thousands separators.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:[-‐‑][^\W\d_]+)*", re.UNICODE)
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
# Longest first: the first suffix that leaves a stem of _MIN_STEM characters is cut.
_SUFFIXES = ("ungen", "ung", "ing", "en", "er", "es", "ed", "e", "s", "n")
_MIN_STEM = 4
_VOWEL_PAIRS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold(word: str) -> str:
    """One word case-folded, with umlauts/transcriptions, ß and accents folded."""
    word = word.casefold()  # ß -> ss as well
    word = word.replace("ä", "a").replace("ö", "o").replace("ü", "u")
    for pair, vowel in _VOWEL_PAIRS:
        word = word.replace(pair, vowel)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(key: str) -> str:
    """A folded word with one common inflection suffix cut (numbers unchanged)."""
    if key[0].isdigit():
        return key
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_STEM:
            return key[: -len(suffix)]
    return key


STOP_WORDS: frozenset[str] = frozenset(fold(w) for w in STOP_WORDS_RAW)
# The words of stories.synonyms, folded and stemmed, to the word of their kind.
SYNONYMS: dict[str, str] = {stem(fold(w)): stem(fold(kind)) for w, kind in SAME_KIND.items()}


def _number(raw: str) -> str:
    # Groups of exactly three digits after the separator are thousands (118.970 in
    # German, 118,970 in English) far more often than three-decimal figures in news.
    if _THOUSANDS.match(raw):
        return re.sub(r"[.,]", "", raw)
    return raw.replace(",", ".")


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a text: its key, and whether it looked like a proper noun or number."""

    key: str
    number: bool
    # Capitalised but not the first word of its sentence or headline part. In German
    # every noun qualifies, which is why rarity, not this flag, carries most weight.
    capitalised: bool
    # Capitalised anywhere, sentence starts included ("Trier: Streik am Flughafen").
    upper: bool = False
    # Capitalised, right after a preposition of place ("in Paderborn", "à Quimper"),
    # or after such a place and "und" ("in Berlin und Brandenburg"): where it happened.
    place: bool = False
    # Capitalised, right after another capitalised word with no punctuation between
    # ("Flughafen Passau", "Sturmtief Nadia", "Malte Eschweiler"): where every noun is
    # capitalised, a word standing in apposition to a noun is most often a name.
    apposed: bool = False


# Prepositions of place. Only the word right after one: with an article or adjective
# between, German names things, not places ("im Prozess", "am Abend").
_LOCATIVE = frozenset({"in", "bei", "nahe", "near", "at", "à", "au", "aux"})
# Conjunctions joining a second place to the first.
_AND = frozenset({"und", "and", "et", "y", "e"})
# Punctuation between two capitalised words that ends an apposition.
_APPOSITION_BREAK = re.compile(r"[.:!?,;()\[\]–—-]")
# Punctuation that ends a run of places.
_PLACE_BREAK = frozenset('.:!?,;«»"()')


def tokens(text: str) -> list[Token]:
    """The content tokens of ``text`` in order: stop words and 1-letter words dropped."""
    out: list[Token] = []
    sentence_start = True
    placing = False  # a capitalised word here is a place
    joined = False  # the word before was a place
    after_upper = False  # the word before was capitalised, nothing between but space
    for match in _TOKEN.finditer(unicodedata.normalize("NFKC", text)):
        raw = match.group()
        before = text[match.start() - 2 : match.start()] if match.start() else ""
        initial = sentence_start or any(c in before for c in ".:!?«»\"'")
        sentence_start = False
        if not _PLACE_BREAK.isdisjoint(before):
            placing = joined = False
        folded = raw.casefold()
        place = placing and raw[0].isupper()
        apposed = after_upper and raw[0].isupper() and not _APPOSITION_BREAK.search(before)
        # Not after a sentence's first word: it may be an adjective ("Deutsche
        # Wirtschaft", "Neue Termine"), capitalised only by its place.
        after_upper = raw[0].isupper() and not initial and fold(raw) not in STOP_WORDS
        if folded in _LOCATIVE:
            placing, joined = True, False
        elif place:
            placing = joined = True  # a name of several words ("Flughafen Bielefeld")
        else:
            placing, joined = joined and folded in _AND, False
        if raw[0].isdigit():
            out.append(Token(_number(raw), number=True, capitalised=False, upper=False))
            continue
        capitalised = raw[0].isupper() and not initial
        parts = re.split(r"[-‐‑]", raw)
        keys = [fold(p) for p in parts]
        if len(parts) > 1:
            keys.append("".join(keys))
        for key in keys:
            if len(key) < 2 or key in STOP_WORDS:
                continue
            stemmed = stem(key)
            out.append(
                Token(
                    SYNONYMS.get(stemmed, stemmed),
                    number=False,
                    capitalised=capitalised,
                    upper=raw[0].isupper(),
                    place=place,
                    apposed=apposed,
                )
            )
    return out


# A sentence ends at . ! ? or … followed by white space, or at the end of the text.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(text: str) -> list[tuple[str, list[Token]]]:
    """The sentences of ``text`` in order, each with its key (its tokens' keys joined:
    two spellings of one stock sentence agree) and its tokens; sentences without
    content tokens are left out."""
    out = []
    for sentence in _SENTENCE_END.split(text):
        found = tokens(sentence)
        if found:
            out.append((" ".join(t.key for t in found), found))
    return out
