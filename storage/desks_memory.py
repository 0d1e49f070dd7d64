"""``MemoryDeskStore``: the desk port in process memory, beside a memory ticker store.

It asks the ticker repository it is given whether member tickers exist: when adding a
desk, and on every read, where members whose ticker was removed are left out — what
the SQL schema's ``ON DELETE CASCADE`` does (memory ticker ids are never reused).
One lock stands for the database's transactions.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import replace
from datetime import datetime

from storage.desks import (
    Desk,
    DeskId,
    DeskNotFound,
    DeskStore,
    DuplicateDesk,
    NewDesk,
    check_new_desk,
)
from storage.ports import TickerRepository
from storage.validate import stored_instant


class MemoryDeskStore:
    """Implements :class:`storage.desks.DeskStore` over ``tickers``."""

    def __init__(self, tickers: TickerRepository) -> None:
        self._tickers = tickers
        self._lock = threading.Lock()
        self._desks: dict[DeskId, Desk] = {}
        self._ids = itertools.count(1)

    def close(self) -> None:
        """Nothing to release."""

    def add(self, desk: NewDesk, *, created_at: datetime) -> Desk:
        check_new_desk(desk)
        instant = stored_instant(created_at)
        with self._lock:
            self._check(desk, None)
            desk_id = DeskId(next(self._ids))
            self._desks[desk_id] = _stored(desk, desk_id, instant)
            return self._current(self._desks[desk_id])

    def get(self, desk_id: DeskId) -> Desk:
        with self._lock:
            return self._current(self._desk(desk_id))

    def named(self, name: str) -> Desk:
        with self._lock:
            for desk in self._desks.values():
                if desk.name == name.strip():
                    return self._current(desk)
        raise DeskNotFound(f"no desk named {name.strip()!r}")

    def update(self, desk_id: DeskId, desk: NewDesk) -> Desk:
        check_new_desk(desk)
        with self._lock:
            old = self._desk(desk_id)
            self._check(desk, desk_id)
            self._desks[desk_id] = _stored(desk, desk_id, old.created_at)
            return self._current(self._desks[desk_id])

    def remove(self, desk_id: DeskId) -> None:
        with self._lock:
            self._desk(desk_id)
            del self._desks[desk_id]

    def list(self) -> tuple[Desk, ...]:
        with self._lock:
            return tuple(self._current(d) for d in self._desks.values())

    def _desk(self, desk_id: DeskId) -> Desk:
        found = self._desks.get(desk_id)
        if found is None:
            raise DeskNotFound(f"no desk {desk_id}")
        return found

    def _check(self, desk: NewDesk, desk_id: DeskId | None) -> None:
        if any(d.name == desk.name and d.id != desk_id for d in self._desks.values()):
            raise DuplicateDesk(f"a desk named {desk.name!r} exists already")
        for member in desk.members:
            self._tickers.get(member.ticker_id)  # TickerNotFound

    def _current(self, desk: Desk) -> Desk:
        """The desk without members whose ticker is gone."""
        live = {t.id for t in self._tickers.list()}
        return replace(desk, members=tuple(m for m in desk.members if m.ticker_id in live))


def _stored(desk: NewDesk, desk_id: DeskId, created_at: datetime) -> Desk:
    return Desk(
        id=desk_id,
        name=desk.name,
        created_at=created_at,
        members=desk.members,
        tags=desk.tags,
        window_minutes=desk.window_minutes,
        lead_minutes=desk.lead_minutes,
    )


def _conforms(store: MemoryDeskStore) -> DeskStore:
    return store  # mypy checks here that MemoryDeskStore implements the port
