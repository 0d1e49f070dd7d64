"""The pure parts of desks: editing a definition and finding a desk by what people type."""

from __future__ import annotations

import pytest

from storage import MemoryStore, NewTicker
from storage.desks import DeskMember, DeskNotFound, DeskTag, NewDesk, edited, find_desk
from storage.desks_memory import MemoryDeskStore
from storage.model import TickerId
from tests.storage.builders import CREATED

A, B, C = TickerId(1), TickerId(2), TickerId(3)


def test_edited_adds_re_marks_and_drops_keeping_the_order() -> None:
    desk = NewDesk("D", (DeskMember(A, own=True), DeskMember(B)), (DeskTag("x"),), 60, 5)
    changed = edited(desk, own=[B], competitors=[A, C], drop=[], own_tags=["x", "y"])
    assert changed.members == (DeskMember(A), DeskMember(B, own=True), DeskMember(C))
    assert changed.tags == (DeskTag("x", own=True), DeskTag("y", own=True))
    assert (changed.name, changed.window_minutes, changed.lead_minutes) == ("D", 60, 5)
    assert edited(changed, drop=[B], drop_tags=["x"]).members == (DeskMember(A), DeskMember(C))
    assert edited(desk) == desk


def test_a_desk_is_found_by_name_before_id() -> None:
    tickers = MemoryStore()
    a = tickers.add(NewTicker("https://www.example.test/a", "a"), created_at=CREATED).id
    desks = MemoryDeskStore(tickers)
    first = desks.add(NewDesk("Politik", (DeskMember(a),)), created_at=CREATED)
    named_two = desks.add(NewDesk("1", (DeskMember(a),)), created_at=CREATED)
    assert find_desk(desks, "Politik") == first
    assert find_desk(desks, "2") == named_two
    assert find_desk(desks, "1") == named_two  # the name wins
    for reference in ("3", "0", "99999999999999999999999", "²", "Sport"):
        with pytest.raises(DeskNotFound):
            find_desk(desks, reference)
