"""A desk's stories as export rows (CSV and JSON, one row per entry) and as Atom
entries (one per shared story, saying who was first). Pure.

The rows follow :mod:`web.exports`: flat dicts with the fixed :data:`STORY_COLUMNS`,
so the JSON array and the CSV file hold the same data, streamed by
:func:`web.exports.json_stream` and :func:`web.exports.csv_table` (which defuses
spreadsheet formulas).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import escape

from stories import Basis, Story, story_leads
from web.atom import AtomEntry
from web.links import Links
from web.storyview import TickerSide, entry_lead, safe_source, story_title, summary
from web.timefmt import iso, shown

STORY_COLUMNS: tuple[str, ...] = (
    "story_id",
    "story_start",
    "story_title",
    "story_tickers",
    "first_by_printed",
    "first_by_seen",
    "story_lead_printed_minutes",
    "story_lead_seen_minutes",
    "ticker_id",
    "ticker",
    "own",
    "entry_id",
    "title",
    "text",
    "printed",
    "first_seen",
    "lead_printed_minutes",
    "lead_seen_minutes",
    "link",
    "entry_url",
)


def _side(sides: Mapping[int, TickerSide], ticker_id: int) -> TickerSide:
    return sides.get(ticker_id) or TickerSide(f"ticker {ticker_id}", on_desk=False)


def story_rows(
    story: Story, sides: Mapping[int, TickerSide], links: Links
) -> Iterator[dict[str, Any]]:
    """One row per entry of ``story``, earliest (printed) first, each with the story's
    own figures: the ticker first on each clock and its lead over the runner-up."""
    leads = story_leads(story)
    ordered = sorted(story.members, key=lambda m: (Basis.PRINTED.time_of(m), m.ticker_id))
    for member in ordered:
        side = _side(sides, member.ticker_id)
        yield {
            "story_id": story.id,
            "story_start": iso(story.start),
            "story_title": story_title(story),
            "story_tickers": len(story.tickers),
            "first_by_printed": leads.first(Basis.PRINTED),
            "first_by_seen": leads.first(Basis.SEEN),
            "story_lead_printed_minutes": leads.lead_minutes(Basis.PRINTED),
            "story_lead_seen_minutes": leads.lead_minutes(Basis.SEEN),
            "ticker_id": member.ticker_id,
            "ticker": side.name,
            "own": side.own,
            "entry_id": member.entry_id,
            "title": member.title,
            "text": member.text,
            "printed": iso(member.printed),
            "first_seen": iso(member.first_seen),
            "lead_printed_minutes": entry_lead(member, story.members, Basis.PRINTED),
            "lead_seen_minutes": entry_lead(member, story.members, Basis.SEEN),
            "link": safe_source(member.link),
            "entry_url": links.entry(member.entry_id),
        }


def story_entry(
    desk_id: int, story: Story, sides: Mapping[int, TickerSide], links: Links, zone: ZoneInfo
) -> AtomEntry:
    """The feed entry of a shared story: its title names who was first; its content
    says so on both clocks and lists each ticker's entries with their times. Updated
    when the latest entry joined."""
    leads = story_leads(story)
    first = _side(sides, leads.first(Basis.PRINTED)).name
    lead = leads.lead_minutes(Basis.PRINTED)
    by = f" by {round(lead)} min" if lead else ""
    title = f"{story_title(story)} — first: {first}{by}"
    items = []
    ordered = sorted(story.members, key=lambda m: (Basis.PRINTED.time_of(m), m.ticker_id))
    for member in ordered:
        side = _side(sides, member.ticker_id)
        printed = f"printed {shown(member.printed, zone)}" if member.printed else "no time printed"
        items.append(
            f"<li>{escape(side.name)}{' (own)' if side.own else ''}: {escape(printed)}, "
            f"first seen {escape(shown(member.first_seen, zone))} — "
            f'<a href="{escape(links.entry(member.entry_id))}">'
            f"{escape(member.title or member.text[:80])}</a></li>"
        )
    said = escape(summary(story, leads, Basis.PRINTED, sides))
    content = f"<p>{said}</p><ul>{''.join(items)}</ul>"
    link = links.desk_story(desk_id, story.id)
    return AtomEntry(
        id=link,
        title=title,
        updated=max(m.first_seen for m in story.members),
        link=link,
        category="shared" if len(story.tickers) > 1 else "single",
        content_html=content,
    )
