"""Logging set up once per process, as text for people or JSON lines for collectors.

Code logs with ``extra={"ticker_id": ..., "poll_id": ...}``; both formats show those
fields, so every line about a poll can be traced to its ticker and its stored poll.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from tickerwatch.settings.logging import LogSettings

# Attributes every LogRecord has; anything else came in through ``extra``.
# Attributes every record has, and uvicorn's terminal-colour copy of its message.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",
}


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    """The ``extra`` fields of a record."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **fields_of(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger: message key=value ...``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = " ".join(f"{k}={v}" for k, v in fields_of(record).items())
        return f"{text} {extra}" if extra else text


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a record comes, not to the stream it
    was at set-up: code that swaps stderr for a while (a test capturing it, then closing
    the capture) must not leave the root logger writing to a closed file."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # always the current stderr


def configure(settings: LogSettings, stream: TextIO | None = None) -> None:
    """Route the root logger to ``stream`` (default: the current stderr, whichever it
    is when a line is written) in the configured format and level."""
    handler = logging.StreamHandler(stream) if stream is not None else StderrHandler()
    handler.setFormatter(JsonFormatter() if settings.format == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level)
    # Per-request lines of the HTTP client, the job lines of both scheduling engines and
    # the migration steps every command checks on start would drown the lines that matter.
    for chatty in ("httpx", "apscheduler", "procrastinate", "uvicorn.access", "alembic"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
