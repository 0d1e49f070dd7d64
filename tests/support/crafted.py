"""A ticker page crafted so that entry discovery fails, and the selectors that read it.

Each update's time is only a bare epoch number printed in an unnamed ``<i>`` (a
number in running text is no time signal to discovery), its headline a ``<b>`` and
its id a ``data-k``: no ``<time>``, no time attribute, no clock label. The selectors below
say where each part is; with them the page reads into :data:`EXPECTED`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.model import EntrySelectors

# 2026-04-23 14:05, 13:40 and 09:15 UTC, newest first.
_UPDATES = (
    ("p3", 1776953100, "Vote passed", "The chamber approved the bill by a wide margin today."),
    ("p2", 1776951600, "Debate opens", "Members began the second reading of the budget bill."),
    ("p1", 1776935700, "Session starts", "The speaker opened the session in the morning."),
)

SELECTORS = EntrySelectors(
    entry="section.x-feed > div.u9",
    time="i",
    headline="b",
    body="div.tx",
    native_id="@data-k",
)

EXPECTED = [
    (datetime.fromtimestamp(ts, UTC), headline, text, key) for key, ts, headline, text in _UPDATES
]


def crafted_page() -> bytes:
    items = "\n".join(
        f'<div class="u9" data-k="{key}"><i hidden>{ts}</i><b>{headline}</b>'
        f'<div class="tx"><p>{text}</p></div></div>'
        for key, ts, headline, text in _UPDATES
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Budget day</title>'
        f'</head><body><h1>Budget day</h1><section class="x-feed">\n{items}\n</section>'
        "</body></html>"
    ).encode()
