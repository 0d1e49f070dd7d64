"""A poll recorded but never filed into stories (the process stopped in between) is
filed when the next process loads the desk (``tickerwatch.desking.StoryFiler``), on the
memory stores and on SQLite through the composition root."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from storage import MemoryStore
from storage.desks import DeskId, DeskMember, DeskStore, NewDesk
from storage.desks_memory import MemoryDeskStore
from storage.ports import Store
from storage.story_store import StoryStore
from storage.story_store_memory import MemoryStoryStore
from tests.storage.builders import CREATED, START, Feed, entry
from tests.support.filing import at, polled
from tickerwatch.bootstrap import open_database
from tickerwatch.desking import StoryFiler

QUAKE_A = entry(
    "Ein Beben der Stärke 6,8 hat die türkische Stadt Izmir erschüttert.",
    headline="Erdbeben in Izmir: Mindestens zwölf Tote",
)
QUAKE_B = entry(
    "Mindestens zwölf Menschen kamen in Izmir ums Leben, das Beben hatte Stärke 6,8.",
    headline="Schweres Erdbeben erschüttert Izmir",
)
TRAIN_A = entry("Die GDL bestreikt ab Mitternacht den Fernverkehr.", headline="Bahnstreik")
TRAIN_B = entry(
    "Ab Mitternacht steht der Fernverkehr still: die GDL streikt.",
    headline="GDL-Streik legt Fernverkehr lahm",
)

QUAKE_TITLE_A, QUAKE_TITLE_B = QUAKE_A.headline, QUAKE_B.headline
TRAIN_TITLE_A, TRAIN_TITLE_B = TRAIN_A.headline, TRAIN_B.headline


@dataclass
class World:
    store: Store
    desks: DeskStore
    stories: StoryStore
    a: Feed
    b: Feed
    desk: DeskId

    def filer(self) -> StoryFiler:
        """A new process's filer: nothing held, the shared stores."""
        store = self.store
        return StoryFiler(
            store,
            self.desks,
            self.stories,
            first_seen_of=lambda entry_id: store.entry_history(entry_id).first_seen,
            recorded=store,
        )

    def stories_told(self) -> list[list[tuple[str, str]]]:
        """Each story as its members' (ticker, headline), sorted."""
        names: dict[int, str] = {self.a.ticker_id: "a", self.b.ticker_id: "b"}
        stories, _ = self.stories.load(self.desk, since=START - timedelta(days=1))
        return sorted(sorted((names[m.ticker_id], m.title) for m in s.members) for s in stories)


def _world(store: Store, desks: DeskStore, stories: StoryStore) -> World:
    a, b = Feed(store, "a"), Feed(store, "b")
    members = (DeskMember(a.ticker_id, own=True), DeskMember(b.ticker_id))
    desk = desks.add(NewDesk("Politik", members=members), created_at=CREATED).id
    return World(store, desks, stories, a, b, desk)


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest) -> Iterator[World]:
    if request.param == "memory":
        store = MemoryStore()
        desks = MemoryDeskStore(store)
        yield _world(store, desks, MemoryStoryStore(desks, store))
        return
    database = open_database(request.getfixturevalue("sqlite_db"))
    try:
        yield _world(database.store(), database.desks(), database.stories())
    finally:
        database.close()


def test_a_poll_left_unfiled_is_filed_by_the_next_process(world: World) -> None:
    before = world.filer()
    before.file(polled(world.a, 0, QUAKE_A))
    before.file(polled(world.b, 5, TRAIN_B))
    polled(world.b, 10, QUAKE_B, TRAIN_B)  # recorded; the process stops before filing
    assert world.stories_told() == [[("a", QUAKE_TITLE_A)], [("b", TRAIN_TITLE_B)]]

    after = world.filer()  # restarted: its first filing into the desk catches up
    after.file(polled(world.a, 20, TRAIN_A, QUAKE_A))
    assert world.stories_told() == [
        [("a", TRAIN_TITLE_A), ("b", TRAIN_TITLE_B)],
        [("a", QUAKE_TITLE_A), ("b", QUAKE_TITLE_B)],
    ]


