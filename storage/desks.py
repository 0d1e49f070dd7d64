"""Desks: named groups of tickers compared together, some of them marked as our own.

A desk is what a newsroom watches side by side: its own ticker(s) and the competitors'.
Story matching places the entries of a desk's tickers into stories; lead times and the
``competitor_first`` / ``we_were_first`` alerts compare our own tickers with the others.

A desk names its tickers two ways, both kept as given and resolved at read time by
:func:`desk_tickers`:

- **members**: ticker ids, each with an ``own`` flag;
- **tags**: "every ticker carrying this tag", also with an ``own`` flag, so a ticker
  tagged later joins the desk without editing it.

Decisions, stated once here:

- A ticker is *own* on a desk when any member or tag naming it says own.
- A desk may have no own ticker: stories and lead times work as usual, but there is
  nobody to be first or late for, so no ``competitor_first`` / ``we_were_first`` alerts.
- A desk is created and edited with at least one member or tag. Removing a ticker takes
  it out of every desk (``ON DELETE CASCADE``); a desk left without tickers stays, shown
  as empty, rather than vanish with its settings.
- Names are unique exactly as written, after trimming surrounding white space.
- ``window_minutes`` (default 360) is how far apart in time entries may be and still be
  one story; ``lead_minutes`` (default 10) how long our own tickers may lag a competitor
  before ``competitor_first`` fires. Both are per desk, as newsrooms differ.

The port, :class:`DeskStore`, has a memory adapter (:mod:`storage.desks_memory`) and a
SQL one (:mod:`storage.desks_sql`); both pass ``tests/storage/test_contract_desks.py``.
This module is pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NewType, Protocol

from storage.errors import InvalidValue, NotFound, StorageError
from storage.model import MAX_ID, Ticker, TickerId
from storage.validate import check_text

DeskId = NewType("DeskId", int)

DEFAULT_WINDOW_MINUTES = 360
DEFAULT_LEAD_MINUTES = 10
# A story window longer than a week would compare every entry with a week of others;
# a lead longer than the window could never be seen.
MAX_WINDOW_MINUTES = 7 * 24 * 60
MAX_NAME_LENGTH = 200


class DeskNotFound(NotFound):
    """No desk with that id or name."""


class DuplicateDesk(StorageError):
    """Another desk has this name."""


@dataclass(frozen=True, slots=True)
class DeskMember:
    """A ticker of a desk; ``own`` marks our own newsroom's ticker."""

    ticker_id: TickerId
    own: bool = False


@dataclass(frozen=True, slots=True)
class DeskTag:
    """Every ticker carrying ``tag`` belongs to the desk (``own`` as for a member)."""

    tag: str
    own: bool = False


@dataclass(frozen=True, slots=True)
class NewDesk:
    """A desk's definition: what ``add`` and ``update`` take."""

    name: str
    members: tuple[DeskMember, ...] = ()
    tags: tuple[DeskTag, ...] = ()
    window_minutes: int = DEFAULT_WINDOW_MINUTES
    lead_minutes: int = DEFAULT_LEAD_MINUTES


@dataclass(frozen=True, slots=True)
class Desk:
    """A stored desk. ``members`` and ``tags`` in the order given; ``members`` holds
    only tickers that still exist."""

    id: DeskId
    name: str
    created_at: datetime
    members: tuple[DeskMember, ...] = ()
    tags: tuple[DeskTag, ...] = ()
    window_minutes: int = DEFAULT_WINDOW_MINUTES
    lead_minutes: int = DEFAULT_LEAD_MINUTES

    def definition(self) -> NewDesk:
        """What would create this desk again (the start of an edit)."""
        return NewDesk(
            name=self.name,
            members=self.members,
            tags=self.tags,
            window_minutes=self.window_minutes,
            lead_minutes=self.lead_minutes,
        )


@dataclass(frozen=True, slots=True)
class DeskTicker:
    """A ticker as it stands on a desk now, and why it is there."""

    ticker: Ticker
    own: bool
    via: tuple[str, ...] = field(default=())  # "member" and/or "tag:NAME"


def desk_tickers(desk: Desk | NewDesk, tickers: Iterable[Ticker]) -> tuple[DeskTicker, ...]:
    """The desk's tickers among ``tickers`` (every ticker, as ``TickerRepository.list``
    gives them): the members in the desk's order, then the tickers a tag brings in, in
    ``tickers``' order. Each ticker once; own when anything naming it says own."""
    by_id = {t.id: t for t in tickers}
    own: dict[TickerId, bool] = {}
    via: dict[TickerId, list[str]] = {}
    for member in desk.members:
        if member.ticker_id in by_id:
            own[member.ticker_id] = own.get(member.ticker_id, False) or member.own
            via.setdefault(member.ticker_id, []).append("member")
    for ticker in by_id.values():
        for rule in desk.tags:
            if rule.tag in ticker.tags:
                own[ticker.id] = own.get(ticker.id, False) or rule.own
                via.setdefault(ticker.id, []).append(f"tag:{rule.tag}")
    return tuple(DeskTicker(by_id[i], own[i], tuple(via[i])) for i in own)


