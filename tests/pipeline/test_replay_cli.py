"""``tickerwatch replay CASE --json``: the evaluation contract, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.paths import EVAL
from tickerwatch.bootstrap import open_store
from tickerwatch.cli import main

SEED = EVAL / "seed" / "kim-putin-2019"
CONTRACT_KEYS = {
    "snapshot",
    "kind",
    "changed",
    "entry_id",
    "title",
    "text",
    "time",
    "previous",
    "similarity",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_seed_replay_prints_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(capsys, "replay", str(SEED), "--json")
    assert code == 0
    events = [json.loads(line) for line in lines]
    assert all(set(e) == CONTRACT_KEYS for e in events)
    late = [(e["snapshot"], e["kind"]) for e in events if e["snapshot"] >= "0007"]
    # The Panne entry is retitled together with the page at 0010; nothing at the stale
    # copy (0009), the consent page (0011) or the unchanged poll (0012).
    assert ("0010.html", "retitled") in late
    assert ("0010.html", "page_retitled") in late
    assert not {s for s, _ in late} & {"0007.html", "0009.html", "0011.html", "0012.html"}
    panne = next(e for e in events if e["kind"] == "retitled" and e["snapshot"] == "0010.html")
    assert panne["changed"] == ["title"]
    assert panne["title"].startswith("Kim-Panne vor Putin-Besuch")
    assert panne["time"] == "2019-04-24T14:01:00+02:00"


def test_replay_into_a_database_keeps_the_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'kept.db'}"
    code, lines, _ = run(capsys, "replay", str(SEED), "--db", url)
    assert code == 0
    assert lines[0].startswith("0001.html  fresh")
    store = open_store(url)
    try:
        (ticker,) = store.list()
        assert store.stats(ticker.id).polls == 12
        assert len(store.changes(ticker.id, limit=1000)) > 0
    finally:
        store.close()
    # The same URL again into the same database is refused, not doubled.
    code, _, err = run(capsys, "replay", str(SEED), "--db", url)
    assert code == 2
    assert "empty database" in err


def test_a_folder_without_meta_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "replay", str(tmp_path), "--json")
    assert code == 2
    assert "meta.json" in err
