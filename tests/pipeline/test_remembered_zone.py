"""A zone inferred from freshness is remembered once two polls agree on it, and places
a late entry on a poll whose newest entry is too old to tell the zone by itself."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.seasons import replay_in_memory

NEW_YORK = ZoneInfo("America/New_York")


def _clock(t: datetime) -> str:
    return f"{t.hour % 12 or 12}:{t.minute:02d} {'a.m.' if t.hour < 12 else 'p.m.'}"


def _page(entries: list[tuple[datetime, str]]) -> str:
    items = "".join(
        f'<li class="u"><span class="t">{_clock(at)}</span><p>{text}</p></li>'
        for at, text in entries
    )
    return f'<html lang="en"><body><h1>Storm live</h1><ul class="feed">{items}</ul></body></html>'


def _case(folder: Path, polls: list[tuple[datetime, list[tuple[datetime, str]]]]) -> Path:
    folder.mkdir()
    snapshots = []
    for n, (fetched, entries) in enumerate(polls, start=1):
        name = f"{n:04d}.html"
        (folder / name).write_text(_page(entries), encoding="utf-8")
        snapshots.append(
            {"file": name, "fetched_at": fetched.isoformat(), "content_type": "text/html"}
        )
    meta = {"url": "https://www.example.com/storm-live", "snapshots": snapshots}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.mark.parametrize("day", ["2026-01-20", "2026-07-20"])
def test_a_late_entry_on_a_quiet_poll_is_placed_in_the_remembered_zone(
    tmp_path: Path, day: str
) -> None:
    start = datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=NEW_YORK)
    first = [
        (start - timedelta(minutes=5), "Winds reach the coast."),
        (start - timedelta(minutes=40), "Schools close early."),
    ]
    second = [(start + timedelta(minutes=12), "Power cut in the north."), *first]
    late = (start + timedelta(minutes=20), "Ferries cancelled, the port says.")
    third = [second[0], late, *first]  # filed late, between older entries
    folder = _case(
        tmp_path / "case",
        [
            (start, first),
            (start + timedelta(minutes=15), second),
            # Hours later: the newest entry is far too old to tell the zone by freshness.
            (start + timedelta(hours=3), third),
        ],
    )
    events = replay_in_memory(folder)
    added = {e["text"]: e for e in events if e["kind"] == "added"}
    placed = datetime.fromisoformat(added[late[1]]["time"])
    assert placed == late[0]
    assert [e["kind"] for e in events if e["snapshot"] == "0003.html"] == ["added"]
