"""Poll a ticker whose page or robots.txt is a compression bomb; print the stored
poll and the process's peak memory.

Run as ``python -m tests.fetching.peak_memory page|robots LAYERS MEBIBYTES`` in
a fresh process, so ``ru_maxrss`` measures this poll and nothing else: the page
or its robots.txt is ``MEBIBYTES`` MiB of zeros under ``LAYERS`` (1 or 2) gzip
layers. The whole pipeline runs (``poll_once`` into a ``MemoryStore``). Prints
``<stored outcome> <failed> <peak KiB> <stored error>``.
"""

from __future__ import annotations

import asyncio
import random
import resource
import sys
from datetime import UTC, datetime

from ingest.fetching import FetchPolicy, HttpFetcher, make_client
from storage import MemoryStore, NewTicker
from tests.fetching.bombs import gzip_of_zeros, stacked_gzip_bomb
from tests.fetching.server import LoopbackServer, Reply
from tickerwatch.polling import poll_once

PAGE = b"<html><body><article>14.01 Uhr: Es geht los.</article></body></html>"


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def _poll(target: str, layers: int, mebibytes: int) -> str:
    server = LoopbackServer()
    body = stacked_gzip_bomb(mebibytes) if layers == 2 else gzip_of_zeros(mebibytes)
    headers = {"Content-Type": "text/plain", "Content-Encoding": ", ".join(["gzip"] * layers)}
    bomb = Reply(200, headers, body)
    page = Reply(200, {"Content-Type": "text/html; charset=utf-8"}, PAGE)
    server.routes["/robots.txt"] = bomb if target == "robots" else Reply(404)
    server.routes["/page"] = bomb if target == "page" else page
    server.start()
    policy = FetchPolicy(
        honour_robots=True,
        allow_private_addresses=True,
        min_host_interval_s=0.0,
        retries=0,
        max_body_bytes=15 * 1024 * 1024,  # the [ingest] default
    )
    store = MemoryStore()
    ticker = store.add(NewTicker(server.url("/page"), "bomb"), created_at=_utc_now())
    try:
        async with make_client(policy) as client:
            fetcher = HttpFetcher(client, policy, clock=_utc_now, rng=random.Random(1))
            await poll_once(ticker, fetcher=fetcher, store=store, clock=_utc_now)
    finally:
        server.stop()
    (stored,) = store.polls(ticker.id, limit=10)
    failed = store.get(ticker.id).error_streak > 0  # counts toward backoff
    return f"{stored.outcome.value} {failed} {stored.error}"


def main() -> None:
    target, layers, mebibytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    stored = asyncio.run(_poll(target, layers, mebibytes))
    outcome, failed, error = stored.split(" ", 2)
    print(outcome, failed, _peak_kib(), error)


def _peak_kib() -> int:
    """This process's peak resident memory in KiB. The high-water mark of its own
    address space (VmHWM), which starts anew at exec: ``ru_maxrss`` carries over the
    RSS of the process that forked it (a large test session), whatever the poll did."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


if __name__ == "__main__":
    main()
