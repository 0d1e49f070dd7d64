"""Engines and migrations: the only place that knows how to open a database.

``create_engine_for(url)`` gives an engine set up for tickerwatch: on SQLite, WAL
journal, foreign keys enforced, a busy timeout, and real transactions (pysqlite's own
transaction handling is switched off, SQLAlchemy's documented recipe, so ``BEGIN`` is
sent when a transaction begins and reads inside it see one snapshot); on PostgreSQL,
psycopg 3 with the session in UTC. ``upgrade(url)`` migrates a database to the newest
schema with the Alembic scripts shipped in ``storage/migrations``; the application
never creates tables any other way.

Nothing here reads the environment or holds an engine at module level: the URL always
comes from the caller (tickerwatch.settings resolves the default).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool

from storage.errors import UnusableDatabase

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_DATABASE_PATH = Path("~/.local/share/tickerwatch/tickerwatch.db")
"""Where tickerwatch keeps its SQLite database unless told otherwise:
``$XDG_DATA_HOME/tickerwatch/tickerwatch.db``, and with ``XDG_DATA_HOME`` unset this path.
Storage itself never picks it: ``tickerwatch.settings.StorageSettings.resolved_url``
turns it into the URL that is passed to :func:`create_engine_for` and :func:`upgrade`."""

MIGRATIONS = "storage:migrations"  # Alembic script location as a package resource
SQLITE_BUSY_TIMEOUT_MS = 10_000  # a writer waits this long for another one to commit
BUSY_RETRIES = 2
"""How often a SQLite writer that waited the whole busy timeout for the write lock asks
again (each time waiting the timeout anew) before "database is locked" reaches its caller:
a writer waits at most (1 + BUSY_RETRIES) busy timeouts in all."""

# One engine serves every store of a process (tickerwatch.bootstrap.Database): the
# poll threads, alert sends and the web UI's request threads draw on one pool, so it
# is larger than SQLAlchemy's default of 5 + 10; a request that finds it exhausted
# waits up to the pool timeout (30 s) rather than failing.
POOL_SIZE = 10
POOL_OVERFLOW = 20

log = logging.getLogger(__name__)


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite database file."""
    return f"sqlite:///{path.expanduser()}"


