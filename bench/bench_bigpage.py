"""One huge page: what storing it costs, how long it holds SQLite's write lock, and
whether other writers get through meanwhile (issue 12).

    .venv/bin/python bench/bench_bigpage.py [--sizes 20000 200000] [--editions 2]

The page (``tests/support/bigpage.py``: one paragraph an update, about 45 bytes each;
200,000 entries make 9 MB) is served by a loopback HTTP server
(``tests/fetching/server.py``); each request gets the next edition (ten new entries on
top, one entry in a hundred edited). For each size, on a fresh SQLite file:

- the default entry cap: ``poll_once`` end to end (fetch, parse, diff, store), which
  keeps the newest 2,000 entries;
- the cap raised to the page's size: fetch, parse with ``max_entries`` = size, diff
  and ``record_poll``, each timed: the first poll (every entry new) and the next ones.

Baseline, same run, same page: the bare parse. Figures: the store time per poll and its
ratio to the parse; the ratio of the store times of the largest and smallest size
against the ratio of their entries (linear: equal); the longest write-lock hold
(``BEGIN IMMEDIATE`` to ``COMMIT``, every write transaction of the run, goal ≤ 2 s);
and the longest wait of another writer (``set_paused`` in a loop from a second engine,
as ``tickerwatch pause`` would) while the polls were stored.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the page generator and the loopback server of the tests

from diffing import diff  # noqa: E402
from ingest.fetching import FetchPolicy, HttpFetcher, make_client  # noqa: E402
from ingest.fetching.model import Validators  # noqa: E402
from ingest.parse import parse_page  # noqa: E402
from storage import NewTicker, SqlStore, create_engine_for, sqlite_url  # noqa: E402
from storage.model import PollRecord, TickerId  # noqa: E402
from tests.fetching.server import LoopbackServer, Reply, Seen  # noqa: E402
from tests.support.bigpage import big_page  # noqa: E402
from tickerwatch.bootstrap import open_store  # noqa: E402
from tickerwatch.polling import poll_once  # noqa: E402

FETCH = FetchPolicy(
    honour_robots=False,
    allow_private_addresses=True,
    min_host_interval_s=0.0,
    retries=0,
    max_body_bytes=15 * 1024 * 1024,  # the [ingest] default
)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LockClock:
    """Every write transaction's hold of the lock, from BEGIN IMMEDIATE to COMMIT."""

    holds: list[float] = field(default_factory=list)
    _started: dict[int, float] = field(default_factory=dict)

    def watch(self, engine: Engine) -> None:
        def begun(connection: Any) -> None:
            if connection.get_execution_options().get("sqlite_immediate"):
                self._started[id(connection)] = time.perf_counter()

        def ended(connection: Any) -> None:
            started = self._started.pop(id(connection), None)
            if started is not None:
                self.holds.append(time.perf_counter() - started)

        event.listen(engine, "begin", begun)
        event.listen(engine, "commit", ended)
        event.listen(engine, "rollback", ended)


class OtherWriter:
    """``set_paused`` in a loop from an engine of its own; the longest one took."""

    def __init__(self, url: str, ticker_id: TickerId) -> None:
        self.store = open_store(url)
        self.ticker_id = ticker_id
        self.waits: list[float] = []
        self.failures = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        paused = False
        while not self.stop.wait(0.05):
            started = time.perf_counter()
            try:
                self.store.set_paused(self.ticker_id, paused)
            except Exception:  # "database is locked" past the busy bound
                self.failures += 1
            self.waits.append(time.perf_counter() - started)
            paused = not paused

    def __enter__(self) -> OtherWriter:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.store.close()


def watched_store(url: str) -> tuple[SqlStore, LockClock]:
    """A store on ``url`` whose write transactions are timed."""
    open_store(url).close()  # checked and migrated
    engine = create_engine_for(url)
    locks = LockClock()
    locks.watch(engine)
    return SqlStore(engine), locks


def serve(size: int) -> LoopbackServer:
    editions: list[int] = []

    def next_edition(_: Seen) -> Reply:
        editions.append(len(editions))
        body = big_page(size, edition=editions[-1])
        return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body)

    server = LoopbackServer()
    server.routes["/live"] = next_edition
    server.start()
    return server


async def raised_cap(size: int, editions: int, folder: Path) -> dict[str, Any]:
    """Polls with the entry cap at ``size``: fetch, parse, diff, store, each timed."""
    url = sqlite_url(folder / f"raised-{size}.db")
    store, locks = watched_store(url)
    server = serve(size)
    ticker = store.add(NewTicker(server.url("/live"), "big"), created_at=utc_now())
    other = store.add(NewTicker(server.url("/other"), "other"), created_at=utc_now())
    figures: dict[str, Any] = {"polls": []}
    try:
        async with make_client(FETCH) as client:
            fetcher = HttpFetcher(client, FETCH, clock=utc_now)
            with OtherWriter(url, other.id) as writer:
                for _ in range(editions):
                    figures["polls"].append(await _one_poll(store, fetcher, ticker.id, size))
            figures["other_longest_s"] = max(writer.waits, default=0.0)
            figures["other_writes"] = len(writer.waits)
            figures["other_failures"] = writer.failures
    finally:
        server.stop()
        store.close()
    figures["longest_lock_s"] = max(locks.holds, default=0.0)
    return figures


