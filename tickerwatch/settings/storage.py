"""``[storage]``: where versions are kept."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

_RIGHT_FORMS = (
    "sqlite:////absolute/path/tickerwatch.db or postgresql+psycopg://user:password@host/db"
)


def check_database_url(value: str) -> str:
    """``value`` when it is a URL tickerwatch can keep its archive at, else ``ValueError``
    with one line naming the right form. A SQLite file (not ``sqlite://``, which is in
    memory and would be gone at exit) or PostgreSQL through psycopg 3."""
    # Imported here: a command that never opens the database need not load SQLAlchemy.
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(value)
    except ArgumentError:
        raise ValueError(f"not a database URL: {value!r} (use {_RIGHT_FORMS})") from None
    if url.drivername == "postgres":
        # SQLAlchemy dropped the "postgres" alias that Heroku-style URLs use.
        raise ValueError("postgres:// is not a SQLAlchemy URL: write postgresql+psycopg://")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        database = url.database or ""
        if not database or database == ":memory:" or database.startswith("file::memory:"):
            raise ValueError(
                "sqlite:// is an in-memory database, lost at exit: "
                "give a file, sqlite:////absolute/path/tickerwatch.db"
            )
        return value
    if url.drivername in ("postgresql", "postgresql+psycopg"):
        if not url.host and not url.query.get("host"):
            raise ValueError(f"the PostgreSQL URL names no host (use {_RIGHT_FORMS})")
        return value
    raise ValueError(f"unsupported database {url.drivername!r} (use {_RIGHT_FORMS})")


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/tickerwatch``, else ``~/.local/share/tickerwatch``."""
    # The one place the environment is read outside pydantic-settings: XDG is a
    # platform convention, not a tickerwatch setting.
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tickerwatch"


class StorageSettings(BaseModel):
    """Where versions are kept."""

    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL: a SQLite file `sqlite:////absolute/path/tickerwatch.db` "
            "(its folder must exist) or PostgreSQL `postgresql+psycopg://user:password@host/db`."
        ),
        json_schema_extra={
            "default_text": "SQLite at `$XDG_DATA_HOME/tickerwatch/tickerwatch.db` "
            "(`~/.local/share/tickerwatch/tickerwatch.db`)"
        },
    )

    busy_timeout_s: float = Field(
        default=10.0,
        ge=0.05,
        le=600.0,
        description=(
            "SQLite: how long a command waits for another process's write (a poll of a "
            "large page) before it asks again; after three waits it gives up with "
            '"the database is busy". PostgreSQL does not need it.'
        ),
    )

    @field_validator("database_url")
    @classmethod
    def _known_form(cls, value: str | None) -> str | None:
        return None if value is None else check_database_url(value)

    def busy_timeout_ms(self) -> int:
        """``busy_timeout_s`` as ``storage.create_engine_for`` takes it."""
        return round(self.busy_timeout_s * 1000)

    def resolved_url(self) -> str:
        """The configured URL, else the default SQLite file, whose folder is created
        here (a configured SQLite file's folder must exist already)."""
        if self.database_url:
            return self.database_url
        folder = default_data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'tickerwatch.db'}"
