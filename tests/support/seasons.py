"""Replaying a case in memory, and the same case with its polls moved to another date.

``shifted`` does what the evaluation's ``shiftclock.py`` does: every poll keeps its
local time of day in ``zone`` and moves to ``day`` (the first poll's day; later days
follow). The pages are unchanged, so a differ must report the same changes.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from diffing.wire import change_as_json
from storage.memory import MemoryStore
from tickerwatch.replay import load_case, replay


def replay_in_memory(folder: Path) -> list[dict[str, Any]]:
    """What ``tickerwatch replay FOLDER --json`` prints, replayed into a memory store."""

    async def run() -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        async for snapshot, report in replay(load_case(folder), store=MemoryStore()):
            events.extend(change_as_json(c, snapshot=snapshot.file) for c in report.changes)
        return events

    return asyncio.run(run())


def case_zone(folder: Path) -> ZoneInfo:
    """The zone the case's readers live in (``tz`` of its first state line)."""
    with (folder / "state.jsonl").open(encoding="utf-8") as lines:
        return ZoneInfo(json.loads(lines.readline()).get("tz", "UTC"))


def shifted(
    folder: Path, into: Path, *, day: date, zone: ZoneInfo, keep_spacing: bool = False
) -> Path:
    """A copy of the case in ``into`` with its polls moved to ``day`` in ``zone``.

    ``keep_spacing`` moves every poll by the same number of days instead (as instants):
    for a case that itself runs through a clock change, whose local times of day would
    otherwise repeat or vanish on the new day."""
    target = into / folder.name
    shutil.copytree(folder, target)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    first = datetime.fromisoformat(meta["snapshots"][0]["fetched_at"]).date()
    for snapshot in meta["snapshots"]:
        fetched = datetime.fromisoformat(snapshot["fetched_at"])
        if keep_spacing:
            moved_at = (fetched.astimezone(UTC) + (day - first)).astimezone(zone)
            snapshot["fetched_at"] = moved_at.isoformat()
            continue
        moved = fetched.date() - first + day
        snapshot["fetched_at"] = datetime.combine(
            moved, fetched.timetz().replace(tzinfo=None), zone
        ).isoformat()
    (target / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return target


def comparable(events: list[dict[str, Any]], zone: ZoneInfo | None) -> list[tuple[Any, ...]]:
    """Events reduced to what must not depend on the poll's date: snapshot, kind, fields,
    the entry (ids renamed by first appearance, since ids hash the poll time), headline,
    text, and the time as ``HH:MM`` in ``zone`` (None: in the time's own offset, the
    wall clock the ticker's zone shows)."""
    names: dict[str, int] = {}
    reduced = []
    for event in events:
        entry_id = event.get("entry_id")
        if entry_id is not None:
            names.setdefault(entry_id, len(names))
        when = event.get("time")
        hhmm = None
        if when:
            moment = datetime.fromisoformat(when)
            hhmm = (moment.astimezone(zone) if zone else moment).strftime("%H:%M")
        reduced.append(
            (
                event["snapshot"],
                event["kind"],
                tuple(event.get("changed") or ()),
                names.get(entry_id) if entry_id else None,
                event.get("title"),
                event.get("text"),
                hhmm,
            )
        )
    return reduced
