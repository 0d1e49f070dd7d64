"""Scoring replay events against a case's known truth.

The same units and the same event-to-entry mapping as the evaluation scorer the
cases come with, written for this project: an event is mapped to the true entry
whose text (with or without its headline) it resembles most (similarity ≥ 0.8,
nearest snapshot first), then true and false events are counted per unit of
change. Similarity is RapidFuzz's Indel ratio, with the same containment rule.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

UNITS = ("added", "text", "title", "time", "removed", "restored", "page_title")
EDIT_KINDS = {"edited": "text", "retitled": "title", "retimed": "time"}
MAP_THRESHOLD = 0.8


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


def similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return min(len(a), len(b)) / max(len(a), len(b)) * 0.5 + 0.5
    return fuzz.ratio(a, b, score_cutoff=60) / 100


def _jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@dataclass
class Case:
    folder: Path
    truth: list[dict[str, Any]] = field(init=False)
    states: list[dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.truth = _jsonl(self.folder / "truth.jsonl")
        self.states = _jsonl(self.folder / "state.jsonl")
        self.order = {s["snapshot"]: i for i, s in enumerate(self.states)}
        self.zone = ZoneInfo(self.states[0].get("tz", "UTC")) if self.states else ZoneInfo("UTC")

    def _candidates(self, snapshot: str, removed: bool) -> list[dict[str, Any]]:
        index = self.order.get(snapshot)
        if index is None:
            return []
        indices = range(index - 1, -1, -1) if removed else [index, *range(index - 1, -1, -1)]
        return [entry for i in indices for entry in self.states[i]["entries"]]

    def map_entry(self, event: dict[str, Any], removed: bool) -> str | None:
        title = norm(event.get("title"))
        keys = {
            norm(event.get("text")),
            norm(f"{event.get('title') or ''} {event.get('text') or ''}"),
        }
        keys.discard("")
        previous = event.get("previous")
        if not keys and removed and isinstance(previous, dict):
            keys = {
                norm(previous.get("text")),
                norm(f"{previous.get('title') or ''} {previous.get('text') or ''}"),
            }
            keys.discard("")
        if not keys:
            return None
        best, best_score = None, 0.0
        seen: set[tuple[str, str, str | None]] = set()
        for candidate in self._candidates(event.get("snapshot", ""), removed):
            key = (candidate["entry"], candidate["text"], candidate.get("title"))
            if key in seen:
                continue
            seen.add(key)
            truths = {
                norm(candidate["text"]),
                norm(f"{candidate.get('title') or ''} {candidate['text']}"),
            }
            score = max(similarity(k, t) for k in keys for t in truths)
            if title and candidate.get("title") and norm(candidate["title"]) == title:
                score += 0.01
            if score > best_score:
                best, best_score = candidate["entry"], score
            if score >= 1.0:
                break
        return best if best_score >= MAP_THRESHOLD else None


def units_of(event: dict[str, Any]) -> list[str]:
    kind = event.get("kind")
    if kind in ("added", "removed", "restored"):
        return [str(kind)]
    if kind == "page_retitled":
        return ["page_title"]
    if kind in EDIT_KINDS or kind == "changed":
        changed = event.get("changed")
        if isinstance(changed, list) and changed:
            return [c for c in changed if c in ("text", "title", "time")]
        return [EDIT_KINDS.get(str(kind), "text")]
    return []


def local_hhmm(value: object, zone: ZoneInfo) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        m = re.search(r"(\d{1,2})[:.h](\d{2})", value)
        return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(zone)
    return parsed.strftime("%H:%M")


@dataclass
class CaseScore:
    """Counts for one case: per unit true/false positives and misses, plus identity checks."""

    units: dict[str, Counter[str]]
    split: int
    merged: int
    fault_events: int
    unmapped: int
    time_correct: int
    time_checked: int


def score_case(case: Case, events: list[dict[str, Any]]) -> CaseScore:
    first = case.states[0]["snapshot"] if case.states else None
    faulty = {s["snapshot"] for s in case.states if s.get("kind") in ("stale", "error")}
    truth = {(t["snapshot"], t["unit"], t["entry"]) for t in case.truth if t["snapshot"] != first}
    predicted: set[tuple[str, str, str | None]] = set()
    unmapped = fault_events = time_ok = time_n = 0
    ids_of: dict[str, set[str]] = defaultdict(set)
    truths_of: dict[str, set[str]] = defaultdict(set)
    true_time: dict[str, str | None] = {}
    for state in case.states:
        for entry in state["entries"]:
            true_time.setdefault(entry["entry"], entry["time"])
    for event in events:
        units = units_of(event)
        if not units:
            continue
        snapshot = event.get("snapshot")
        if "page_title" in units:
            if snapshot != first:
                predicted.add((str(snapshot), "page_title", None))
                fault_events += snapshot in faulty
            continue
        true_id = case.map_entry(event, removed=units == ["removed"])
        if true_id is None:
            unmapped += 1
            true_id = f"?{unmapped}"
        elif event.get("entry_id") is not None:
            ids_of[true_id].add(str(event["entry_id"]))
            truths_of[str(event["entry_id"])].add(true_id)
        if units == ["added"] and not true_id.startswith("?"):
            time_n += 1
            time_ok += local_hhmm(event.get("time"), case.zone) == true_time.get(true_id)
        if snapshot == first:
            continue
        for unit in units:
            predicted.add((str(snapshot), unit, true_id))
            fault_events += snapshot in faulty
    per_unit: dict[str, Counter[str]] = {}
    for unit in UNITS:
        t = {x for x in truth if x[1] == unit}
        p = {x for x in predicted if x[1] == unit}
        per_unit[unit] = Counter(tp=len(t & p), fp=len(p - t), fn=len(t - p))
    return CaseScore(
        units=per_unit,
        split=sum(1 for ids in ids_of.values() if len(ids) > 1),
        merged=sum(1 for ts in truths_of.values() if len(ts) > 1),
        fault_events=fault_events,
        unmapped=unmapped,
        time_correct=time_ok,
        time_checked=time_n,
    )


def f1(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class Summary:
    f1: float
    split: int
    merged: int
    fault_events: int
    time_accuracy: float
    per_case: dict[str, float]


def summarize(scores: dict[str, CaseScore]) -> Summary:
    total: Counter[str] = Counter()
    per_case = {}
    for name, score in scores.items():
        case_total: Counter[str] = Counter()
        for counts in score.units.values():
            case_total.update(counts)
        total.update(case_total)
        per_case[name] = round(f1(case_total["tp"], case_total["fp"], case_total["fn"]), 4)
    checked = sum(s.time_checked for s in scores.values())
    return Summary(
        f1=round(f1(total["tp"], total["fp"], total["fn"]), 4),
        split=sum(s.split for s in scores.values()),
        merged=sum(s.merged for s in scores.values()),
        fault_events=sum(s.fault_events for s in scores.values()),
        time_accuracy=round(sum(s.time_correct for s in scores.values()) / checked, 4)
        if checked
        else 0.0,
        per_case=per_case,
    )
