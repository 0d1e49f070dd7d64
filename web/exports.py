"""Exports of a ticker's entries, revisions and change events as JSON and CSV. Pure.

Rows are flat dicts with a fixed set of columns per kind (:data:`COLUMNS`), so the
JSON array and the CSV file hold the same data. Both are produced piece by piece
(:func:`json_stream`, :func:`csv_stream`), so an export of a large ticker starts at once
and never sits in memory whole.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading apostrophe, as OWASP recommends for
exports of untrusted text; JSON carries the text unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from storage.model import EntryHistory, Revision, StoredChange

ExportKind = Literal["entries", "revisions", "events"]

COLUMNS: dict[ExportKind, tuple[str, ...]] = {
    "entries": (
        "entry_id",
        "ticker_id",
        "first_seen",
        "last_seen",
        "status",
        "position",
        "native_id",
        "revisions",
        "changes",
        "headline",
        "text",
        "time",
        "time_label",
    ),
    "revisions": (
        "revision_id",
        "entry_id",
        "ticker_id",
        "snapshot_id",
        "observed_at",
        "headline",
        "text",
        "time",
        "time_label",
        "time_source",
        "time_evidence",
        "native_id",
        "html",
    ),
    "events": (
        "event_id",
        "ticker_id",
        "poll_id",
        "snapshot_id",
        "observed_at",
        "kind",
        "changed",
        "entry_id",
        "similarity",
        "previous_revision_id",
        "current_revision_id",
        "headline",
        "text",
        "time",
        "time_label",
        "time_evidence",
        "previous_headline",
        "previous_text",
        "previous_time",
        "page_headline",
        "previous_page_headline",
        "health",
        "detail",
    ),
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def entry_row(history: EntryHistory) -> dict[str, Any]:
    current = history.revisions[-1].version if history.revisions else None
    return {
        "entry_id": history.entry_id,
        "ticker_id": history.ticker_id,
        "first_seen": _iso(history.first_seen),
        "last_seen": _iso(history.last_seen),
        "status": history.status.value,
        "position": history.position,
        "native_id": history.native_id,
        "revisions": len(history.revisions),
        "changes": len(history.changes),
        "headline": current.headline if current else None,
        "text": current.text if current else None,
        "time": _iso(current.time) if current else None,
        "time_label": current.time_label if current else None,
    }


def revision_row(revision: Revision, ticker_id: int) -> dict[str, Any]:
    version = revision.version
    return {
        "revision_id": revision.id,
        "entry_id": revision.entry_id,
        "ticker_id": ticker_id,
        "snapshot_id": revision.snapshot_id,
        "observed_at": _iso(revision.observed_at),
        "headline": version.headline,
        "text": version.text,
        "time": _iso(version.time),
        "time_label": version.time_label,
        "time_source": version.time_source.value,
        "time_evidence": version.time_evidence.value,
        "native_id": version.native_id,
        "html": version.html,
    }


def event_row(change: StoredChange) -> dict[str, Any]:
    as_change = change.as_change()
    current, previous = as_change.current, as_change.previous
    return {
        "event_id": change.id,
        "ticker_id": change.ticker_id,
        "poll_id": change.poll_id,
        "snapshot_id": change.snapshot_id,
        "observed_at": _iso(change.observed_at),
        "kind": change.kind.value,
        "changed": ",".join(f.value for f in change.changed),
        "entry_id": change.entry_id,
        "similarity": change.similarity,
        "previous_revision_id": change.previous.id if change.previous else None,
        "current_revision_id": change.current.id if change.current else None,
        "headline": current.headline if current else None,
        "text": current.text if current else None,
        # The entry's time as placed (ISO 8601 with its offset), the label as printed,
        # and what placed the label in time (ingest.model.TimeEvidence).
        "time": _iso(current.time) if current else None,
        "time_label": current.time_label if current else None,
        "time_evidence": current.time_evidence.value if current else None,
        "previous_headline": previous.headline if previous else None,
        "previous_text": previous.text if previous else None,
        "previous_time": _iso(previous.time) if previous else None,
        "page_headline": change.page_headline,
        "previous_page_headline": change.previous_page_headline,
        "health": change.health.value if change.health else None,
        "detail": change.detail,
    }


def json_stream(rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A JSON array of ``rows``, one chunk per row."""
    yield b"["
    first = True
    for row in rows:
        yield (b"\n" if first else b",\n") + json.dumps(row, ensure_ascii=False).encode()
        first = False
    yield b"\n]\n"


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_stream(kind: ExportKind, rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A CSV file (UTF-8, header row, RFC 4180 quoting) of ``rows``."""
    return csv_table(COLUMNS[kind], rows)


def csv_table(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A CSV file (UTF-8, header row of ``columns``, RFC 4180 quoting) of ``rows``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue().encode()
