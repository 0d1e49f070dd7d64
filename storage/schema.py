"""The whole database schema as one SQLAlchemy ``MetaData``, for the migrations.

Every package that keeps rows declares its tables in a module named ``tables``
(subclasses of :class:`storage.columns.StorageTable`, so they share one ``MetaData``):
``storage.tables`` and ``alerts.tables``, imported here by name, so a new one is a
visible line. This is the only import from storage into another package (the
architecture test names it as the exception): the migrations own the whole schema.
Alembic's environment and the migration tests compare the migrated database against
:func:`metadata`. Objects the database holds
that no model declares — full-text index tables (``fts_*``) and the job queue's own
schema (``procrastinate_*``) — are left out of that comparison by
:func:`include_object`.
"""

from __future__ import annotations

from sqlalchemy import MetaData

UNMODELLED_PREFIXES = ("fts_", "procrastinate_")


def metadata() -> MetaData:
    """The ``MetaData`` of every declared table."""
    # Imported when asked, so that importing storage does not import alerts; imported
    # for what they declare into StorageTable's MetaData, hence unused by name.
    import alerts.tables  # noqa: F401
    import storage.tables  # noqa: F401
    from storage.columns import StorageTable

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
