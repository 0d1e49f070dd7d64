"""Log lines carry their ticker and poll ids, as text or as JSON."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from tickerwatch.logs import configure
from tickerwatch.settings.logging import LogSettings


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_extra_fields() -> None:
    stream = io.StringIO()
    configure(LogSettings(format="json", level="INFO"), stream)
    logging.getLogger("tickerwatch.scheduler").info(
        "polled %s", "Gipfel", extra={"ticker_id": 7, "poll_id": 42}
    )
    logging.getLogger("tickerwatch.scheduler").debug("not shown")
    (line,) = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["message"] == "polled Gipfel"
    assert (record["ticker_id"], record["poll_id"], record["level"]) == (7, 42, "INFO")
    assert record["time"].endswith("+00:00")


def test_text_lines_append_the_fields() -> None:
    stream = io.StringIO()
    configure(LogSettings(), stream)
    logging.getLogger("x").warning("slow", extra={"ticker_id": 3})
    assert stream.getvalue().rstrip().endswith("x: slow ticker_id=3")


def test_default_handler_follows_stderr_when_it_is_swapped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A test that captured stderr and closed the capture must not leave the root logger
    writing to a closed file (a "Logging error" in whatever logs next)."""
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure(LogSettings())
    first.close()
    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)
    logging.getLogger("tickerwatch.test").warning("still heard")
    # (A handler holding the closed stream would print "--- Logging error ---" here.)
    assert second.getvalue().splitlines()[-1].endswith("tickerwatch.test: still heard")
