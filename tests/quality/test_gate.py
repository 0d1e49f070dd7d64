"""The quality gate: replay every evaluation case through the live pipeline and score it.

Each case of ``tests/data/eval/{seed,dev,real}`` is replayed by
:func:`tickerwatch.replay.replay` into a fresh SQLite database (parse → match → store,
exactly what ``tickerwatch replay CASE --json`` prints), scored with
:mod:`tests.quality.scoring` and held against the floors in ``floors.json``.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from diffing.wire import change_as_json
from tests.paths import EVAL
from tests.quality.naive import naive_events
from tests.quality.scoring import Case, CaseScore, score_case, summarize
from tickerwatch.bootstrap import open_store
from tickerwatch.replay import load_case, replay

FLOORS: dict[str, Any] = json.loads(
    (Path(__file__).with_name("floors.json")).read_text(encoding="utf-8")
)
SETS = tuple(FLOORS["sets"])


def case_folders(name: str) -> list[Path]:
    return sorted(p for p in (EVAL / name).iterdir() if (p / "meta.json").is_file())


def replay_events(folder: Path, database: Path) -> list[dict[str, Any]]:
    """What ``tickerwatch replay FOLDER --json`` prints, as parsed JSON lines."""
    store = open_store(f"sqlite:///{database}")

    async def run() -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        async for snapshot, report in replay(load_case(folder), store=store):
            events.extend(change_as_json(c, snapshot=snapshot.file) for c in report.changes)
        return events

    try:
        return asyncio.run(run())
    finally:
        store.close()


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, CaseScore]]:
    databases = tmp_path_factory.mktemp("gate")
    result: dict[str, dict[str, CaseScore]] = {}
    for set_name in SETS:
        result[set_name] = {
            folder.name: score_case(
                Case(folder), replay_events(folder, databases / f"{set_name}-{folder.name}.db")
            )
            for folder in case_folders(set_name)
        }
    return result


@pytest.mark.slow
@pytest.mark.parametrize("set_name", SETS)
def test_replay_scores_at_or_above_the_floors(
    scores: dict[str, dict[str, CaseScore]], set_name: str
) -> None:
    floor = FLOORS["sets"][set_name]
    summary = summarize(scores[set_name])
    report = f"{set_name}: F1 {summary.f1} per case {summary.per_case}"
    assert summary.f1 >= floor["f1"], report
    assert summary.time_accuracy >= floor["time"], report
    assert summary.split <= floor["max_split"], report
    assert summary.merged <= floor["max_merged"], report
    assert summary.fault_events <= floor["max_fault_events"], report


@pytest.mark.parametrize(
    "key", sorted(FLOORS["reference_naive"]), ids=lambda k: k.replace("/", "-")
)
def test_scorer_agrees_with_the_reference_figures(key: str) -> None:
    set_name, case_name = key.split("/")
    folder = EVAL / set_name / case_name
    score = score_case(Case(folder), naive_events(folder))
    counts = {u: [c["tp"], c["fp"], c["fn"]] for u, c in score.units.items()}
    assert counts == FLOORS["reference_naive"][key]


def test_a_perfect_replay_scores_one() -> None:
    """The truth itself, written as events, is scored as perfect (the mapping is sound)."""
    folder = case_folders("dev")[0]
    case = Case(folder)
    texts = {(s["snapshot"], e["entry"]): e for s in case.states for e in s["entries"]}
    kinds = {"added": "added", "text": "edited", "title": "retitled", "time": "retimed"}
    events = []
    for truth in case.truth:
        if truth["unit"] not in kinds:
            continue
        entry = texts[(truth["snapshot"], truth["entry"])]
        events.append(
            {
                "snapshot": truth["snapshot"],
                "kind": kinds[truth["unit"]],
                "changed": [truth["unit"]] if truth["unit"] != "added" else [],
                "entry_id": truth["entry"],
                "title": entry.get("title"),
                "text": entry["text"],
                "time": None,
            }
        )
    score = score_case(case, events)
    for unit in ("added", "text", "title", "time"):
        assert score.units[unit]["fp"] == 0, unit
        assert score.units[unit]["fn"] == 0, unit
    assert score.split == score.merged == 0
