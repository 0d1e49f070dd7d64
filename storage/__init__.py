"""Versioned storage: tickers, every poll, raw bodies, entries with all their revisions,
and change events. SQLModel on SQLite by default, PostgreSQL through the same URL.

Modules, one concept each:

- ``ports``: the :class:`TickerRepository` and :class:`PollStore` protocols (and ``Store``,
  both); ``model``: the values that cross them; ``errors``: what they raise.
- ``memory``: :class:`MemoryStore`, the in-memory adapter (rows in ``memory_tables``).
- ``sql``: :class:`SqlStore`, the SQL adapter, with ``sql_write`` / ``sql_read`` (queries),
  ``sql_bodies`` (raw bodies: reading, packing a new one, removing orphans),
  ``tables`` (the schema), ``mapping`` (rows ⇄ values); ``engine``: engines and
  migrations (:func:`create_engine_for`, :func:`upgrade`); ``migrations``: Alembic scripts
  (``python -m storage.migrations upgrade URL`` runs them from an installed package);
  ``migration_state``: whether a database is at their heads, answered without Alembic.
- ``archive``: the :class:`Archive` port, what the UI reads besides the stores (full-text
  search, activity counts, captures), with ``search_query`` (its query syntax) and
  adapters ``archive_sql`` (SQLite FTS5, PostgreSQL full text) and ``archive_scan``
  (any store, read through its port); ``columns``: the base and column types every
  package's tables are declared with.
- ``desks``: desks (tickers compared together, own ones marked) with their port
  :class:`~storage.desks.DeskStore`; adapters ``desks_memory`` and ``desks_sql``.
- pure, shared by both adapters: ``plan`` (what recording a poll writes),
  ``reconstruct`` (rows back into the differ's state and views of the past),
  ``validate`` (what every store refuses), ``codec`` (body compression), ``deltas``
  (bodies as keyframes plus one-step deltas: which form, reading either back).

Wiring, in the composition root::

    engine = create_engine_for(url)
    if not migration_state.is_current(engine):
        upgrade(url)
    store = SqlStore(engine)
    archive = SqlArchive(engine)

The names below are imported on first use (``__getattr__``): ``storage.model`` or
``storage.errors`` alone loads neither SQLModel nor Alembic.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names as importers see them; at run time __getattr__ loads each
    from storage.archive import Archive
    from storage.archive_scan import ScanArchive
    from storage.archive_sql import SqlArchive
    from storage.engine import (
        DEFAULT_DATABASE_PATH,
        check_integrity,
        create_engine_for,
        sqlite_url,
        upgrade,
    )
    from storage.errors import (
        BodyNotFound,
        CorruptBody,
        DuplicateTicker,
        EntryNotFound,
        InvalidValue,
        NotFound,
        StorageError,
        TickerNotFound,
        UnusableDatabase,
    )
    from storage.memory import MemoryStore
    from storage.model import (
        EntryAsOf,
        EntryHistory,
        NewTicker,
        PollId,
        PollRecord,
        Revision,
        RevisionId,
        SnapshotId,
        StorageStats,
        StoredChange,
        StoredPoll,
        Ticker,
        TickerId,
        TickerView,
    )
    from storage.ports import PollStore, Store, TickerRepository
    from storage.sql import SqlStore

_HOMES = {
    "Archive": "storage.archive",
    "ScanArchive": "storage.archive_scan",
    "SqlArchive": "storage.archive_sql",
    "DEFAULT_DATABASE_PATH": "storage.engine",
    "check_integrity": "storage.engine",
    "create_engine_for": "storage.engine",
    "sqlite_url": "storage.engine",
    "upgrade": "storage.engine",
    "BodyNotFound": "storage.errors",
    "CorruptBody": "storage.errors",
    "DuplicateTicker": "storage.errors",
    "EntryNotFound": "storage.errors",
    "InvalidValue": "storage.errors",
    "NotFound": "storage.errors",
    "StorageError": "storage.errors",
    "TickerNotFound": "storage.errors",
    "UnusableDatabase": "storage.errors",
    "MemoryStore": "storage.memory",
    "EntryAsOf": "storage.model",
    "EntryHistory": "storage.model",
    "NewTicker": "storage.model",
    "PollId": "storage.model",
    "PollRecord": "storage.model",
    "Revision": "storage.model",
    "RevisionId": "storage.model",
    "SnapshotId": "storage.model",
    "StorageStats": "storage.model",
    "StoredChange": "storage.model",
    "StoredPoll": "storage.model",
    "Ticker": "storage.model",
    "TickerId": "storage.model",
    "TickerView": "storage.model",
    "PollStore": "storage.ports",
    "Store": "storage.ports",
    "TickerRepository": "storage.ports",
    "SqlStore": "storage.sql",
}

__all__ = [
    "DEFAULT_DATABASE_PATH",
    "Archive",
    "BodyNotFound",
    "CorruptBody",
    "DuplicateTicker",
    "EntryAsOf",
    "EntryHistory",
    "EntryNotFound",
    "InvalidValue",
    "MemoryStore",
    "NewTicker",
    "NotFound",
    "PollId",
    "PollRecord",
    "PollStore",
    "Revision",
    "RevisionId",
    "ScanArchive",
    "SnapshotId",
    "SqlArchive",
    "SqlStore",
    "StorageError",
    "StorageStats",
    "Store",
    "StoredChange",
    "StoredPoll",
    "Ticker",
    "TickerId",
    "TickerNotFound",
    "TickerRepository",
    "TickerView",
    "UnusableDatabase",
    "check_integrity",
    "create_engine_for",
    "sqlite_url",
    "upgrade",
]


def __getattr__(name: str) -> object:
    """Import an export's module on first use: ``storage.model`` or ``storage.errors``
    alone do not load SQLModel, Alembic or the stores (a command's start-up)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
