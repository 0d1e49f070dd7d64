"""Filing each poll's new and edited entries into the stories of the desks that watch it.

After a poll is recorded, :meth:`StoryFiler.file` takes its new and edited entries
(changes ``added``, ``edited``, ``retitled``, ``retimed``, ``restored``) and, for every
desk that includes the ticker (members and tags, :func:`storage.desks.desk_tickers`),
places them with :func:`stories.place` and applies the stories they touched to the
:class:`~storage.story_store.StoryStore`. The composition root runs it after every poll
(``run``, ``worker``, ``poll``) and ``replay`` after every replayed poll.

Rules, stated once here:

- **State per process.** Each desk's :class:`~stories.DeskState` is kept in memory,
  restored from the store on first use (``restore(load(since=now - retain))``) and
  carried from poll to poll.
- **Several processes** (PostgreSQL workers) may file into one desk. Each apply names
  the store revision its state was loaded at; when another process applied since, the
  store refuses (:class:`~storage.story_store.StoryConflict`, nothing written) and the
  desk is loaded again and the poll's entries placed anew (a few times, then the poll
  is left unfiled with a warning).
- **Idempotent per poll.** Filing a poll twice (a retried turn) finds its entries in
  the state already: they are placed again as edits and stay where they are, and
  ``apply`` replaces stories by id, so no member is stored twice.
- **Nothing recorded stays unfiled.** A process can stop between recording a poll and
  filing it (a crash, a kill); the poll's re-run then finds no changes. So whenever a
  desk's state is loaded from the store, the changes its tickers recorded since each
  ticker's latest filed entry are read back (from the ``recorded`` poll store) and
  filed first — entries stored in one of the desk's stories as they are (however old
  the story) are not filed again. A ticker taken off the desk is not caught up into it.
- **A new desk compares what is there.** A ticker with no entry in the desk's open
  stories (the desk or its membership is new, or it was quiet for the whole memory)
  has no mark: what its page showed just before, within ``StoryConfig.retain``, is
  filed instead. A desk whose tickers changed since this process caught it up is
  loaded and caught up again at its next filing. Entries first seen before the desk
  was made never alert (:func:`stories.judge`).
- **Times.** A new entry's ``first_seen`` is the poll's ``observed_at`` (what the
  store records as the entry's first sighting); an edited entry keeps the
  ``first_seen`` it has in the desk's state, else the one stored with the entry.
  ``printed`` is the entry's time as parsed, where the page gave one.
- **Entries.** What a poll brings to matching, and each entry's own link:
  :mod:`tickerwatch.story_entries`; what catching up reads: :mod:`tickerwatch.catch_up`.
- **Merges.** A story that a later entry showed to be one event with an older one
  is merged into it (:func:`stories.merges`); the store keeps the merged id pointing
  there, so links to it keep working.
- **Per desk settings.** ``window_minutes`` is the story window; stories stay
  matchable for twice that (at least the default ``retain``).
- **Story alerts.** With a :class:`~tickerwatch.story_alerting.StoryAlerter`, every
  desk a poll filed into is judged right after (``we_were_first`` needs nothing more),
  and every poll, filed or not, also judges the desks whose pending
  ``competitor_first`` fell due, and each desk once a minute besides (all desks on the
  process's first poll; :mod:`tickerwatch.story_alerting`). A desk judged for time
  passing is loaded again first when another process applied to it since, so its own
  tickers' entries filed elsewhere count.

A filing failure is logged and never fails the poll: the poll is stored already.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from diffing.model import PollOutcome
from storage.desks import Desk, DeskId, DeskStore, DeskTicker, desk_tickers
from storage.model import StoredChange, TickerId
from storage.ports import PollStore, TickerRepository
from storage.story_store import StoryConflict, StoryStore
from stories import (
    DEFAULT_CONFIG,
    DeskState,
    Placement,
    PlacementKind,
    StoryConfig,
    StoryEntry,
    merges,
    place,
    restore,
)
from tickerwatch import catch_up
from tickerwatch.polling import PollReport
from tickerwatch.story_alerting import StoryAlerter
from tickerwatch.story_entries import FirstSeen, story_entries

log = logging.getLogger(__name__)

# Applies refused because another process filed first, before a poll is left unfiled.
_ATTEMPTS = 3


def desk_config(desk: Desk, base: StoryConfig = DEFAULT_CONFIG) -> StoryConfig:
    """Story matching as ``desk`` asks for it: its window, kept matchable for twice that."""
    window = timedelta(minutes=desk.window_minutes)
    return replace(base, window=window, retain=max(base.retain, 2 * window))


@dataclass(frozen=True, slots=True)
class _Held:
    """A desk's state as this process last applied or loaded it."""

    state: DeskState
    revision: int
    config: StoryConfig
    members: frozenset[TickerId] = frozenset()  # the desk's tickers when it was caught up


