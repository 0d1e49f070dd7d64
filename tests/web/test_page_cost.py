"""What a timeline page and an entry's history page cost the database: a fixed, small
number of reads, whatever the number of rows shown, each on an index.

No timing here (bench/bench_web.py measures time); these count and explain the SQL the
pages run on a real SQLite database, so that a query per row, a read too many or a scan
of every change event fails a test.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, event

from storage import SqlArchive, SqlStore, Store, create_engine_for
from tests.storage.builders import Feed, entry
from tests.web.conftest import FIXED_NOW, TestClient, config_for
from web import context as web_context
from web import create_app

# Scans of the tables that grow with every poll (a scan of the ticker table is no cost).
GROWING_SCANS = tuple(
    f"SCAN {name}" for name in ("change_event", "entry_revision", "entry", "poll", "snapshot")
)


@dataclass
class Served:
    client: TestClient
    statements: list[tuple[str, Any]]
    path: str  # the SQLite file


@pytest.fixture
def served(sqlite_db: str) -> Iterator[Served]:
    """The app over a SQLite database, with every SELECT it runs recorded."""
    engine: Engine = create_engine_for(sqlite_db)
    statements: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    store, archive = SqlStore(engine), SqlArchive(engine)
    app = create_app(store, config_for(page_size=50), archive=archive, clock=lambda: FIXED_NOW)
    with TestClient(app) as client:
        yield Served(client, statements, str(engine.url.database))
    store.close()


def busy_feed(store: Store, name: str, polls: int) -> Feed:
    """A ticker whose every poll adds an entry and edits the one before it."""
    feed = Feed(store, name)
    texts: list[str] = []
    for number in range(polls):
        texts.insert(0, f"Meldung {number}: der Gipfel beginnt mit einer Erklärung.")
        if len(texts) > 1:
            texts[1] += " Nachtrag."
        feed.poll(*(entry(text) for text in texts))
    return feed


def selects(served: Served, path: str) -> list[tuple[str, Any]]:
    served.client.get(path)  # once to warm what is read once per process
    served.statements.clear()
    response = served.client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return list(served.statements)


def test_a_timeline_page_reads_the_same_few_statements_for_3_rows_or_50(
    served: Served,
) -> None:
    store = SqlStore(create_engine_for(f"sqlite:///{served.path}"))
    try:
        small = busy_feed(store, "small", 2)  # 3 events
        large = busy_feed(store, "large", 40)  # 79 events: a full page and more
    finally:
        store.close()

    few = selects(served, f"/tickers/{small.ticker_id}")
    full = selects(served, f"/tickers/{large.ticker_id}")
    entry_page = selects(served, f"/entries/{_busiest_entry(served.path)}")

    assert served.client.get(f"/tickers/{large.ticker_id}").text.count("data-change-id=") == 50
    assert len(full) == len(few)  # no read per row
    # The ticker, its events with their revisions (one join), its last poll, its
    # entry and today's event counts, the tickers' parse health: five statements
    # where there were ten.
    assert len(full) <= 5, [s for s, _ in full]
    # The ticker; the entry, its revisions, its events.
    assert len(entry_page) <= 4, [s for s, _ in entry_page]


def test_every_read_of_the_pages_searches_an_index_instead_of_scanning_the_events(
    served: Served,
) -> None:
    store = SqlStore(create_engine_for(f"sqlite:///{served.path}"))
    try:
        feed = busy_feed(store, "large", 40)
    finally:
        store.close()

    read = selects(served, f"/tickers/{feed.ticker_id}") + selects(
        served, f"/entries/{_busiest_entry(served.path)}"
    )

    with sqlite3.connect(served.path) as raw:
        for statement, parameters in read:
            plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
            scans = [step for step in plan if step.startswith(GROWING_SCANS)]
            assert not scans, (statement, plan)


def test_the_page_dependencies_are_coroutines_so_no_thread_hop_is_spent_on_them() -> None:
    # FastAPI runs a plain ``def`` dependency in its thread pool: a hop per request for
    # a look-up, which cost more than the timeline's read on a loaded machine.
    for dependency in (
        web_context.context,
        web_context.require_admin,
        web_context.alert_store,
        web_context.desk_store,
        web_context.story_store,
    ):
        assert inspect.iscoroutinefunction(dependency), dependency.__name__


def _busiest_entry(path: str) -> str:
    with sqlite3.connect(path) as raw:
        (entry_id,) = raw.execute(
            "SELECT entry_id FROM change_event WHERE entry_id IS NOT NULL "
            "GROUP BY entry_id ORDER BY count(*) DESC, entry_id LIMIT 1"
        ).fetchone()
    return str(entry_id)
