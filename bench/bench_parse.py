"""Parse cost of the largest real ticker pages, as a ratio to BeautifulSoup alone.

    .venv/bin/python bench/bench_parse.py [--repeat N]

For each page, the baseline is ``BeautifulSoup(html, "lxml")`` on the same bytes
(building the tree only, no extraction), measured in the same run; the figure is
``parse_page`` (decode, tree, noise removal, every layout reader, dating, choice)
divided by it. Best of N runs each, so a busy machine skews both sides alike.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bs4 import BeautifulSoup

from ingest.parse import parse_page

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus" / "real"
OBSERVED = datetime(2026, 1, 1, tzinfo=UTC)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", type=int, default=6, help="how many of the largest pages")
    args = parser.parse_args()
    pages = sorted(
        (p for p in CORPUS.rglob("*.html") if "negative" not in p.parts),
        key=lambda p: p.stat().st_size,
        reverse=True,
    )[: args.pages]
    print(f"{'page':55} {'KiB':>6} {'bs4+lxml ms':>12} {'parse ms':>9} {'ratio':>6}")
    total_base = total_ours = 0.0
    for path in pages:
        body = path.read_bytes()
        base = best_of(args.repeat, lambda b=body: BeautifulSoup(b, "lxml"))  # type: ignore[misc]
        ours = best_of(
            args.repeat,
            lambda b=body: parse_page(  # type: ignore[misc]
                b,
                url="https://www.example.test/live",
                observed_at=OBSERVED,
                content_type="text/html",
            ),
        )
        total_base += base
        total_ours += ours
        name = str(path.relative_to(CORPUS))
        print(_row(name[:55], f"{len(body) / 1024:6.0f}", base, ours))
    print(_row("all", "", total_base, total_ours))


def _row(name: str, kib: str, base: float, ours: float) -> str:
    return f"{name:55} {kib:>6} {base * 1000:12.1f} {ours * 1000:9.1f} {ours / base:6.2f}"


if __name__ == "__main__":
    main()
