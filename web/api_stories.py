"""The JSON API's documents about a desk's stories (pydantic models, so the OpenAPI
document describes them) and their construction from story matching's values. Wire
only: who was first is :mod:`stories.leads`' to say."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel, Field

from stories import Basis, Story, TickerLead, TickerRecord, story_leads
from web.links import Links
from web.storyview import TickerSide, entry_lead, safe_source, story_title


class Minutes(BaseModel):
    """A figure on both clocks: the printed time and the poll that first saw the entry."""

    printed: float | None
    seen: float | None


class StoryEntryOut(BaseModel):
    ticker_id: int
    ticker: str = Field(description="The ticker's name.")
    own: bool = Field(description="One of our own tickers on this desk.")
    entry_id: str = Field(description="The entry's id in its ticker's history.")
    title: str
    text: str
    printed: datetime | None = Field(description="The time the page printed, if any.")
    first_seen: datetime = Field(description="The poll that first saw the entry.")
    link: str | None = Field(description="The entry's own link on the page (http(s) only).")
    lead_minutes: Minutes = Field(
        description="Minutes before the earliest entry of any other ticker (negative: "
        "after it); null when no other ticker has the story."
    )
    links: dict[str, str]


class TickerLeadOut(BaseModel):
    """A ticker's first entry in the story on one clock, and its lead over the others."""

    ticker_id: int
    entry_id: str
    at: datetime
    lead_minutes: float | None


class StoryOut(BaseModel):
    id: int
    desk_id: int
    title: str = Field(description="The headline of the story's earliest entry.")
    start: datetime = Field(description="The earliest entry's time.")
    tickers: list[int]
    first_by_printed: int = Field(description="The ticker first by printed time.")
    first_by_seen: int = Field(description="The ticker first seen by a poll.")
    lead_minutes: Minutes = Field(
        description="The first ticker's lead over the runner-up; null for a story one "
        "ticker has alone."
    )
    leads: dict[str, list[TickerLeadOut]] = Field(
        description="Each ticker's first entry, earliest first, per clock (`printed`, `seen`)."
    )
    entries: list[StoryEntryOut]
    links: dict[str, str]


class RecordOut(BaseModel):
    """A ticker's record on the desk over the period, on one clock (see
    :class:`stories.TickerRecord`)."""

    ticker_id: int
    ticker: str
    own: bool
    stories: int
    first: int
    missed: int
    share_first: float | None
    median_lead_minutes: float | None
    median_delta_minutes: float | None


def _lead_out(lead: TickerLead) -> TickerLeadOut:
    return TickerLeadOut(
        ticker_id=lead.ticker_id, entry_id=lead.entry_id, at=lead.at, lead_minutes=lead.lead_minutes
    )


def _side(sides: Mapping[int, TickerSide], ticker_id: int) -> TickerSide:
    return sides.get(ticker_id) or TickerSide(f"ticker {ticker_id}", on_desk=False)


def story_out(
    desk_id: int, story: Story, sides: Mapping[int, TickerSide], links: Links
) -> StoryOut:
    leads = story_leads(story)
    entries = [
        StoryEntryOut(
            ticker_id=m.ticker_id,
            ticker=_side(sides, m.ticker_id).name,
            own=_side(sides, m.ticker_id).own,
            entry_id=m.entry_id,
            title=m.title,
            text=m.text,
            printed=m.printed,
            first_seen=m.first_seen,
            link=safe_source(m.link),
            lead_minutes=Minutes(
                printed=entry_lead(m, story.members, Basis.PRINTED),
                seen=entry_lead(m, story.members, Basis.SEEN),
            ),
            links={"html": links.entry(m.entry_id), "api": links.api_entry(m.entry_id)},
        )
        for m in sorted(story.members, key=lambda m: (Basis.PRINTED.time_of(m), m.ticker_id))
    ]
    return StoryOut(
        id=story.id,
        desk_id=desk_id,
        title=story_title(story),
        start=story.start,
        tickers=sorted(story.tickers),
        first_by_printed=leads.first(Basis.PRINTED),
        first_by_seen=leads.first(Basis.SEEN),
        lead_minutes=Minutes(
            printed=leads.lead_minutes(Basis.PRINTED), seen=leads.lead_minutes(Basis.SEEN)
        ),
        leads={b.value: [_lead_out(t) for t in leads.on(b)] for b in Basis},
        entries=entries,
        links={
            "self": links.api_desk_story(desk_id, story.id),
            "html": links.desk_story(desk_id, story.id),
        },
    )


def record_out(record: TickerRecord, sides: Mapping[int, TickerSide]) -> RecordOut:
    side = _side(sides, record.ticker_id)
    return RecordOut(
        ticker_id=record.ticker_id,
        ticker=side.name,
        own=side.own,
        stories=record.stories,
        first=record.first,
        missed=record.missed,
        share_first=record.share_first,
        median_lead_minutes=record.median_lead_minutes,
        median_delta_minutes=record.median_delta_minutes,
    )
