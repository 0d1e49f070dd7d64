"""The composition root: the one place where settings meet the packages.

Commands and services get their collaborators from here, built from one
validated :class:`~tickerwatch.settings.Settings`. Nothing is built at import time,
and little is imported: each builder imports the part it builds, so that a command
loads only what it uses (the parser for ``parse``, SQLModel for ``status``; Alembic only
when the database is behind the shipped migrations).

One database, one engine: :func:`open_database` checks and migrates the database once
and hands out every store over it (tickers and polls, archive, alerts, desks, stories)
on one SQLAlchemy engine, so a process holds one connection pool per database URL
however many parts it runs (``run`` serves polling, alert delivery and the web UI from
one). :func:`utc_now` is the one wall clock; everything below takes a clock argument.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar, cast
from zoneinfo import ZoneInfo

from ingest.model import EntrySelectors, ParsedPage

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from alerts.sql import SqlAlertStore
    from storage import SqlArchive, SqlStore
    from storage.desks_sql import SqlDeskStore
    from storage.story_store_sql import SqlStoryStore
    from tickerwatch.desking import StoryFiler
    from tickerwatch.polling import PollPolicy
    from tickerwatch.settings import Settings

USER_AGENT = "tickerwatch/0.1 (+https://github.com/tickerwatch/tickerwatch)"


_Part = TypeVar("_Part")


def utc_now() -> datetime:
    """The process's wall clock, the one place it is read (tests pass their own)."""
    return datetime.now(UTC)


def parse(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    observed_at: datetime,
    settings: Settings,
    zone: ZoneInfo | None = None,
    profile: str | None = None,
    selectors: EntrySelectors | None = None,
    date_from_page: bool = False,
) -> ParsedPage:
    """``ingest.parse_page`` with the configured size cap and default zone."""
    from ingest.parse import parse_page

    default_zone = settings.ingest.default_zone
    return parse_page(
        body,
        url=url,
        content_type=content_type,
        observed_at=observed_at,
        zone=zone,
        default_zone=ZoneInfo(default_zone) if default_zone else None,
        profile=profile,
        max_bytes=settings.ingest.max_body_bytes,
        selectors=selectors,
        date_from_page=date_from_page,
    )


class Database:
    """One database and the one engine (connection pool) every store over it shares.

    Made by :func:`open_database`, checked and migrated. Each store is built on first
    use and kept, so asking twice gives the same object; the stores share the engine
    and with it the pool. :meth:`close` (or leaving the ``with`` block) releases the
    pool once, for all of them; closing one store releases it too (the engine makes
    new connections if another store goes on), which is how commands that take only
    the store from :func:`open_store` close it. Thread-safe.
    """

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._parts: dict[str, object] = {}
        self._lock = threading.RLock()  # story_filer builds the stores it needs

    def _part(self, name: str, build: Callable[[], _Part]) -> _Part:
        with self._lock:
            if name not in self._parts:
                self._parts[name] = build()
            return cast(_Part, self._parts[name])

    def store(self) -> SqlStore:
        """Tickers, polls, entries, revisions, change events and the outbox."""
        from storage import SqlStore

        return self._part("store", lambda: SqlStore(self.engine))

    def archive(self) -> SqlArchive:
        """Full-text search and as-of reads for the web UI."""
        from storage import SqlArchive

        return self._part("archive", lambda: SqlArchive(self.engine))

    def alerts(self) -> SqlAlertStore:
        """Alert sinks and their delivery queue."""
        from alerts.sql import SqlAlertStore

        return self._part("alerts", lambda: SqlAlertStore(self.engine))

    def desks(self) -> SqlDeskStore:
        from storage.desks_sql import SqlDeskStore

        return self._part("desks", lambda: SqlDeskStore(self.engine))

    def stories(self) -> SqlStoryStore:
        from storage.story_store_sql import SqlStoryStore

        return self._part("stories", lambda: SqlStoryStore(self.engine))

    def story_filer(self) -> StoryFiler:
        """Files every poll recorded in :meth:`store` into the stories of its desks and
        records the desks' story alerts there."""
        from tickerwatch.desking import StoryFiler
        from tickerwatch.story_alerting import StoryAlerter

        def build() -> StoryFiler:
            store = self.store()
            return StoryFiler(
                store,
                self.desks(),
                self.stories(),
                first_seen_of=lambda entry_id: store.entry_history(entry_id).first_seen,
                alerter=StoryAlerter(store),
                recorded=store,
            )

        return self._part("story_filer", build)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_database(url: str, *, busy_timeout_ms: int | None = None) -> Database:
    """The database at ``url``, checked (``storage.UnusableDatabase`` when damaged) and
    migrated to the newest schema first (by Alembic only when it is behind).
    ``busy_timeout_ms``: ``storage.busy_timeout_s`` (the engine's default without)."""
    from storage import check_integrity, create_engine_for, upgrade
    from storage.migration_state import is_current

    engine = (
        create_engine_for(url)
        if busy_timeout_ms is None
        else create_engine_for(url, busy_timeout_ms=busy_timeout_ms)
    )
    try:
        check_integrity(engine)
        if not is_current(engine):
            upgrade(url)
    except BaseException:
        engine.dispose()
        raise
    return Database(url, engine)


def database_for(settings: Settings) -> Database:
    """The database of ``storage.database_url`` with the configured busy timeout."""
    return open_database(
        settings.storage.resolved_url(), busy_timeout_ms=settings.storage.busy_timeout_ms()
    )


def open_store(url: str, *, busy_timeout_ms: int | None = None) -> SqlStore:
    """The store of :func:`open_database` alone; closing it releases the database."""
    return open_database(url, busy_timeout_ms=busy_timeout_ms).store()


def store_for(settings: Settings) -> SqlStore:
    """The store of ``storage.database_url`` with the configured busy timeout."""
    return database_for(settings).store()


def poll_policy(settings: Settings) -> PollPolicy:
    """What every poll needs from the settings."""
    from tickerwatch.polling import PollPolicy

    return PollPolicy(
        max_body_bytes=settings.ingest.max_body_bytes,
        default_zone=settings.ingest.default_zone,
    )


@contextlib.contextmanager
def using_database(settings: Settings, database: Database | None) -> Iterator[Database]:
    """``database`` when the caller shares one (``run`` opens one for all its
    services), else the settings' database, opened here and closed on exit."""
    if database is not None:
        yield database
        return
    with database_for(settings) as own:
        yield own
