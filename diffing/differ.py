"""``diff``: one poll's verdict from what the ticker knew and the page just read. Pure.

    judge the body        not a ticker / unchanged / stale by bytes   (diffing.freshness)
    match                 identity of every entry on the page          (diffing.matching)
    judge the content     an older copy with a new body → stale        (diffing.freshness)
    judge the reading     layout changed, no ticker any more, recovered (diffing.health)
    classify              added, edited, retitled, retimed, restored,  (diffing.classify)
                          removed or paged out, page retitled          (diffing.coverage)

Only a ``FRESH`` verdict carries placements, changes and statuses; every other outcome
leaves the known entries untouched, so a stale copy can never regress the state and
the fresh page after it reports nothing that was reported before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace as dc_replace

from diffing.classify import added, entry_change, page_retitle, vanished
from diffing.config import DEFAULT_CONFIG, DiffConfig
from diffing.coverage import newest_first, vanished_statuses
from diffing.freshness import judge_body, stale_reason
from diffing.health import judge_health
from diffing.identity import ENTRY_ID_LENGTH, new_entry_id, version_of
from diffing.matching import Matching, match
from diffing.model import (
    Change,
    ChangeKind,
    Diff,
    EntryStatus,
    EntryVersion,
    Field,
    KnownEntry,
    Placement,
    PollOutcome,
    TickerState,
)
from diffing.normalize import text_key
from ingest.model import Entry, ParsedPage, TimeSource


def diff(
    state: TickerState,
    page: ParsedPage,
    *,
    body_sha256: str,
    config: DiffConfig = DEFAULT_CONFIG,
) -> Diff:
    """Compare a freshly parsed page with what the ticker is known to hold.

    ``body_sha256`` is the hex SHA-256 of the raw body the page was parsed from. On the
    first poll (empty state) every entry comes back ``ADDED``. Placements list every
    entry of the page in page order (positions are indexes into ``page.entries``),
    except a pinned copy of an entry the timeline shows as well (:func:`pinned_copies`);
    changes come page title first, then entries in page order, then vanished entries
    in their last-page order. ``health`` is set whatever the outcome when the page's
    parse health changed (:func:`diffing.health.judge_health`).
    """
    verdict = _judge(state, page, body_sha256, config)
    health = judge_health(state.health, page, verdict.outcome, config=config)
    return verdict if health is None else dc_replace(verdict, health=health)


def _judge(state: TickerState, page: ParsedPage, body_sha256: str, config: DiffConfig) -> Diff:
    early = judge_body(state, page, body_sha256)
    if early is not None:
        return Diff(outcome=early[0], reason=early[1])
    copies = pinned_copies(page.entries)
    matching = _match_shown(state, page, copies, config)
    known = {k.entry_id: k for k in state.entries}
    newest_on_top = newest_first(page)
    stale = stale_reason(state, page, matching, known, newest_first=newest_on_top, config=config)
    if stale is not None:
        return Diff(outcome=PollOutcome.STALE, reason=stale)

    changes: list[Change] = []
    retitle = page_retitle(state.page_headline, page.headline)
    if retitle is not None:
        changes.append(retitle)
    placements: list[Placement] = []
    statuses: list[tuple[str, EntryStatus]] = []
    taken = set(known)
    pairs = matching.by_position()
    for position, entry in enumerate(page.entries):
        if position in copies:
            continue
        version = version_of(entry)
        pair = pairs.get(position)
        if pair is None:
            entry_id = _fresh_id(page, position, taken)
            taken.add(entry_id)
            placements.append(Placement(entry_id, position, version, is_new=True, revised=False))
            changes.append(added(entry_id, version))
            continue
        previous = known[pair.entry_id]
        restored = previous.status is EntryStatus.REMOVED
        change = entry_change(previous, version, restored=restored)
        if change is None or Field.TIME not in change.changed:
            version = keep_stored_time(previous.version, version)
            if change is not None:
                change = dc_replace(change, current=version)
        placements.append(
            Placement(
                previous.entry_id,
                position,
                version,
                is_new=False,
                revised=bool(change and change.changed) or _time_firmed(previous.version, version),
                matched_by=pair.method,
            )
        )
        if previous.status is not EntryStatus.LIVE:
            statuses.append((previous.entry_id, EntryStatus.LIVE))
        if change is not None:
            changes.append(change)

    vanished_changes, vanished_status, reason = _vanished(
        state, matching, known, newest_on_top, config
    )
    changes.extend(vanished_changes)
    statuses.extend(vanished_status)
    return Diff(
        outcome=PollOutcome.FRESH,
        placements=tuple(placements),
        changes=tuple(changes),
        statuses=tuple(statuses),
        reason=reason,
    )


def keep_stored_time(stored: EntryVersion, shown: EntryVersion) -> EntryVersion:
    """``shown`` with the stored instant, when its time did not change for a reader.

    Once stored, an entry keeps its date and offset: a later poll may infer another day
    (the page's date line came and went) or another offset (polled in another season)
    for the same printed label, and that is no reason to move the entry in time. A
    stored time without trustworthy evidence (none, or a relative estimate) gives way
    to one with it.
    """
    if stored.time is None or shown.time is None:
        return shown
    if stored.time_source is TimeSource.RELATIVE and shown.time_source is not TimeSource.RELATIVE:
        return shown
    return dc_replace(shown, time=stored.time, time_evidence=stored.time_evidence)


def _time_firmed(stored: EntryVersion, kept: EntryVersion) -> bool:
    """Whether the version kept for an entry brings a printed time where the stored one
    had none or an estimate ("59 mins ago" then "11:49 PM"): no change for a reader, but
    a revision for the store, whose state must hold that time to see it corrected later."""
    if kept.time is None or kept.time_source in (TimeSource.RELATIVE, TimeSource.NONE):
        return False
    return stored.time is None or stored.time_source is TimeSource.RELATIVE


def pinned_copies(entries: Sequence[Entry]) -> frozenset[int]:
    """Positions of pinned entries that repeat an entry shown in the timeline too.

    Many tickers pin an update to the top and keep it in its place as well; the copy
    is the same entry, so it gets no identity (and no placement) of its own.
    """
    timeline = {(text_key(e.text), text_key(e.headline)) for e in entries if not e.pinned}
    return frozenset(
        i
        for i, e in enumerate(entries)
        if e.pinned and (text_key(e.text), text_key(e.headline)) in timeline
    )


def _match_shown(
    state: TickerState, page: ParsedPage, copies: frozenset[int], config: DiffConfig
) -> Matching:
    """Matching of the page without its pinned copies, in page positions."""
    if not copies:
        return match(state.entries, page.entries, config=config)
    shown = [i for i in range(len(page.entries)) if i not in copies]
    found = match(state.entries, [page.entries[i] for i in shown], config=config)
    return dc_replace(
        found,
        pairs=tuple(dc_replace(pair, position=shown[pair.position]) for pair in found.pairs),
        new_positions=tuple(shown[i] for i in found.new_positions),
    )


def _vanished(
    state: TickerState,
    matching: Matching,
    known: dict[str, KnownEntry],
    newest_on_top: bool,
    config: DiffConfig,
) -> tuple[list[Change], list[tuple[str, EntryStatus]], str | None]:
    missing = [known[i] for i in matching.unmatched if known[i].status is EntryStatus.LIVE]
    missing.sort(key=lambda k: k.position)
    survivors = [
        known[p.entry_id] for p in matching.pairs if known[p.entry_id].status is EntryStatus.LIVE
    ]
    verdict = vanished_statuses(missing, survivors, newest_first=newest_on_top)
    removed = sum(1 for s in verdict.values() if s is EntryStatus.REMOVED)
    live = sum(1 for k in state.entries if k.status is EntryStatus.LIVE)
    reason = None
    if removed >= config.mass_removal_min and removed > config.max_removed_fraction * live:
        # A page that lost most of its entries at once is broken or re-laid out, not
        # purged by its editors: record them as out of view, alert nobody.
        reason = f"{removed} of {live} live entries vanished at once: recorded as paged out"
        verdict = dict.fromkeys(verdict, EntryStatus.PAGED_OUT)
    changes = []
    statuses = []
    for entry in missing:
        status = verdict[entry.entry_id]
        kind = ChangeKind.REMOVED if status is EntryStatus.REMOVED else ChangeKind.PAGED_OUT
        changes.append(vanished(entry, kind))
        statuses.append((entry.entry_id, status))
    return changes, statuses, reason


def _fresh_id(page: ParsedPage, position: int, taken: set[str]) -> str:
    """The new entry's id; on the (astronomically unlikely) clash with an id in use, a
    deterministic re-hash so that a retried poll still yields the same ids."""
    entry = page.entries[position]
    entry_id = new_entry_id(
        url=page.url,
        observed_at=page.observed_at,
        position=position,
        text=entry.text,
        headline=entry.headline,
    )
    while entry_id in taken:
        entry_id = hashlib.sha256(entry_id.encode()).hexdigest()[:ENTRY_ID_LENGTH]
    return entry_id
