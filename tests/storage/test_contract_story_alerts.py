"""The story alert contract: every adapter (memory, SQLite, PostgreSQL) records a story
alert as one change event with its outbox row and fired keys, and fires each key once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from diffing.model import ChangeKind
from storage import EntryNotFound, InvalidValue, MemoryStore, SqlStore, Store
from storage import create_engine_for as engine_for
from storage.desks import DeskId, DeskMember, DeskStore, NewDesk
from storage.desks_memory import MemoryDeskStore
from storage.desks_sql import SqlDeskStore
from stories import Fired, StoryAlert, StoryAlertKind, StoryEntry
from tests.storage.builders import CREATED, Feed, entry

AT = datetime(2026, 4, 23, 11, 0, tzinfo=UTC)
CF, WF = StoryAlertKind.COMPETITOR_FIRST, StoryAlertKind.WE_WERE_FIRST


@dataclass
class Desk:
    store: Store
    desks: DeskStore
    desk_id: DeskId
    rival: Feed
    own: Feed

    def alert(self, kind: StoryAlertKind = CF, *, story: int = 1, text: str = "R1") -> StoryAlert:
        entry_id = next(k.entry_id for k in self.rival.reference.entries if k.version.text == text)
        theirs = StoryEntry(
            self.rival.ticker_id, entry_id, "Brand", text, first_seen=AT - timedelta(minutes=20)
        )
        ours = None
        if kind is WF:
            ours = StoryEntry(
                self.own.ticker_id, "o1", "Brand", "", first_seen=AT - timedelta(hours=1)
            )
        seen = None if ours is None else 40.0
        return StoryAlert(kind, self.desk_id, story, theirs, ours, seen, seen, 10)


def _desk(store: Store, desks: DeskStore) -> Desk:
    rival = Feed(store, "rival")
    rival.poll(entry("R2", headline="Zweite Meldung"), entry("R1", headline="Brand im Hafen"))
    own = Feed(store, "own")
    members = (DeskMember(own.ticker_id, own=True), DeskMember(rival.ticker_id))
    desk = desks.add(NewDesk("Politik", members=members), created_at=CREATED)
    return Desk(store, desks, desk.id, rival, own)


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def desk(request: pytest.FixtureRequest) -> Iterator[Desk]:
    if request.param == "memory":
        memory = MemoryStore()
        yield _desk(memory, MemoryDeskStore(memory))
        return
    url = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_url")
    store, desks = SqlStore(engine_for(url)), SqlDeskStore(engine_for(url))
    yield _desk(store, desks)
    desks.close()
    store.close()


def _story_events(store: Store) -> list[int]:
    return [c.id for c in store.outbox(limit=1000) if c.kind.about_story]


def test_an_alert_is_a_change_event_of_the_competitors_entry_with_its_outbox_row(
    desk: Desk,
) -> None:
    alert = desk.alert(WF)
    change = desk.store.record_story_alert(alert, detail="Politik: we were first", at=AT)
    assert change is not None
    assert (change.kind, change.ticker_id, change.entry_id) == (
        ChangeKind.WE_WERE_FIRST,
        desk.rival.ticker_id,
        alert.entry_id,
    )
    assert (change.desk_id, change.story_id, change.detail) == (
        desk.desk_id,
        1,
        "Politik: we were first",
    )
    assert (change.lead_seen_minutes, change.lead_printed_minutes) == (40.0, 40.0)
    assert change.observed_at == AT
    assert change.previous is None
    assert change.current is not None
    assert change.current.version.headline == "Brand im Hafen"
    assert _story_events(desk.store) == [change.id]
    assert desk.store.changes_by_ids([change.id]) == {change.id: change}
    assert change.as_json()["story"] == {
        "desk_id": desk.desk_id,
        "story_id": 1,
        "detail": "Politik: we were first",
        "lead_minutes": {"seen": 40.0, "printed": 40.0},
    }
    history = desk.store.entry_history(alert.entry_id)
    assert history.changes[-1] == change
    assert desk.store.story_alerts_fired(desk.desk_id, since=AT) == (
        Fired(1, desk.rival.ticker_id, alert.entry_id, WF),
    )
    assert desk.store.story_alerts_fired(desk.desk_id, since=AT + timedelta(seconds=1)) == ()


def test_a_key_fires_once_of_either_kind_and_once_per_entry(desk: Desk) -> None:
    first = desk.store.record_story_alert(desk.alert(), detail="x", at=AT)
    assert first is not None
    later = AT + timedelta(minutes=5)
    # The same story and ticker (also the other kind, also another of its entries) ...
    assert desk.store.record_story_alert(desk.alert(), detail="x", at=later) is None
    assert desk.store.record_story_alert(desk.alert(WF), detail="x", at=later) is None
    assert desk.store.record_story_alert(desk.alert(text="R2"), detail="x", at=later) is None
    # ... and the same entry moved into another story.
    assert desk.store.record_story_alert(desk.alert(story=2), detail="x", at=later) is None
    assert _story_events(desk.store) == [first.id]
    # Another story with another entry of the ticker fires.
    other = desk.store.record_story_alert(desk.alert(story=2, text="R2"), detail="y", at=later)
    assert other is not None
    assert _story_events(desk.store) == [first.id, other.id]
    assert [f.story_id for f in desk.store.story_alerts_fired(desk.desk_id, since=AT)] == [1, 2]


def test_refusals_write_nothing(desk: Desk) -> None:
    alert = desk.alert()
    gone = replace(alert, competitor=replace(alert.competitor, entry_id="no-such-entry"))
    with pytest.raises(EntryNotFound):
        desk.store.record_story_alert(gone, detail="x", at=AT)
    wrong = replace(alert, competitor=replace(alert.competitor, ticker_id=desk.own.ticker_id))
    with pytest.raises(InvalidValue):
        desk.store.record_story_alert(wrong, detail="x", at=AT)
    with pytest.raises(InvalidValue):
        desk.store.record_story_alert(alert, detail="nul\x00", at=AT)
    with pytest.raises(InvalidValue):
        desk.store.record_story_alert(alert, detail="x", at=AT.replace(tzinfo=None))
    assert _story_events(desk.store) == []
    assert desk.store.story_alerts_fired(desk.desk_id, since=AT - timedelta(days=1)) == ()
    assert desk.store.record_story_alert(alert, detail="x", at=AT) is not None


def test_a_dispatched_alert_still_counts_as_fired(desk: Desk) -> None:
    change = desk.store.record_story_alert(desk.alert(), detail="x", at=AT)
    assert change is not None
    desk.store.mark_dispatched([change.id])
    assert _story_events(desk.store) == []
    assert desk.store.record_story_alert(desk.alert(), detail="x", at=AT) is None


def test_removing_the_competitor_removes_its_alerts(desk: Desk) -> None:
    assert desk.store.record_story_alert(desk.alert(), detail="x", at=AT) is not None
    desk.store.remove(desk.rival.ticker_id)
    assert _story_events(desk.store) == []
    assert desk.store.story_alerts_fired(desk.desk_id, since=AT - timedelta(days=1)) == ()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_two_processes_firing_one_key_at_once_record_it_once(
    request: pytest.FixtureRequest, backend: str
) -> None:
    url = request.getfixturevalue("sqlite_db" if backend == "sqlite" else "pg_url")
    first, desks = SqlStore(engine_for(url)), SqlDeskStore(engine_for(url))
    second = SqlStore(engine_for(url))
    try:
        made = _desk(first, desks)
        alert = made.alert()
        start = threading.Barrier(2)
        results: list[object] = []

        def fire(store: Store) -> None:
            start.wait()
            results.append(store.record_story_alert(alert, detail="x", at=AT))

        threads = [threading.Thread(target=fire, args=(s,)) for s in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(r is None for r in results) == [False, True]
        assert len(_story_events(second)) == 1
        assert len(second.story_alerts_fired(made.desk_id, since=AT)) == 1
    finally:
        second.close()
        desks.close()
        first.close()
