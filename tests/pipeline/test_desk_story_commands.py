"""``tickerwatch desk stories|record``: against a real SQLite file with stored stories."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import create_engine_for
from storage.desks import DeskId
from storage.story_store_sql import SqlStoryStore
from stories import Story, StoryEntry
from tickerwatch.cli import main
from tickerwatch.commands.desk_stories import instant

T0 = datetime(2026, 4, 23, 8, 0, tzinfo=UTC)


def _entry(ticker: int, entry_id: str, seen: int, printed: int, title: str) -> StoryEntry:
    return StoryEntry(
        ticker_id=ticker,
        entry_id=entry_id,
        title=title,
        text="",
        first_seen=T0 + timedelta(minutes=seen),
        printed=T0 + timedelta(minutes=printed),
    )


@pytest.fixture(autouse=True)
def database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TICKERWATCH_STORAGE__DATABASE_URL", url)
    monkeypatch.setenv("TICKERWATCH_CONFIG", str(tmp_path / "absent.toml"))
    for name in ("own", "rival", "other"):
        assert main(["add", f"https://www.example.test/{name}", "--name", name, "--no-check"]) == 0
    assert main(["desk", "add", "Politik", "--own", "1", "--ticker", "2", "--ticker", "3"]) == 0
    capsys.readouterr()
    stories = SqlStoryStore(create_engine_for(url))
    stories.apply(
        DeskId(1),
        [
            # rival saw it 10 minutes before us, though we printed an earlier time
            Story(1, (_entry(2, "r1", 5, 4, "Beben in Izmir"), _entry(1, "o1", 15, 2, "Izmir"))),
            Story(2, (_entry(1, "o2", 60, 60, "Streik"), _entry(3, "x2", 64, 63, "Streik"))),
            Story(3, (_entry(3, "x3", 90, 90, "Nur bei other"),)),
        ],
        next_story_id=4,
    )
    stories.close()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stories_newest_first_with_who_was_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "desk", "stories", "Politik", "--since", "2026-04-23")
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["3", "2", "1"]
    assert "first seen: rival (+10 min), printed: own (+2 min)" in lines[2]
    assert "alone" in lines[0]


def test_stories_as_json_and_filtered(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "desk", "stories", "1", "--min-tickers", "2", "--json")
    assert code == 0
    stories = [json.loads(line) for line in out.splitlines()]
    assert [s["story"] for s in stories] == [2, 1]
    first = stories[1]
    assert (first["first_by_seen"], first["first_by_printed"]) == ("rival", "own")
    assert first["lead_minutes"] == {"seen": 10.0, "printed": 2.0}
    code, out, _ = run(capsys, "desk", "stories", "Politik", "--until", "2026-04-23T08:30Z")
    assert [line.split()[0] for line in out.splitlines()] == ["1"]


def test_record_per_ticker(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("desk", "record", "Politik", "--since", "2026-04-23", "--until", "2026-04-24")
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    records = {r["ticker"]: r for r in map(json.loads, out.splitlines())}
    assert records["own"]["own"] is True
    assert (records["own"]["stories"], records["own"]["first"], records["own"]["missed"]) == (
        2,
        1,
        0,
    )
    assert records["rival"]["median_lead_minutes"] == 10.0
    assert records["rival"]["missed"] == 1
    assert records["other"]["share_first"] == 0.0
    code, out, _ = run(capsys, *argv, "--basis", "printed")
    assert code == 0
    assert "2 shared stories, first by the printed time" in out
    assert "own" in out.splitlines()[1]
    assert "first    2/2" in out.splitlines()[1]


def test_an_unknown_desk_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "desk", "stories", "Sport")
    assert code == 1
    assert "Sport" in err
    assert run(capsys, "desk", "record", "9")[0] == 1


def test_times_are_iso_or_ages() -> None:
    now = datetime(2026, 4, 23, 12, tzinfo=UTC)
    assert instant("24h", now=now) == now - timedelta(hours=24)
    assert instant("7d", now=now) == now - timedelta(days=7)
    assert instant("2026-04-23T10:00+02:00") == datetime(2026, 4, 23, 8, tzinfo=UTC)
    assert instant("2026-04-23") == datetime(2026, 4, 23, tzinfo=UTC)
    with pytest.raises(argparse.ArgumentTypeError):
        instant("yesterday")
