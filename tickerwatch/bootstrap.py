"""The composition root: the one place where settings meet the packages.

Commands and services get their collaborators from here, built from one
validated :class:`~tickerwatch.settings.Settings`. Nothing is built at import time,
and little is imported: each builder imports the part it builds, so that a command
loads only what it uses (the parser for ``parse``, SQLModel for ``status``; Alembic only
when the database is behind the shipped migrations).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ingest.model import EntrySelectors, ParsedPage

if TYPE_CHECKING:
    from storage import SqlStore
    from storage.ports import Store
    from tickerwatch.desking import StoryFiler
    from tickerwatch.polling import PollPolicy
    from tickerwatch.settings import Settings

USER_AGENT = "tickerwatch/0.1 (+https://github.com/tickerwatch/tickerwatch)"


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


def open_store(url: str, *, busy_timeout_ms: int | None = None) -> SqlStore:
    """The SQL store at ``url``, checked (``storage.UnusableDatabase`` when damaged) and
    migrated to the newest schema first (by Alembic only when it is behind).
    ``busy_timeout_ms``: ``storage.busy_timeout_s`` (the engine's default without)."""
    from storage import SqlStore, check_integrity, create_engine_for, upgrade
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
    return SqlStore(engine)


def store_for(settings: Settings) -> SqlStore:
    """The store of ``storage.database_url`` with the configured busy timeout."""
    return open_store(
        settings.storage.resolved_url(), busy_timeout_ms=settings.storage.busy_timeout_ms()
    )


def poll_policy(settings: Settings) -> PollPolicy:
    """What every poll needs from the settings."""
    from tickerwatch.polling import PollPolicy

    return PollPolicy(
        max_body_bytes=settings.ingest.max_body_bytes,
        default_zone=settings.ingest.default_zone,
    )


def story_filer(store: Store, url: str) -> StoryFiler:
    """Files every poll recorded in ``store`` (the database at ``url``, migrated) into
    the stories of its desks and records the desks' story alerts in ``store``; its
    ``close`` releases the desk and story stores."""
    from storage import create_engine_for
    from storage.desks_sql import SqlDeskStore
    from storage.story_store_sql import SqlStoryStore
    from tickerwatch.desking import StoryFiler
    from tickerwatch.story_alerting import StoryAlerter

    return StoryFiler(
        store,
        SqlDeskStore(create_engine_for(url)),
        SqlStoryStore(create_engine_for(url)),
        first_seen_of=lambda entry_id: store.entry_history(entry_id).first_seen,
        alerter=StoryAlerter(store),
    )
