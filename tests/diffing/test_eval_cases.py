"""The differ over every evaluation case, pages built from state.jsonl (no parser).

Identities are checked exactly, through page positions rather than text similarity:
every true entry keeps one id for its whole life and no id names two entries; stale
and error snapshots report nothing; the reported changes are the case's truth.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diffing.model import PollOutcome
from tests.diffing.harness import (
    Replay,
    Snapshot,
    identities,
    identity_events,
    load_case,
    load_jsonl,
    replay,
)
from tests.paths import EVAL

CASES = sorted(p for p in EVAL.glob("*/*") if (p / "truth.jsonl").exists())


@pytest.fixture(scope="module", params=CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def case(request: pytest.FixtureRequest) -> tuple[Path, list[Snapshot], Replay]:
    folder: Path = request.param
    snapshots = load_case(folder)
    return folder, snapshots, replay(snapshots)


Case = tuple[Path, list[Snapshot], Replay]


def test_every_entry_keeps_one_id_and_no_id_is_shared(case: Case) -> None:
    ids_of, truths_of = identities(case[2])
    split = {truth: ids for truth, ids in ids_of.items() if len(ids) > 1}
    merged = {entry_id: truths for entry_id, truths in truths_of.items() if len(truths) > 1}
    assert split == {}
    assert merged == {}


def test_stale_and_error_snapshots_report_nothing(case: Case) -> None:
    for snap, result in case[2].diffs:
        if snap.kind in ("stale", "error"):
            assert result.outcome in (PollOutcome.STALE, PollOutcome.NOT_A_TICKER), snap.name
            assert result.changes == (), snap.name


def test_reported_changes_are_the_truth(case: Case) -> None:
    folder, snapshots, run = case
    first = snapshots[0].name  # the first poll's additions are not changes
    truth = {
        (t["snapshot"], t["unit"], t["entry"])
        for t in load_jsonl(folder / "truth.jsonl")
        if t["snapshot"] != first
    }
    got = {e for e in identity_events(run) if e[0] != first}
    assert sorted(got - truth, key=json.dumps) == []  # false events
    assert sorted(truth - got, key=json.dumps) == []  # missed events
