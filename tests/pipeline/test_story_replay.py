"""``tickerwatch replay CASE_A CASE_B … --stories --json``: the replay contract for stories.

Generated desks (tests/stories/generator.py) are written out as case folders — one per
ticker, a JSON-LD live blog per poll that changed the page — and replayed through the
whole pipeline (parse → diff → store → stories). The stories printed must be those the
pure matcher finds when fed the same polls, with the generator's own entries and lead
times; and two real-shaped eval cases of the same storm replay into shared stories.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from storage import create_engine_for as engine_for
from storage.desks_sql import SqlDeskStore
from storage.story_store_sql import SqlStoryStore
from stories import Basis, Story, story_leads
from tests.paths import EVAL
from tests.stories.generator import Desk, generate_desk
from tests.stories.measure import run_desk
from tickerwatch.cli import main

STORY_KEYS = {"story", "entries", "first_by_printed", "first_by_seen", "lead_minutes"}
ENTRY_KEYS = {"ticker", "entry_id", "title", "text", "time", "link", "first_seen"}
Key = tuple[int, str]


def _page(desk: Desk, ticker: int, at: datetime) -> str:
    """Ticker ``ticker``'s live blog as a poll at ``at`` saw it: newest first, edits in."""
    updates = []
    for reported in desk.reported:
        entry = reported.entry
        if entry.ticker_id != ticker or entry.first_seen > at:
            continue
        edited = reported.edit_seen is not None and reported.edit_seen <= at
        if reported.edit is not None and edited:
            entry = reported.edit
        assert entry.printed is not None
        update: dict[str, Any] = {
            "@type": "BlogPosting",
            "datePublished": entry.printed.isoformat(),
            "articleBody": entry.text,
            "url": entry.link,
        }
        if entry.title:
            update["headline"] = entry.title
        updates.append((entry.printed, update))
    updates.sort(key=lambda u: u[0], reverse=True)
    posting = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": f"Ticker {ticker}",
        "url": f"https://ticker{ticker}.example/live",
        "liveBlogUpdate": [u for _, u in updates],
    }
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Ticker</title>'
        f'<script type="application/ld+json">{json.dumps(posting, ensure_ascii=False)}'
        "</script></head><body><h1>Ticker</h1></body></html>"
    )


def write_cases(desk: Desk, folder: Path) -> list[Path]:
    """One case folder per ticker, a snapshot at every poll that changed its page."""
    cases = []
    for ticker in desk.tickers:
        changes: set[datetime] = set()
        for r in desk.reported:
            if r.entry.ticker_id == ticker:
                changes.add(r.entry.first_seen)
                if r.edit_seen is not None:
                    changes.add(r.edit_seen)
        case = folder / f"ticker-{ticker}"
        case.mkdir()
        snapshots = []
        for number, at in enumerate(sorted(changes), start=1):
            name = f"{number:04d}.html"
            (case / name).write_text(_page(desk, ticker, at), encoding="utf-8")
            snapshots.append(
                {"file": name, "fetched_at": at.isoformat(), "content_type": "text/html"}
            )
        meta = {"url": f"https://ticker{ticker}.example/live", "snapshots": snapshots}
        (case / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        cases.append(case)
    return cases


def replay_stories(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    assert main(["replay", *argv, "--stories", "--json"]) == 0
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines()]


def _pairs(groups: list[list[Key]]) -> set[tuple[Key, Key]]:
    return {(a, b) for group in groups for a, b in combinations(sorted(group), 2) if a[0] != b[0]}


@pytest.mark.parametrize(("seed", "language"), [(3, "de"), (5, "en"), (7, "fr")])
def test_generated_desks_replay_into_the_stories_matching_finds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed: int, language: str
) -> None:
    desk = generate_desk(seed, language, tickers=3, events=14, hours=6)
    cases = write_cases(desk, tmp_path)
    lines = replay_stories(capsys, *map(str, cases), "--db", f"sqlite:///{tmp_path / 'r.db'}")

    by_link = {}
    for r in desk.reported:
        by_link[r.entry.link] = r.edit if r.edit is not None else r.entry
    # The pure matcher fed the same polls: the stories the pipeline must have stored.
    story_of, latest = run_desk(desk)
    groups: dict[int, list[Key]] = defaultdict(list)
    for key, story_id in story_of.items():
        groups[story_id].append(key)
    want = _pairs(list(groups.values()))

    got_groups = []
    for line in lines:
        assert set(line) == STORY_KEYS
        members = []
        for entry in line["entries"]:
            assert set(entry) == ENTRY_KEYS
            truth = by_link[entry["link"]]
            assert entry["ticker"] == f"ticker-{truth.ticker_id}"
            # The parser trims what the page pads (an edit appends " …" to an empty field).
            assert (entry["title"], entry["text"]) == (truth.title.strip(), truth.text.strip())
            assert truth.printed is not None
            assert datetime.fromisoformat(entry["time"]) == truth.printed
            assert datetime.fromisoformat(entry["first_seen"]) == truth.first_seen
            members.append(truth)
        assert len({m.ticker_id for m in members}) >= 2
        got_groups.append([m.key for m in members])
        # Leads on both clocks, from the generator's own entries.
        leads = story_leads(Story(line["story"], tuple(latest[m.key] for m in members)))
        for basis in Basis:
            assert line[f"first_by_{basis.value}"] == f"ticker-{leads.first(basis)}"
            minutes = leads.lead_minutes(basis)
            assert minutes is not None
            assert line["lead_minutes"][basis.value] == pytest.approx(minutes, abs=0.01)
    assert _pairs(got_groups) == want
    assert want  # the desk shares stories at all
    # Against the generator's truth (events): loose floors, for the wiring only — the
    # matcher's own bar is tests/stories/test_generated.py, on larger desks.
    event_of = desk.event_of()
    truth_groups: dict[int, list[Key]] = defaultdict(list)
    for key in latest:
        truth_groups[event_of[key]].append(key)
    true_pairs = _pairs(list(truth_groups.values()))
    found = _pairs(got_groups)
    assert len(found & true_pairs) / len(found) >= 0.85
    assert len(found & true_pairs) / len(true_pairs) >= 0.6


