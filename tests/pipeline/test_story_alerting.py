"""Story alerts as the ``StoryFiler`` judges them: when a desk is judged, by which
process, and that a key fires once across processes and restarts (memory stores; the
SQL stores run the same in ``tests/alerts/test_story_alerts_live.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from diffing.model import ChangeKind, PollOutcome
from storage import MemoryStore
from storage.desks import DeskId, DeskMember, NewDesk
from storage.desks_memory import MemoryDeskStore
from storage.model import PollId
from storage.story_store_memory import MemoryStoryStore
from tests.storage.builders import CREATED, Feed, entry
from tests.support.filing import at, polled
from tickerwatch.desking import StoryFiler
from tickerwatch.polling import PollReport
from tickerwatch.story_alerting import StoryAlerter

QUAKE_RIVAL = entry(
    "Ein Beben der Stärke 6,8 hat die türkische Stadt Izmir erschüttert.",
    headline="Erdbeben in Izmir: Mindestens zwölf Tote",
)
QUAKE_OWN = entry(
    "Mindestens zwölf Menschen kamen in Izmir ums Leben, das Beben hatte Stärke 6,8.",
    headline="Schweres Erdbeben erschüttert Izmir",
)
TRAIN = entry("Die GDL bestreikt ab Mitternacht den Fernverkehr.", headline="Bahnstreik")


@dataclass
class World:
    store: MemoryStore
    desks: MemoryDeskStore
    stories: MemoryStoryStore
    own: Feed
    rival: Feed
    elsewhere: Feed
    desk: DeskId

    def filer(self) -> StoryFiler:
        """A process's filer: its own states and alerter, the shared stores."""

        def first_seen_of(entry_id: str) -> datetime:
            return self.store.entry_history(entry_id).first_seen

        return StoryFiler(
            self.store,
            self.desks,
            self.stories,
            first_seen_of=first_seen_of,
            alerter=StoryAlerter(self.store),
        )

    def alerts(self) -> list[tuple[ChangeKind, int]]:
        return [(c.kind, c.ticker_id) for c in self.store.outbox(limit=1000) if c.kind.about_story]


@pytest.fixture
def world() -> World:
    store = MemoryStore()
    desks = MemoryDeskStore(store)
    own, rival, elsewhere = Feed(store, "own"), Feed(store, "rival"), Feed(store, "elsewhere")
    members = (DeskMember(own.ticker_id, own=True), DeskMember(rival.ticker_id))
    desk = desks.add(NewDesk("Politik", members=members), created_at=CREATED).id
    return World(store, desks, MemoryStoryStore(desks, store), own, rival, elsewhere, desk)


def unchanged(feed: Feed, minute: float) -> PollReport:
    return PollReport(feed.ticker_id, PollId(2), at(minute), PollOutcome.UNCHANGED)


def test_a_desk_is_judged_at_the_next_poll_of_any_ticker_once_n_minutes_passed(
    world: World,
) -> None:
    filer = world.filer()
    filer.file(polled(world.rival, 0, QUAKE_RIVAL))
    filer.file(unchanged(world.elsewhere, 9))  # a ticker on no desk
    assert world.alerts() == []
    filer.file(unchanged(world.elsewhere, 10))
    assert world.alerts() == [(ChangeKind.COMPETITOR_FIRST, world.rival.ticker_id)]
    filer.file(unchanged(world.elsewhere, 20))
    filer.file(polled(world.own, 21, QUAKE_OWN))  # ours, late
    assert world.alerts() == [(ChangeKind.COMPETITOR_FIRST, world.rival.ticker_id)]


def test_we_were_first_fires_when_the_competitors_entry_is_filed(world: World) -> None:
    filer = world.filer()
    filer.file(polled(world.own, 0, QUAKE_OWN))
    filer.file(polled(world.rival, 4, QUAKE_RIVAL))
    assert world.alerts() == [(ChangeKind.WE_WERE_FIRST, world.rival.ticker_id)]
    (change,) = [c for c in world.store.outbox(limit=10) if c.kind.about_story]
    assert change.detail is not None
    assert change.detail.startswith("Politik: we were first: own 4 min before rival")
    assert (change.desk_id, change.lead_seen_minutes) == (world.desk, 4.0)


def test_a_restart_and_a_second_process_fire_nothing_again(world: World) -> None:
    one, two = world.filer(), world.filer()
    one.file(polled(world.rival, 0, QUAKE_RIVAL))
    one.file(unchanged(world.rival, 10))
    two.file(unchanged(world.elsewhere, 11))  # judges every desk on its first poll
    world.filer().file(unchanged(world.elsewhere, 30))  # a restarted process
    one.file(polled(world.rival, 40, TRAIN, QUAKE_RIVAL))  # a poll twice (a retried turn)
    one.file(polled(world.rival, 40, TRAIN, QUAKE_RIVAL))
    assert world.alerts() == [(ChangeKind.COMPETITOR_FIRST, world.rival.ticker_id)]
    # TRAIN falls due at 50: ``two`` judges it (its minute passed, and ``one`` filed
    # since); ``one``, judging it next, finds the key taken.
    two.file(unchanged(world.elsewhere, 50))
    one.file(unchanged(world.elsewhere, 51))
    assert world.alerts() == [
        (ChangeKind.COMPETITOR_FIRST, world.rival.ticker_id),
        (ChangeKind.COMPETITOR_FIRST, world.rival.ticker_id),  # TRAIN: another story
    ]


def test_a_process_judges_what_another_process_filed_since(world: World) -> None:
    one, two = world.filer(), world.filer()
    one.file(polled(world.rival, 0, QUAKE_RIVAL))
    two.file(polled(world.own, 5, QUAKE_OWN))  # ours, in time, filed by another process
    one.file(unchanged(world.elsewhere, 12))  # ``one`` still holds the desk without it
    assert world.alerts() == []


def test_no_alerts_without_an_alerter_or_an_own_ticker(world: World) -> None:
    plain = StoryFiler(
        world.store,
        world.desks,
        world.stories,
        first_seen_of=lambda e: world.store.entry_history(e).first_seen,
    )
    plain.file(polled(world.rival, 0, QUAKE_RIVAL))
    plain.file(unchanged(world.elsewhere, 30))
    assert world.alerts() == []
    world.desks.update(
        world.desk,
        NewDesk(
            "Politik", members=(DeskMember(world.own.ticker_id), DeskMember(world.rival.ticker_id))
        ),
    )
    world.filer().file(unchanged(world.elsewhere, 31))
    assert world.alerts() == []
