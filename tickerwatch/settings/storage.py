"""``[storage]``: where versions are kept."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field


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
            "SQLAlchemy URL; for PostgreSQL `postgresql+psycopg://user:password@host/db`."
        ),
        json_schema_extra={
            "default_text": "SQLite at `$XDG_DATA_HOME/tickerwatch/tickerwatch.db` "
            "(`~/.local/share/tickerwatch/tickerwatch.db`)"
        },
    )

    def resolved_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{default_data_dir() / 'tickerwatch.db'}"
