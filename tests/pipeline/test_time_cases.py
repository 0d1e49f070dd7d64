"""Generated tickers that cross the October change at night and midnight (tests/data/time):
replayed through the live pipeline, times right, no retime but the real one, no split."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.paths import DATA
from tests.quality.scoring import Case, score_case, summarize
from tests.support.seasons import case_zone, comparable, replay_in_memory, shifted

CASES = sorted(p for p in (DATA / "time").iterdir() if (p / "meta.json").is_file())


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_times_are_right_with_no_false_retime_and_no_split(folder: Path) -> None:
    events = replay_in_memory(folder)
    summary = summarize({folder.name: score_case(Case(folder), events)})
    assert summary.f1 == 1.0, summary
    assert (summary.split, summary.merged, summary.fault_events) == (0, 0, 0)
    assert summary.time_accuracy == 1.0
    instants = json.loads((folder / "instants.json").read_text(encoding="utf-8"))
    truth = Case(folder)
    for event in events:
        if event["kind"] != "added" or event["snapshot"] == "0001.html":
            continue
        entry = truth.map_entry(event, removed=False)
        assert entry is not None
        assert datetime.fromisoformat(event["time"]) == datetime.fromisoformat(instants[entry])


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_polled_on_another_day_the_same_events(folder: Path, tmp_path: Path) -> None:
    zone = case_zone(folder)
    expected = comparable(replay_in_memory(folder), None)
    for day in (date(2026, 3, 29), date(2026, 12, 3)):
        moved = shifted(folder, tmp_path / day.isoformat(), day=day, zone=zone, keep_spacing=True)
        assert comparable(replay_in_memory(moved), None) == expected, day
