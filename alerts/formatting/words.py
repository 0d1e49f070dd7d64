"""The words and colours a change kind is shown with, the same on every platform."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from diffing.model import ChangeKind

KIND_WORDS: Mapping[ChangeKind, str] = MappingProxyType(
    {
        ChangeKind.ADDED: "New",
        ChangeKind.EDITED: "Edited",
        ChangeKind.RETITLED: "Headline changed",
        ChangeKind.RETIMED: "Time corrected",
        ChangeKind.REMOVED: "Deleted",
        ChangeKind.RESTORED: "Restored",
        ChangeKind.PAGE_RETITLED: "Page headline changed",
        ChangeKind.TICKER_HEALTH: "Parse health",
        ChangeKind.COMPETITOR_FIRST: "Competitor first",
        ChangeKind.WE_WERE_FIRST: "We were first",
    }
)
"""How a message names each alerted kind (``PAGED_OUT`` is never alerted)."""

# RGB colours of the side bar (Discord embeds, Mattermost attachments) and the accent
# elsewhere: green for new, amber for edits, red for deletions, so a channel scans by colour.
KIND_COLORS: Mapping[ChangeKind, int] = MappingProxyType(
    {
        ChangeKind.ADDED: 0x2EB67D,
        ChangeKind.EDITED: 0xECB22E,
        ChangeKind.RETITLED: 0x8E5CD9,
        ChangeKind.RETIMED: 0x5A8DEE,
        ChangeKind.REMOVED: 0xE01E5A,
        ChangeKind.RESTORED: 0x36C5F0,
        ChangeKind.PAGE_RETITLED: 0x8E5CD9,
        ChangeKind.TICKER_HEALTH: 0x616061,  # grey: about the reader, not the news
        ChangeKind.COMPETITOR_FIRST: 0xE8912D,  # orange: they have what we don't
        ChangeKind.WE_WERE_FIRST: 0x1D9BD1,  # blue: a lead of ours
    }
)


def hex_color(kind: ChangeKind) -> str:
    """``#rrggbb`` of a kind's colour."""
    return f"#{KIND_COLORS[kind]:06x}"
