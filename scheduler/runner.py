"""One scheduled turn of one ticker: check it is still due, poll it, plan the next poll.

Both engines call :meth:`PollRunner.run` with a ticker id and the time its poll was due,
and nothing else: the engine only decides *when* a turn runs. A turn

1. waits for one of ``max_concurrent`` fetch slots, then claims the ticker and reads it
   in one transaction (``claim_turn``: the ticker row, its latest poll, what an unchanged
   page is compared with); removed or paused tickers end their chain (the engines'
   resync starts it again when a ticker is resumed);
2. defers to the ticker table when it holds a later ``next_poll_at`` than the turn's
   due time (``tickerwatch poll`` or another node polled it meanwhile);
3. skips the fetch when a poll started at or after the due time is already stored: the
   turn is a re-run of one whose process died after recording the poll, so a poll that
   was due once is recorded once;
4. ends ``BUSY`` when another process holds the claim (polling it right now), to look
   again one floor interval later;
5. polls (``tickerwatch.polling.poll_once`` as wired by the composition root, handed a
   :class:`~scheduler.ports.Turn`): the poll plans the next poll with :func:`plan_next`
   from its report and records it, with the end of the claim, in the poll's own
   transaction; the engine schedules the returned time.

An unchanged poll thus costs two transactions: the claim and the poll. A store that
fails makes the turn ``FAILED`` with a retry one floor interval later; nothing raises
out of :meth:`PollRunner.run`, so an engine's chain never breaks.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from diffing.model import ChangeKind, HealthKind
from scheduler.cadence import CadencePolicy, NextPoll, PollFacts, plan_next
from scheduler.ports import Turn, TurnReport
from storage.errors import TickerNotFound
from storage.model import PollId, PollSchedule, Ticker, TickerId, TurnStart
from storage.ports import Store

log = logging.getLogger(__name__)

PollFunction = Callable[[Ticker, Turn], Awaitable[TurnReport]]
Clock = Callable[[], datetime]

# Kinds that show the ticker is live; paged-out entries only fell off the page, and a
# parse-health event is about how the page reads, not about news on it, and a story
# alert is judged on a desk, not on a poll of this ticker.
ACTIVITY = frozenset(
    k
    for k in ChangeKind
    if k not in (ChangeKind.PAGED_OUT, ChangeKind.TICKER_HEALTH) and not k.about_story
)
# Due times travel through job arguments and the database; a later next_poll_at within
# this margin is the same time, not a move.
SAME_TIME = timedelta(seconds=1)


class TurnKind(enum.Enum):
    """How a turn ended."""

    POLLED = "polled"
    ALREADY_POLLED = "already_polled"  # a poll at or after the due time is stored
    MOVED = "moved"  # the table says later: the turn moves there without polling
    PAUSED = "paused"
    REMOVED = "removed"
    STOPPING = "stopping"  # the service stopped before the poll got a fetch slot
    BUSY = "busy"  # another process is polling the ticker right now
    FAILED = "failed"  # the store failed; retried one floor interval later


@dataclass(frozen=True, slots=True)
class PollTurn:
    """What one turn did. ``next_at`` is when the engine runs the ticker's next turn
    (None: no next turn, the chain ends); ``lag_s`` how late the poll started."""

    ticker_id: TickerId
    due_at: datetime | None
    kind: TurnKind
    next_at: datetime | None
    report: TurnReport | None = None
    plan: NextPoll | None = None
    lag_s: float | None = None
    error: str | None = None


Observer = Callable[[PollTurn], None]


class PollRunner:
    """Runs turns for any engine; one per process, shared by all tickers.

    ``poll`` polls one ticker (``poll_once`` bound to the fetcher, store, clock and
    policy); ``clock`` returns aware UTC; ``rng`` draws the jitter; ``observer`` sees
    every turn (metrics, benchmarks). :meth:`stop` makes turns still waiting for a fetch
    slot end as ``STOPPING`` while turns already polling finish.
    """

    def __init__(
        self,
        store: Store,
        poll: PollFunction,
        policy: CadencePolicy,
        *,
        clock: Clock,
        max_concurrent: int,
        rng: random.Random | None = None,
        observer: Observer | None = None,
        claim_s: float = 300.0,
    ) -> None:
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        if claim_s <= 0:
            raise ValueError("claim_s must be positive")
        self.store = store
        self.policy = policy
        self._poll = poll
        self._clock = clock
        self._slots = asyncio.Semaphore(max_concurrent)
        self._rng = rng if rng is not None else random.Random()
        self._observer = observer
        self._stopping = False
        self._claim_s = claim_s  # how long a poll holds its ticker against other processes
        self.polling = 0  # polls holding a fetch slot now
        # ticker → (id of the last poll this runner recorded, when entries last changed
        # as of it). Valid while that poll is still the ticker's latest: changes come only
        # from polls, so nobody else has polled it since. Saves a query per turn.
        self._last_change: dict[TickerId, tuple[PollId, datetime | None]] = {}

    def stop(self) -> None:
        self._stopping = True

    async def run(self, ticker_id: TickerId, due_at: datetime | None) -> PollTurn:
        """One turn of ``ticker_id``, due at ``due_at``; ``due_at=None`` polls now,
        paused or not (``tickerwatch poll``)."""
        try:
            turn = await self._turn(ticker_id, due_at)
        except Exception as error:  # the store failed: retry later rather than lose the chain
            retry_at = self._clock() + timedelta(seconds=self.policy.min_interval_s)
            log.exception(
                "ticker %d: turn failed, retrying at %s",
                ticker_id,
                retry_at.isoformat(timespec="seconds"),
                extra={"ticker_id": ticker_id},
            )
            turn = PollTurn(ticker_id, due_at, TurnKind.FAILED, retry_at, error=repr(error))
        if self._observer is not None:
            self._observer(turn)
        return turn

    async def _turn(self, ticker_id: TickerId, due_at: datetime | None) -> PollTurn:
        async with self._slots:
            if self._stopping:
                return PollTurn(ticker_id, due_at, TurnKind.STOPPING, None)
            token = uuid.uuid4().hex
            started = self._clock()
            until = started + timedelta(seconds=self._claim_s)
            # The last change time is read with the claim unless this runner knows it.
            kinds = None if ticker_id in self._last_change else ACTIVITY
            try:
                start = await asyncio.to_thread(
                    self.store.claim_turn,
                    ticker_id,
                    token=token,
                    now=started,
                    until=until,
                    change_kinds=kinds,
                )
            except TickerNotFound:
                self._last_change.pop(ticker_id, None)
                return PollTurn(ticker_id, due_at, TurnKind.REMOVED, None)
            ticker = start.ticker
            held = token if start.claimed else None
            if due_at is not None:
                skipped = await self._skipped(start, due_at, held)
                if skipped is not None:
                    return skipped
            if held is None:
                retry_at = started + timedelta(seconds=self.policy.min_interval_s)
                log.info(
                    "ticker %d: another process is polling it; looking again at %s",
                    ticker_id,
                    retry_at.isoformat(timespec="seconds"),
                    extra={"ticker_id": ticker_id},
                )
                return PollTurn(ticker_id, due_at, TurnKind.BUSY, retry_at)
            planned: list[tuple[NextPoll, datetime | None]] = []

            def schedule(report: TurnReport) -> PollSchedule:
                streak = ticker.error_streak + 1 if report.failed else 0
                last_change_at = self._last_change_of(start, report)
                plan = self._plan(
                    ticker, report, error_streak=streak, last_change_at=last_change_at
                )
                planned.append((plan, last_change_at))
                return PollSchedule(plan.at, release=token)

            self.polling += 1
            try:
                report = await self._poll(ticker, Turn(start, schedule))
            except TickerNotFound:  # removed while it was polled
                self._last_change.pop(ticker_id, None)
                return PollTurn(ticker_id, due_at, TurnKind.REMOVED, None)
            except BaseException:
                await asyncio.to_thread(self._release, ticker, token)
                raise
            finally:
                self.polling -= 1
        lag = (started - due_at).total_seconds() if due_at is not None else None
        if planned:  # the poll recorded its plan in its own transaction
            plan, last_change_at = planned[-1]
            turn = PollTurn(ticker.id, due_at, TurnKind.POLLED, plan.at, report, plan, lag)
        else:  # a poll function that recorded without the turn's schedule
            await asyncio.to_thread(schedule, report)
            plan, last_change_at = planned[-1]
            turn = await self._persisted(
                ticker, due_at, TurnKind.POLLED, plan, report, lag, release=token
            )
        self._last_change[ticker.id] = (report.poll_id, last_change_at)
        _log_poll(turn)
        return turn

    async def _skipped(
        self, start: TurnStart, due_at: datetime, held: str | None
    ) -> PollTurn | None:
        """The turn that ends without polling (paused, moved, polled already), or None:
        see the module's steps 1–3. A claim the turn took is released."""
        ticker, latest = start.ticker, start.latest
        if ticker.paused:
            kind, next_at = TurnKind.PAUSED, None
        elif ticker.next_poll_at is not None and ticker.next_poll_at > due_at + SAME_TIME:
            kind, next_at = TurnKind.MOVED, ticker.next_poll_at
        elif latest is not None and latest.started_at >= due_at:
            last_change_at = await asyncio.to_thread(self._last_change_of, start, None)
            plan = self._plan(
                ticker, None, error_streak=ticker.error_streak, last_change_at=last_change_at
            )
            return await self._persisted(
                ticker, due_at, TurnKind.ALREADY_POLLED, plan, release=held
            )
        else:
            return None
        if held is not None:
            await asyncio.to_thread(self._release, ticker, held)
        return PollTurn(ticker.id, due_at, kind, next_at)

    def _last_change_of(self, start: TurnStart, report: TurnReport | None) -> datetime | None:
        """When the ticker's entries last changed, as of ``report`` (None: as of the
        claim): the poll's own time when it changed them, else what the claim read, else
        this runner's cache while the poll it was noted at is still the latest, else a
        query (synchronous: called in a worker thread)."""
        if report is not None and any(c.kind in ACTIVITY for c in report.changes):
            return report.started_at
        if start.changes_read:
            return start.last_change_at
        cached = self._last_change.get(start.ticker.id)
        latest = start.latest.id if start.latest is not None else None
        if cached is not None and latest is not None and cached[0] == latest:
            return cached[1]
        return self._last_change_at(start.ticker.id)

    def _plan(
        self,
        ticker: Ticker,
        report: TurnReport | None,
        *,
        error_streak: int,
        last_change_at: datetime | None,
    ) -> NextPoll:
        facts = PollFacts(
            base_interval_s=ticker.interval_seconds,
            error_streak=error_streak,
            last_change_at=last_change_at,
            coverage_end=report.coverage_end if report else None,
            retry_after_s=report.retry_after_s if report else None,
        )
        return plan_next(facts, self.policy, now=self._clock(), draw=self._rng.random())

    def _release(self, ticker: Ticker, token: str) -> None:
        """End a claim whose poll failed or was not run, keeping the planned time (best
        effort: a claim left behind expires)."""
        try:
            self.store.set_next_poll_at(ticker.id, ticker.next_poll_at, release=token)
        except Exception:
            log.warning("ticker %d: could not release its poll claim", ticker.id, exc_info=True)

    def _last_change_at(self, ticker_id: TickerId) -> datetime | None:
        latest = self.store.changes(ticker_id, kinds=ACTIVITY, limit=1)
        return latest[0].observed_at if latest else None

    async def _persisted(
        self,
        ticker: Ticker,
        due_at: datetime | None,
        kind: TurnKind,
        plan: NextPoll,
        report: TurnReport | None = None,
        lag_s: float | None = None,
        *,
        release: str | None = None,
    ) -> PollTurn:
        try:
            await asyncio.to_thread(
                self.store.set_next_poll_at, ticker.id, plan.at, release=release
            )
        except TickerNotFound:  # removed while it was polled
            return PollTurn(ticker.id, due_at, TurnKind.REMOVED, None, report, plan, lag_s)
        return PollTurn(ticker.id, due_at, kind, plan.at, report, plan, lag_s)


