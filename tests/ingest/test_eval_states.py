"""Every snapshot of every evaluation case parses to exactly the entries its
state.jsonl lists: count and order, text and headline (whitespace-normalized) and
local HH:MM; consent and error snapshots come back flagged not a ticker."""

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ingest.parse import parse_page
from ingest.text import comparison_key
from tests.paths import EVAL


def _snapshots() -> list[tuple[Path, dict[str, str], dict[str, object], str]]:
    out = []
    for case in sorted([*EVAL.glob("dev/*"), *EVAL.glob("seed/*")]):
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        states = [
            json.loads(line)
            for line in (case / "state.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        for snapshot, state in zip(meta["snapshots"], states, strict=True):
            out.append((case, snapshot, state, meta["url"]))
    return out


SNAPSHOTS = _snapshots()


@pytest.mark.parametrize(
    ("case", "snapshot", "state", "url"),
    SNAPSHOTS,
    ids=[f"{c.name}/{s['file']}" for c, s, _, _ in SNAPSHOTS],
)
def test_snapshot_matches_state(
    case: Path, snapshot: dict[str, str], state: dict[str, Any], url: str
) -> None:
    page = parse_page(
        (case / snapshot["file"]).read_bytes(),
        url=url,
        observed_at=datetime.fromisoformat(snapshot["fetched_at"]),
        content_type=snapshot["content_type"],
    )
    if state["kind"] == "error":
        assert page.not_a_ticker is not None
        assert page.entries == ()
        return
    assert page.not_a_ticker is None
    zone = ZoneInfo(state["tz"])
    expected = [
        (comparison_key(e["title"]), comparison_key(e["text"]), e["time"]) for e in state["entries"]
    ]
    got = [
        (
            comparison_key(e.headline),
            comparison_key(e.text),
            e.time.astimezone(zone).strftime("%H:%M") if e.time else None,
        )
        for e in page.entries
    ]
    assert got == expected


def test_every_case_is_covered() -> None:
    assert len({c for c, _, _, _ in SNAPSHOTS}) == 8
    assert len(SNAPSHOTS) == 322
