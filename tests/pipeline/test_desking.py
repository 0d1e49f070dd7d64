"""Filing polls into the stories of their desks (``tickerwatch.desking.StoryFiler``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from diffing.model import Change, ChangeKind, EntryVersion, PollOutcome
from storage import MemoryStore, NewTicker
from storage.desks import DeskId, DeskMember, DeskTag, NewDesk
from storage.desks_memory import MemoryDeskStore
from storage.model import PollId, TickerId
from storage.story_store_memory import MemoryStoryStore
from stories import PlacementKind
from tests.storage.builders import CREATED
from tickerwatch.desking import StoryFiler
from tickerwatch.polling import PollReport
from tickerwatch.story_entries import entry_link

T0 = datetime(2026, 4, 23, 8, 0, tzinfo=UTC)
STORED_FIRST_SEEN = T0 - timedelta(hours=1)


@dataclass
class World:
    tickers: MemoryStore
    desks: MemoryDeskStore
    stories: MemoryStoryStore
    asked: list[str]

    def filer(self) -> StoryFiler:
        """A process's filer: its own states, the shared stores."""

        def first_seen_of(entry_id: str) -> datetime:
            self.asked.append(entry_id)
            return STORED_FIRST_SEEN

        return StoryFiler(self.tickers, self.desks, self.stories, first_seen_of=first_seen_of)

    def ticker(self, name: str, *tags: str) -> TickerId:
        url = f"https://www.example.test/live/{name}"
        return self.tickers.add(NewTicker(url, name, tags=tags), created_at=CREATED).id


@pytest.fixture
def world() -> World:
    tickers = MemoryStore()
    desks = MemoryDeskStore(tickers)
    return World(tickers, desks, MemoryStoryStore(desks, tickers), [])


def change(kind: ChangeKind, entry_id: str, headline: str, text: str, minute: int) -> Change:
    version = EntryVersion(
        text=text,
        headline=headline,
        time=T0 + timedelta(minutes=minute),
        native_id=f"https://www.example.test/a/{entry_id}",
    )
    return Change(kind=kind, entry_id=entry_id, current=version)


def report(ticker: TickerId, minute: int, *changes: Change, poll: int = 1) -> PollReport:
    return PollReport(
        ticker_id=ticker,
        poll_id=PollId(poll),
        started_at=T0 + timedelta(minutes=minute),
        outcome=PollOutcome.FRESH,
        changes=changes,
    )


QUAKE_A = (
    "Erdbeben in Izmir: Mindestens zwölf Tote",
    "Ein Beben der Stärke 6,8 erschüttert Izmir.",
)
QUAKE_B = (
    "Schweres Erdbeben erschüttert Izmir",
    "Mindestens zwölf Menschen kamen in Izmir ums Leben, Stärke 6,8.",
)
TRAIN = ("Bahnstreik legt Fernverkehr lahm", "Die GDL bestreikt ab Mitternacht den Fernverkehr.")


def _desk(world: World, *members: TickerId, tags: tuple[str, ...] = ()) -> DeskId:
    desk = NewDesk(
        "Politik",
        members=tuple(DeskMember(m) for m in members),
        tags=tuple(DeskTag(t) for t in tags),
    )
    return world.desks.add(desk, created_at=CREATED).id


def test_new_entries_of_two_tickers_form_one_story(world: World) -> None:
    a, b = world.ticker("a"), world.ticker("b", "inland")
    desk = _desk(world, a, tags=("inland",))  # b comes in by its tag
    filer = world.filer()
    filer.file(report(a, 5, change(ChangeKind.ADDED, "a1", *QUAKE_A, 3)))
    placed = filer.file(report(b, 9, change(ChangeKind.ADDED, "b1", *QUAKE_B, 6)))
    assert [p.kind for p in placed[desk]] == [PlacementKind.JOINED]
    (story,) = world.stories.recent(desk, min_tickers=2)
    assert [(m.ticker_id, m.entry_id) for m in story.members] == [(a, "a1"), (b, "b1")]
    first = story.members[0]
    assert first.first_seen == T0 + timedelta(minutes=5)
    assert first.printed == T0 + timedelta(minutes=3)
    assert first.link == "https://www.example.test/a/a1"


def test_filing_a_poll_twice_stores_each_member_once(world: World) -> None:
    a, b = world.ticker("a"), world.ticker("b")
    desk = _desk(world, a, b)
    filer = world.filer()
    poll = report(a, 5, change(ChangeKind.ADDED, "a1", *QUAKE_A, 3))
    filer.file(poll)
    filer.file(poll)
    world.filer().file(poll)  # another process, restored from the store
    stories, next_id = world.stories.load(desk, since=T0 - timedelta(days=1))
    assert [[m.entry_id for m in s.members] for s in stories] == [["a1"]]
    assert next_id == 2


