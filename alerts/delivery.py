"""The delivery worker: outbox → queue → sinks, until stopped.

:class:`DeliveryWorker` is gather → decide → apply, pipelined:

1. hand the storage outbox over to the queue (:func:`alerts.dispatch.dispatch`);
2. claim the messages that are due (:meth:`~alerts.ports.AlertStore.claim`: lane heads
   with up to ``per_lane`` messages of each lane, leased; rate limits are applied in the
   store, so several workers share them) as long as fewer than twice
   ``max_concurrent_sends`` lanes are held;
3. send each lane's messages (its *run*) one after another in a task of its own, at
   most ``max_concurrent_sends`` requests at once: render, send, judge the answer and
   decide (:mod:`alerts.policy`), no store write on the way. A message that is not
   plainly delivered (a failure, a pause, a dead letter) ends the run: the rest are
   given back (:meth:`~alerts.ports.AlertStore.release`) to be claimed in order later;
4. one recorder writes the decisions in batches (one transaction for all that finished
   meanwhile) and wakes the claimer when a run is over, since that frees its lane.

So a lane's next message goes out as soon as the one before it is answered, not after a
record and a claim, and a burst costs a few transactions, not two per message. Lanes
held beyond the sends in flight wait for a free send, so no send slot stays idle while
the recorder and the claimer write.

An idle worker looks again every ``poll_interval_s``, or as soon as its ``wakeup``
(:mod:`alerts.wakeup`: the database says another connection committed) rings.

A slow sink therefore holds up only its own lanes. Store calls run in threads, so a slow
database never blocks the event loop the scheduler and the web UI share. A failing step
is logged and retried after a pause; nothing here raises into the service that runs it.
At-least-once: a worker killed between sending and recording leaves its leases to run
out, and those messages are sent again, under the same ``delivery_id`` (receivers can
drop the repeat).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from alerts.alert import Alert, Message, Payload, SinkKind
from alerts.dispatch import Dispatched, dispatch
from alerts.errors import SinkUnavailable
from alerts.model import Claim, Decision, DeliveryStatus
from alerts.policy import Attempt, DeliveryPolicy, Verdict, decide, judge, unrenderable
from alerts.ports import AlertStore
from alerts.secrets import scrub
from alerts.sender import Sender
from storage.errors import TickerNotFound
from storage.model import StoredChange, Ticker, TickerId
from storage.ports import Store

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Links = Callable[[StoredChange], str | None]
TICKER_CACHE_S = 30.0  # a renamed ticker shows its new name in alerts this soon
RECORD_BATCH = 500


class RenderFunction(Protocol):
    """The formatter's signature, as ``alerts.formatting.render`` has it."""

    def __call__(
        self, kind: SinkKind, message: Message, *, url: str, secret: str | None, now: datetime
    ) -> Payload: ...


def no_links(change: StoredChange) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """How the worker runs (from the ``[alerts]`` settings)."""

    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    poll_interval_s: float = 0.5
    batch_size: int = 50
    max_concurrent_sends: int = 16
    per_lane: int = 8  # messages of one lane a claim may lease, sent one after another
    lease_s: float = 60.0
    dispatch_batch: int = 500
    keep_delivered_s: float | None = 30 * 86_400.0
    report_every_s: float = 5.0


@dataclass(frozen=True, slots=True)
class RoundReport:
    """What :meth:`DeliveryWorker.run_round` did: outbox events handed over, deliveries
    queued, and the decisions on the messages it sent."""

    dispatched: int = 0
    queued: int = 0
    decisions: tuple[Decision, ...] = ()

    @property
    def delivered(self) -> int:
        return sum(
            len(d.delivery_ids) for d in self.decisions if d.status is DeliveryStatus.DELIVERED
        )


@dataclass(frozen=True, slots=True)
class _Release:
    """Messages of a run that were leased and are given back unsent."""

    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class _RunEnded:
    """A run is over, its outcomes queued before this: once they are recorded its lane
    is free, and the claimer is woken."""


