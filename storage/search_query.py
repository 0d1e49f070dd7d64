"""Search queries: what a reader types, read once into a :class:`SearchQuery`. Pure.

The syntax is the one search boxes teach: words (all must occur), ``"a phrase"``,
``prefix*`` and ``-word`` / ``-"a phrase"`` to exclude. A word is a run of letters and
digits, as SQLite FTS5's ``unicode61`` tokenizer and PostgreSQL's parser (after the
index replaced ASCII punctuation by spaces) both see it, so ``Kim-Panne`` is the phrase
``kim panne`` everywhere. Case does not matter; accents do (no index strips them).

The adapters render a query in their own language (:func:`fts5_match`,
:func:`tsquery`) or evaluate it themselves (:func:`matches`); :func:`highlight` marks the
matching words of a text for display.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

MAX_QUERY_CHARS = 300
MAX_TERMS = 12

_WORD = re.compile(r"[^\W_]+")
# A quoted phrase, or a run of anything but whitespace and quotes; either may carry a
# leading "-" (exclude) and a trailing "*" (prefix).
_CHUNK = re.compile(r'(-?)"([^"]*)"(\*?)|(-?)([^\s"]+)')


class InvalidQuery(ValueError):
    """A query that cannot be searched for; the message says why, in words."""


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase: ``words`` in the order given, as typed (NFC); ``prefix``
    lets the last word match any word it begins; ``negated`` excludes it."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str
    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)


def words_of(text: str | None) -> list[str]:
    """The words of ``text`` as the indexes see them (NFC, case kept)."""
    if not text:
        return []
    return _WORD.findall(unicodedata.normalize("NFC", text))


def parse_query(text: str) -> SearchQuery:
    """Read a query (``InvalidQuery`` for one that is empty, too long, or excludes only)."""
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        raise InvalidQuery("type a word to search for")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise InvalidQuery(f"a query may have at most {MAX_QUERY_CHARS} characters")
    terms: list[Term] = []
    for match in _CHUNK.finditer(cleaned):
        if match.group(2) is not None:
            negated, body, star = match.group(1), match.group(2), match.group(3)
        else:
            negated, body, star = match.group(4), match.group(5), ""
            if body.endswith("*"):
                body, star = body.rstrip("*"), "*"
        words = tuple(words_of(body))
        if not words:
            continue
        term = Term(words=words, prefix=bool(star), negated=bool(negated))
        if term not in terms:
            terms.append(term)
    if not terms:
        raise InvalidQuery("the query holds no word (letters or digits) to search for")
    if len(terms) > MAX_TERMS:
        raise InvalidQuery(f"a query may have at most {MAX_TERMS} words or phrases")
    if all(t.negated for t in terms):
        raise InvalidQuery("say what to search for, not only what to leave out")
    return SearchQuery(text=cleaned, terms=tuple(terms))


def fts5_match(query: SearchQuery) -> str:
    """The query as an FTS5 ``MATCH`` expression (every word quoted, so no word is
    read as an operator or a column name)."""

    def phrase(term: Term) -> str:
        quoted = '"' + " ".join(term.words) + '"'
        return quoted + ("*" if term.prefix else "")

    positive = " AND ".join(phrase(t) for t in query.positive)
    negative = "".join(f" NOT {phrase(t)}" for t in query.terms if t.negated)
    return positive + negative


def tsquery(query: SearchQuery) -> str:
    """The query as a PostgreSQL ``to_tsquery('simple', …)`` argument. Words are
    quoted lexemes (they hold only letters and digits); PostgreSQL folds their case as
    it folded the indexed text."""

    def phrase(term: Term) -> str:
        lexemes = [f"'{w}'" for w in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        joined = " <-> ".join(lexemes)
        return f"({joined})" if len(lexemes) > 1 else joined

    parts = [phrase(t) for t in query.positive]
    parts += [f"!{phrase(t)}" for t in query.terms if t.negated]
    return " & ".join(parts)


def _fold(words: Sequence[str]) -> list[str]:
    return [w.lower() for w in words]


def _term_at(term: Term, words: Sequence[str], start: int) -> bool:
    wanted = _fold(term.words)
    if start + len(wanted) > len(words):
        return False
    for offset, word in enumerate(wanted):
        seen = words[start + offset]
        last = offset == len(wanted) - 1
        if not (seen.startswith(word) if term.prefix and last else seen == word):
            return False
    return True


def term_in(term: Term, words: Sequence[str]) -> bool:
    """Whether ``term`` occurs in the (case-folded) word list ``words``."""
    return any(_term_at(term, words, i) for i in range(len(words)))


def matches(query: SearchQuery, fields: Sequence[str | None]) -> bool:
    """Whether a document whose searchable fields are ``fields`` (headline, text)
    matches ``query``; a phrase must lie within one field, as in the indexes."""
    folded = [_fold(words_of(f)) for f in fields]

    def occurs(term: Term) -> bool:
        return any(term_in(term, words) for words in folded)

    return all(occurs(t) for t in query.positive) and not any(
        occurs(t) for t in query.terms if t.negated
    )


@dataclass(frozen=True, slots=True)
class Mark:
    """A piece of text, ``hit`` when it is a word the query asked for."""

    text: str
    hit: bool


def highlight(text: str, query: SearchQuery) -> tuple[Mark, ...]:
    """``text`` cut into marks, the words of the query's positive terms marked."""
    wanted = [
        (word, term.prefix and i == len(term.words) - 1)
        for term in query.positive
        for i, word in enumerate(_fold(term.words))
    ]

    def asked(word: str) -> bool:
        folded = word.lower()
        return any(folded.startswith(w) if prefix else folded == w for w, prefix in wanted)

    marks: list[Mark] = []
    position = 0
    normalized = unicodedata.normalize("NFC", text)
    for found in _WORD.finditer(normalized):
        if asked(found.group()):
            if found.start() > position:
                marks.append(Mark(normalized[position : found.start()], False))
            marks.append(Mark(found.group(), True))
            position = found.end()
    if position < len(normalized):
        marks.append(Mark(normalized[position:], False))
    return tuple(marks)


def snippet(text: str, query: SearchQuery, *, width: int = 240) -> tuple[Mark, ...]:
    """About ``width`` characters of ``text`` around its first hit, highlighted; the
    start of the text when nothing in it matches (e.g. the hit is in the headline)."""
    normalized = unicodedata.normalize("NFC", text)
    marks = highlight(normalized, query)
    first = 0
    for mark in marks:
        if mark.hit:
            break
        first += len(mark.text)
    else:
        first = 0
    start = max(0, first - width // 3)
    end = min(len(normalized), start + width)
    # Cut at word boundaries so no word is shown halved.
    if start > 0:
        space = normalized.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    if end < len(normalized):
        space = normalized.rfind(" ", start, end)
        end = space if space > first else end
    piece = normalized[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(normalized) else ""
    return highlight(prefix + piece + suffix, query)
