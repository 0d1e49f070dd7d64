"""Platform-neutral message text: marked spans, compact word diffs, word-boundary cuts.

A :data:`Paragraph` is a sequence of :class:`Span` joined by single spaces; a span is
plain, deleted or inserted text, and each platform renders the marks in its own markup
(struck through and bold). Lengths here are counted in characters of the source text,
before any escaping: the platform formatters measure the escaped result in the
platform's own units and shrink the budget until it fits (:mod:`alerts.formatting.limits`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from diffing.model import WordOp

ELLIPSIS = "…"
CONTEXT_WORDS = 5  # unchanged words kept on either side of a change in a word diff


class Mark(enum.Enum):
    PLAIN = "plain"
    DELETED = "deleted"
    INSERTED = "inserted"


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    mark: Mark = Mark.PLAIN


Paragraph = tuple[Span, ...]


def plain(text: str) -> Paragraph:
    return (Span(text),)


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """An entry's text as plain paragraphs, one per non-blank line."""
    return tuple(plain(" ".join(line.split())) for line in text.splitlines() if line.strip())


def change_line(
    old: str | None, new: str | None, *, label: str | None = None, none: str = "—"
) -> Paragraph:
    """``[label] old → new`` with the old value struck through and the new one bold
    (``none`` stands for a missing value, unmarked)."""
    return (
        *((Span(label),) if label else ()),
        Span(old or none, Mark.DELETED if old else Mark.PLAIN),
        Span("→"),
        Span(new or none, Mark.INSERTED if new else Mark.PLAIN),
    )


def compact_diff(ops: Sequence[WordOp], *, context: int = CONTEXT_WORDS) -> Paragraph:
    """The changed spans of a word diff with ``context`` unchanged words around each.

    Unchanged runs longer than that are elided with "…", so an edit of one word in a long
    entry shows a line, not the entry twice.
    """
    spans: list[Span] = []
    last = len(ops) - 1
    for index, op in enumerate(ops):
        if op.op == "equal":
            spans.extend(_context(op.old.split(), first=index == 0, last=index == last, n=context))
            continue
        if op.old and op.op in ("delete", "replace"):
            spans.append(Span(op.old, Mark.DELETED))
        if op.new and op.op in ("insert", "replace"):
            spans.append(Span(op.new, Mark.INSERTED))
    return tuple(spans)


def _context(words: list[str], *, first: bool, last: bool, n: int) -> list[Span]:
    if not words:
        return []
    if first and last:  # no change at all: nothing to elide around
        return [Span(" ".join(words))]
    if first:
        kept = words[-n:] if n else []
        return ([Span(ELLIPSIS)] if len(words) > n else []) + _joined(kept)
    if last:
        kept = words[:n]
        return _joined(kept) + ([Span(ELLIPSIS)] if len(words) > n else [])
    if len(words) <= 2 * n + 1:
        return _joined(words)
    return [*_joined(words[:n]), Span(ELLIPSIS), *_joined(words[-n:])]


def _joined(words: list[str]) -> list[Span]:
    return [Span(" ".join(words))] if words else []


def length(body: Sequence[Paragraph]) -> int:
    """Characters of the body as plain text: spans joined by spaces, paragraphs by newlines."""
    total = sum(len(span.text) for paragraph in body for span in paragraph)
    total += sum(max(len(paragraph) - 1, 0) for paragraph in body)
    return total + max(len(body) - 1, 0)


def word_prefix(text: str, limit: int) -> str:
    """The longest prefix of ``text`` of at most ``limit`` characters that ends at a word
    boundary (trailing space removed); a first word longer than ``limit`` is cut inside."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    head = text[:limit]
    if not text[limit].isspace():  # the cut falls inside a word: drop that word
        boundary = max(head.rfind(" "), head.rfind("\n"))
        if boundary > 0:
            head = head[:boundary]
    return head.rstrip()


def cut_words(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else :func:`word_prefix` of it
    followed by "…", within ``limit`` (taken as at least 1)."""
    limit = max(limit, 1)
    if len(text) <= limit:
        return text
    return word_prefix(text, limit - 1) + ELLIPSIS


def truncate(body: Sequence[Paragraph], budget: int) -> tuple[Paragraph, ...]:
    """The body cut to at most ``budget`` characters (as :func:`length` counts them) at a
    word boundary, ending in "…" when anything was cut. Never empty when the body is
    not: below one word the result is "…" alone (so at least one character)."""
    if length(body) <= budget:
        return tuple(body)
    budget = max(budget, 1)
    kept: list[Paragraph] = []
    used = 0
    # Invariant: used + 2 <= budget, so " …" always fits after what is kept.
    for paragraph in body:
        spans: list[Span] = []
        for span in paragraph:
            sep = 1 if (spans or kept) else 0
            if used + sep + len(span.text) + 2 <= budget:
                spans.append(span)
                used += sep + len(span.text)
                continue
            room = budget - used - sep - 2
            head = word_prefix(span.text, room)
            if head:
                spans.append(Span(head, span.mark))
            return _close(kept, spans)
        kept.append(tuple(spans))
    return _close(kept, [])  # not reached: the last span cannot fit with " …" after it


def _close(kept: list[Paragraph], spans: list[Span]) -> tuple[Paragraph, ...]:
    """End a cut body with "…" on the paragraph where the cut fell: appended to plain
    text ("word…"), after marked text as a span of its own."""
    if not spans and kept:
        spans = list(kept.pop())
    if spans and spans[-1].mark is Mark.PLAIN:
        if not spans[-1].text.endswith(ELLIPSIS):
            spans[-1] = Span(spans[-1].text + ELLIPSIS)
    elif spans:
        spans.append(Span(ELLIPSIS))
    else:
        spans = [Span(ELLIPSIS)]
    return (*kept, tuple(spans))