async def _one_poll(
    store: SqlStore, fetcher: HttpFetcher, ticker_id: TickerId, size: int
) -> dict[str, float]:
    ticker = store.get(ticker_id)
    started = time.perf_counter()
    result = await fetcher.fetch(ticker.url, Validators(), ignore_robots=True)
    fetched = time.perf_counter()
    assert result.body is not None, result.error
    page = parse_page(
        result.body,
        url=result.final_url,
        observed_at=result.fetched_at,
        content_type=result.content_type,
        max_entries=size + 1000,
    )
    parsed = time.perf_counter()
    sha = hashlib.sha256(result.body).hexdigest()
    state = store.previous_state(ticker_id, keep_removed_for=timedelta(days=2))
    verdict = diff(state, page, body_sha256=sha)
    diffed = time.perf_counter()
    record = PollRecord(
        ticker_id=ticker_id,
        started_at=utc_now(),
        duration_ms=result.duration_ms,
        outcome=verdict.outcome,
        http_status=result.http_status,
        bytes=len(result.body),
    )
    await asyncio.to_thread(store.record_poll, record, result.body, page, verdict)
    stored = time.perf_counter()
    return {
        "entries": len(page.entries),
        "changes": len(verdict.changes),
        "fetch_s": fetched - started,
        "parse_s": parsed - fetched,
        "state_diff_s": diffed - parsed,
        "store_s": stored - diffed,
        "total_s": stored - started,
    }


async def default_cap(size: int, folder: Path) -> dict[str, Any]:
    """One ``poll_once`` end to end with the default entry cap."""
    store, locks = watched_store(sqlite_url(folder / f"default-{size}.db"))
    server = serve(size)
    ticker = store.add(NewTicker(server.url("/live"), "big"), created_at=utc_now())
    try:
        async with make_client(FETCH) as client:
            fetcher = HttpFetcher(client, FETCH, clock=utc_now)
            started = time.perf_counter()
            report = await poll_once(ticker, fetcher=fetcher, store=store, clock=utc_now)
            total = time.perf_counter() - started
    finally:
        server.stop()
        store.close()
    return {
        "total_s": total,
        "entries": report.entries,
        "truncated": report.truncated,
        "outcome": report.outcome.value,
        "longest_lock_s": max(locks.holds, default=0.0),
    }


def bare_parse(size: int) -> float:
    body = big_page(size)
    started = time.perf_counter()
    parse_page(
        body,
        url="http://127.0.0.1/live",
        observed_at=utc_now(),
        content_type="text/html",
        max_entries=size + 1000,
    )
    return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--editions", type=int, default=2, help="polls with the raised cap")
    args = parser.parse_args()
    stores: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for size in args.sizes:
            parse_s = bare_parse(size)
            print(f"\n{size:,} entries ({len(big_page(size)) / 1e6:.1f} MB)", flush=True)
            print(f"  baseline: bare parse {parse_s:.1f} s", flush=True)
            capped = await default_cap(size, folder)
            print(
                f"  default cap: poll_once {capped['total_s']:.1f} s, {capped['outcome']}, "
                f"{capped['entries']} kept, {capped['truncated']} dropped, "
                f"longest lock {capped['longest_lock_s']:.2f} s",
                flush=True,
            )
            raised = await raised_cap(size, args.editions, folder)
            for n, poll in enumerate(raised["polls"]):
                print(
                    f"  cap {size:,}, poll {n + 1}: {poll['entries']:,} entries, "
                    f"{poll['changes']:,} changes; fetch {poll['fetch_s']:.1f} s, "
                    f"parse {poll['parse_s']:.1f} s, state+diff {poll['state_diff_s']:.1f} s, "
                    f"store {poll['store_s']:.1f} s ({poll['store_s'] / parse_s:.2f}x the "
                    f"bare parse), total {poll['total_s']:.1f} s",
                    flush=True,
                )
            stores[size] = raised["polls"][0]["store_s"]
            print(
                f"  longest write-lock hold {raised['longest_lock_s']:.2f} s (goal <= 2 s); "
                f"other writer: {raised['other_writes']} writes, longest "
                f"{raised['other_longest_s']:.2f} s, {raised['other_failures']} failed",
                flush=True,
            )
    if len(stores) > 1:
        small, large = min(stores), max(stores)
        print(
            f"\nlinearity: first-poll store time x{stores[large] / stores[small]:.1f} "
            f"for x{large / small:.0f} the entries (linear: equal)"
        )


if __name__ == "__main__":
    asyncio.run(main())