def _log_poll(turn: PollTurn) -> None:
    report, plan = turn.report, turn.plan
    if report is None or plan is None:
        return
    level = logging.WARNING if report.failed else logging.INFO
    log.log(
        level,
        "ticker %d poll %d: %s, %d changes%s; next in %.0f s (%s)",
        turn.ticker_id,
        report.poll_id,
        report.outcome.value,
        len(report.changes),
        f" ({report.error})" if report.failed and report.error else "",
        plan.interval_s,
        plan.reason.value,
        extra={
            "ticker_id": turn.ticker_id,
            "poll_id": report.poll_id,
            "outcome": report.outcome.value,
            "changes": len(report.changes),
            "lag_s": None if turn.lag_s is None else round(turn.lag_s, 3),
            "next_poll_at": plan.at.isoformat(timespec="seconds"),
            "cadence": plan.reason.value,
            "circuit": plan.circuit.value,
            "truncated": report.truncated,
        },
    )
    if report.health is not None:
        health = report.health
        log.log(
            logging.WARNING if health.kind is not HealthKind.RECOVERED else logging.INFO,
            "ticker %d parse health: %s",
            turn.ticker_id,
            health.detail,
            extra={
                "ticker_id": turn.ticker_id,
                "poll_id": report.poll_id,
                "parse_health": health.kind.value,
            },
        )
