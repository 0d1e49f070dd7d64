"""The archive port's contract, run against every adapter: the scan over a memory
store, SQLite (FTS5) and PostgreSQL (full text). The stories are recorded through the
real differ (``tests.storage.builders.Feed``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from storage import MemoryStore, SqlStore, Store, create_engine_for
from storage.archive import Activity, Archive
from storage.archive_scan import ScanArchive
from storage.archive_sql import SqlArchive
from storage.engine import alembic_config
from storage.search_query import parse_query
from tests.storage.builders import B2, A, B, C, D, Feed, entry, entry_id, story


@dataclass
class Backend:
    name: str
    store: Store
    archive: Archive
    url: str | None = None


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        store = MemoryStore()
        yield Backend("memory", store, ScanArchive(store))
        return
    url: str = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_url")
    sql_store = SqlStore(create_engine_for(url))
    archive = SqlArchive(create_engine_for(url))
    yield Backend(request.param, sql_store, archive, url)
    archive.close()
    sql_store.close()


def search_ids(archive: Archive, text: str, **options: object) -> list[str]:
    return [h.entry_id for h in archive.search(parse_query(text), **options).hits]  # type: ignore[arg-type]


def test_a_word_finds_the_entries_that_said_it(backend: Backend) -> None:
    feed = story(backend.store)
    assert search_ids(backend.archive, "Innenstadt") == [entry_id(feed, C.text)]
    assert search_ids(backend.archive, "innenstadt") == [entry_id(feed, C.text)]
    assert search_ids(backend.archive, "Ankunft") == [entry_id(feed, B2.text)]  # headline
    assert search_ids(backend.archive, "Atlantis") == []


def test_phrases_prefixes_and_exclusions(backend: Backend) -> None:
    feed = story(backend.store)
    b = entry_id(feed, B2.text)
    assert search_ids(backend.archive, '"späten Nachmittag"') == [b]
    assert search_ids(backend.archive, '"Nachmittag späten"') == []
    assert set(search_ids(backend.archive, "Wladi*")) == {entry_id(feed, A.text)}
    assert search_ids(backend.archive, "Kim -späten") == [b]  # an older revision matches
    assert search_ids(backend.archive, "Kim -Jong") == []


def test_one_hit_per_entry_with_its_newest_matching_revision(backend: Backend) -> None:
    feed = story(backend.store)
    page = backend.archive.search(parse_query("Kim Nachmittag"))
    (hit,) = page.hits
    assert hit.entry_id == entry_id(feed, B2.text)
    assert hit.matching == 2  # before and after the edit
    assert hit.revision.version.text == B2.text
    assert page.total == 1
    (old,) = backend.archive.search(parse_query("Kim -späten")).hits
    assert old.matching == 1
    assert old.revision.version.text == B.text


def test_hits_come_newest_first_and_page(backend: Backend) -> None:
    feed = story(backend.store)
    everything = search_ids(backend.archive, "D*")
    assert everything == [entry_id(feed, D.text), entry_id(feed, C.text), entry_id(feed, A.text)]
    page = backend.archive.search(parse_query("D*"), limit=2, offset=1)
    assert [h.entry_id for h in page.hits] == everything[1:3]
    assert (page.total, page.limit, page.offset) == (3, 2, 1)
    assert backend.archive.search(parse_query("D*"), limit=2, offset=3).hits == ()


def test_search_within_one_ticker(backend: Backend) -> None:
    first = story(backend.store)
    other = Feed(backend.store, "ticker-2")
    other.poll(entry("Die Innenstadt ist wieder frei.", time="13:00"))
    both = search_ids(backend.archive, "Innenstadt")
    assert len(both) == 2
    only = search_ids(backend.archive, "Innenstadt", ticker_id=first.ticker_id)
    assert only == [entry_id(first, C.text)]


def test_words_split_at_punctuation_and_accents_count(backend: Backend) -> None:
    feed = Feed(backend.store)
    feed.poll(
        entry(
            "Kim-Panne in Pjöngjang um 14.01 Uhr, laut KCNA.", headline="Eilmeldung", time="14:01"
        )
    )
    (panne,) = feed.reference.entries
    for query in ("Panne", "Kim-Panne", "kim panne", "14.01", "Pjöngjang", "kcna"):
        assert search_ids(backend.archive, query) == [panne.entry_id], query
    assert search_ids(backend.archive, "Pjongjang") == []


def test_removing_a_ticker_removes_its_hits(backend: Backend) -> None:
    feed = story(backend.store)
    assert search_ids(backend.archive, "Innenstadt")
    backend.store.remove(feed.ticker_id)
    assert search_ids(backend.archive, "Innenstadt") == []
    assert backend.archive.activity(feed.now - timedelta(days=1)) == {}


def test_activity_counts_entries_and_recent_changes(backend: Backend) -> None:
    feed = story(backend.store)
    Feed(backend.store, "ticker-quiet")
    stats = backend.store.stats(feed.ticker_id)
    everything = backend.archive.activity(feed.now - timedelta(days=1))
    assert set(everything) == {feed.ticker_id}  # the quiet ticker has nothing to count
    assert everything[feed.ticker_id].entries == stats.entries == 4
    assert everything[feed.ticker_id].changes_since == stats.changes
    recent = backend.archive.activity(feed.now - timedelta(minutes=15))
    assert recent[feed.ticker_id].changes_since == 2  # B restored and D added at 12:50
    assert backend.archive.activity(feed.now, ticker_id=feed.ticker_id) == {
        feed.ticker_id: Activity(entries=4, changes_since=0)
    }
    other = Feed(backend.store, "ticker-2")
    other.poll(entry("Noch ein Eintrag.", time="13:00"))
    assert set(backend.archive.activity(feed.now - timedelta(days=1))) == {
        feed.ticker_id,
        other.ticker_id,
    }
    assert set(
        backend.archive.activity(feed.now - timedelta(days=1), ticker_id=other.ticker_id)
    ) == {other.ticker_id}


def test_captures_are_the_polls_with_a_body(backend: Backend) -> None:
    feed = story(backend.store)
    feed.not_modified()
    feed.fail()
    captures = backend.archive.captures(feed.ticker_id)
    polls = backend.store.polls(feed.ticker_id, limit=100)
    assert [c.id for c in captures] == [p.id for p in reversed(polls) if p.body_sha256]
    assert len(captures) == 6
    first = captures[0]
    assert backend.archive.capture(feed.ticker_id, first.id) == first
    failed = polls[0]
    assert backend.archive.capture(feed.ticker_id, failed.id) is None
    other = Feed(backend.store, "ticker-2")
    assert backend.archive.capture(other.ticker_id, first.id) is None


def test_entry_ids_in_the_order_first_seen(backend: Backend) -> None:
    feed = story(backend.store)
    assert backend.archive.entry_ids(feed.ticker_id) == tuple(
        entry_id(feed, t) for t in (A.text, B2.text, C.text, D.text)
    )


def test_ping(backend: Backend) -> None:
    backend.archive.ping()


@pytest.mark.parametrize(
    "dialect", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_the_migration_indexes_revisions_stored_before_it(
    dialect: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path}/before.db"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database("before_search")
    # Rows are written by today's store (its tables need the newest schema), then the
    # search index is taken away by going back to before it, and brought back.
    command.upgrade(alembic_config(url), "heads")
    store = SqlStore(create_engine_for(url))
    try:
        feed = story(store)
        store.close()
        command.downgrade(alembic_config(url), "0003_ticker_robots")
        command.upgrade(alembic_config(url), "heads")
        archive = SqlArchive(create_engine_for(url))
        try:
            assert search_ids(archive, "Innenstadt") == [entry_id(feed, C.text)]
        finally:
            archive.close()
    finally:
        store.close()


def test_the_sqlite_index_stays_consistent(sqlite_db: str) -> None:
    store = SqlStore(create_engine_for(sqlite_db))
    try:
        feed = story(store)
        Feed(store, "ticker-2").poll(entry("Noch ein Eintrag.", time="13:00"))
        store.remove(feed.ticker_id)
    finally:
        store.close()
    engine = create_engine_for(sqlite_db)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO fts_revision (fts_revision) VALUES ('integrity-check')")
            )
            rows = connection.execute(text("SELECT count(*) FROM fts_revision")).scalar_one()
            revisions = connection.execute(text("SELECT count(*) FROM entry_revision")).scalar_one()
        assert rows == revisions == 1
    finally:
        engine.dispose()
