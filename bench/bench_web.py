"""Web pages of a big ticker, as a ratio to a bare SELECT of the same rows in the same run.

    .venv/bin/python bench/bench_web.py [--polls 1010] [--repeat 30]

Builds a ticker of about 10,000 change events and 2,000 entries in a SQLite file by
recording synthetic polls through the real differ and ``store.record_poll``: each poll
the page (newest first, 50 entries) gets two new entries, six of its entries are
edited, and two fall off its bottom (paged out). Then the app serves, in process
(FastAPI's TestClient), the timeline's first, a middle and the last page, a filtered
page, and the history pages of entries with the most changes.

Measured: the server's own time per request (the app's ``Server-Timing`` header: from
the request's arrival to the response's start, rendering included), median of
--repeat requests. Baseline: the bare SELECT of the rows the page shows (``sqlite3``,
no ORM, no mapping, no rendering), median of as many runs, in the same process right
before. Each page is checked to stay paginated (50 rows).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from diffing import diff
from diffing.model import ChangeKind
from ingest.model import Entry, Order, ParsedPage, TimeSource
from storage import (
    NewTicker,
    PollRecord,
    SqlArchive,
    SqlStore,
    TickerId,
    create_engine_for,
    sqlite_url,
)
from tickerwatch.bootstrap import open_store
from tickerwatch.service import web_config
from tickerwatch.settings import Settings
from tickerwatch.settings.web import WebSettings
from web import create_app

ZONE = ZoneInfo("Europe/Berlin")
URL = "https://www.example.test/live/bench-web"
PAGE_ENTRIES = 50
SYLLABLES = (  # noqa: SIM905  (one readable line of syllables)
    "ge ver ta ri on ka lo mi ne bahn stadt zug rat vor an ter men heit lich ung "
    "spre cher po li zei gip fel wirt schaft ha fen de le ga ti markt"
).split()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


def sentence(rng: random.Random) -> str:
    return " ".join(word(rng) for _ in range(rng.randint(6, 14))).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    text = sentence(rng)
    while len(text) < rng.randint(120, 400):
        text += " " + sentence(rng)
    return text


def build(url: str, polls: int, seed: int = 11) -> TickerId:
    """Record ``polls`` synthetic polls; returns the ticker's id."""
    rng = random.Random(seed)
    store = open_store(url)
    try:
        start = datetime(2026, 4, 20, 6, 0, tzinfo=ZONE)
        ticker = store.add(NewTicker(URL, "Bench: a busy ticker"), created_at=start)
        shown: list[tuple[str, datetime, str | None]] = []  # text, time, headline; newest first
        filed = 0
        for number in range(polls):
            now = start + timedelta(minutes=5 * number)
            for _ in range(2):
                filed += 1
                moment = now - timedelta(seconds=30 * (2 - _))
                headline = f"Lage {filed}: {word(rng).capitalize()}" if filed % 3 == 0 else None
                shown.insert(0, (paragraph(rng), moment, headline))
            editable = range(2, min(len(shown), PAGE_ENTRIES))
            for index in rng.sample(editable, k=min(6, len(editable))):
                text, moment, headline = shown[index]
                shown[index] = (text + " " + sentence(rng), moment, headline)
            del shown[PAGE_ENTRIES:]
            page = ParsedPage(
                url=URL,
                observed_at=now,
                layout="bench",
                headline="Bench",
                entries=tuple(
                    Entry(
                        position=i,
                        text=text,
                        html=f"<p>{text}</p>",
                        headline=headline,
                        time=moment,
                        time_label=moment.strftime("%H.%M Uhr"),
                        time_source=TimeSource.LABEL,
                    )
                    for i, (text, moment, headline) in enumerate(shown)
                ),
                order=Order.NEWEST_FIRST,
            )
            body = json.dumps([t for t, _, _ in shown]).encode()
            sha = hashlib.sha256(body).hexdigest()
            state = store.previous_state(ticker.id, keep_removed_for=timedelta(minutes=30))
            verdict = diff(state, page, body_sha256=sha)
            record = PollRecord(ticker.id, now, 300, verdict.outcome, 200, bytes=len(body))
            store.record_poll(record, body, page, verdict)
        return ticker.id
    finally:
        store.close()


def median_ms(run: Callable[[], float], repeat: int) -> float:
    run()  # warm-up: caches, prepared statements, template compilation
    return statistics.median(run() for _ in range(repeat))


Queries = list[tuple[str, tuple[object, ...]]]


