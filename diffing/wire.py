"""Change events at the wire: the JSON shape of the replay contract.

``{"snapshot", "kind", "changed", "entry_id", "title", "text", "time",
"previous": {"title", "text", "time"}, "similarity"}`` — one object per change.
The generic webhook and the API send the same shape, plus links. A ``ticker_health``
event (the page stopped reading right, or reads again) has no entry: its ``title`` is
the message and ``health`` names what happened (``layout_changed``, ``no_entries``,
``not_a_ticker``, ``recovered``).

Pure, and the one definition of the shape: ``tickerwatch replay`` prints it, the API
and the generic webhook send a stored change in it
(:meth:`storage.model.StoredChange.as_json`).
"""

from __future__ import annotations

from typing import Any

from diffing.model import Change, ChangeKind, EntryVersion, HealthEvent


def _version(version: EntryVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "title": version.headline,
        "text": version.text,
        "time": version.time.isoformat() if version.time else None,
    }


def change_as_json(change: Change, *, snapshot: str) -> dict[str, Any]:
    """One change as the replay contract prints it."""
    if change.kind is ChangeKind.PAGE_RETITLED:
        return {
            "snapshot": snapshot,
            "kind": change.kind.value,
            "changed": ["title"],
            "entry_id": None,
            "title": change.page_headline,
            "text": None,
            "time": None,
            "previous": {"title": change.previous_page_headline, "text": None, "time": None},
            "similarity": None,
        }
    # A removed entry is described by what it said last.
    shown = change.current or change.previous
    body = _version(shown) or {"title": None, "text": None, "time": None}
    return {
        "snapshot": snapshot,
        "kind": change.kind.value,
        "changed": [field.value for field in change.changed],
        "entry_id": change.entry_id,
        **body,
        "previous": _version(change.previous),
        "similarity": round(change.similarity, 4) if change.similarity is not None else None,
    }


def health_as_json(event: HealthEvent, *, snapshot: str) -> dict[str, Any]:
    """A parse-health event in the contract's shape."""
    return {
        "snapshot": snapshot,
        "kind": ChangeKind.TICKER_HEALTH.value,
        "changed": [],
        "entry_id": None,
        "title": event.detail,
        "text": None,
        "time": None,
        "previous": None,
        "similarity": None,
        "health": event.kind.value,
    }
