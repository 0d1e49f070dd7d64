"""The story store contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage import InvalidValue, MemoryStore, NewTicker, SqlStore, Store, TickerNotFound
from storage import create_engine_for as engine_for
from storage.desks import DeskId, DeskMember, DeskNotFound, DeskStore, NewDesk
from storage.desks_memory import MemoryDeskStore
from storage.desks_sql import SqlDeskStore
from storage.model import TickerId
from storage.story_store import StoryConflict, StoryNotFound, StoryStore
from storage.story_store_memory import MemoryStoryStore
from storage.story_store_sql import SqlStoryStore
from stories import Story, StoryEntry
from tests.storage.builders import CREATED

T0 = datetime(2026, 4, 23, 10, 0, tzinfo=UTC)
BERLIN_SUMMER = timezone(timedelta(hours=2))


@dataclass
class Stores:
    tickers: Store
    desks: DeskStore
    stories: StoryStore

    def ticker(self, name: str) -> TickerId:
        url = f"https://www.example.test/live/{name}"
        return self.tickers.add(NewTicker(url, name), created_at=CREATED).id

    def desk(self, name: str, *tickers: TickerId) -> DeskId:
        members = tuple(DeskMember(t) for t in tickers)
        return self.desks.add(NewDesk(name, members=members), created_at=CREATED).id


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def stores(request: pytest.FixtureRequest) -> Iterator[Stores]:
    if request.param == "memory":
        memory = MemoryStore()
        desks = MemoryDeskStore(memory)
        yield Stores(memory, desks, MemoryStoryStore(desks, memory))
        return
    url = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_url")
    made = Stores(
        SqlStore(engine_for(url)), SqlDeskStore(engine_for(url)), SqlStoryStore(engine_for(url))
    )
    yield made
    made.stories.close()
    made.desks.close()
    made.tickers.close()


def member(
    ticker: TickerId, entry_id: str, minutes: int, *, printed: int | None = None, title: str = ""
) -> StoryEntry:
    return StoryEntry(
        ticker_id=ticker,
        entry_id=entry_id,
        title=title or f"Titel {entry_id}",
        text=f"Text von {entry_id}",
        first_seen=T0 + timedelta(minutes=minutes),
        printed=None
        if printed is None
        else (T0 + timedelta(minutes=printed)).astimezone(BERLIN_SUMMER),
        link=f"https://www.example.test/e/{entry_id}" if printed is not None else None,
    )


def test_a_story_round_trips_with_its_times(stores: Stores) -> None:
    a, b = stores.ticker("a"), stores.ticker("b")
    desk = stores.desk("Politik", a, b)
    story = Story(1, (member(b, "b1", 5, printed=3), member(a, "a1", 7)))
    assert stores.stories.revision(desk) == 0
    assert stores.stories.apply(desk, [story], next_story_id=2) == 1
    got = stores.stories.get(desk, 1)
    assert got == story
    assert got.members[0].printed is not None
    assert got.members[0].printed.utcoffset() == timedelta(hours=2)
    assert got.members[1].first_seen.utcoffset() == timedelta(0)
    assert stores.stories.load(desk, since=T0) == ((story,), 2)
    assert stores.stories.revision(desk) == 1


def test_a_desk_without_stories(stores: Stores) -> None:
    desk = stores.desk("Leer", stores.ticker("a"))
    assert stores.stories.load(desk, since=T0) == ((), 1)
    assert stores.stories.recent(desk) == ()
    with pytest.raises(StoryNotFound):
        stores.stories.get(desk, 1)


def test_apply_replaces_by_id_and_is_idempotent(stores: Stores) -> None:
    a, b = stores.ticker("a"), stores.ticker("b")
    desk = stores.desk("D", a, b)
    first = Story(1, (member(a, "a1", 0),))
    stores.stories.apply(desk, [first], next_story_id=2)
    grown = Story(1, (member(a, "a1", 0), member(b, "b1", 4)))
    stores.stories.apply(desk, [grown], next_story_id=2)
    stores.stories.apply(desk, [grown], next_story_id=2)
    assert stores.stories.load(desk, since=T0 - timedelta(hours=1)) == ((grown,), 2)
    shrunk = Story(1, (member(b, "b1", 4, title="neu"),))
    stores.stories.apply(desk, [shrunk], next_story_id=2)
    assert stores.stories.get(desk, 1) == shrunk


def test_removed_stories_go_and_the_next_id_never_goes_down(stores: Stores) -> None:
    a = stores.ticker("a")
    desk = stores.desk("D", a)
    stores.stories.apply(
        desk, [Story(1, (member(a, "a1", 0),)), Story(2, (member(a, "a2", 9),))], next_story_id=3
    )
    stores.stories.apply(desk, [], removed=[2], next_story_id=3)
    stores.stories.apply(desk, [], next_story_id=1)
    stories, next_id = stores.stories.load(desk, since=T0)
    assert [s.id for s in stories] == [1]
    assert next_id == 3


def test_load_gives_stories_since_oldest_first(stores: Stores) -> None:
    a = stores.ticker("a")
    desk = stores.desk("D", a)
    old, mid, new = (Story(i, (member(a, f"a{i}", m),)) for i, m in ((3, 0), (1, 60), (2, 120)))
    stores.stories.apply(desk, [new, old, mid], next_story_id=4)
    got, _ = stores.stories.load(desk, since=T0 + timedelta(minutes=60))
    assert got == (mid, new)


def test_filed_finds_members_in_stories_of_any_age(stores: Stores) -> None:
    a, b = stores.ticker("a"), stores.ticker("b")
    desk, other = stores.desk("D", a, b), stores.desk("E", a, b)
    old = Story(1, (member(a, "a1", 0), member(b, "b1", 30, printed=28)))
    new = Story(2, (member(a, "a2", 24 * 60),))
    stores.stories.apply(desk, [old, new], next_story_id=3)
    stores.stories.apply(other, [Story(1, (member(b, "b9", 5),))], next_story_id=2)
    keys = [(a, "a1"), (b, "b1"), (a, "a2"), (b, "b9"), (a, "nowhere")]
    assert stores.stories.filed(desk, keys) == {
        (a, "a1"): old.members[0],
        (b, "b1"): old.members[1],
        (a, "a2"): new.members[0],
    }
    assert stores.stories.filed(desk, []) == {}
    many = [(a, f"x{n}") for n in range(1_200)] + [(b, "b1")]  # more than one query's worth
    assert stores.stories.filed(desk, many) == {(b, "b1"): old.members[1]}
    with pytest.raises(DeskNotFound):
        stores.stories.filed(DeskId(9_999), keys)


def test_recent_is_newest_first_filtered_and_paged(stores: Stores) -> None:
    a, b = stores.ticker("a"), stores.ticker("b")
    desk = stores.desk("D", a, b)
    s1 = Story(1, (member(a, "a1", 0), member(b, "b1", 2)))
    s2 = Story(2, (member(a, "a2", 30),))
    s3 = Story(3, (member(b, "b3", 60), member(a, "a3", 61)))
    s4 = Story(4, (member(b, "b4", 60),))
    stores.stories.apply(desk, [s1, s2, s3, s4], next_story_id=5)
    assert stores.stories.recent(desk) == (s4, s3, s2, s1)
    assert stores.stories.recent(desk, min_tickers=2) == (s3, s1)
    assert stores.stories.recent(desk, limit=2, offset=1) == (s3, s2)
    window = stores.stories.recent(
        desk, since=T0 + timedelta(minutes=30), until=T0 + timedelta(minutes=60)
    )
    assert window == (s2,)
    with pytest.raises(InvalidValue):
        stores.stories.recent(desk, limit=-1)


def test_desks_keep_their_own_stories_and_ids(stores: Stores) -> None:
    a = stores.ticker("a")
    one, two = stores.desk("Eins", a), stores.desk("Zwei", a)
    stores.stories.apply(one, [Story(1, (member(a, "a1", 0),))], next_story_id=2)
    stores.stories.apply(two, [Story(1, (member(a, "a1", 0, title="anders"),))], next_story_id=2)
    assert stores.stories.get(one, 1).members[0].title == "Titel a1"
    assert stores.stories.get(two, 1).members[0].title == "anders"
    assert stores.stories.revision(one) == 1


def test_a_stale_revision_conflicts_and_writes_nothing(stores: Stores) -> None:
    a, b = stores.ticker("a"), stores.ticker("b")
    desk = stores.desk("D", a, b)
    at = stores.stories.revision(desk)
    stores.stories.apply(desk, [Story(1, (member(a, "a1", 0),))], next_story_id=2, if_revision=at)
    with pytest.raises(StoryConflict):
        stores.stories.apply(
            desk, [Story(1, (member(b, "b1", 0),))], next_story_id=2, if_revision=at
        )
    assert stores.stories.get(desk, 1).members[0].entry_id == "a1"
    assert stores.stories.revision(desk) == at + 1


def test_bad_stories_are_refused_whole(stores: Stores) -> None:
    a = stores.ticker("a")
    desk = stores.desk("D", a)
    good = Story(1, (member(a, "a1", 0),))
    with pytest.raises(InvalidValue):
        stores.stories.apply(desk, [good, Story(2, ())], next_story_id=3)
    with pytest.raises(InvalidValue):
        stores.stories.apply(desk, [Story(2, (member(a, "x\x00", 0),))], next_story_id=3)
    with pytest.raises(TickerNotFound):
        stores.stories.apply(
            desk, [good, Story(2, (member(TickerId(999), "z", 0),))], next_story_id=3
        )
    assert stores.stories.load(desk, since=T0) == ((), 1)
    assert stores.stories.revision(desk) == 0


def test_unknown_desks_raise(stores: Stores) -> None:
    nowhere = DeskId(4242)
    with pytest.raises(DeskNotFound):
        stores.stories.load(nowhere, since=T0)
    with pytest.raises(DeskNotFound):
        stores.stories.apply(nowhere, [], next_story_id=1)
    with pytest.raises(DeskNotFound):
        stores.stories.recent(nowhere)
    with pytest.raises(DeskNotFound):
        stores.stories.revision(nowhere)


def test_removing_a_ticker_takes_its_members_out(stores: Stores) -> None:
    a, b = stores.ticker("a"), stores.ticker("b")
    desk = stores.desk("D", a, b)
    both = Story(1, (member(a, "a1", 0), member(b, "b1", 1)))
    only_b = Story(2, (member(b, "b2", 5),))
    stores.stories.apply(desk, [both, only_b], next_story_id=3)
    stores.tickers.remove(b)
    assert stores.stories.get(desk, 1) == Story(1, (member(a, "a1", 0),))
    with pytest.raises(StoryNotFound):
        stores.stories.get(desk, 2)
    assert stores.stories.recent(desk) == (Story(1, (member(a, "a1", 0),)),)
    assert stores.stories.recent(desk, min_tickers=2) == ()


def test_removing_a_desk_removes_its_stories(stores: Stores) -> None:
    a = stores.ticker("a")
    desk = stores.desk("D", a)
    stores.stories.apply(desk, [Story(1, (member(a, "a1", 0),))], next_story_id=2)
    stores.desks.remove(desk)
    with pytest.raises(DeskNotFound):
        stores.stories.get(desk, 1)


def test_a_merged_story_answers_with_the_story_it_went_into(stores: Stores) -> None:
    a, b = stores.ticker("a"), stores.ticker("b")
    desk = stores.desk("D", a, b)
    older, newer = Story(1, (member(a, "a1", 0),)), Story(2, (member(b, "b1", 9),))
    stores.stories.apply(desk, [older, newer], next_story_id=3)
    joined = Story(1, (member(a, "a1", 0), member(b, "b1", 9)))
    stores.stories.apply(desk, [joined], merged={2: 1}, next_story_id=3)
    assert stores.stories.get(desk, 2) == joined
    assert stores.stories.load(desk, since=T0) == ((joined,), 3)
    assert [s.id for s in stories_of(stores, desk)] == [1]
    # Merged on again: the first merged id follows both steps.
    third = Story(3, (member(a, "a3", 20),))
    stores.stories.apply(desk, [third], next_story_id=4)
    whole = Story(3, (member(a, "a3", 20), member(a, "a1", 0), member(b, "b1", 9)))
    stores.stories.apply(desk, [whole], merged={1: 3}, next_story_id=4)
    assert stores.stories.get(desk, 2) == whole
    assert stores.stories.get(desk, 1) == whole


def test_a_story_is_not_merged_into_itself(stores: Stores) -> None:
    a = stores.ticker("a")
    desk = stores.desk("D", a)
    stores.stories.apply(desk, [Story(1, (member(a, "a1", 0),))], next_story_id=2)
    with pytest.raises(InvalidValue):
        stores.stories.apply(desk, [], merged={1: 1}, next_story_id=2)
    assert stores.stories.get(desk, 1).id == 1


def stories_of(stores: Stores, desk: DeskId) -> tuple[Story, ...]:
    return stores.stories.recent(desk, since=T0 - timedelta(hours=1))
