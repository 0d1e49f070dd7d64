"""A deterministic live-ticker page of any number of entries, for the large-page tests
and ``bench/bench_bigpage.py``.

Each update is a paragraph led by its clock label (``<p><strong>14:05</strong> …</p>``,
the paragraphs layout), newest first, one minute apart, so the labels roll back over
the days: about 45 bytes an entry, 200,000 entries make a page of about 9 MB (the size
of the hostile page of issue 12), under the default body cap. ``edition`` moves the
ticker on: each edition adds ``fresh`` entries at the top and edits one entry in a
hundred of the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

NEWEST = datetime(2026, 4, 23, 12, 0, tzinfo=UTC)
"""When the newest entry of edition 0 was posted; fetch the page a little after it."""
_WORDS = ("vote", "storm", "rally", "court", "bridge", "market", "train", "summit", "fire")


def _text(n: int, edition: int) -> str:
    edited = edition > 0 and n % 100 == 7
    words = f"{_WORDS[n % len(_WORDS)]} {_WORDS[n // len(_WORDS) % len(_WORDS)]}"
    return f"{n} {words}{' updated' if edited else ''}"


def big_page(entries: int, *, edition: int = 0, fresh: int = 10) -> bytes:
    """The page of ``entries`` updates, plus ``fresh`` new ones per ``edition``."""
    total = entries + edition * fresh
    newest = NEWEST + timedelta(minutes=edition * fresh)
    items = [
        f"<p><strong>{newest - timedelta(minutes=total - 1 - n):%H:%M}</strong> "
        f"{_text(n, edition)}</p>"
        for n in range(total - 1, -1, -1)
    ]
    return (
        '<html lang="en"><head><title>Live</title></head><body><h1>Live</h1>'
        f'<div class="content">{"".join(items)}</div></body></html>'
    ).encode()
