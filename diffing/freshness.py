"""How a poll's page is judged before any change is reported.

In order: a page cut short (``ParsedPage.incomplete``: a server or proxy that ended the
body early and said it was whole) is a failed poll, whatever it holds; a page that is
not a ticker (consent wall, error page) reports nothing and never removes anything; a
body byte-identical to the last fresh one is unchanged; a body identical to an older
one is a stale copy from a cache. A page that parsed into no entries while the ticker
has live ones is treated as not a ticker: a broken render must not empty the ticker.

After matching, a page can still be an older copy with a new body (caches re-render
ads, nonces and "updated" stamps): :func:`stale_reason` recognizes it when everything
on it is known, nothing on it is news, and it lacks the newest entries or shows
entries as they were before their last edit.
"""

from __future__ import annotations

from collections.abc import Mapping

from diffing.config import DiffConfig
from diffing.coverage import is_above_page
from diffing.identity import time_marks, version_digest, version_of
from diffing.matching import Matching
from diffing.model import EntryStatus, EntryVersion, KnownEntry, PollOutcome, TickerState
from diffing.timing import time_changed
from ingest.model import ParsedPage, TimeSource

RELATIVE = TimeSource.RELATIVE  # drifting estimates: no evidence of which copy is newer


def judge_body(
    state: TickerState, page: ParsedPage, body_sha256: str
) -> tuple[PollOutcome, str] | None:
    """The outcome of a poll decided before matching, with its reason; None to go on.

    A page cut short is ``FAILED``, not read in part: the entries after the cut are
    missing, not removed, and the one it was cut in is not edited, so every change read
    from it would be false. Reading only its uncut entries would report a new entry one
    poll sooner, but would store as what the ticker showed a snapshot it never showed
    (``ticker_as_of``) and need a third state, "not seen", for the entries after the
    cut. As a failed poll it keeps its body, shows its reason in ``status`` and is
    fetched anew soon; the next whole page brings the new entries, with their times.
    """
    if page.incomplete is not None:
        return PollOutcome.FAILED, f"page incomplete: {page.incomplete}"
    if page.not_a_ticker is not None:
        return PollOutcome.NOT_A_TICKER, page.not_a_ticker
    repeat = state.last_body_sha256 is not None and body_sha256 == state.last_body_sha256
    # After polls that read no ticker, the last fresh page coming back is the ticker
    # reading again: judged as a fresh page (no changes), so its recovery is recorded.
    if repeat and not state.health.broken_polls:
        return PollOutcome.UNCHANGED, "body identical to the last fresh poll"
    if body_sha256 in state.seen_bodies and not repeat:
        return PollOutcome.STALE, "body identical to an older poll (a cache served an old copy)"
    if not page.entries and any(k.status is EntryStatus.LIVE for k in state.entries):
        return PollOutcome.NOT_A_TICKER, "the page shows no entries although the ticker has some"
    return None


def _retimed(stored: EntryVersion, shown: EntryVersion) -> bool:
    return time_changed(
        stored.time,
        stored.time_source,
        stored.time_evidence,
        shown.time,
        shown.time_source,
        shown.time_evidence,
    )


def stale_reason(
    state: TickerState,
    page: ParsedPage,
    matching: Matching,
    known: Mapping[str, KnownEntry],
    *,
    newest_first: bool,
    config: DiffConfig,
) -> str | None:
    """Why the page is an older copy of the ticker, or None when it is current.

    An older copy has no new entries and no content we have not seen (every entry
    shows its current version or one it had before, at its current time or one it was
    retimed away from), and it lacks live entries newer than all it shows, or shows an
    entry's superseded version or time. Only believed within
    ``config.stale_horizon`` of the last fresh poll: a newest entry that stays missing
    longer was deleted, and is then reported as removed.
    """
    if state.last_fresh_at is None or matching.new_positions:
        return None
    if page.observed_at - state.last_fresh_at > config.stale_horizon:
        return None
    reverted = 0
    for pair in matching.pairs:
        entry = known[pair.entry_id]
        version = version_of(page.entries[pair.position])
        shown = version_digest(version)
        if shown != version_digest(entry.version):
            if shown not in entry.superseded:
                return None  # news: a version never seen before
            reverted += 1
        elif _retimed(entry.version, version):
            if not time_marks(version) & entry.retimed_from:
                return None  # news: a time the entry never had
            reverted += 1
    survivors = [
        (known[p.entry_id].position, known[p.entry_id].version)
        for p in matching.pairs
        if known[p.entry_id].status is EntryStatus.LIVE
    ]
    positions = [position for position, _ in survivors]
    # The newest entry still shown, by time; pinned entries keep old ones on top, so
    # "above every survivor" alone would miss a stale copy under a pinned entry. Stored
    # times on both sides: a survivor's time as this page places it may rest on another
    # day's inference than the stored ones it is compared with.
    timed = [(e.time, pos) for pos, e in survivors if e.time and e.time_source is not RELATIVE]
    newest_time, newest_position = max(timed) if timed else (None, None)
    missing_newer = 0
    for entry_id in matching.unmatched:
        entry = known[entry_id]
        if entry.status is not EntryStatus.LIVE:
            continue
        version = entry.version
        newer_in_time = (
            newest_time is not None
            and newest_position is not None
            and version.time is not None
            and version.time_source is not RELATIVE
            and version.time > newest_time
            and (
                entry.position < newest_position
                if newest_first
                else entry.position > newest_position
            )
        )
        if newer_in_time or is_above_page(entry, positions, newest_first):
            missing_newer += 1
    if missing_newer:
        lacks = "1 newer entry" if missing_newer == 1 else f"{missing_newer} newer entries"
        return f"older copy: lacks {lacks} the ticker already showed"
    if reverted:
        shows = "1 entry shows" if reverted == 1 else f"{reverted} entries show"
        return f"older copy: {shows} the version before their last edit"
    return None