Outcome = Decision | _Release | _RunEnded
Wakeup = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A claim with the alerts of its message, or why they cannot be made."""

    claim: Claim
    alerts: tuple[Alert, ...] = ()
    problem: str | None = None


class DeliveryWorker:
    """Delivers alerts from ``alerts`` (the queue) and ``store`` (outbox, tickers)."""

    def __init__(
        self,
        alerts: AlertStore,
        store: Store,
        sender: Sender,
        config: WorkerConfig,
        *,
        render: RenderFunction,
        clock: Clock,
        worker_id: str,
        links: Links = no_links,
        jitter: Callable[[], float] = random.random,
        on_depth: Callable[[int], None] | None = None,
        wakeup: Wakeup | None = None,
    ) -> None:
        """``wakeup``, when given, returns once new work may be waiting (never raises);
        the idle worker then looks at once instead of after ``poll_interval_s``."""
        self._alerts = alerts
        self._store = store
        self._sender = sender
        self._config = config
        self._render = render
        self._clock = clock
        self._worker_id = worker_id
        self._links = links
        self._jitter = jitter
        self._on_depth = on_depth
        self._wakeup = wakeup
        self._sends = asyncio.Semaphore(config.max_concurrent_sends)
        # Lanes held (claimed, not all recorded): as many as sends in flight and as many
        # again waiting for a free send, so that a send that ends starts another at
        # once, while the recorder and the claimer write.
        self._lanes_at_most = 2 * config.max_concurrent_sends
        self._tickers: dict[TickerId, tuple[Ticker | None, datetime]] = {}
        self._last_report: datetime | None = None
        self._last_prune: datetime | None = None

    # The service loop

    async def run(self, stop: asyncio.Event, *, until_empty: bool = False) -> None:
        """Deliver until ``stop`` is set (sends in flight finish and are recorded
        first; the rest of their runs are given back), or with ``until_empty`` until
        nothing is left to send to an enabled sink."""
        in_flight: set[asyncio.Task[None]] = set()
        finished: asyncio.Queue[Outcome] = asyncio.Queue()
        wake = asyncio.Event()
        recorder = asyncio.create_task(self._recorder(finished, wake))
        failures = 0
        try:
            while not stop.is_set():
                wake.clear()
                try:
                    handed = await self._dispatch()
                    room = min(self._config.batch_size, self._lanes_at_most - len(in_flight))
                    runs = await asyncio.to_thread(self._claim, room) if room > 0 else []
                    for run in runs:
                        task = asyncio.create_task(self._send_run(run, finished.put, stop))
                        in_flight.add(task)
                        task.add_done_callback(in_flight.discard)
                    await self._housekeeping()
                except Exception:
                    failures += 1
                    pause = min(60.0, self._config.poll_interval_s * 2.0**failures)
                    log.exception("alert delivery failed; trying again in %.1f s", pause)
                    await _wait(stop, pause)
                    continue
                failures = 0
                if handed.events or (runs and len(runs) == room):
                    continue  # more may be due at once; else a recorded send wakes us
                if until_empty and not in_flight and finished.empty() and not wake.is_set():
                    await finished.join()
                    if await asyncio.to_thread(self._empty):
                        return
                await _wait_any(stop, wake, self._config.poll_interval_s, self._wakeup)
        finally:
            if in_flight:
                await asyncio.gather(*in_flight, return_exceptions=True)
            await finished.join()
            recorder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recorder

    async def _send_run(
        self,
        run: Sequence[_Prepared],
        done: Callable[[Outcome], Awaitable[None]],
        stop: asyncio.Event | None = None,
    ) -> None:
        """Send a lane's messages one after another, each outcome to ``done``; the first
        that is not plainly delivered ends the run, and so does ``stop``: the rest are
        given back."""
        try:
            await self._send_each(run, done, stop)
        finally:
            await done(_RunEnded())

    async def _send_each(
        self,
        run: Sequence[_Prepared],
        done: Callable[[Outcome], Awaitable[None]],
        stop: asyncio.Event | None,
    ) -> None:
        for sent, item in enumerate(run):
            if sent and self._clock() >= item.claim.leased_until:
                # Held past its lease (a slow sink before it): another worker may have
                # claimed the lane meanwhile; sending now could overtake its message.
                return
            if stop is not None and stop.is_set():
                await done(_Release(tuple(later.claim for later in run[sent:])))
                return
            decision = await self._attempt(item)
            await done(decision)
            if not _clean(decision):
                rest = tuple(later.claim for later in run[sent + 1 :])
                if rest:
                    await done(_Release(rest))
                return

    async def _recorder(self, finished: asyncio.Queue[Outcome], wake: asyncio.Event) -> None:
        """Writes outcomes as they come, all that are waiting in one transaction, and
        wakes the claimer when a run is over (its lane is free; a decision within a run
        frees nothing)."""
        while True:
            batch = [await finished.get()]
            while not finished.empty() and len(batch) < RECORD_BATCH:
                batch.append(finished.get_nowait())
            freed = any(isinstance(o, _RunEnded) for o in batch)
            try:
                await asyncio.to_thread(self._record, batch)
            except Exception:
                # Their leases run out and the messages are claimed and sent again.
                log.exception("could not record %d alert attempts", len(batch))
                freed = True
            finally:
                for _ in batch:
                    finished.task_done()
                if freed:
                    wake.set()

    def _empty(self) -> bool:
        return not self._store.outbox(limit=1) and self._alerts.next_due() is None

    # One round, step by step (tests and tools)

    async def run_round(self) -> RoundReport:
        """Dispatch the outbox, claim up to ``batch_size`` messages, send them all, and
        record the outcomes; returns when all is recorded."""
        handed = await self._dispatch()
        runs = await asyncio.to_thread(self._claim, self._config.batch_size)
        outcomes: list[Outcome] = []

        async def collect(outcome: Outcome) -> None:
            outcomes.append(outcome)

        await asyncio.gather(*(self._send_run(run, collect) for run in runs))
        await asyncio.to_thread(self._record, outcomes)
        await self._housekeeping()
        decisions = tuple(o for o in outcomes if isinstance(o, Decision))
        return RoundReport(handed.events, handed.queued, decisions)

    # The steps

    async def _dispatch(self) -> Dispatched:
        events = queued = 0
        while True:
            handed = await asyncio.to_thread(
                dispatch,
                self._store,
                self._alerts,
                now=self._clock(),
                limit=self._config.dispatch_batch,
            )
            events += handed.events
            queued += handed.queued
            if handed.events < self._config.dispatch_batch:
                return Dispatched(events, queued)

    def _claim(self, limit: int) -> list[list[_Prepared]]:
        """Claim the messages of up to ``limit`` lanes and gather what their alerts show
        (in a thread); one run per lane, in lane order."""
        claims = self._alerts.claim(
            now=self._clock(),
            limit=limit,
            lease_s=self._config.lease_s,
            worker=self._worker_id,
            policy=self._config.policy,
            per_lane=self._config.per_lane,
        )
        runs: dict[tuple[int, int], list[_Prepared]] = {}
        for claim in claims:
            lane = (claim.subscription.id, claim.deliveries[0].ticker_id)
            runs.setdefault(lane, []).append(self._prepare(claim))
        return list(runs.values())

    def _prepare(self, claim: Claim) -> _Prepared:
        alerts: list[Alert] = []
        for change in claim.changes:
            ticker = self._ticker(change.ticker_id)
            if ticker is None:
                return _Prepared(claim, problem=f"ticker {change.ticker_id} was removed")
            alerts.append(Alert(change, ticker.name, ticker.url, self._links(change)))
        return _Prepared(claim, tuple(alerts))

    def _ticker(self, ticker_id: TickerId) -> Ticker | None:
        now = self._clock()
        cached = self._tickers.get(ticker_id)
        if cached is not None and (now - cached[1]).total_seconds() < TICKER_CACHE_S:
            return cached[0]
        try:
            ticker: Ticker | None = self._store.get(ticker_id)
        except TickerNotFound:
            ticker = None
        self._tickers[ticker_id] = (ticker, now)
        return ticker

    async def _attempt(self, item: _Prepared) -> Decision:
        """Render, send and judge one message; never raises."""
        claim = item.claim
        subscription = claim.subscription
        secrets = (subscription.url, subscription.secret or "")
        attempt: Attempt
        try:
            if item.problem is not None:
                raise ValueError(item.problem)
            payload = self._render(
                subscription.kind,
                Message(claim.key, item.alerts),
                url=subscription.url,
                secret=subscription.secret,
                now=self._clock(),
            )
        except ValueError as error:
            attempt = unrenderable(scrub(str(error), secrets))
        except Exception as error:  # a formatter bug: retried, and dead-lettered in the end
            log.exception("alert %s could not be formatted", claim.key)
            attempt = Attempt(Verdict.FAILED, error=scrub(f"formatting failed: {error}", secrets))
        else:
            try:
                async with self._sends:
                    response = await self._sender.send(
                        subscription.kind, subscription.url, payload, secret=subscription.secret
                    )
            except SinkUnavailable as error:
                attempt = Attempt(Verdict.REJECTED, error=str(error))
            except Exception as error:
                log.exception("alert %s could not be sent", claim.key)
                attempt = Attempt(Verdict.FAILED, error=scrub(f"send failed: {error}", secrets))
            else:
                attempt = judge(response, now=self._clock())
        return decide(claim, attempt, self._config.policy, now=self._clock(), jitter=self._jitter())

    def _record(self, outcomes: Sequence[Outcome]) -> None:
        decisions = [o for o in outcomes if isinstance(o, Decision)]
        self._alerts.complete(decisions)
        # After the decisions: a message given back follows one of them in its lane.
        self._alerts.release([c for o in outcomes if isinstance(o, _Release) for c in o.claims])
        for decision in decisions:
            _log_decision(decision, self._worker_id)

    async def _housekeeping(self) -> None:
        now = self._clock()
        if self._on_depth is not None and (
            self._last_report is None
            or (now - self._last_report).total_seconds() >= self._config.report_every_s
        ):
            self._last_report = now
            counts = await asyncio.to_thread(self._alerts.counts)
            self._on_depth(sum(c.pending for c in counts.values()))
        keep = self._config.keep_delivered_s
        if keep is not None and (
            self._last_prune is None or (now - self._last_prune).total_seconds() >= 3600
        ):
            self._last_prune = now
            pruned = await asyncio.to_thread(
                self._alerts.prune, delivered_before=now - timedelta(seconds=keep)
            )
            if pruned:
                log.info("forgot %d alert deliveries older than %.0f days", pruned, keep / 86400)


def _clean(decision: Decision) -> bool:
    """Whether a run may go on after this decision: delivered, the sink neither paused
    (a used-up rate-limit window) nor disabled."""
    return (
        decision.status is DeliveryStatus.DELIVERED
        and decision.pause_until is None
        and decision.disable is None
    )


def _log_decision(decision: Decision, worker: str) -> None:
    fields = {"worker": worker, "sink_id": decision.subscription_id}
    count = len(decision.delivery_ids)
    what = f"alert delivery {decision.delivery_ids[0]}" + (
        f" (+{count - 1} in a digest)" if count > 1 else ""
    )
    sink = f"sink {decision.subscription_id}"
    if decision.status is DeliveryStatus.DELIVERED:
        log.info("%s delivered to %s", what, sink, extra=fields)
    elif decision.status is DeliveryStatus.DEAD:
        log.error("%s to %s is a dead letter: %s", what, sink, decision.error, extra=fields)
    elif decision.disable is not None:
        log.error("%s: %s disabled: %s", what, sink, decision.disable, extra=fields)
    else:
        log.warning(
            "%s to %s failed (%s); next attempt %s",
            what,
            sink,
            decision.error,
            f"{decision.next_attempt_at:%H:%M:%S}",
            extra=fields,
        )


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def _wait_any(
    stop: asyncio.Event, wake: asyncio.Event, seconds: float, wakeup: Wakeup | None
) -> None:
    """Until ``stop`` or ``wake`` is set or ``wakeup`` returns, at most ``seconds``."""
    waiters: list[asyncio.Task[object]] = [
        asyncio.create_task(stop.wait()),
        asyncio.create_task(wake.wait()),
    ]
    if wakeup is not None:
        waiters.append(asyncio.create_task(_awaited(wakeup())))
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)


async def _awaited(awaitable: Awaitable[None]) -> None:
    await awaitable