def create_engine_for(
    url: str | URL, *, echo: bool = False, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> Engine:
    """An engine for ``url`` (``sqlite:///path``, ``sqlite://`` for memory, or
    ``postgresql://...``, which gets the psycopg 3 driver). A SQLite file's folder must
    exist (``UnusableDatabase`` otherwise): a typo in a path should not grow folders.
    On SQLite a writer waits ``busy_timeout_ms`` for another writer's lock, then asks
    again :data:`BUSY_RETRIES` times, logging "database busy, retried" each time."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, echo=echo, busy_timeout_ms=busy_timeout_ms)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql":
        # Instants come back as UTC, whatever the server's default zone.
        return create_engine(
            parsed,
            echo=echo,
            pool_pre_ping=True,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            connect_args={"options": "-c timezone=UTC"},
        )
    return create_engine(parsed, echo=echo)


def _sqlite_engine(url: URL, *, echo: bool, busy_timeout_ms: int) -> Engine:
    database = url.database
    in_memory = not database or database == ":memory:" or database.startswith("file::memory:")
    kwargs: dict[str, Any] = {}
    if in_memory:
        # One connection for the whole engine, or each would see its own empty database.
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif database is not None:
        # With ?uri=true the database is a URI, "file:path" (SQLite's URI filenames).
        uri = url.query.get("uri") == "true" and database.startswith("file:")
        folder = Path(database.removeprefix("file:") if uri else database).expanduser().parent
        if not folder.is_dir():
            raise UnusableDatabase(f"the folder of the SQLite database does not exist: {folder}")
        kwargs = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
    engine = create_engine(url, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide where transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL loses no committed transaction on a crash of the
            # process, only (maybe) the last ones on a power cut; it saves an fsync each.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a transaction that reads and then
        # writes cannot fail half-way with SQLITE_BUSY because another writer came first.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        if not immediate:
            connection.exec_driver_sql("BEGIN")
            return
        for attempt in range(BUSY_RETRIES + 1):
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as error:
                # Safe to repeat: nothing of the transaction has run yet.
                if attempt == BUSY_RETRIES or not is_busy(error):
                    raise
                log.warning(
                    "database busy, retried: another writer held %s for %.1f s",
                    database,
                    busy_timeout_ms / 1000,
                )

    return engine


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's "database is locked" (another writer held on)."""
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def check_integrity(engine: Engine) -> None:
    """Raise ``UnusableDatabase`` when a SQLite database fails ``PRAGMA quick_check`` or
    is not a database at all; other backends check themselves. Meant for start-up: a
    damaged page otherwise goes unnoticed until a query happens to read it.

    quick_check reads every page (O(N), no index cross-check), seconds on a large file,
    and every command starts with it. So a file that passed is remembered in a sidecar,
    ``<file>-checked`` beside ``-wal`` and ``-shm``: the size, modification time and
    inode of the file and of its WAL at that check. While they are unchanged no byte can
    have been written since, and the check is skipped; any write (a poll, a copy over
    it, a damaged page written by anyone) moves them and the next start checks again.
    Only a change that restores both size and modification time on purpose, or a disk
    that rots in place, gets past the sidecar; the file's own reads still report it.
    """
    if engine.dialect.name != "sqlite":
        return
    path = _sqlite_file(engine)
    stamp = _stamp(path) if path is not None else None
    marker = Path(f"{path}-checked") if path is not None else None
    if stamp is not None and marker is not None and _read_marker(marker) == stamp:
        return
    _quick_check(engine)
    if stamp is not None and marker is not None:
        _write_marker(marker, stamp)


_SETTLED_NS = 2_000_000_000
"""A file modified less than this long before its check is not remembered as checked:
modification times are coarse (a few ms on Linux), so a write in the same tick as the
stamp could otherwise hide behind an unchanged time."""


def _sqlite_file(engine: Engine) -> Path | None:
    """The SQLite file of ``engine``; None for memory or URI databases (not remembered)."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _stamp(path: Path) -> str | None:
    """Size, modification time and inode of the file and its WAL, as one line; None
    when the file is missing or was modified just now."""
    parts = []
    for file in (path, Path(f"{path}-wal")):
        try:
            status = file.stat()
        except FileNotFoundError:
            parts.append("-")
            continue
        except OSError:
            return None
        if time.time_ns() - status.st_mtime_ns < _SETTLED_NS:
            return None
        parts.append(f"{status.st_size}:{status.st_mtime_ns}:{status.st_ino}")
    return " ".join(parts) if parts[0] != "-" else None


def _read_marker(marker: Path) -> str | None:
    try:
        return marker.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _write_marker(marker: Path, stamp: str) -> None:
    # A read-only folder keeps no sidecar: the check then runs every time, as it did.
    with contextlib.suppress(OSError):
        marker.write_text(stamp + "\n", encoding="ascii")


def _quick_check(engine: Engine) -> None:
    try:
        with engine.connect() as connection:
            problems = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check")]
    except DatabaseError as error:
        reason = str(error.orig) if error.orig is not None else str(error)
        raise UnusableDatabase(f"{engine.url.database}: {reason}") from error
    if problems != ["ok"]:
        # SQLite heads the list with "*** in database main ***"; the first real line says most.
        lines = [line for problem in problems for line in str(problem).splitlines()]
        found = [line for line in lines if not line.startswith("***")] or lines
        raise UnusableDatabase(
            f"{engine.url.database} is damaged (PRAGMA quick_check: {found[0]}; "
            f"{len(found)} problem{'s' if len(found) != 1 else ''}); restore it from a backup"
        )


def alembic_config(url: str | URL) -> Config:
    """An Alembic configuration for ``url`` using the migrations shipped in the package
    (for ``command.upgrade``, ``command.check`` and friends; no ini file needed)."""
    # Imported here: Alembic costs most of a second to load, and only migrating needs it.
    from alembic.config import Config

    config = Config(stdout=sys.stdout)  # the current stdout, not the one at import time
    config.set_main_option("script_location", MIGRATIONS)
    rendered = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    # ConfigParser interpolation: a literal % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


# Alembic runs migrations through module-level proxies (``alembic.context``), so two
# threads of one process must not migrate at once; the services of `tickerwatch run`
# each open the store from their own thread.
_MIGRATING = threading.Lock()


def upgrade(target: str | URL | Engine, revision: str = "heads") -> None:
    """Migrate the database at ``target`` (a URL, or an engine, which an in-memory
    SQLite database needs) to ``revision``; on an empty database this creates every
    table. The default, ``heads``, applies every branch: packages add their tables on
    branches of their own that later merge. Safe to call from several threads."""
    with _MIGRATING:
        _upgrade(target, revision)


def _upgrade(target: str | URL | Engine, revision: str) -> None:
    from alembic import command

    if not isinstance(target, Engine):
        command.upgrade(alembic_config(target), revision)
        return
    config = alembic_config(target.url)
    with target.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
