"""The two real newsticker series as story matching would see them, poll by poll.

The captures are read in place from ``../shared/corpus/series`` (no licence: never
copied into the project); tests using them skip where they are absent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from ingest.parse import parse_page
from stories import StoryEntry

SERIES = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "series"
TICKERS = {"heise-newsticker": 1, "zeit-news": 2}


def polls() -> list[tuple[datetime, list[StoryEntry]]]:
    """(time, entries new or retitled) per capture of both series, in time order."""
    polls: dict[datetime, list[StoryEntry]] = defaultdict(list)
    for name, ticker in TICKERS.items():
        meta = json.loads((SERIES / name / "meta.json").read_text(encoding="utf-8"))
        known: dict[str, StoryEntry] = {}
        for number, snapshot in enumerate(meta["snapshots"]):
            fetched = datetime.fromisoformat(snapshot["fetched_at"])
            page = parse_page(
                (SERIES / name / snapshot["file"]).read_bytes(),
                url=meta["url"],
                observed_at=fetched,
            )
            for entry in page.entries:
                link = entry.native_id or ""
                before = known.get(link)
                if before is not None and before.title == (entry.headline or ""):
                    continue
                story_entry = StoryEntry(
                    ticker_id=ticker,
                    entry_id=link,
                    title=entry.headline or "",
                    text=entry.text,
                    first_seen=before.first_seen if before else fetched,
                    printed=entry.time,
                    link=link,
                )
                known[link] = story_entry
                at = story_entry.when if number == 0 and before is None else fetched
                polls[at].append(story_entry)
    return sorted(polls.items())