def test_a_restart_with_everything_filed_writes_nothing(world: World) -> None:
    first = world.filer()
    first.file(polled(world.a, 0, QUAKE_A))
    first.file(polled(world.b, 5, QUAKE_B))
    filed = world.stories.revision(world.desk)
    world.filer().file(polled(world.b, 10, TRAIN_B, QUAKE_B))  # two restarts, each
    world.filer().file(polled(world.a, 20, TRAIN_A, QUAKE_A))  # filing one new entry
    # one apply per restart: the new entry's; the entries filed before are not written again
    assert world.stories.revision(world.desk) == filed + 2
    assert world.stories_told() == [
        [("a", TRAIN_TITLE_A), ("b", TRAIN_TITLE_B)],
        [("a", QUAKE_TITLE_A), ("b", QUAKE_TITLE_B)],
    ]


def test_a_ticker_taken_off_the_desk_is_not_caught_up(world: World) -> None:
    before = world.filer()
    before.file(polled(world.a, 0, QUAKE_A))
    before.file(polled(world.b, 5, TRAIN_B))
    polled(world.b, 10, QUAKE_B, TRAIN_B)  # recorded; the process stops before filing
    only_a = NewDesk("Politik", members=(DeskMember(world.a.ticker_id, own=True),))
    world.desks.update(world.desk, only_a)

    world.filer().file(polled(world.a, 20, TRAIN_A, QUAKE_A))
    assert world.stories_told() == [
        [("a", TRAIN_TITLE_A), ("b", TRAIN_TITLE_B)],  # b's earlier member stays
        [("a", QUAKE_TITLE_A)],  # b's unfiled quake entry is not filed into this desk
    ]


def test_a_ticker_with_nothing_filed_yet_is_caught_up(world: World) -> None:
    world.filer().file(polled(world.a, 0, QUAKE_A))
    polled(world.b, 5, QUAKE_B)  # b's first poll since the desk was made: never filed

    world.filer().file(polled(world.a, 20, TRAIN_A, QUAKE_A))
    assert world.stories_told() == [
        [("a", TRAIN_TITLE_A)],
        [("a", QUAKE_TITLE_A), ("b", QUAKE_TITLE_B)],
    ]


def test_an_entry_filed_in_a_story_older_than_the_window_is_not_filed_again(
    world: World,
) -> None:
    first = world.filer()
    first.file(polled(world.a, 0, QUAKE_A))
    first.file(polled(world.b, 60, QUAKE_B))  # joins the quake story an hour later
    # Half a day later the quake story started before the window: a new process does
    # not load it, yet b's quake entry (recorded within the window) is filed in it.
    world.filer().file(polled(world.b, 12 * 60 + 30, QUAKE_B, TRAIN_B))
    assert world.stories_told() == [
        [("a", QUAKE_TITLE_A), ("b", QUAKE_TITLE_B)],
        [("b", TRAIN_TITLE_B)],
    ]


def test_a_new_desk_compares_what_its_tickers_pages_already_show(world: World) -> None:
    polled(world.a, 0, QUAKE_A)  # before the desk: no desk files these polls
    polled(world.b, 5, QUAKE_B, TRAIN_B)
    members = (DeskMember(world.a.ticker_id, own=True), DeskMember(world.b.ticker_id))
    world.desk = world.desks.add(NewDesk("Neu", members=members), created_at=at(8)).id

    world.filer().file(polled(world.a, 20, TRAIN_A, QUAKE_A))
    assert world.stories_told() == [
        [("a", TRAIN_TITLE_A), ("b", TRAIN_TITLE_B)],
        [("a", QUAKE_TITLE_A), ("b", QUAKE_TITLE_B)],
    ]


def test_a_ticker_added_to_a_held_desk_is_caught_up_at_once(world: World) -> None:
    only_a = NewDesk("Politik", members=(DeskMember(world.a.ticker_id, own=True),))
    world.desks.update(world.desk, only_a)
    filer = world.filer()  # one process throughout: it holds the desk's state
    filer.file(polled(world.a, 0, QUAKE_A))
    filer.file(polled(world.b, 5, QUAKE_B))  # not on the desk yet: not filed into it
    assert world.stories_told() == [[("a", QUAKE_TITLE_A)]]

    both = (DeskMember(world.a.ticker_id, own=True), DeskMember(world.b.ticker_id))
    world.desks.update(world.desk, NewDesk("Politik", members=both))
    filer.file(polled(world.a, 20, TRAIN_A, QUAKE_A))
    assert world.stories_told() == [
        [("a", TRAIN_TITLE_A)],
        [("a", QUAKE_TITLE_A), ("b", QUAKE_TITLE_B)],
    ]
