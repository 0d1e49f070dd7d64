"""The JSON API's documents about desks (pydantic models, so the OpenAPI document
describes them) and their construction from storage's values. Wire only: the rules
of a desk are :mod:`storage.desks`'."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from storage.desks import (
    DEFAULT_LEAD_MINUTES,
    DEFAULT_WINDOW_MINUTES,
    MAX_NAME_LENGTH,
    MAX_WINDOW_MINUTES,
    Desk,
    DeskMember,
    DeskTag,
    NewDesk,
    desk_tickers,
)
from storage.model import MAX_ID, Ticker, TickerId
from web.links import Links


class DeskMemberIO(BaseModel):
    ticker_id: int = Field(ge=1, le=MAX_ID)
    own: bool = Field(default=False, description="Our own newsroom's ticker.")


class DeskTagIO(BaseModel):
    tag: str = Field(min_length=1, description="Every ticker with this tag, now and later.")
    own: bool = Field(default=False, description="Those tickers are our own.")


class DeskIn(BaseModel):
    """A desk: tickers compared together, our own ones marked (at least one member or
    tag; a desk without own tickers raises no competitor-first alerts)."""

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH, description="Unique.")
    members: list[DeskMemberIO] = Field(default_factory=list)
    tags: list[DeskTagIO] = Field(default_factory=list)
    window_minutes: int = Field(
        default=DEFAULT_WINDOW_MINUTES,
        ge=1,
        le=MAX_WINDOW_MINUTES,
        description="How far apart in time one story's entries may be.",
    )
    lead_minutes: int = Field(
        default=DEFAULT_LEAD_MINUTES,
        ge=0,
        le=MAX_WINDOW_MINUTES,
        description="How long our tickers may lag a competitor before it counts as first "
        "(at most the window).",
    )

    def value(self) -> NewDesk:
        return NewDesk(
            name=self.name.strip(),
            members=tuple(DeskMember(TickerId(m.ticker_id), m.own) for m in self.members),
            tags=tuple(DeskTag(t.tag.strip(), t.own) for t in self.tags),
            window_minutes=self.window_minutes,
            lead_minutes=self.lead_minutes,
        )


class DeskPatch(BaseModel):
    """Fields to change; those left out stay. ``members`` and ``tags`` replace the
    desk's whole lists."""

    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    members: list[DeskMemberIO] | None = None
    tags: list[DeskTagIO] | None = None
    window_minutes: int | None = Field(default=None, ge=1, le=MAX_WINDOW_MINUTES)
    lead_minutes: int | None = Field(default=None, ge=0, le=MAX_WINDOW_MINUTES)

    def applied_to(self, desk: Desk) -> NewDesk:
        old = desk.definition()
        return NewDesk(
            name=old.name if self.name is None else self.name.strip(),
            members=old.members
            if self.members is None
            else tuple(DeskMember(TickerId(m.ticker_id), m.own) for m in self.members),
            tags=old.tags
            if self.tags is None
            else tuple(DeskTag(t.tag.strip(), t.own) for t in self.tags),
            window_minutes=old.window_minutes
            if self.window_minutes is None
            else self.window_minutes,
            lead_minutes=old.lead_minutes if self.lead_minutes is None else self.lead_minutes,
        )


class DeskTickerOut(BaseModel):
    id: int
    name: str
    own: bool
    via: list[str] = Field(description='Why it is on the desk: "member", "tag:NAME".')
    links: dict[str, str]


class DeskOut(BaseModel):
    id: int
    name: str
    window_minutes: int
    lead_minutes: int
    created_at: datetime
    members: list[DeskMemberIO]
    tags: list[DeskTagIO]
    tickers: list[DeskTickerOut] = Field(description="The desk's tickers now, tags resolved.")
    links: dict[str, str]


def desk_out(desk: Desk, tickers: tuple[Ticker, ...], links: Links) -> DeskOut:
    return DeskOut(
        id=desk.id,
        name=desk.name,
        window_minutes=desk.window_minutes,
        lead_minutes=desk.lead_minutes,
        created_at=desk.created_at,
        members=[DeskMemberIO(ticker_id=m.ticker_id, own=m.own) for m in desk.members],
        tags=[DeskTagIO(tag=t.tag, own=t.own) for t in desk.tags],
        tickers=[
            DeskTickerOut(
                id=t.ticker.id,
                name=t.ticker.name,
                own=t.own,
                via=list(t.via),
                links={"html": links.ticker(t.ticker.id), "api": links.api_ticker(t.ticker.id)},
            )
            for t in desk_tickers(desk, tickers)
        ],
        links={"self": links.api_desk(desk.id), "html": links.desk_edit(desk.id)},
    )
