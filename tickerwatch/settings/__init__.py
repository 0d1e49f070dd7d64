"""The one settings object, read once in the composition root and passed down.

Sources, later ones overridden by earlier ones: built-in defaults, an optional
TOML file (``TICKERWATCH_CONFIG`` or ``./tickerwatch.toml``), environment
variables ``TICKERWATCH_<SECTION>__<NAME>`` (for example
``TICKERWATCH_STORAGE__DATABASE_URL``), and finally explicit keyword arguments.

One module per section; every field carries a ``description``, from which
docs/settings.md is generated (``python -m tickerwatch.settings > docs/settings.md``;
a test fails when the file is out of date).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from tickerwatch.settings.alerts import AlertSettings
from tickerwatch.settings.fetch import FetchSettings
from tickerwatch.settings.ingest import IngestSettings
from tickerwatch.settings.logging import LogSettings
from tickerwatch.settings.scheduler import SchedulerSettings
from tickerwatch.settings.storage import StorageSettings, default_data_dir
from tickerwatch.settings.web import WebSettings

__all__ = [
    "AlertSettings",
    "FetchSettings",
    "IngestSettings",
    "LogSettings",
    "SchedulerSettings",
    "Settings",
    "StorageSettings",
    "WebSettings",
    "config_path",
    "default_data_dir",
    "load_settings",
]


def config_path() -> Path:
    """The TOML file settings are read from: ``TICKERWATCH_CONFIG``, else
    ``./tickerwatch.toml`` (a missing file is no error)."""
    return Path(os.environ.get("TICKERWATCH_CONFIG") or "tickerwatch.toml")


class Settings(BaseSettings):
    """All of tickerwatch's settings."""

    model_config = SettingsConfigDict(
        env_prefix="TICKERWATCH_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    ingest: IngestSettings = Field(default_factory=IngestSettings, description="Reading pages.")
    fetch: FetchSettings = Field(
        default_factory=FetchSettings, description="Fetching pages politely."
    )
    storage: StorageSettings = Field(
        default_factory=StorageSettings, description="Where versions are kept."
    )
    scheduler: SchedulerSettings = Field(
        default_factory=SchedulerSettings, description="When tickers are polled."
    )
    alerts: AlertSettings = Field(
        default_factory=AlertSettings, description="Alerts to chat webhooks."
    )
    web: WebSettings = Field(default_factory=WebSettings, description="The web UI and API.")
    log: LogSettings = Field(default_factory=LogSettings, description="What is logged, and how.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_path())
        return (init_settings, env_settings, toml)


def load_settings(**overrides: Any) -> Settings:
    """Read and validate the settings once; raises pydantic.ValidationError with every problem."""
    return Settings(**overrides)
