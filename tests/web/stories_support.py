"""A desk's stories for the web tests, filed by real story matching.

Hand-made :class:`stories.StoryEntry` values of three tickers (1 "Haus", our own; 2
"Rivale" and 3 "Andere", competitors) go through :func:`stories.place` and the
resulting stories into a story store, as the poll pipeline would file them. The truth:

- the Heizungsgesetz story: Rivale printed 11:50, Haus 11:56 (Berlin): Rivale first by
  6 min printed; first seen Rivale 11:52, Haus 11:59: Rivale by 7 min;
- the Peking story: Haus 10:30, Andere 10:41 (Berlin): Haus first by 11 min on both
  clocks;
- the Erdbeben story: only Rivale has it (what they have that we don't);
- the Bahnstreik story: only Haus has it.

Every entry was first seen before ``tests.web.conftest.FIXED_NOW`` (10:00 UTC), and
story ids follow the order the stories opened: Peking 1, Bahnstreik 2, Erdbeben 3,
Heizungsgesetz 4.
"""

from __future__ import annotations

from datetime import UTC, datetime

from storage.desks import DeskId
from storage.story_store import StoryStore
from stories import DeskState, StoryEntry, place

HAUS, RIVALE, ANDERE = 1, 2, 3


def at(hour: int, minute: int) -> datetime:
    """A time of the morning of 2019-04-25 in UTC (Berlin is UTC+2)."""
    return datetime(2019, 4, 25, hour, minute, tzinfo=UTC)


ENTRIES: tuple[StoryEntry, ...] = (
    StoryEntry(
        HAUS,
        "haus-peking",
        "Kanzler Scholz reist nach Peking zu Gesprächen mit Xi Jinping",
        "Bundeskanzler Olaf Scholz bricht am Morgen zu einer zweitägigen Reise nach Peking "
        "auf, wo er Staatschef Xi Jinping treffen will.",
        first_seen=at(8, 31),
        printed=at(8, 30),
        link="https://haus.example.test/live#peking",
    ),
    StoryEntry(
        ANDERE,
        "andere-peking",
        "Scholz in Peking: Gespräche mit Xi Jinping",
        "Olaf Scholz reist zu Gesprächen mit Xi Jinping nach Peking; der Kanzler will über "
        "Handel und den Krieg in der Ukraine sprechen.",
        first_seen=at(8, 42),
        printed=at(8, 41),
    ),
    StoryEntry(
        HAUS,
        "haus-bahn",
        "Bahnstreik in Bayern beendet",
        "Die Lokführergewerkschaft beendet den Streik im Regionalverkehr in Bayern früher "
        "als angekündigt.",
        first_seen=at(9, 0),
        printed=at(8, 58),
    ),
    StoryEntry(
        RIVALE,
        "rivale-heizung",
        "Bundestag beschließt Heizungsgesetz nach langer Debatte",
        "Der Bundestag hat das umstrittene Heizungsgesetz beschlossen. 399 Abgeordnete "
        "stimmten dafür, 275 dagegen.",
        first_seen=at(9, 52),
        printed=at(9, 50),
        link="javascript:alert('source')",
    ),
    StoryEntry(
        HAUS,
        "haus-heizung",
        "Heizungsgesetz: Bundestag beschließt Novelle nach langer Debatte",
        "Nach langer Debatte hat der Bundestag das Heizungsgesetz beschlossen: 399 Ja-Stimmen, "
        "275 Nein-Stimmen.",
        first_seen=at(9, 59),
        printed=at(9, 56),
        link="https://haus.example.test/live#heizung",
    ),
    StoryEntry(
        RIVALE,
        "rivale-erdbeben",
        "Erdbeben der Stärke 6,1 erschüttert <script>alert(1)</script> Westtürkei",
        "Ein Erdbeben der Stärke 6,1 hat den Westen der Türkei erschüttert; Berichte über "
        "Schäden in Izmir.",
        first_seen=at(9, 20),
        printed=at(9, 18),
    ),
)


def file_stories(
    store: StoryStore, desk: DeskId, entries: tuple[StoryEntry, ...] = ENTRIES
) -> DeskState:
    """File ``entries`` one poll at a time (by first seen) into the desk's stories."""
    state = DeskState()
    for entry in sorted(entries, key=lambda e: e.first_seen):
        state, placements = place(state, [entry], entry.first_seen)
        gone = [p.previous_story_id for p in placements if p.emptied and p.previous_story_id]
        store.apply(desk, state.stories.values(), removed=gone, next_story_id=state.next_story_id)
    return state
