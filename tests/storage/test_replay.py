"""Evaluation cases replayed through parser, differ and store, as ``poll_once`` will.

Every snapshot of a case is parsed, diffed against the state the store returns and
recorded; the stored state must stay what :func:`diffing.advance` folds, and the ticker
as of each fresh poll must show that poll's page (its placed entries, in order, with
the content the page showed).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from diffing import advance, diff, version_digest
from diffing.model import PollOutcome, TickerState
from ingest.parse import parse_page
from storage import NewTicker, PollRecord, Store
from tests.paths import EVAL
from tests.storage.builders import CREATED, KEEP, assert_same_state, sha

CASES = ["blocks-faults", "ippen-busy", "jsonld-en"]


@pytest.mark.parametrize("case", CASES)
def test_replay_keeps_the_state_the_differ_folds(store: Store, case: str) -> None:
    folder = EVAL / "dev" / case
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    ticker = store.add(NewTicker(meta["url"], case), created_at=CREATED)
    reference = TickerState()
    fresh = 0
    for snapshot in meta["snapshots"]:
        body = (folder / snapshot["file"]).read_bytes()
        observed_at = datetime.fromisoformat(snapshot["fetched_at"])
        parsed = parse_page(
            body, url=meta["url"], observed_at=observed_at, content_type=snapshot["content_type"]
        )
        state = store.previous_state(ticker.id, keep_removed_for=KEEP)
        assert_same_state(state, reference)
        verdict = diff(state, parsed, body_sha256=sha(body))
        record = PollRecord(ticker.id, observed_at, 250, verdict.outcome, 200, bytes=len(body))
        store.record_poll(record, body, parsed, verdict)
        reference = advance(reference, parsed, verdict, body_sha256=sha(body))
        if verdict.outcome is PollOutcome.FRESH:
            fresh += 1
            view = store.ticker_as_of(ticker.id, observed_at + timedelta(seconds=1))
            shown = [(e.entry_id, version_digest(e.revision.version)) for e in view.entries]
            placed = [(p.entry_id, version_digest(p.version)) for p in verdict.placements]
            assert shown == placed, snapshot["file"]
            assert view.page_headline == reference.page_headline
    assert_same_state(store.previous_state(ticker.id, keep_removed_for=KEEP), reference)
    stats = store.stats(ticker.id)
    assert stats.polls == len(meta["snapshots"])
    assert stats.snapshots >= fresh > 0
    assert stats.stored_bytes < stats.raw_bytes
