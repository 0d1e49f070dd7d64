"""The desk store contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from storage import InvalidValue, MemoryStore, NewTicker, SqlStore, Store, TickerNotFound
from storage import create_engine_for as engine_for
from storage.desks import (
    DEFAULT_LEAD_MINUTES,
    DEFAULT_WINDOW_MINUTES,
    DeskId,
    DeskMember,
    DeskNotFound,
    DeskStore,
    DeskTag,
    DuplicateDesk,
    NewDesk,
    desk_tickers,
)
from storage.desks_memory import MemoryDeskStore
from storage.desks_sql import SqlDeskStore
from storage.model import TickerId
from tests.storage.builders import CREATED


@dataclass
class Stores:
    tickers: Store
    desks: DeskStore

    def ticker(self, name: str, *tags: str) -> TickerId:
        url = f"https://www.example.test/live/{name}"
        return self.tickers.add(NewTicker(url, name, tags=tags), created_at=CREATED).id


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
        yield Stores(memory, MemoryDeskStore(memory))
        return
    url = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_url")
    tickers, desks = SqlStore(engine_for(url)), SqlDeskStore(engine_for(url))
    yield Stores(tickers, desks)
    desks.close()
    tickers.close()


def test_a_desk_round_trips(stores: Stores) -> None:
    own, a, b = stores.ticker("own"), stores.ticker("a"), stores.ticker("b")
    at = datetime(2026, 4, 1, 14, tzinfo=timezone(timedelta(hours=2)))
    desk = stores.desks.add(
        NewDesk(
            "Politik",
            members=(DeskMember(own, own=True), DeskMember(b), DeskMember(a)),
            tags=(DeskTag("inland"), DeskTag("haus", own=True)),
            window_minutes=240,
            lead_minutes=5,
        ),
        created_at=at,
    )
    assert desk.name == "Politik"
    assert desk.members == (DeskMember(own, True), DeskMember(b, False), DeskMember(a, False))
    assert desk.tags == (DeskTag("inland", False), DeskTag("haus", True))
    assert (desk.window_minutes, desk.lead_minutes) == (240, 5)
    assert desk.created_at == at
    assert desk.created_at.utcoffset() == timedelta(0)
    assert stores.desks.get(desk.id) == desk
    assert stores.desks.named(" Politik ") == desk
    assert stores.desks.list() == (desk,)


def test_settings_default_to_six_hours_and_ten_minutes(stores: Stores) -> None:
    desk = stores.desks.add(NewDesk("D", (DeskMember(stores.ticker("a")),)), created_at=CREATED)
    assert (desk.window_minutes, desk.lead_minutes) == (360, 10)
    assert (DEFAULT_WINDOW_MINUTES, DEFAULT_LEAD_MINUTES) == (360, 10)


def test_desks_are_listed_in_the_order_added(stores: Stores) -> None:
    a = stores.ticker("a")
    names = ["Sport", "Politik", "Wirtschaft"]
    for name in names:
        stores.desks.add(NewDesk(name, (DeskMember(a),)), created_at=CREATED)
    assert [d.name for d in stores.desks.list()] == names


def test_a_name_is_taken_once(stores: Stores) -> None:
    a = stores.ticker("a")
    first = stores.desks.add(NewDesk("Politik", (DeskMember(a),)), created_at=CREATED)
    other = stores.desks.add(NewDesk("Sport", (DeskMember(a),)), created_at=CREATED)
    with pytest.raises(DuplicateDesk):
        stores.desks.add(NewDesk("Politik", tags=(DeskTag("x"),)), created_at=CREATED)
    with pytest.raises(DuplicateDesk):
        stores.desks.update(other.id, NewDesk("Politik", (DeskMember(a),)))
    assert stores.desks.list() == (first, other)
    # Keeping its own name is no clash.
    assert stores.desks.update(first.id, first.definition()) == first


def test_unknown_tickers_are_refused_and_nothing_is_written(stores: Stores) -> None:
    a = stores.ticker("a")
    with pytest.raises(TickerNotFound):
        stores.desks.add(
            NewDesk("D", (DeskMember(a), DeskMember(TickerId(999)))), created_at=CREATED
        )
    assert stores.desks.list() == ()
    desk = stores.desks.add(NewDesk("D", (DeskMember(a),)), created_at=CREATED)
    with pytest.raises(TickerNotFound):
        stores.desks.update(desk.id, NewDesk("E", (DeskMember(TickerId(999)),)))
    assert stores.desks.get(desk.id) == desk


@pytest.mark.parametrize(
    ("desk", "message"),
    [
        (NewDesk(" ", tags=(DeskTag("x"),)), "blank"),
        (NewDesk(" D", tags=(DeskTag("x"),)), "white space"),
        (NewDesk("D\x00", tags=(DeskTag("x"),)), "NUL"),
        (NewDesk("D"), "at least one"),
        (NewDesk("D", (DeskMember(TickerId(1)), DeskMember(TickerId(1), own=True))), "once"),
        (NewDesk("D", tags=(DeskTag("x"), DeskTag("x", own=True))), "once"),
        (NewDesk("D", tags=(DeskTag(" "),)), "blank"),
        (NewDesk("D", tags=(DeskTag("x"),), window_minutes=0), "window"),
        (NewDesk("D", tags=(DeskTag("x"),), window_minutes=7 * 24 * 60 + 1), "window"),
        (NewDesk("D", tags=(DeskTag("x"),), lead_minutes=-1), "lead"),
        (NewDesk("D", tags=(DeskTag("x"),), window_minutes=30, lead_minutes=31), "lead"),
    ],
)
def test_invalid_desks_are_refused(stores: Stores, desk: NewDesk, message: str) -> None:
    stores.ticker("a")
    with pytest.raises(InvalidValue, match=message):
        stores.desks.add(desk, created_at=CREATED)
    assert stores.desks.list() == ()


def test_a_naive_creation_time_is_refused(stores: Stores) -> None:
    with pytest.raises(InvalidValue):
        stores.desks.add(NewDesk("D", tags=(DeskTag("x"),)), created_at=datetime(2026, 4, 1))  # noqa: DTZ001 - the naive value is the point


def test_update_replaces_the_whole_definition(stores: Stores) -> None:
    a, b, c = stores.ticker("a"), stores.ticker("b"), stores.ticker("c")
    desk = stores.desks.add(
        NewDesk("D", (DeskMember(a, own=True), DeskMember(b)), (DeskTag("x"),)),
        created_at=CREATED,
    )
    changed = stores.desks.update(
        desk.id,
        NewDesk(
            "E",
            (DeskMember(c), DeskMember(a), DeskMember(b, own=True)),
            window_minutes=60,
            lead_minutes=0,
        ),
    )
    assert (changed.id, changed.created_at) == (desk.id, desk.created_at)
    assert changed.name == "E"
    assert changed.members == (DeskMember(c), DeskMember(a), DeskMember(b, own=True))
    assert changed.tags == ()
    assert (changed.window_minutes, changed.lead_minutes) == (60, 0)
    assert stores.desks.get(desk.id) == changed
    with pytest.raises(DeskNotFound):
        stores.desks.named("D")


def test_removing_a_ticker_takes_it_out_of_its_desks(stores: Stores) -> None:
    own, a = stores.ticker("own"), stores.ticker("a")
    desk = stores.desks.add(
        NewDesk("D", (DeskMember(own, own=True), DeskMember(a))), created_at=CREATED
    )
    other = stores.desks.add(NewDesk("E", (DeskMember(a),)), created_at=CREATED)
    stores.tickers.remove(own)
    assert stores.desks.get(desk.id).members == (DeskMember(a),)
    stores.tickers.remove(a)
    # The desks stay, empty, with their settings: they are the user's to remove.
    assert stores.desks.get(desk.id).members == ()
    assert stores.desks.get(other.id).members == ()
    assert [d.name for d in stores.desks.list()] == ["D", "E"]


def test_removing_a_desk_keeps_its_tickers(stores: Stores) -> None:
    a = stores.ticker("a")
    desk = stores.desks.add(NewDesk("D", (DeskMember(a),)), created_at=CREATED)
    stores.desks.remove(desk.id)
    assert stores.desks.list() == ()
    assert [t.id for t in stores.tickers.list()] == [a]
    with pytest.raises(DeskNotFound):
        stores.desks.get(desk.id)
    with pytest.raises(DeskNotFound):
        stores.desks.remove(desk.id)
    # The name is free again.
    assert stores.desks.add(NewDesk("D", (DeskMember(a),)), created_at=CREATED).name == "D"


def test_unknown_desks_are_not_found(stores: Stores) -> None:
    with pytest.raises(DeskNotFound):
        stores.desks.get(DeskId(1))
    with pytest.raises(DeskNotFound):
        stores.desks.named("nobody")
    with pytest.raises(DeskNotFound):
        stores.desks.update(DeskId(1), NewDesk("D", tags=(DeskTag("x"),)))


def test_tags_bring_in_tickers_tagged_later(stores: Stores) -> None:
    own = stores.ticker("own", "haus")
    a = stores.ticker("a")
    desk = stores.desks.add(
        NewDesk("D", (DeskMember(a),), (DeskTag("haus", own=True), DeskTag("politik"))),
        created_at=CREATED,
    )
    late = stores.ticker("late")
    stores.tickers.set_tags(late, ("politik",))
    resolved = desk_tickers(stores.desks.get(desk.id), stores.tickers.list())
    assert [(t.ticker.id, t.own, t.via) for t in resolved] == [
        (a, False, ("member",)),
        (own, True, ("tag:haus",)),
        (late, False, ("tag:politik",)),
    ]


def test_own_wins_when_a_member_and_a_tag_both_name_a_ticker(stores: Stores) -> None:
    a = stores.ticker("a", "haus")
    desk = stores.desks.add(
        NewDesk("D", (DeskMember(a),), (DeskTag("haus", own=True),)), created_at=CREATED
    )
    (only,) = desk_tickers(desk, stores.tickers.list())
    assert (only.ticker.id, only.own, only.via) == (a, True, ("member", "tag:haus"))


def test_text_round_trips(stores: Stores) -> None:
    name = "Gipfel „Wladiwostok“ — Ärger 🇩🇪"
    desk = stores.desks.add(NewDesk(name, tags=(DeskTag("außen"),)), created_at=CREATED)
    assert stores.desks.named(name) == desk
    assert stores.desks.get(desk.id).tags == (DeskTag("außen"),)
