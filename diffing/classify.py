"""What changed about one entry (or the page) between two versions.

Differences a reader cannot see are not changes: versions are compared in
comparison form (:func:`diffing.normalize.text_key`). Times count only when both are
trustworthy (:mod:`diffing.timing`), so relative labels never make a retime, and
like with like: printed wall clocks, or stated instants when both sides state one, so
a zone or date the parser inferred differently this time never makes one either. Several
fields changed at once are one :class:`Change`; its kind names the main one, in the
order title > text > time (a new headline is what a reader notices first).
"""

from __future__ import annotations

from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from diffing.model import Change, ChangeKind, EntryVersion, Field, KnownEntry, WordOp
from diffing.normalize import WordCodec, text_key, words
from diffing.timing import time_changed

_OP_NAMES: dict[str, Literal["equal", "insert", "delete", "replace"]] = {
    "equal": "equal",
    "insert": "insert",
    "delete": "delete",
    "replace": "replace",
}
_MAIN_KIND = (
    (Field.TITLE, ChangeKind.RETITLED),
    (Field.TEXT, ChangeKind.EDITED),
    (Field.TIME, ChangeKind.RETIMED),
)


def changed_fields(previous: EntryVersion, current: EntryVersion) -> tuple[Field, ...]:
    """The fields a reader sees changed, in the order title, text, time."""
    fields = []
    if text_key(previous.headline) != text_key(current.headline):
        fields.append(Field.TITLE)
    if text_key(previous.text) != text_key(current.text):
        fields.append(Field.TEXT)
    if time_changed(
        previous.time,
        previous.time_source,
        previous.time_evidence,
        current.time,
        current.time_source,
        current.time_evidence,
    ):
        fields.append(Field.TIME)
    return tuple(fields)


def text_similarity(previous: str, current: str) -> float:
    """Similarity 0..1 of two entry texts in comparison form (Indel ratio)."""
    return round(fuzz.ratio(text_key(previous), text_key(current)) / 100, 4)


def word_ops(previous: str, current: str) -> tuple[WordOp, ...]:
    """A word-level edit script from ``previous`` to ``current`` (Levenshtein opcodes
    over the word sequences), equal spans included so the script renders the text."""
    old, new = words(previous), words(current)
    codec = WordCodec()
    return tuple(
        WordOp(
            op=_OP_NAMES[op.tag],
            old=" ".join(old[op.src_start : op.src_end]),
            new=" ".join(new[op.dest_start : op.dest_end]),
        )
        for op in Levenshtein.opcodes(codec.encode(old), codec.encode(new))
    )


def entry_change(known: KnownEntry, current: EntryVersion, *, restored: bool) -> Change | None:
    """The change of a known entry now showing ``current``; None when nothing a reader
    sees changed and the entry was not restored."""
    fields = changed_fields(known.version, current)
    if not fields and not restored:
        return None
    if restored:
        kind = ChangeKind.RESTORED
    else:
        kind = next(kind for field, kind in _MAIN_KIND if field in fields)
    text_changed = Field.TEXT in fields
    return Change(
        kind=kind,
        entry_id=known.entry_id,
        current=current,
        previous=known.version,
        changed=fields,
        similarity=text_similarity(known.version.text, current.text) if text_changed else 1.0,
        word_ops=word_ops(known.version.text, current.text) if text_changed else (),
    )


def added(entry_id: str, current: EntryVersion) -> Change:
    return Change(kind=ChangeKind.ADDED, entry_id=entry_id, current=current)


def vanished(known: KnownEntry, kind: ChangeKind) -> Change:
    """A ``REMOVED`` or ``PAGED_OUT`` change for an entry the page no longer shows."""
    if kind not in (ChangeKind.REMOVED, ChangeKind.PAGED_OUT):
        raise ValueError(f"an entry cannot vanish as {kind}")
    return Change(kind=kind, entry_id=known.entry_id, current=None, previous=known.version)


def page_retitle(previous: str | None, current: str | None) -> Change | None:
    """A ``PAGE_RETITLED`` change, or None: none on the first poll (nothing to compare
    with) and none when the parser found no headline this time (not a change to nothing)."""
    if previous is None or current is None or text_key(previous) == text_key(current):
        return None
    return Change(
        kind=ChangeKind.PAGE_RETITLED,
        entry_id=None,
        current=None,
        page_headline=current,
        previous_page_headline=previous,
    )
