"""The whole database schema as one SQLAlchemy ``MetaData``, for the migrations.

Every package that keeps rows declares its tables in a module named ``tables``
(subclasses of :class:`storage.tables.StorageTable`, so they share one ``MetaData``).
:func:`metadata` imports each of those that exists; Alembic's environment and the
migration tests compare the migrated database against it. Objects the database holds
that no model declares — full-text index tables (``fts_*``) and the job queue's own
schema (``procrastinate_*``) — are left out of that comparison by
:func:`include_object`.
"""

from __future__ import annotations

import importlib
import importlib.util

from sqlalchemy import MetaData

TABLE_MODULES = ("storage.tables", "scheduler.tables", "alerts.tables", "web.tables")
UNMODELLED_PREFIXES = ("fts_", "procrastinate_")


def metadata() -> MetaData:
    """The ``MetaData`` of every declared table."""
    from storage.tables import StorageTable

    for name in TABLE_MODULES:
        package = name.split(".")[0]
        if importlib.util.find_spec(package) and importlib.util.find_spec(name):
            importlib.import_module(name)
    return StorageTable.metadata


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: compare everything but the unmodelled tables (and their indexes)."""
    table = getattr(obj, "table", None)
    owner = (
        getattr(table, "name", None) if type_ in ("index", "column", "unique_constraint") else name
    )
    return not (owner or "").startswith(UNMODELLED_PREFIXES)
