"""Polling at scale in one process: schedule lag, CPU, memory, and what an unchanged poll costs.

    .venv/bin/python bench/bench_polling.py [--tickers 1000] [--interval 60] [--duration 300]

One process runs the single-machine service (APScheduler, SQLite, the real HTTP fetcher)
against N tickers on a loopback server that runs in a process of its own, so its CPU is
not counted. The server serves the evaluation cases' pages (``tests/data/eval/dev``);
each minute about ``--change-share`` of the tickers (default 2 %) move to their next
page, the rest answer 304 to the conditional GET.

Every ticker's first poll is a full fetch of a page never seen, so the first interval is
a warm-up; the figures are those of the steady state after it:

- p95 schedule lag: how late polls started after their planned time (goal ≤ 2 s);
- CPU share of one core of the polling process (goal ≤ 50 %), and its peak RSS;
- the CPU cost of an unchanged poll (a 304, and a 200 with the same bytes) as a share of
  a full ingest (goal ≤ 2 %), both
  measured in the same run by polling one ticker at a time after the timed phase:
  unchanged polls of the benchmark's tickers, and full ingests of tickers whose page
  changes on every request (fetch, parse, diff, store; the scheduler's own reads and
  writes are part of both).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from scheduler.cadence import CadencePolicy
from scheduler.local import LocalScheduler
from scheduler.ports import EngineConfig, Turn
from scheduler.runner import PollRunner, PollTurn, TurnKind
from storage import NewTicker, SqlStore, sqlite_url
from storage.model import Ticker
from tickerwatch.bootstrap import open_store
from tickerwatch.polling import PollReport, poll_once

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "eval" / "dev"
REAL = ROOT / "tests" / "data" / "corpus" / "real"
CHANGE_PERIOD_S = 60.0  # the server moves pages on once per minute


def utc_now() -> datetime:
    return datetime.now(UTC)


# The server (a separate process: ``bench_polling.py --serve``).


def _case_pages() -> list[list[bytes]]:
    cases = sorted(d for d in CASES.iterdir() if any(d.glob("*.html")))
    return [[p.read_bytes() for p in sorted(case.glob("*.html"))] for case in cases]


def _serve(change_share: float) -> None:
    pages = _case_pages()
    real = [p.read_bytes() for p in sorted(REAL.glob("*/*.html"))]
    every = max(1, round(1 / change_share)) if change_share > 0 else 0
    started = time.monotonic()
    calibration: dict[int, int] = {}
    served: dict[int, int] = {}  # requests of each "same" ticker

    def version(ticker: int) -> int:
        minutes = int((time.monotonic() - started) // CHANGE_PERIOD_S)
        if not every:
            return 0
        return sum(1 for m in range(1, minutes + 1) if (ticker + 17 * m) % every == 0)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            _, kind, number = self.path.split("/")
            ticker = int(number)
            if kind in ("real", "same"):  # saved pages of real live tickers, for calibration
                v, body = 0, real[ticker % len(real)]
            else:
                if kind == "cal":  # the next page on every request, for calibration
                    v = calibration.get(ticker, 0)
                    calibration[ticker] = v + 1
                else:
                    v = version(ticker)
                case = pages[ticker % len(pages)]
                body = case[v % len(case)]
            etag = '"' + hashlib.sha256(b"%d/%d" % (ticker, v)).hexdigest()[:16] + '"'
            if kind == "same":  # a new ETag on every request: the same bytes, never a 304
                served[ticker] = served.get(ticker, 0) + 1
                etag = f'"same-{ticker}-{served[ticker]}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


# The polling process.


@dataclass
class Seen:
    at: float  # monotonic, when the turn ended
    turn: PollTurn


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _bench(args: argparse.Namespace, port: int, folder: Path) -> None:
    url = sqlite_url(folder / "bench.db")
    store = open_store(url)
    base = f"http://127.0.0.1:{port}"
    now = utc_now()
    tickers = [
        store.add(
            NewTicker(f"{base}/t/{n}", f"t{n}", interval_seconds=args.interval), created_at=now
        )
        for n in range(1, args.tickers + 1)
    ]
    fetch = FetchPolicy(
        honour_robots=False,
        allow_private_addresses=True,
        min_host_interval_s=0.0,
        per_host_concurrency=64,
    )
    # A fixed interval: the benchmark measures the machinery, not the adaptive rule.
    cadence = CadencePolicy(
        min_interval_s=args.interval,
        max_interval_s=args.interval,
        quiet_after_s=10**9,
        ended_interval_s=args.interval,
        jitter_ratio=0.1,
    )
    engine = EngineConfig(max_concurrent_polls=args.concurrency, resync_every_s=60)
    seen: list[Seen] = []
    async with make_client(fetch) as client:
        fetcher = HttpFetcher(client, fetch, clock=utc_now)

        async def poll(ticker: Ticker, turn: Turn) -> PollReport:
            return await poll_once(ticker, fetcher=fetcher, store=store, clock=utc_now, turn=turn)

        def observe(turn: PollTurn) -> None:
            seen.append(Seen(time.monotonic(), turn))

        runner = PollRunner(
            store,
            poll,
            cadence,
            clock=utc_now,
            max_concurrent=engine.max_concurrent_polls,
            rng=random.Random(1),
            observer=observe,
        )
        stop = asyncio.Event()
        began = time.monotonic()
        service = asyncio.create_task(LocalScheduler(runner, engine, clock=utc_now).run(stop))
        await asyncio.sleep(args.interval)
        steady_from, cpu_from = time.monotonic(), _cpu_s()
        await asyncio.sleep(max(0.0, args.duration - args.interval))
        steady_until, cpu_until = time.monotonic(), _cpu_s()
        stop.set()
        await service
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        steady = [s.turn for s in seen if s.at >= steady_from and s.turn.kind is TurnKind.POLLED]
        lags = [t.lag_s for t in steady if t.lag_s is not None]
        outcomes: dict[str, int] = {}
        for turn in steady:
            assert turn.report is not None
            key = "304" if turn.report.http_status == 304 else turn.report.outcome.value
            outcomes[key] = outcomes.get(key, 0) + 1
        warmup = [s.turn for s in seen if s.at < steady_from and s.turn.lag_s is not None]

        one_at_a_time = PollRunner(store, poll, cadence, clock=utc_now, max_concurrent=1)
        unchanged_cpu, same_cpu, full_cpu, real_cpu = await _calibrate(
            one_at_a_time, store, tickers, base, args.samples
        )
    store.close()

    window = steady_until - steady_from
    print(f"tickers {args.tickers}, every {args.interval} s, {args.duration} s in all")
    warmup_s = steady_from - began
    print(f"warm-up (first interval, every page new): {len(warmup)} polls in {warmup_s:.0f} s")
    print(f"steady state: {len(steady)} polls in {window:.0f} s ({len(steady) / window:.1f}/s)")
    print("  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print(
        f"  schedule lag p50 {_percentile(lags, 0.5):.3f} s, p95 {_percentile(lags, 0.95):.3f} s, "
        f"max {max(lags, default=float('nan')):.3f} s   (goal: p95 <= 2 s)"
    )
    cpu_share = (cpu_until - cpu_from) / window
    print(f"  CPU {100 * cpu_share:.1f} % of one core   (goal: <= 50 %)")
    print(f"  peak memory (RSS) {peak_mb:.0f} MB")
    for kind, unchanged in (("304", unchanged_cpu), ("same bytes", same_cpu)):
        unchanged_ms = 1000 * statistics.median(unchanged)
        print(f"unchanged poll ({kind}): {unchanged_ms:.2f} ms CPU (median of {len(unchanged)})")
        for label, costs in (
            ("next page of an evaluation case", full_cpu),
            ("first poll of a saved real ticker page", real_cpu),
        ):
            full_ms = 1000 * statistics.median(costs)
            print(
                f"  vs full ingest, {label}: {full_ms:.1f} ms CPU (median of {len(costs)}): "
                f"ratio {100 * unchanged_ms / full_ms:.2f} %   (goal: <= 2 %)"
            )


async def _calibrate(
    runner: PollRunner, store: SqlStore, tickers: list[Ticker], base: str, samples: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """CPU seconds of single polls, one at a time: unchanged ones (304s, and 200s with
    the same bytes as the last page), full ingests of the next page of an evaluation
    case, and first ingests of saved real ticker pages."""
    unchanged: list[float] = []
    for ticker in tickers:
        if len(unchanged) == samples:
            break
        started = time.process_time()
        turn = await runner.run(ticker.id, None)
        spent = time.process_time() - started
        if turn.report is not None and turn.report.http_status == 304:
            unchanged.append(spent)
    now = utc_now()
    full: list[float] = []
    for n in range(samples):
        ticker = store.add(NewTicker(f"{base}/cal/{n}", f"cal {n}"), created_at=now)
        await runner.run(ticker.id, None)  # the first page: everything is new
        started = time.process_time()
        turn = await runner.run(ticker.id, None)  # the next page, diffed against the first
        full.append(time.process_time() - started)
        if turn.report is None or turn.report.page is None:
            raise RuntimeError(f"calibration ticker {n}: expected a new page, got {turn.kind}")
    same: list[float] = []
    for n in range(samples):
        ticker = store.add(NewTicker(f"{base}/same/{n}", f"same {n}"), created_at=now)
        first = await runner.run(ticker.id, None)  # the first page
        if first.report is None or first.report.outcome.value != "fresh":
            continue  # a saved page that reads no ticker is read again every time
        started = time.process_time()
        turn = await runner.run(ticker.id, None)  # the same bytes again, under a new ETag
        same.append(time.process_time() - started)
        if turn.report is None or turn.report.outcome.value != "unchanged":
            raise RuntimeError(f"calibration ticker {n}: expected the same bytes, got {turn}")
    real: list[float] = []
    for n in range(len(list(REAL.glob("*/*.html")))):
        ticker = store.add(NewTicker(f"{base}/real/{n}", f"real {n}"), created_at=now)
        started = time.process_time()
        turn = await runner.run(ticker.id, None)
        real.append(time.process_time() - started)
    return unchanged, same, full, real


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickers", type=int, default=1000)
    parser.add_argument("--interval", type=int, default=60, help="seconds between polls")
    parser.add_argument("--duration", type=int, default=300, help="seconds, warm-up included")
    parser.add_argument(
        "--change-share", type=float, default=0.02, help="pages changing per minute"
    )
    parser.add_argument("--concurrency", type=int, default=20, help="fetches in flight at most")
    parser.add_argument("--samples", type=int, default=30, help="polls per kind when calibrating")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.change_share)
        return
    if args.duration <= args.interval:
        parser.error("--duration must be longer than --interval (the first interval is warm-up)")
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--change-share", str(args.change_share)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with tempfile.TemporaryDirectory(prefix="bench-polling-") as folder:
            asyncio.run(_bench(args, port, Path(folder)))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
