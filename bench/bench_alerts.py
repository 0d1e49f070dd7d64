"""Alert latency: from the commit of a change to its arrival at a loopback receiver.

    .venv/bin/python bench/bench_alerts.py [--changes 1000] [--tickers 50] [--rate 100]

The delivery worker runs as ``tickerwatch run`` runs it (``deliver_alerts`` with the
default ``[alerts]`` settings: 0.5 s poll interval, 50 messages a claim, 16 sends at
once) on a SQLite file, sending to a receiver in a process of its own. Changes are new
entries committed through the real differ and store, one poll per ticker and batch; a
change's latency is its arrival time at the receiver minus its poll's commit time.
Per-ticker order holds throughout: a ticker's alerts go one after another.

Scenarios, each on a fresh database, one generic webhook sink without a platform limit:

- burst: ``--changes`` changes over ``--tickers`` tickers committed as fast as the store
  takes them, every change its own message (digests off): the whole queue at once;
- burst, digests on (the default rule: 3 changes of a ticker within 60 s make one
  message of up to 20), as a deployment with default settings sends that burst;
- steady: the same number of changes arriving at ``--rate`` a second, digests off.

A Slack sink is held to one message a second per webhook (Slack's documented limit), so
1,000 queued alerts take about 1,000 s to one Slack sink by design, whatever the worker
does; the figures here are for a sink without such a limit.

Baseline, same run, same receiver: as many bare HTTP POSTs, 16 at once, no database.
A burst's p95 is set against the time the bare POSTs took (the queue is sent as a whole:
the goal is at most 1.2 times it), a steady stream's against a bare POST's p95.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from alerts.alert import SinkKind
from alerts.model import NewSubscription, Rules
from alerts.sql import SqlAlertStore
from storage import create_engine_for, sqlite_url
from tickerwatch.alerting import deliver_alerts
from tickerwatch.bootstrap import open_store
from tickerwatch.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test builders feed literal pages through the differ

from tests.storage.builders import Feed, entry  # noqa: E402

CONCURRENCY = 16


# The receiver (a separate process: ``bench_alerts.py --serve``).


def _serve() -> None:
    arrivals: dict[str, float] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            at = time.time()
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            key = self.headers.get("webhook-id") or f"unnamed-{at}"
            with lock:
                arrivals.setdefault(key, at)
            self._reply(b"ok")

        def do_GET(self) -> None:
            with lock:
                body = json.dumps(arrivals).encode()
            self._reply(body)

        def _reply(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


# The benchmark.


@dataclass(frozen=True)
class Result:
    name: str
    changes: int
    messages: int
    latencies: list[float]
    drain_s: float
    commit_s: float


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _commit(url: str, tickers: int, changes: int, rate: float | None) -> dict[int, float]:
    """Commit ``changes`` new entries; the commit time of each change, by change id.

    Without ``rate``, one poll per ticker with all its entries, as fast as possible;
    with it, one entry per poll, round-robin over the tickers, ``rate`` polls a second."""
    store = open_store(url)
    try:
        feeds = [Feed(store, f"t{n}") for n in range(tickers)]
        committed: dict[int, float] = {}
        batches: list[tuple[int, int]] = (
            [(n, changes // tickers) for n in range(tickers)]
            if rate is None
            else [(i % tickers, 1) for i in range(changes)]
        )
        start = time.monotonic()
        for i, (n, count) in enumerate(batches):
            if rate is not None:
                time.sleep(max(0.0, start + i / rate - time.monotonic()))
            feed = feeds[n]
            old = [entry(k.version.text) for k in feed.reference.entries]
            fresh = [entry(f"t{n}: Meldung {len(old) + j}.") for j in range(count)]
            feed.poll(*fresh, *old)
            at = time.time()
            (last,) = store.polls(feed.ticker_id, limit=1)
            for change in store.changes(feed.ticker_id, limit=count + 5):
                if change.poll_id == last.id:
                    committed[change.id] = at
        return committed
    finally:
        store.close()


async def _scenario(
    name: str,
    base: str,
    folder: Path,
    args: argparse.Namespace,
    *,
    digest: bool,
    rate: float | None,
) -> Result:
    url = sqlite_url(folder / f"{''.join(c if c.isalnum() else '-' for c in name)}.db")
    open_store(url).close()  # migrated
    alerts = SqlAlertStore(create_engine_for(url))
    rules = Rules(rate_per_minute=0) if digest else Rules(rate_per_minute=0, digest_threshold=0)
    alerts.add_subscription(
        NewSubscription(SinkKind.WEBHOOK, f"{base}/hook", name, rules), created_at=datetime.now(UTC)
    )
    stop = asyncio.Event()
    # The receiver listens on 127.0.0.1, which the outbound-address policy refuses by default.
    settings = load_settings(storage={"database_url": url}, fetch={"allow_private_addresses": True})
    worker = asyncio.create_task(deliver_alerts(settings, stop))
    await asyncio.sleep(1.0)  # up and idle
    started = time.time()
    committed = await asyncio.to_thread(_commit, url, args.tickers, args.changes, rate)
    commit_s = time.time() - started
    deadline = time.monotonic() + args.timeout
    lead: dict[int, str] = {}
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            # The cheap count first: reading every delivery on each look would take the
            # worker's event loop and much of the process's time from what is measured.
            counts = await asyncio.to_thread(alerts.counts)
            if sum(c.delivered + c.dead for c in counts.values()) < len(committed):
                continue
            arrivals: dict[str, float] = (await client.get(f"{base}/")).json()
            rows = alerts.deliveries(limit=10 * args.changes)
            keys = {d.id: d.key for d in rows}
            lead = {
                d.change_id: keys[d.group_id or d.id] for d in rows if (d.group_id or d.id) in keys
            }
            if len(lead) >= len(committed) and all(k in arrivals for k in lead.values()):
                break
    stop.set()
    await worker
    alerts.close()
    arrived = {c: arrivals[k] for c, k in lead.items() if k in arrivals}
    latencies = [arrived[c] - committed[c] for c in committed if c in arrived]
    return Result(
        name,
        len(committed),
        len({lead[c] for c in arrived}),
        latencies,
        max(arrived.values()) - started if arrived else float("nan"),
        commit_s,
    )


async def _baseline(base: str, count: int) -> tuple[float, float, float]:
    gate = asyncio.Semaphore(CONCURRENCY)
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=10) as client:

        async def post(n: int) -> None:
            async with gate:
                sent = time.perf_counter()
                await client.post(
                    f"{base}/baseline", content=b"{}", headers={"webhook-id": f"b{n}"}
                )
                latencies.append(time.perf_counter() - sent)

        started = time.perf_counter()
        await asyncio.gather(*(post(n) for n in range(count)))
        total = time.perf_counter() - started
    return total, _percentile(latencies, 0.5), _percentile(latencies, 0.95)


def _report(result: Result, baseline_s: float, baseline_p95: float, *, steady: bool) -> None:
    lat = result.latencies
    if not lat:
        print(f"{result.name}: nothing arrived")
        return
    p50, p95 = _percentile(lat, 0.5), _percentile(lat, 0.95)
    verdict = "meets" if p95 <= 1.0 else "misses"
    print(
        f"{result.name}: {len(lat)}/{result.changes} changes in {result.messages} messages; "
        f"committed in {result.commit_s:.1f} s, all arrived after {result.drain_s:.1f} s"
    )
    if steady:
        ratio = (
            f"arriving at {result.changes / result.commit_s:.0f} changes/s; "
            f"p95 / bare POST p95 = {p95 / baseline_p95:.2f}x"
        )
    else:
        ratio = (
            f"{result.messages / result.drain_s:.0f} messages/s; "
            f"p95 / bare POSTs' time = {p95 / baseline_s:.2f}x; "
            f"drain time / bare POSTs' time = {result.drain_s / baseline_s:.2f}x"
        )
    print(
        f"  commit → arrival p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max "
        f"{max(lat) * 1000:.0f} ms ({verdict} p95 ≤ 1 s); {ratio}"
    )


async def _run(args: argparse.Namespace, port: int, folder: Path) -> None:
    base = f"http://127.0.0.1:{port}"
    baseline_s, b50, b95 = await _baseline(base, args.changes)
    print(
        f"baseline: {args.changes} bare POSTs, {CONCURRENCY} at once: {baseline_s:.2f} s "
        f"({args.changes / baseline_s:.0f}/s), per request p50 {b50 * 1000:.1f} ms, "
        f"p95 {b95 * 1000:.1f} ms"
    )
    scenarios = [
        (f"burst of {args.changes} over {args.tickers} tickers, one message each", False, None),
        (f"burst of {args.changes} over {args.tickers} tickers, default digests", True, None),
        (
            f"steady stream of {args.changes} (asked {args.rate:g}/s), one message each",
            False,
            args.rate,
        ),
    ]
    for name, digest, rate in scenarios:
        result = await _scenario(name, base, folder, args, digest=digest, rate=rate)
        _report(result, baseline_s, b95, steady=rate is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--tickers", type=int, default=50)
    parser.add_argument("--rate", type=float, default=100.0, help="steady: changes a second")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve()
        return
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(_run(args, port, Path(folder)))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
