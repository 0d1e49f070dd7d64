"""``[log]``: what the service logs, and how."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class LogSettings(BaseModel):
    """Log level and format of every command."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="The lowest level logged."
    )
    format: Literal["text", "json"] = Field(
        default="text",
        description=(
            "`text` for people, `json` for log collectors: one object per line with "
            "time, level, logger, message and the record's fields (ticker_id, poll_id, ...)."
        ),
    )
