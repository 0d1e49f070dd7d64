"""The one settings object, read once in the composition root and passed down.

Sources, later ones overridden by earlier ones: built-in defaults, an optional
TOML file (``TICKERWATCH_CONFIG`` or ``./tickerwatch.toml``), environment
variables ``TICKERWATCH_<SECTION>__<NAME>`` (for example
``TICKERWATCH_STORAGE__DATABASE_URL``), and finally explicit keyword arguments.
Every setting is documented in docs/settings.md; a test fails when one is not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/tickerwatch``, else ``~/.local/share/tickerwatch``."""
    # The one place the environment is read outside pydantic-settings: XDG is a
    # platform convention, not a tickerwatch setting.
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tickerwatch"


class IngestSettings(BaseModel):
    """How pages are read."""

    max_body_bytes: int = Field(
        default=15 * 1024 * 1024,
        ge=1024,
        le=200 * 1024 * 1024,
        description="Pages larger than this are refused with a clear reason instead of parsed.",
    )
    default_zone: str | None = Field(
        default=None,
        description="IANA zone for clock labels when neither the ticker nor the page names one.",
    )

    @field_validator("default_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value


class StorageSettings(BaseModel):
    """Where versions are kept."""

    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL. Default: SQLite at $XDG_DATA_HOME/tickerwatch/tickerwatch.db "
            "(~/.local/share/tickerwatch/tickerwatch.db). PostgreSQL: "
            "postgresql+psycopg://user:pass@host/db."
        ),
    )

    def resolved_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{default_data_dir() / 'tickerwatch.db'}"


class Settings(BaseSettings):
    """All of tickerwatch's settings."""

    model_config = SettingsConfigDict(
        env_prefix="TICKERWATCH_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    ingest: IngestSettings = Field(default_factory=IngestSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_path = os.environ.get("TICKERWATCH_CONFIG") or "tickerwatch.toml"
        toml = TomlConfigSettingsSource(settings_cls, toml_file=Path(config_path))
        return (init_settings, env_settings, toml)


def load_settings(**overrides: Any) -> Settings:
    """Read and validate the settings once; raises pydantic.ValidationError with every problem."""
    return Settings(**overrides)