def timed_select(connection: sqlite3.Connection, queries: Queries) -> float:
    started = time.perf_counter()
    for sql, params in queries:
        rows = connection.execute(sql, params).fetchall()
        ids = [r[0] for r in rows]
        if "change_event" in sql and ids:  # the revisions the events point at
            marks = ",".join("?" * len(ids))
            connection.execute(
                f"SELECT * FROM entry_revision WHERE id IN (SELECT previous_revision_id "
                f"FROM change_event WHERE id IN ({marks}) UNION SELECT current_revision_id "
                f"FROM change_event WHERE id IN ({marks}))",
                ids + ids,
            ).fetchall()
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=1010)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient prefers the httpx2 fork
        from fastapi.testclient import TestClient

    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        path = Path(folder) / "bench.db"
        url = sqlite_url(path)
        started = time.perf_counter()
        ticker_id = build(url, args.polls)
        built_s = time.perf_counter() - started

        raw = sqlite3.connect(path)
        (events,) = raw.execute("SELECT count(*) FROM change_event").fetchone()
        (entries,) = raw.execute("SELECT count(*) FROM entry").fetchone()
        kinds = dict(
            raw.execute("SELECT kind, count(*) FROM change_event GROUP BY kind").fetchall()
        )
        print(f"built in {built_s:.1f} s: {args.polls} polls, {events} events, {entries} entries")
        print("  kinds:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))

        store = SqlStore(create_engine_for(url))
        archive = SqlArchive(create_engine_for(url))
        settings = Settings(web=WebSettings(zone="Europe/Berlin", page_size=PAGE_ENTRIES))
        app = create_app(
            store, web_config(settings), archive=archive, clock=lambda: datetime.now(UTC)
        )
        client = TestClient(app)
        busiest = [
            r[0]
            for r in raw.execute(
                "SELECT entry_id FROM change_event WHERE entry_id IS NOT NULL GROUP BY entry_id "
                "ORDER BY count(*) DESC, entry_id LIMIT 5"
            )
        ]
        last_page = (events + PAGE_ENTRIES - 1) // PAGE_ENTRIES
        middle = last_page // 2
        select_events = (
            "SELECT * FROM change_event WHERE ticker_id = ? "
            "ORDER BY observed_at DESC, id DESC LIMIT ? OFFSET ?"
        )
        cases: list[tuple[str, str, Queries, str]] = [
            (
                f"timeline page {number}",
                f"/tickers/{ticker_id}?page={number}",
                [(select_events, (ticker_id, PAGE_ENTRIES + 1, (number - 1) * PAGE_ENTRIES))],
                "data-change-id",
            )
            for number in (1, middle, last_page)
        ]
        cases.append(
            (
                "timeline, edited only, page 2",
                f"/tickers/{ticker_id}?kind=edited&page=2",
                [
                    (
                        "SELECT * FROM change_event WHERE ticker_id = ? AND kind IN (?) "
                        "ORDER BY observed_at DESC, id DESC LIMIT ? OFFSET ?",
                        (ticker_id, ChangeKind.EDITED.value, PAGE_ENTRIES + 1, PAGE_ENTRIES),
                    )
                ],
                "data-change-id",
            )
        )
        for entry_id in busiest[:3]:
            cases.append(
                (
                    f"entry history {entry_id[:8]}",
                    f"/entries/{entry_id}",
                    [
                        ("SELECT * FROM entry WHERE id = ?", (entry_id,)),
                        (
                            "SELECT * FROM entry_revision WHERE entry_id = ? "
                            "ORDER BY observed_at, id",
                            (entry_id,),
                        ),
                        (
                            "SELECT * FROM change_event WHERE entry_id = ? "
                            "ORDER BY observed_at, id",
                            (entry_id,),
                        ),
                    ],
                    "data-change-id",
                )
            )

        def server_ms(page_path: str) -> float:
            response = client.get(page_path)
            assert response.status_code == 200, (page_path, response.status_code)
            timing = response.headers["server-timing"]
            return float(timing.split("dur=")[1])

        print(f"\nmedian of {args.repeat} requests; baseline: the bare SELECT of the page's rows")
        print(f"{'page':34} {'rows':>5} {'server ms':>10} {'SELECT ms':>10} {'ratio':>7}")
        for name, page_path, queries, marker in cases:
            rows = client.get(page_path).text.count(f"{marker}=")
            assert rows <= PAGE_ENTRIES, (name, rows)  # pages stay paginated
            baseline = median_ms(partial(timed_select, raw, queries), args.repeat)
            page_ms = median_ms(partial(server_ms, page_path), args.repeat)
            print(
                f"{name:34} {rows:>5} {page_ms:>10.2f} {baseline:>10.3f} {page_ms / baseline:>7.1f}"
            )
        client.close()
        archive.close()
        store.close()
        raw.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
