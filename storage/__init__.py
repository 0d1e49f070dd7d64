"""Versioned storage: tickers, every poll, raw bodies, entries with all their revisions,
and change events. SQLModel on SQLite by default, PostgreSQL through the same URL.

Modules, one concept each:

- ``ports``: the :class:`TickerRepository` and :class:`PollStore` protocols (and ``Store``,
  both); ``model``: the values that cross them; ``errors``: what they raise.
- ``memory``: :class:`MemoryStore`, the in-memory adapter (rows in ``memory_tables``).
- ``sql``: :class:`SqlStore`, the SQL adapter, with ``sql_write`` / ``sql_read`` (queries),
  ``tables`` (the schema), ``mapping`` (rows ⇄ values); ``engine``: engines and
  migrations (:func:`create_engine_for`, :func:`upgrade`); ``migrations``: Alembic scripts
  (``python -m storage.migrations upgrade URL`` runs them from an installed package).
- ``archive``: the :class:`Archive` port, what the UI reads besides the stores (full-text
  search, activity counts, captures), with ``search_query`` (its query syntax) and
  adapters ``archive_sql`` (SQLite FTS5, PostgreSQL full text) and ``archive_scan``
  (any store, read through its port); ``columns``: the base and column types every
  package's tables are declared with.
- ``desks``: desks (tickers compared together, own ones marked) with their port
  :class:`~storage.desks.DeskStore`; adapters ``desks_memory`` and ``desks_sql``.
- pure, shared by both adapters: ``plan`` (what recording a poll writes),
  ``reconstruct`` (rows back into the differ's state and views of the past),
  ``validate`` (what every store refuses), ``codec`` (body compression).

Wiring, in the composition root::

    upgrade(url)
    store = SqlStore(create_engine_for(url))
    archive = SqlArchive(create_engine_for(url))
"""

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