def edited(
    desk: NewDesk,
    *,
    own: Iterable[TickerId] = (),
    competitors: Iterable[TickerId] = (),
    drop: Iterable[TickerId] = (),
    own_tags: Iterable[str] = (),
    tags: Iterable[str] = (),
    drop_tags: Iterable[str] = (),
) -> NewDesk:
    """``desk`` with tickers (and tags) added as ``own`` or as ``competitors`` — a member
    named again keeps its place and takes the new flag — and those in ``drop`` /
    ``drop_tags`` taken out. Pure; the result is checked when stored."""
    members = {m.ticker_id: m.own for m in desk.members}
    for flag, ids in ((True, own), (False, competitors)):
        for ticker_id in ids:
            members[ticker_id] = flag
    for ticker_id in drop:
        members.pop(ticker_id, None)
    rules = {r.tag: r.own for r in desk.tags}
    for flag, names in ((True, own_tags), (False, tags)):
        for name in names:
            rules[name] = flag
    for name in drop_tags:
        rules.pop(name, None)
    return NewDesk(
        name=desk.name,
        members=tuple(DeskMember(i, flag) for i, flag in members.items()),
        tags=tuple(DeskTag(t, flag) for t, flag in rules.items()),
        window_minutes=desk.window_minutes,
        lead_minutes=desk.lead_minutes,
    )


def find_desk(store: DeskStore, reference: str) -> Desk:
    """The desk a person names: by its exact name, else by its id when ``reference`` is
    a number (a desk named ``"3"`` is found before desk 3). ``DeskNotFound``."""
    try:
        return store.named(reference)
    except DeskNotFound:
        text = reference.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
            raise
    number = int(text)
    if not 1 <= number <= MAX_ID:
        raise DeskNotFound(f"no desk {reference!r}")
    return store.get(DeskId(number))


def check_new_desk(desk: NewDesk) -> None:
    """Raise InvalidValue for a desk no store keeps: a blank or over-long name, no member
    and no tag, a ticker or tag named twice, blank tags, or settings out of range."""
    check_text(desk.name, "desk name")
    if not desk.name.strip():
        raise InvalidValue("a desk name must not be blank")
    if desk.name != desk.name.strip():
        raise InvalidValue("a desk name must not start or end with white space")
    if len(desk.name) > MAX_NAME_LENGTH:
        raise InvalidValue(f"a desk name is at most {MAX_NAME_LENGTH} characters")
    if not desk.members and not desk.tags:
        raise InvalidValue("a desk needs at least one ticker or tag")
    ids = [m.ticker_id for m in desk.members]
    if len(set(ids)) != len(ids):
        raise InvalidValue("a desk names each ticker once")
    for rule in desk.tags:
        check_text(rule.tag, "desk tag")
        if not rule.tag.strip():
            raise InvalidValue("a desk tag must not be blank")
    names = [r.tag for r in desk.tags]
    if len(set(names)) != len(names):
        raise InvalidValue("a desk names each tag once")
    if not 1 <= desk.window_minutes <= MAX_WINDOW_MINUTES:
        raise InvalidValue(f"a story window is from 1 to {MAX_WINDOW_MINUTES} minutes")
    if not 0 <= desk.lead_minutes <= desk.window_minutes:
        raise InvalidValue("the competitor-first lead is from 0 minutes to the story window")


class DeskStore(Protocol):
    """The desks. ``add`` and ``update`` check the definition (:func:`check_new_desk`,
    ``InvalidValue``), refuse a name another desk has (``DuplicateDesk``) and a member
    id no ticker has (``TickerNotFound``); nothing is written when they raise. Unknown
    desks raise ``DeskNotFound``."""

    def add(self, desk: NewDesk, *, created_at: datetime) -> Desk: ...

    def get(self, desk_id: DeskId) -> Desk: ...

    def named(self, name: str) -> Desk:
        """The desk of exactly this name (surrounding white space ignored)."""
        ...

    def update(self, desk_id: DeskId, desk: NewDesk) -> Desk:
        """Replace the desk's whole definition (name, members, tags, settings)."""
        ...

    def remove(self, desk_id: DeskId) -> None:
        """Delete the desk (its tickers stay)."""
        ...

    def list(self) -> tuple[Desk, ...]:
        """Every desk, in the order they were added."""
        ...

    def close(self) -> None: ...
