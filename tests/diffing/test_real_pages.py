"""The differ on real saved pages of many publishers: what a reader calls no change
yields nothing, and a one-word correction of one entry is one edit of that entry."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from diffing import advance, diff
from diffing.model import ChangeKind, Diff, PollOutcome, TickerState
from ingest.model import ParsedPage
from ingest.parse import parse_page
from tests.paths import CORPUS

T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
PAGES = sorted(p for p in CORPUS.rglob("*.html") if "negative" not in p.relative_to(CORPUS).parts)


def read(body: bytes, path: Path, minutes: int) -> ParsedPage:
    return parse_page(
        body,
        url=f"https://www.example.test/{path.parent.name}/{path.name}",
        observed_at=T0 + timedelta(minutes=minutes),
        content_type="text/html",
    )


def first_poll(path: Path) -> tuple[bytes, ParsedPage, Diff, TickerState]:
    body = path.read_bytes()
    page = read(body, path, 0)
    if len(page.entries) < 4:
        pytest.skip(f"{path.name}: {len(page.entries)} timed entries")
    sha = hashlib.sha256(body).hexdigest()
    verdict = diff(TickerState(), page, body_sha256=sha)
    return body, page, verdict, advance(TickerState(), page, verdict, body_sha256=sha)


def corrected(text: str, page: ParsedPage, position: int) -> tuple[str, str] | None:
    """A word only entry ``position`` has, and the page with that word misspelt
    everywhere it occurs (markup and structured data alike, as a CMS republishes)."""
    entry = page.entries[position]
    others = " ".join(
        f"{e.text} {e.headline or ''}" for i, e in enumerate(page.entries) if i != position
    )
    for word in entry.text.split():
        if len(word) < 7 or not word.isalpha():
            continue
        if word in others or word in (page.headline or "") or word in (entry.headline or ""):
            continue
        typo = word[:-2] + word[-1] + word[-2]
        escaped = json.dumps(word)[1:-1]
        return word, text.replace(word, typo).replace(escaped, json.dumps(typo)[1:-1])
    return None


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}-{p.stem[:30]}")
def test_the_same_entries_later_are_no_change(path: Path) -> None:
    body, _, _, state = first_poll(path)
    later = body + b"\n<!-- served by cache node 7, request 91f3 -->\n"
    verdict = diff(state, read(later, path, 7), body_sha256=hashlib.sha256(later).hexdigest())
    assert verdict.outcome is PollOutcome.FRESH
    assert verdict.changes == ()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}-{p.stem[:30]}")
def test_a_one_word_correction_is_one_edit(path: Path) -> None:
    body, page, first, state = first_poll(path)
    text = body.decode("utf-8")
    for position in range(len(page.entries) // 2, len(page.entries) - 1):
        found = corrected(text, page, position)
        if found is not None:
            break
    else:
        pytest.skip("no word unique to one entry")
    word, changed = found
    after = changed.encode("utf-8")
    verdict = diff(state, read(after, path, 9), body_sha256=hashlib.sha256(after).hexdigest())
    assert [c.kind for c in verdict.changes] == [ChangeKind.EDITED], word
    (edit,) = verdict.changes
    assert edit.entry_id == first.placements[position].entry_id
    assert edit.similarity is not None
    assert edit.similarity > 0.9
