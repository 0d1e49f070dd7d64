"""``[ingest]``: how pages are read."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator


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
