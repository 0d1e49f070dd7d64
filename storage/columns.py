"""What every package's tables are declared with: the shared base and column types.

:class:`StorageTable` owns one :class:`~sqlalchemy.orm.registry` (one ``MetaData`` with
fixed constraint names), so storage's tables (:mod:`storage.tables`) and those of other
packages that keep rows (``alerts.tables``) form one schema for the migrations
(:mod:`storage.schema`) without any package reading another's tables.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, MetaData
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from storage.validate import to_utc


class AwareDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as its UTC instant; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = to_utc(value)
        # SQLite has no zone-aware type: it stores the naive UTC wall time.
        return utc if dialect.name == "postgresql" else utc.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Constraint names fixed by convention, so that both databases and every migration
# agree on them (SQLite's batch migrations recreate tables and need the names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class StorageTable(
    SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))
):
    """Base of every table (abstract: it has no table of its own)."""