def test_replayed_stories_stay_in_the_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    desk = generate_desk(11, "de", tickers=2, events=6, hours=3)
    cases = write_cases(desk, tmp_path)
    url = f"sqlite:///{tmp_path / 'kept.db'}"
    lines = replay_stories(capsys, *map(str, cases), "--db", url, "--own", str(cases[0]))
    desks, kept = SqlDeskStore(engine_for(url)), SqlStoryStore(engine_for(url))
    try:
        (made,) = desks.list()
        assert [m.own for m in made.members] == [True, False]
        shared = kept.recent(made.id, min_tickers=2, limit=1000)
        assert sorted(s.id for s in shared) == [line["story"] for line in lines]
    finally:
        kept.close()
        desks.close()


def test_two_eval_cases_of_one_storm_share_stories(
    capsys: pytest.CaptureFixture[str],
) -> None:
    storm, faults = EVAL / "dev" / "blocks-storm", EVAL / "dev" / "blocks-faults"
    lines = replay_stories(capsys, str(storm), str(faults))
    assert len(lines) >= 5
    for line in lines:
        assert set(line) == STORY_KEYS
        tickers = {e["ticker"] for e in line["entries"]}
        assert tickers == {"blocks-storm", "blocks-faults"}
        for basis in ("printed", "seen"):
            firsts: dict[str, datetime] = {}
            for entry in line["entries"]:
                at = entry["time"] if basis == "printed" and entry["time"] else entry["first_seen"]
                when = datetime.fromisoformat(at)
                firsts[entry["ticker"]] = min(firsts.get(entry["ticker"], when), when)
            first = min(firsts, key=lambda t: (firsts[t], t != line[f"first_by_{basis}"]))
            assert line[f"first_by_{basis}"] == first
            other = max(firsts.values())
            lead = (other - firsts[first]).total_seconds() / 60
            assert line["lead_minutes"][basis] == pytest.approx(lead, abs=0.01)
        assert all(e["link"] is None for e in line["entries"])  # live blog blocks: no links


def test_several_cases_need_stories_and_distinct_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    storm = EVAL / "dev" / "blocks-storm"
    assert main(["replay", str(storm), str(EVAL / "dev" / "blocks-faults")]) == 2
    assert "--stories" in capsys.readouterr().err
    assert main(["replay", str(storm), str(storm), "--stories", "--json"]) == 2
    assert "distinct names" in capsys.readouterr().err
    assert main(["replay", str(storm), "--stories", "--own", "elsewhere"]) == 2
    assert "--own" in capsys.readouterr().err
