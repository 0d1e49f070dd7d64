"""Folding a :class:`Diff` into the :class:`TickerState` for the next poll. Pure.

This is the in-memory reference of what a store does after a poll, and what the
storage layer's contract tests can compare against:

- every body is remembered in ``seen_bodies`` (a later byte-identical copy is stale);
- ``FRESH``: placed entries become live at their new position with the page's version
  (a revised entry's previous version is remembered as superseded, a time it was
  retimed away from as ``retimed_from``); new entries are
  added; status changes apply; the page headline, the last fresh time and body move on;
- ``UNCHANGED``: the page is current, only ``last_fresh_at`` moves on;
- ``STALE`` and ``NOT_A_TICKER``: nothing else changes;
- the reading health moves on as :func:`diffing.health.health_after` says.

Entries are never dropped here: how long removed and paged-out entries stay in the
state is the store's retention policy.
"""

from __future__ import annotations

from dataclasses import replace

from diffing.health import health_after
from diffing.identity import retimed_away, version_digest
from diffing.model import Diff, EntryStatus, KnownEntry, PollOutcome, TickerState
from ingest.model import ParsedPage


def advance(state: TickerState, page: ParsedPage, diff: Diff, *, body_sha256: str) -> TickerState:
    """The state after this poll, given the diff computed for it."""
    seen = state.seen_bodies | {body_sha256}
    health = health_after(state.health, page, diff.outcome)
    if diff.outcome is PollOutcome.UNCHANGED:
        return replace(state, seen_bodies=seen, last_fresh_at=page.observed_at, health=health)
    if diff.outcome is not PollOutcome.FRESH:
        return replace(state, seen_bodies=seen, health=health)
    entries = {k.entry_id: k for k in state.entries}
    for placement in diff.placements:
        before = entries.get(placement.entry_id)
        if before is None or placement.is_new:
            entries[placement.entry_id] = KnownEntry(
                entry_id=placement.entry_id,
                version=placement.version,
                status=EntryStatus.LIVE,
                first_seen=page.observed_at,
                last_seen=page.observed_at,
                position=placement.position,
            )
            continue
        superseded, retimed_from = before.superseded, before.retimed_from
        if placement.revised:
            old = version_digest(before.version)
            if old != version_digest(placement.version):
                superseded = superseded | {old}
            retimed_from = retimed_from | retimed_away(before.version, placement.version)
        entries[placement.entry_id] = replace(
            before,
            version=placement.version,
            status=EntryStatus.LIVE,
            last_seen=page.observed_at,
            position=placement.position,
            superseded=superseded,
            retimed_from=retimed_from,
        )
    for entry_id, status in diff.statuses:
        if entry_id in entries and entries[entry_id].status is not status:
            entries[entry_id] = replace(entries[entry_id], status=status)
    return TickerState(
        entries=tuple(entries.values()),
        page_headline=page.headline if page.headline is not None else state.page_headline,
        last_fresh_at=page.observed_at,
        last_body_sha256=body_sha256,
        seen_bodies=seen,
        health=health,
    )
