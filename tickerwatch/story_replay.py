"""Replaying several saved cases as one desk: the replay contract for stories.

``tickerwatch replay CASE_A CASE_B … --stories --json`` adds each case as a ticker
(named after its folder), makes them one desk (all competitors, or one case marked as
our own), polls every snapshot of every case in the order live polling would have seen
them — by ``fetched_at``, a tie in the order the cases were named — through
:func:`tickerwatch.polling.poll_once`, files each poll into the desk's stories
(:class:`tickerwatch.desking.StoryFiler`, as a live poll is filed) and prints every
story that spans two or more tickers as one JSON object (:func:`story_as_json`).
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from diffing.model import Change, ChangeKind, PollOutcome
from storage.desks import DeskId, DeskMember, DeskStore, NewDesk
from storage.model import NewTicker, Ticker
from storage.ports import Store
from storage.story_store import StoryStore
from stories import Basis, Story, story_leads
from tickerwatch.desking import StoryFiler
from tickerwatch.polling import DEFAULT_POLICY, PollPolicy, PollReport, poll_once
from tickerwatch.replay import Case, CaseFetcher, CaseSnapshot

# Stories read back per query when printing them all.
_PAGE = 500


@dataclass(frozen=True, slots=True)
class ReplayDesk:
    """The desk a multi-case replay made: its id, and its tickers in case order."""

    desk_id: DeskId
    tickers: tuple[Ticker, ...]

    @property
    def names(self) -> dict[int, str]:
        """Each ticker's case folder name, by ticker id."""
        return {t.id: t.name for t in self.tickers}


def start_desk(
    cases: Sequence[Case], *, store: Store, desks: DeskStore, own: str | None = None
) -> ReplayDesk:
    """Add the cases as tickers (named after their folders) and make them one desk,
    ``own`` naming the case that is ours (None: all are competitors)."""
    start = min(c.snapshots[0].fetched_at for c in cases)
    tickers = tuple(
        store.add(NewTicker(url=case.url, name=case.name), created_at=start) for case in cases
    )
    members = tuple(DeskMember(t.id, own=t.name == own) for t in tickers)
    desk = desks.add(NewDesk(_desk_name(cases), members=members), created_at=start)
    return ReplayDesk(desk.id, tickers)


async def replay_polls(
    cases: Sequence[Case],
    desk: ReplayDesk,
    *,
    store: Store,
    filer: StoryFiler,
    policy: PollPolicy = DEFAULT_POLICY,
) -> AsyncIterator[tuple[Case, CaseSnapshot, PollReport]]:
    """Poll every snapshot of every case, interleaved by ``fetched_at`` (a tie in case
    order), each with its ``fetched_at`` as the clock, and yield each poll's case,
    snapshot and report; once all are polled, file them into the desk's stories in
    the order their entries appeared (:func:`filing_order`)."""
    fetchers = [CaseFetcher(case) for case in cases]
    # Each case keeps its own order (its fetcher serves the snapshots one by one).
    order = heapq.merge(
        *([(s.fetched_at, index) for s in case.snapshots] for index, case in enumerate(cases))
    )
    reports: list[tuple[int, PollReport]] = []
    for at, index in order:
        report = await poll_once(
            desk.tickers[index],
            fetcher=fetchers[index],
            store=store,
            clock=lambda at=at: at,  # type: ignore[misc]
            policy=policy,
        )
        reports.append((index, report))
        current = fetchers[index].current
        assert current is not None  # the fetch above served one
        yield cases[index], current, report
    for at, report in filing_order(reports):
        await asyncio.to_thread(filer.file, report, at=at)


def filing_order(reports: Sequence[tuple[int, PollReport]]) -> list[tuple[datetime, PollReport]]:
    """When to file each poll of ``reports`` ((case index, report) in polling order):
    (time, report or part of it), in time order, a tie in case and polling order.

    A poll is filed at its time, as live polling files it, except a case's first
    fresh poll: a first capture shows hours or days of a ticker's history, which
    live polling of the desk would have filed entry by entry as it appeared. Its new
    entries are filed at the times they report (those without a time, or with one
    after the poll, at the poll's time), so that they meet the other cases' entries
    of those hours in the desk's window; they are first seen at the poll either way.
    """
    first: set[int] = set()
    filings: list[tuple[datetime, int, int, PollReport]] = []
    for seq, (index, report) in enumerate(reports):
        polled = report.observed_at
        if report.outcome is not PollOutcome.FRESH or index in first:
            filings.append((polled, index, seq, report))
            continue
        first.add(index)
        by_time: dict[datetime, list[Change]] = {}
        for change in report.changes:
            version = change.current
            at = polled
            if change.kind is ChangeKind.ADDED and version is not None and version.time:
                at = min(version.time, polled)
            by_time.setdefault(at, []).append(change)
        for at, changes in by_time.items():
            filings.append((at, index, seq, replace(report, changes=tuple(changes))))
    filings.sort(key=lambda f: (f[0], f[1], f[2]))
    return [(at, report) for at, _, _, report in filings]


def _desk_name(cases: Sequence[Case]) -> str:
    name = "replay: " + ", ".join(c.name for c in cases)
    return name if len(name) <= 200 else name[:199] + "…"


def shared_stories(stories: StoryStore, desk: DeskId) -> list[Story]:
    """Every story of ``desk`` two or more tickers have, by id."""
    found: list[Story] = []
    while batch := stories.recent(desk, min_tickers=2, limit=_PAGE, offset=len(found)):
        found.extend(batch)
    return sorted(found, key=lambda s: s.id)


def story_as_json(story: Story, names: dict[int, str]) -> dict[str, Any]:
    """One line of the contract: the story's entries (oldest first by the time they
    report, then ticker and id), who was first on each clock and by how many minutes
    over the second ticker."""
    leads = story_leads(story)
    members = sorted(story.members, key=lambda m: (m.when, names[m.ticker_id], m.entry_id))
    return {
        "story": story.id,
        "entries": [
            {
                "ticker": names[m.ticker_id],
                "entry_id": m.entry_id,
                "title": m.title,
                "text": m.text,
                "time": m.printed.isoformat() if m.printed is not None else None,
                "link": m.link,
                "first_seen": m.first_seen.isoformat(),
            }
            for m in members
        ],
        "first_by_printed": names[leads.first(Basis.PRINTED)],
        "first_by_seen": names[leads.first(Basis.SEEN)],
        "lead_minutes": {
            "printed": _round(leads.lead_minutes(Basis.PRINTED)),
            "seen": _round(leads.lead_minutes(Basis.SEEN)),
        },
    }


def _round(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes, 2)
