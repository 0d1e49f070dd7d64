"""Word-level differences for display, as in Wikipedia's diff view. Pure.

A difference is a sequence of :class:`Segment` values, each a run of words that is the
same on both sides, inserted or deleted; templates render them as text, ``<ins>`` and
``<del>``. Stored change events carry their text's edit script
(:attr:`~storage.model.StoredChange.word_ops`); anything else (headlines, changes stored
without one) is diffed here with the differ's own RapidFuzz word diff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from diffing.classify import word_ops
from diffing.model import WordOp

SegmentKind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True, slots=True)
class Segment:
    kind: SegmentKind
    text: str


ELLIPSIS = Segment("equal", "…")


def segments(ops: Sequence[WordOp]) -> tuple[Segment, ...]:
    """An edit script as segments; a replacement is its deletion, then its insertion."""
    out: list[Segment] = []
    for op in ops:
        if op.op == "equal":
            out.append(Segment("equal", op.new))
            continue
        if op.old:
            out.append(Segment("delete", op.old))
        if op.new:
            out.append(Segment("insert", op.new))
    return tuple(out)


def word_diff(old: str | None, new: str | None, ops: Sequence[WordOp] = ()) -> tuple[Segment, ...]:
    """The difference from ``old`` to ``new``: ``ops`` when the change came with them,
    else a word diff computed now (``None`` counts as no words)."""
    if ops:
        return segments(ops)
    return segments(word_ops(old or "", new or ""))


def changed(diff: Sequence[Segment]) -> bool:
    return any(s.kind != "equal" for s in diff)


def compact(diff: Sequence[Segment], *, context: int = 6) -> tuple[Segment, ...]:
    """The changed parts with ``context`` words around each; longer equal runs are
    shortened to their ends with an ellipsis."""
    out: list[Segment] = []
    last = len(diff) - 1
    for index, segment in enumerate(diff):
        if segment.kind != "equal":
            out.append(segment)
            continue
        words = segment.text.split(" ")
        keep_head = context if index > 0 else 0  # words after the previous change
        keep_tail = context if index < last else 0  # words before the next change
        if len(words) <= keep_head + keep_tail + 1:
            out.append(segment)
            continue
        if keep_head:
            out.append(Segment("equal", " ".join(words[:keep_head])))
        out.append(ELLIPSIS)
        if keep_tail:
            out.append(Segment("equal", " ".join(words[-keep_tail:])))
    return tuple(out)


def first_words(text: str | None, count: int = 24) -> str:
    """The first ``count`` words of ``text``, with an ellipsis when there are more."""
    words = (text or "").split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")
