"""Replays an evaluation case through the differ without a parser.

Each snapshot's ``state.jsonl`` record (the entries a reader sees) becomes the
:class:`ParsedPage` a perfect parser would produce: entries with headline and text,
times built from the local HH:MM (dated by roll-over down a newest-first page),
``TimeSource.LABEL``; error snapshots become not-a-ticker pages; stale snapshots list
their (older) entries. The page headline is read from the snapshot file (``<h1>``, or
the first line of a text ticker), the body hash from its bytes.

:func:`replay` then runs :func:`diffing.diff` over the snapshots and folds each diff
into the state with :func:`diffing.advance`, as a store would, and returns the
replay-contract events (see the evaluation README) plus, per snapshot, which true
entry each placement is, so tests can check identities exactly.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from diffing import DEFAULT_CONFIG, DiffConfig, advance, diff
from diffing.model import Change, ChangeKind, Diff, EntryVersion, TickerState
from ingest.model import Entry, Order, ParsedPage, TimeSource

# A late entry may sit a little below older ones; a jump forward by more than this
# going down a newest-first page means the day changed.
_ROLLOVER_SLACK = timedelta(hours=2)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Snapshot:
    name: str
    kind: str  # fresh | stale | error
    page: ParsedPage
    body_sha256: str
    truth_ids: tuple[str, ...]  # the true entry id at each page position


@dataclass
class Replay:
    events: list[dict[str, Any]] = field(default_factory=list)
    diffs: list[tuple[Snapshot, Diff]] = field(default_factory=list)
    state: TickerState = field(default_factory=TickerState)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def page_headline(body: bytes, name: str) -> str | None:
    text = body.decode("utf-8", errors="replace")
    if name.endswith(".txt"):
        return next((line.strip() for line in text.splitlines() if line.strip()), None)
    found = _H1.search(text)
    if found is None:
        return None
    return " ".join(html.unescape(_TAG.sub(" ", found.group(1))).split()) or None


def entry_times(
    labels: list[str | None], observed_at: datetime, zone: ZoneInfo
) -> list[datetime | None]:
    """Aware times for HH:MM labels listed newest first, dated by roll-over."""
    local_now = observed_at.astimezone(zone)
    out: list[datetime | None] = []
    previous: datetime | None = None
    for label in labels:
        if not label:
            out.append(None)
            continue
        hour, minute = (int(x) for x in label.split(":"))
        moment = datetime.combine(local_now.date(), time(hour, minute), tzinfo=zone)
        ceiling = (
            local_now + timedelta(minutes=5) if previous is None else previous + _ROLLOVER_SLACK
        )
        while moment > ceiling:
            moment -= timedelta(days=1)
        out.append(moment)
        previous = moment
    return out


def load_case(folder: Path) -> list[Snapshot]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    states = load_jsonl(folder / "state.jsonl")
    snapshots = []
    for info, record in zip(meta["snapshots"], states, strict=True):
        body = (folder / info["file"]).read_bytes()
        observed_at = datetime.fromisoformat(info["fetched_at"])
        zone = ZoneInfo(record.get("tz", "UTC"))
        records = record["entries"]
        times = entry_times([e["time"] for e in records], observed_at, zone)
        entries = tuple(
            Entry(
                position=i,
                text=e["text"],
                headline=e["title"],
                time=t,
                time_label=e["time"],
                time_source=TimeSource.LABEL if t is not None else TimeSource.NONE,
            )
            for i, (e, t) in enumerate(zip(records, times, strict=True))
        )
        error = record["kind"] == "error"
        page = ParsedPage(
            url=meta["url"],
            observed_at=observed_at,
            layout="harness",
            headline=None if error else page_headline(body, info["file"]),
            entries=() if error else entries,
            order=Order.NEWEST_FIRST,
            not_a_ticker="error or consent page" if error else None,
        )
        snapshots.append(
            Snapshot(
                name=info["file"],
                kind=record["kind"],
                page=page,
                body_sha256=hashlib.sha256(body).hexdigest(),
                truth_ids=tuple(e["entry"] for e in records),
            )
        )
    return snapshots


def replay(snapshots: list[Snapshot], config: DiffConfig = DEFAULT_CONFIG) -> Replay:
    out = Replay()
    for snap in snapshots:
        result = diff(out.state, snap.page, body_sha256=snap.body_sha256, config=config)
        out.diffs.append((snap, result))
        out.events.extend(event(snap.name, change) for change in result.changes)
        out.state = advance(out.state, snap.page, result, body_sha256=snap.body_sha256)
    return out


def _version_json(version: EntryVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "title": version.headline,
        "text": version.text,
        "time": version.time.isoformat() if version.time else None,
    }


def event(snapshot: str, change: Change) -> dict[str, Any]:
    """One change as a replay-contract JSON object."""
    if change.kind is ChangeKind.PAGE_RETITLED:
        return {
            "snapshot": snapshot,
            "kind": change.kind.value,
            "changed": ["page_title"],
            "entry_id": None,
            "title": change.page_headline,
            "text": None,
            "time": None,
            "previous": {"title": change.previous_page_headline},
            "similarity": None,
        }
    shown = change.current if change.current is not None else change.previous
    body = _version_json(shown) or {}
    return {
        "snapshot": snapshot,
        "kind": change.kind.value,
        "changed": [f.value for f in change.changed],
        "entry_id": change.entry_id,
        **body,
        "previous": _version_json(change.previous),
        "similarity": change.similarity,
    }


def identity_events(run: Replay) -> set[tuple[str, str, str | None]]:
    """(snapshot, unit, true entry) of every reported change, mapped exactly: a
    placed entry is the true entry at its position, a vanished one the true entry its
    id was last placed as. Page retitles map to None; PAGED_OUT is not a unit."""
    units = {
        ChangeKind.ADDED: "added",
        ChangeKind.REMOVED: "removed",
        ChangeKind.RESTORED: "restored",
    }
    truth_of: dict[str, str] = {}
    out: set[tuple[str, str, str | None]] = set()
    for snap, result in run.diffs:
        for placement in result.placements:
            truth_of[placement.entry_id] = snap.truth_ids[placement.position]
        for change in result.changes:
            if change.kind is ChangeKind.PAGE_RETITLED:
                out.add((snap.name, "page_title", None))
            elif change.kind in units:
                out.add((snap.name, units[change.kind], truth_of.get(change.entry_id or "")))
            elif change.kind is not ChangeKind.PAGED_OUT:
                for changed in change.changed:
                    out.add((snap.name, changed.value, truth_of.get(change.entry_id or "")))
    return out


def identities(run: Replay) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """True entry -> entry ids given to it, and entry id -> true entries it named."""
    ids_of: dict[str, set[str]] = {}
    truths_of: dict[str, set[str]] = {}
    for snap, result in run.diffs:
        for placement in result.placements:
            truth = snap.truth_ids[placement.position]
            ids_of.setdefault(truth, set()).add(placement.entry_id)
            truths_of.setdefault(placement.entry_id, set()).add(truth)
    return ids_of, truths_of
