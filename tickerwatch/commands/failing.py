"""How a command reports a failure it can name: one line on stderr, and an exit code."""

from __future__ import annotations

import sys


def fail(message: str, code: int = 1) -> int:
    """Print ``tickerwatch: message`` on stderr; ``code`` (1 unless given), to return."""
    print(f"tickerwatch: {message}", file=sys.stderr)
    return code
