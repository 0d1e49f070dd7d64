"""Waking an idle delivery worker when another connection commits to its database.

Without a wake-up an idle worker looks for new outbox events every ``poll_interval_s``,
so a change waits half that on average before its alert is even claimed. SQLite has
no notifications, but it counts commits: ``PRAGMA data_version`` on one connection
changes whenever another connection (of any process) has committed since the last
look. Reading it costs no lock and no page read in WAL mode (the counter is in the
shared-memory index), so :class:`DataVersionWakeup` can look every
:data:`LOOK_EVERY_S` and ring at once, where a full look (dispatch and claim) would
cost a write transaction.

Any commit rings it: a poll's, a sink edited in the UI, the worker's own writes (they
go through other connections of the pool). A ring that finds nothing to do costs one
read of the outbox and one claim, as the poll interval's look does.

Other databases get no wake-up (:func:`database_wakeup` returns None) and keep the poll
interval; PostgreSQL could ring from ``LISTEN``, which needs the poll's transaction to
``NOTIFY``.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import Any

from sqlalchemy import Engine

log = logging.getLogger(__name__)

LOOK_EVERY_S = 0.01


class DataVersionWakeup:
    """Rings when a SQLite database's ``data_version`` moves (see the module).

    Holds one connection of ``engine`` until :meth:`close`. :meth:`wait` returns once
    the version differs from the one seen at the previous return (or at the start);
    it never raises: a look that fails rings, and the worker's own look says what is
    wrong."""

    def __init__(self, engine: Engine, *, look_every_s: float = LOOK_EVERY_S) -> None:
        self._connection: Any = engine.raw_connection()
        # Never wait for a lock on the event loop: a busy look just rings.
        self._connection.execute("PRAGMA busy_timeout = 0")
        self._look_every_s = look_every_s
        self._seen = self._version()

    def _version(self) -> int | None:
        try:
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0])

    async def wait(self) -> None:
        while True:
            version = self._version()
            if version is None or version != self._seen:
                self._seen = version
                return
            await asyncio.sleep(self._look_every_s)

    def close(self) -> None:
        self._connection.close()


def database_wakeup(engine: Engine) -> DataVersionWakeup | None:
    """A wake-up for the database of ``engine``: SQLite files only (an in-memory
    database has one connection, which sees no one else's commits)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    if not database or database == ":memory:" or "mode=memory" in database:
        return None
    if database.startswith("file::memory:"):
        return None
    return DataVersionWakeup(engine)