def test_a_second_process_sees_what_the_first_filed(world: World) -> None:
    a, b, c = world.ticker("a"), world.ticker("b"), world.ticker("c")
    desk = _desk(world, a, b, c)
    one, two = world.filer(), world.filer()
    two.file(report(c, 1, change(ChangeKind.ADDED, "c1", *TRAIN, 0)))
    one.file(report(a, 5, change(ChangeKind.ADDED, "a1", *QUAKE_A, 3)))
    # ``two`` holds the desk as it applied it, before ``one`` filed: its apply is
    # refused, it loads the desk again and files b1 beside a1.
    two.file(report(b, 9, change(ChangeKind.ADDED, "b1", *QUAKE_B, 6)))
    stories = world.stories.recent(desk)
    members = sorted((s.id, m.entry_id) for s in stories for m in s.members)
    assert members == [(1, "c1"), (2, "a1"), (2, "b1")]
    assert world.stories.load(desk, since=T0 - timedelta(days=1))[1] == 3


def test_an_edit_keeps_its_story_and_first_seen(world: World) -> None:
    a, b = world.ticker("a"), world.ticker("b")
    desk = _desk(world, a, b)
    world.filer().file(report(a, 5, change(ChangeKind.ADDED, "a1", *QUAKE_A, 3)))
    world.filer().file(report(b, 9, change(ChangeKind.ADDED, "b1", *QUAKE_B, 6)))
    filer = world.filer()  # a restarted process
    title, text = QUAKE_A
    placed = filer.file(
        report(a, 30, change(ChangeKind.EDITED, "a1", title, text + " Es gibt Nachbeben.", 3))
    )
    assert [p.kind for p in placed[desk]] == [PlacementKind.KEPT]
    assert world.asked == []  # first_seen came from the restored state
    story = world.stories.get(desk, 1)
    edited = next(m for m in story.members if m.entry_id == "a1")
    assert edited.text.endswith("Nachbeben.")
    assert edited.first_seen == T0 + timedelta(minutes=5)
    assert len(story.members) == 2


def test_an_edit_the_desk_never_saw_takes_its_stored_first_seen(world: World) -> None:
    a = world.ticker("a")
    desk = _desk(world, a)
    world.filer().file(report(a, 5, change(ChangeKind.RETITLED, "old", *TRAIN, -30)))
    assert world.asked == ["old"]
    (story,) = world.stories.recent(desk)
    assert story.members[0].first_seen == STORED_FIRST_SEEN


def test_what_is_not_filed(world: World) -> None:
    a, elsewhere = world.ticker("a"), world.ticker("b")
    desk = _desk(world, a)
    filer = world.filer()
    assert filer.file(report(elsewhere, 5, change(ChangeKind.ADDED, "b1", *QUAKE_B, 3))) == {}
    unchanged = PollReport(
        ticker_id=a, poll_id=PollId(2), started_at=T0, outcome=PollOutcome.UNCHANGED
    )
    assert filer.file(unchanged) == {}
    removed = Change(kind=ChangeKind.REMOVED, entry_id="a9", current=None)
    assert filer.file(report(a, 5, removed)) == {}
    assert world.stories.recent(desk) == ()


def test_an_entry_link_is_a_web_address_only() -> None:
    assert entry_link("https://www.example.test/a/1") == "https://www.example.test/a/1"
    assert entry_link("post-17") is None
    assert entry_link(None) is None


def test_a_merge_is_stored_and_the_merged_id_points_to_the_older_story(world: World) -> None:
    a, b, c = world.ticker("a"), world.ticker("b"), world.ticker("c")
    desk = _desk(world, a, b, c)
    filer = world.filer()
    filer.file(report(a, 1, change(ChangeKind.ADDED, "a1", STORM, "", 0)))
    filer.file(report(b, 10, change(ChangeKind.ADDED, "b1", BREACH, "", 9)))
    placed = filer.file(report(c, 21, change(ChangeKind.ADDED, "c1", BOTH, "", 20)))
    assert PlacementKind.MERGED in {p.kind for p in placed[desk]}
    (story,) = world.stories.recent(desk)
    assert story.id == 1
    assert {m.entry_id for m in story.members} == {"a1", "b1", "c1"}
    assert world.stories.get(desk, 2) == story
    # Another process starts from the store and carries on with the merged story.
    assert world.filer().file(report(c, 30, change(ChangeKind.EDITED, "c1", BOTH, "", 20)))


STORM = "Sturmtief Nadia richtet schwere Schäden in Husum an"
BREACH = "Deich gebrochen: Bahnstrecke nach Sylt gesperrt"
BOTH = "Sturmtief Nadia wütet in Husum: Deich gebrochen, Bahnstrecke gesperrt"
