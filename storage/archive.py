"""The archive port: what the web UI reads that the store ports do not answer.

Full-text search across every revision of every entry, per-ticker activity counts for
the dashboard, the captures (polls that received a body) of a ticker for the "as it
stood at" slider, Memento and WARC, and the ids of a ticker's entries for exports.

Adapters: :class:`storage.archive_sql.SqlArchive` (SQLite FTS5 and PostgreSQL full text,
read from storage's tables and the ``fts_revision`` index of migration ``0004_search``)
and :class:`storage.archive_scan.ScanArchive` (any :class:`~storage.ports.Store`, by reading
through its port: the reference semantics, and what a :class:`~storage.MemoryStore`
uses). Both pass one contract suite (``tests/storage/test_contract_archive.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from storage.model import Revision, StoredPoll, TickerId
from storage.search_query import SearchQuery


class ArchiveUnavailable(Exception):
    """The database behind the archive cannot be reached; the message says why."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One entry with revisions that match: ``revision`` is the newest matching one,
    ``matching`` how many of the entry's revisions match."""

    entry_id: str
    ticker_id: TickerId
    revision: Revision
    matching: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """Hits newest first (by their newest matching revision; ties by entry id) and the
    number of matching entries in all."""

    hits: tuple[SearchHit, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class Activity:
    """A ticker's entries in all, and its change events observed since some instant."""

    entries: int
    changes_since: int


class Archive(Protocol):
    def search(
        self,
        query: SearchQuery,
        *,
        ticker_id: TickerId | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        """Entries any of whose revisions (headline and text) match ``query``, of one
        ticker or of all; ``limit`` and ``offset`` count entries."""
        ...

    def activity(
        self, since: datetime, *, ticker_id: TickerId | None = None
    ) -> Mapping[TickerId, Activity]:
        """Entries and change events since ``since`` of every ticker (or the one given)
        that has any."""
        ...

    def captures(self, ticker_id: TickerId) -> tuple[StoredPoll, ...]:
        """The ticker's polls that received a body, oldest first (``TickerNotFound``)."""
        ...

    def capture(self, ticker_id: TickerId, poll_id: int) -> StoredPoll | None:
        """One poll of the ticker that received a body; None when there is none such."""
        ...

    def entry_ids(self, ticker_id: TickerId) -> tuple[str, ...]:
        """Every entry of the ticker, in the order they were first seen."""
        ...

    def ping(self) -> None:
        """Raise :class:`ArchiveUnavailable` unless the database answers."""
        ...
