"""``ScanArchive``: the archive port answered by reading through a store's own port.

It keeps no index: every call walks what the :class:`~storage.ports.Store` returns
(entries are found through their ``added`` events, which the differ writes for every new
entry; revisions through :meth:`~storage.ports.PollStore.entry_history`). That makes it
the reference the SQL adapter is held to by the contract suite, and the archive of a
:class:`~storage.MemoryStore`; its cost grows with the archive, so the SQL adapter is
the one to serve a real database with.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from diffing.model import ChangeKind
from storage.archive import Activity, Archive, ArchiveUnavailable, SearchHit, SearchPage
from storage.errors import NotFound
from storage.model import EntryHistory, StoredPoll, TickerId
from storage.ports import Store
from storage.search_query import SearchQuery, matches

_BATCH = 500
_ALL = 1 << 62


class ScanArchive:
    """Implements :class:`storage.archive.Archive` over any :class:`~storage.ports.Store`."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _histories(self, ticker_id: TickerId) -> Iterator[EntryHistory]:
        for entry_id in self.entry_ids(ticker_id):
            try:
                yield self._store.entry_history(entry_id)
            except NotFound:  # removed with its ticker since the listing
                continue

    def search(
        self,
        query: SearchQuery,
        *,
        ticker_id: TickerId | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        tickers = [ticker_id] if ticker_id is not None else [t.id for t in self._store.list()]
        hits: list[SearchHit] = []
        for ticker in tickers:
            for history in self._histories(ticker):
                found = [
                    r
                    for r in history.revisions
                    if matches(query, (r.version.headline, r.version.text))
                ]
                if found:
                    newest = max(found, key=lambda r: (r.observed_at, r.id))
                    hits.append(SearchHit(history.entry_id, ticker, newest, len(found)))
        hits.sort(key=lambda h: h.entry_id)
        hits.sort(key=lambda h: h.revision.observed_at, reverse=True)
        return SearchPage(
            hits=tuple(hits[offset : offset + limit]), total=len(hits), limit=limit, offset=offset
        )

    def activity(
        self, since: datetime, *, ticker_id: TickerId | None = None
    ) -> Mapping[TickerId, Activity]:
        found: dict[TickerId, Activity] = {}
        tickers = self._store.list()
        for ticker in tickers if ticker_id is None else [t for t in tickers if t.id == ticker_id]:
            entries = len(self.entry_ids(ticker.id))
            changes = _count(self._store, ticker.id, since=since)
            if entries or changes:
                found[ticker.id] = Activity(entries=entries, changes_since=changes)
        return found

    def captures(self, ticker_id: TickerId) -> tuple[StoredPoll, ...]:
        polls = self._store.polls(ticker_id, limit=_ALL)
        return tuple(p for p in reversed(polls) if p.body_sha256 is not None)

    def capture(self, ticker_id: TickerId, poll_id: int) -> StoredPoll | None:
        try:
            captures = self.captures(ticker_id)
        except NotFound:
            return None
        return next((p for p in captures if p.id == poll_id), None)

    def entry_ids(self, ticker_id: TickerId) -> tuple[str, ...]:
        added: list[tuple[datetime, str]] = []
        offset = 0
        while True:
            batch = self._store.changes(
                ticker_id, kinds={ChangeKind.ADDED}, limit=_BATCH, offset=offset
            )
            added += [(c.observed_at, c.entry_id) for c in batch if c.entry_id is not None]
            if len(batch) < _BATCH:
                break
            offset += _BATCH
        return tuple(entry_id for _, entry_id in sorted(added))

    def ping(self) -> None:
        try:
            self._store.list()
        except Exception as error:  # whatever the adapter raises: the store is unusable
            raise ArchiveUnavailable(f"the store does not answer: {error}") from error


def _count(store: Store, ticker_id: TickerId, *, since: datetime) -> int:
    total, offset = 0, 0
    while True:
        batch = store.changes(ticker_id, since=since, limit=_BATCH, offset=offset)
        total += len(batch)
        if len(batch) < _BATCH:
            return total
        offset += _BATCH


def _conforms(archive: ScanArchive) -> Archive:
    return archive  # mypy checks here that ScanArchive implements the port