class StoryFiler:
    """Files polls into the stories of their desks; one per process, thread-safe
    (polls of different tickers may finish at once)."""

    def __init__(
        self,
        tickers: TickerRepository,
        desks: DeskStore,
        stories: StoryStore,
        *,
        first_seen_of: FirstSeen,
        config: StoryConfig = DEFAULT_CONFIG,
        alerter: StoryAlerter | None = None,
        recorded: PollStore | None = None,
    ) -> None:
        """``recorded`` is where polls are stored; without it a poll recorded but not
        filed (see the module) stays unfiled."""
        self._tickers = tickers
        self._recorded = recorded
        self._desks = desks
        self._stories = stories
        self._first_seen_of = first_seen_of
        self._config = config
        self._alerter = alerter
        self._held: dict[DeskId, _Held] = {}
        self._primed = False  # every desk judged once by this process
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the desk and story stores (the ticker repository stays open)."""
        self._stories.close()
        self._desks.close()

    def file(
        self, report: PollReport, *, at: datetime | None = None
    ) -> dict[DeskId, list[Placement]]:
        """File ``report``'s new and edited entries into every desk of its ticker; the
        placements per desk. Then judge the desks for story alerts (see the module).
        Never raises for a filing or judging failure (logged).

        ``at`` is the time the entries are filed at (the clock of matching and
        judging; the poll's time when None). New entries are first seen at the poll's
        time either way. A replay files the history a first capture shows at the
        times its entries report (see :mod:`tickerwatch.story_replay`)."""
        seen_at = report.observed_at
        now = seen_at if at is None else at
        placed: dict[DeskId, list[Placement]] = {}
        if report.outcome is PollOutcome.FRESH and report.changes:
            try:
                with self._lock:
                    placed = self._file(report, seen_at, now)
            except Exception:
                log.exception(
                    "ticker %d: poll %d not filed into stories", report.ticker_id, report.poll_id
                )
        self.judge_due(now)
        return placed

    def judge_due(self, now: datetime) -> list[StoredChange]:
        """Judge the desks whose pending ``competitor_first`` fell due by ``now`` (every
        desk, the first time); the alerts recorded. Never raises (logged)."""
        if self._alerter is None:
            return []
        try:
            with self._lock:
                return self._judge_due(self._alerter, now)
        except Exception:
            log.exception("story alerts not judged")
            return []

    def _judge_due(self, alerter: StoryAlerter, now: datetime) -> list[StoredChange]:
        if self._primed and not any(alerter.is_due(d, now) for d in self._held):
            return []  # the common case: no reads at all
        self._primed = True
        every = self._tickers.list()
        desks = self._desks.list()
        for gone in set(self._held) - {d.id for d in desks}:  # removed since
            del self._held[gone]
            alerter.forget(gone)
        recorded = []
        for desk in desks:
            if not alerter.is_due(desk.id, now):
                continue
            held = self._held.get(desk.id)
            if held is not None and self._stories.revision(desk.id) != held.revision:
                self._held.pop(desk.id)  # another process filed: judge what it stored
                alerter.forget(desk.id)
            recorded += self._judge(desk, desk_tickers(desk, every), now)
        return recorded

    def _judge(
        self, desk: Desk, tickers: Sequence[DeskTicker], now: datetime
    ) -> list[StoredChange]:
        if self._alerter is None:
            return []
        held = self._holding(desk, now)
        try:
            return self._alerter.judge(
                desk, held.state.stories.values(), tickers, now=now, retain=held.config.retain
            )
        except Exception:  # the poll is filed: a failed judgment is tried again later
            log.exception("desk %d: story alerts not judged", desk.id)
            return []

    def _file(
        self, report: PollReport, seen_at: datetime, now: datetime
    ) -> dict[DeskId, list[Placement]]:
        ticker = TickerId(report.ticker_id)
        every = self._tickers.list()
        resolved = [(d, desk_tickers(d, every)) for d in self._desks.list()]
        desks = [(d, ts) for d, ts in resolved if any(t.ticker.id == ticker for t in ts)]
        if not desks:
            return {}
        for desk, tickers in desks:  # loaded first: their states know edited entries' first_seen
            self._holding(desk, now, frozenset(t.ticker.id for t in tickers))
        entries = story_entries(
            ticker, report.changes, seen_at=seen_at, first_seen_of=self._known_first_seen(ticker)
        )
        if not entries:
            return {}
        placed = {}
        for desk, tickers in desks:
            placed[desk.id] = self._file_desk(desk, entries, now)
            self._judge(desk, tickers, now)
        return placed

    def _known_first_seen(self, ticker: TickerId) -> FirstSeen:
        """first_seen of an entry already seen: from a desk's state, else the store."""

        def first_seen(entry_id: str) -> datetime:
            key = (ticker, entry_id)
            for held in self._held.values():
                story_id = held.state.assignment.get(key)
                if story_id is not None:
                    for member in held.state.stories[story_id].members:
                        if member.key == key:
                            return member.first_seen
            return self._first_seen_of(entry_id)

        return first_seen

    def _file_desk(self, desk: Desk, entries: list[StoryEntry], now: datetime) -> list[Placement]:
        for _ in range(_ATTEMPTS):
            held = self._holding(desk, now)
            config = held.config
            state, placements = place(held.state, entries, now, config=config)
            try:
                revision = self._apply(desk.id, state, placements, held.revision)
            except StoryConflict:
                self._held.pop(desk.id, None)  # another process filed: load again
                continue
            self._held[desk.id] = _Held(state, revision, config, held.members)
            return placements
        log.warning("desk %d: stories kept changing under this poll; not filed", desk.id)
        return []

    def _apply(
        self, desk: DeskId, state: DeskState, placements: Sequence[Placement], revision: int
    ) -> int:
        """Store what ``placements`` changed in ``state`` if the desk is still at
        ``revision`` (:class:`StoryConflict` otherwise); the new revision."""
        touched, removed = _touched(placements)
        merged = merges(placements)
        return self._stories.apply(
            desk,
            [state.stories[i] for i in sorted(touched) if i in state.stories],
            removed=sorted(removed - touched - merged.keys()),
            merged={k: v for k, v in merged.items() if k not in state.stories},
            next_story_id=state.next_story_id,
            if_revision=revision,
        )

    def _holding(
        self, desk: Desk, now: datetime, members: frozenset[TickerId] | None = None
    ) -> _Held:
        """The desk's state as this process holds it, loaded when it holds none, the
        desk's settings changed, or its tickers are not ``members`` (when given): a
        ticker new to the desk is caught up at once."""
        config = desk_config(desk, self._config)
        held = self._held.get(desk.id)
        moved = held is not None and members is not None and held.members != members
        if held is None or held.config != config or moved:
            held = self._held[desk.id] = self._load(desk.id, now, config)
            held = self._catch_up(desk, held, now, members)
        return held

    def _catch_up(
        self, desk: Desk, held: _Held, now: datetime, members: frozenset[TickerId] | None
    ) -> _Held:
        """File what the desk's tickers (``members``, read when None) recorded since
        their latest filed entry (see the module); the state after. On a conflict the
        loaded state is dropped and the next use loads (and catches up) again."""
        # Only the desk's tickers of now: one taken off the desk keeps its old members.
        on_desk = members
        if on_desk is None:
            on_desk = frozenset(t.ticker.id for t in desk_tickers(desk, self._tickers.list()))
        held = self._held[desk.id] = replace(held, members=on_desk)
        if self._recorded is None:
            return held
        known = {m.key: m for story in held.state.stories.values() for m in story.members}
        filed = catch_up.marks(held.state)
        marks = {t: mark for t, mark in filed.items() if t in on_desk}
        cutoff = now - held.config.retain
        # Before ``now``: the poll being filed (observed at ``now``) follows anyway.
        recorded = catch_up.recorded_since(
            self._recorded, marks, cutoff, now, first_seen_of=self._known_first_seen
        )
        # A ticker with nothing in the open stories (a new desk, a ticker just added,
        # one quiet for the whole window): what its page shows, within the window.
        recorded += catch_up.on_page(self._recorded, sorted(on_desk - filed.keys()), cutoff, now)
        # An entry may be filed in a story that started before the window (not loaded).
        unknown = [e.key for e in recorded if e.key not in known]
        if unknown:
            known.update(self._stories.filed(desk.id, unknown))
        entries = [e for e in recorded if known.get(e.key) != e]  # filed as they are: skip
        if not entries:
            return held
        state, placements = place(held.state, entries, now, config=held.config)
        try:
            revision = self._apply(desk.id, state, placements, held.revision)
        except StoryConflict:
            self._held.pop(desk.id, None)
            return held  # stale: the apply that follows conflicts too and loads again
        log.info("desk %d: filed %d entries recorded but not filed before", desk.id, len(entries))
        caught_up = self._held[desk.id] = replace(held, state=state, revision=revision)
        return caught_up

    def _load(self, desk: DeskId, now: datetime, config: StoryConfig) -> _Held:
        # The revision before the stories: an apply in between shows as a conflict.
        revision = self._stories.revision(desk)
        # Older stories than the open ones tell regular features (stories.recurring).
        since = now - max(config.retain, config.recurring_memory)
        stories, next_story_id = self._stories.load(desk, since=since)
        state = restore(stories, now=now, next_story_id=next_story_id, config=config)
        return _Held(state, revision, config)


def _touched(placements: Sequence[Placement]) -> tuple[set[int], set[int]]:
    """The stories whose members changed (to store) and those emptied (to delete)."""
    touched: set[int] = set()
    emptied: set[int] = set()
    for placement in placements:
        if placement.kind is PlacementKind.IGNORED or placement.story_id is None:
            continue
        touched.add(placement.story_id)
        if placement.previous_story_id is not None:
            (emptied if placement.emptied else touched).add(placement.previous_story_id)
    return touched, emptied
