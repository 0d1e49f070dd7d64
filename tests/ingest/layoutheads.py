"""Generated families that put something around an entry's time: the time on a line of
its own above the headline, a header row holding time and heading, a label wrapped in
bold, a pinned copy above the stream, day headings above runs of entries whose clock
times alone cannot date them, named by date or as the reader's week names them ("Heute",
"Samstag"). Registered in tests/ingest/layoutgen.py."""

from __future__ import annotations

import html
from datetime import date, timedelta

from tests.ingest.layoutpages import (
    Item,
    Language,
    Writer,
    body_html,
    day_heading,
    headline_html,
    iso,
    page_html,
)


def time_line_title(lang: Language, its: list[Item]) -> str:
    """The time on a line of its own above the headline, linked to the entry (the
    Guardian's 2014–19 blocks): the time's paragraph is no body, the heading the headline."""
    body = "".join(
        f'<article class="blk" id="blk-{n}"><p class="blk-when"><a href="#blk-{n}">'
        f'<time datetime="{iso(i)}">{lang.clock(i.at)}</time></a></p>'
        f"{headline_html(i, 'h2', 'blk-title')}<div class='blk-els'>{body_html(i)}</div></article>"
        for n, i in enumerate(its)
    )
    return page_html(lang, f'<div id="stream-body">{body}</div>')


def printed_time_line(lang: Language, its: list[Item]) -> str:
    """As :func:`time_line_title`, the time printed only (no machine value)."""
    body = "".join(
        f'<article class="b" id="b-{n}"><p class="b-when"><span>{lang.clock(i.at)}</span></p>'
        f"{headline_html(i, 'h2', '')}<div class='b-els'>{body_html(i)}</div></article>"
        for n, i in enumerate(its)
    )
    return page_html(lang, f'<div class="b-list">{body}</div>')


def ruled_runs(lang: Language, its: list[Item]) -> str:
    """No element per entry: a bold time paragraph, a headline, the body, a rule."""
    body = "".join(
        f"<p><strong>{lang.clock(i.at)}</strong></p>{headline_html(i)}{body_html(i)}<hr>"
        for i in its
    )
    return page_html(lang, f'<div class="copy">{body}</div>')


def head_row(lang: Language, its: list[Item]) -> str:
    """A header row holding the time and the heading, BEM-classed ("…__head"): the row
    is no headline, the heading inside it is."""
    body = "".join(
        f'<article class="lb-entry" id="lb-{n}"><div class="lb-entry__head">'
        f'<time datetime="{iso(i)}">{lang.clock(i.at)}</time>{headline_html(i, "h2", "")}</div>'
        f"{body_html(i)}</article>"
        for n, i in enumerate(its)
    )
    return page_html(lang, f'<div class="lb">{body}</div>')


def pinned_copy(lang: Language, its: list[Item]) -> str:
    """A copy of the third entry pinned above the stream, times printed only: time-led
    paragraphs read one entry more than the blocks (the copy), the blocks carry ids."""

    def entry(n: int, i: Item, badge: str = "") -> str:
        return (
            f'<article class="u" id="u-{n}">{badge}<p class="u-when"><span>{lang.clock(i.at)}'
            f"</span></p>{headline_html(i, 'h2', '')}<div class='u-els'>{body_html(i)}</div></article>"
        )

    pinned = entry(2, its[2], '<span class="u-flag">Pinned</span>')
    stream = "".join(entry(n, i) for n, i in enumerate(its))
    return page_html(lang, f'<div class="top">{pinned}</div><div class="flow">{stream}</div>')


def _under_day_headings(lang: Language, its: list[Item], tag: str, entry: Writer) -> str:
    out, shown = [], None
    for i in its:
        if i.at.date() != shown:
            shown = i.at.date()
            out.append(f'<{tag} class="day">{day_heading(lang, shown)}</{tag}>')
        out.append(entry(lang, [i]))
    return "".join(out)


def day_headed_blocks(lang: Language, its: list[Item]) -> str:
    """Blocks printing a clock only, grouped under headings naming the day, a day
    without entries between two groups."""

    def entry(lang: Language, one: list[Item]) -> str:
        i = one[0]
        return (
            f'<div class="tk"><span class="tk-t">{lang.clock(i.at)}</span>'
            f"{headline_html(i)}{body_html(i)}</div>"
        )

    return page_html(
        lang, f'<div class="tk-list">{_under_day_headings(lang, its, "h2", entry)}</div>'
    )


def day_headed_runs(lang: Language, its: list[Item]) -> str:
    """Label-led runs under day headings: the heading ends the run above it."""

    def entry(lang: Language, one: list[Item]) -> str:
        i = one[0]
        return f"<p><b>{lang.clock(i.at)}</b></p>{headline_html(i, 'h4')}{body_html(i)}"

    return page_html(lang, f'<div class="copy">{_under_day_headings(lang, its, "h3", entry)}</div>')


def day_sections(lang: Language, its: list[Item]) -> str:
    """One section per day, its day heading inside it above that day's blocks: the
    blocks of every section are the stream, each dated by its own section's heading."""
    days: dict[date, list[Item]] = {}
    for i in its:
        days.setdefault(i.at.date(), []).append(i)
    sections = "".join(
        f'<section class="sd"><h2 class="sd-h">{day_heading(lang, day)}</h2>'
        + "".join(
            f'<div class="sd-p"><span class="sd-t">{lang.clock(i.at)}</span>'
            f"{headline_html(i, 'h3')}{body_html(i)}</div>"
            for i in one
        )
        + "</section>"
        for day, one in days.items()
    )
    return page_html(lang, f'<div class="sd-list">{sections}</div>')


# How a list heads today's and yesterday's items; older days go by their weekday.
_NEAR_DAYS = {
    "de": ("Heute", "Gestern"),
    "en": ("Today", "Yesterday"),
    "fr": ("Aujourd'hui", "Hier"),
}


def _named_day(lang: Language, day: date, today: date) -> str:
    back = (today - day).days
    if back < len(_NEAR_DAYS[lang.code]):
        return _NEAR_DAYS[lang.code][back]
    return day_heading(lang, day).split(",")[0].split()[0]  # the weekday alone


def newsticker_named_days(lang: Language, its: list[Item]) -> str:
    """A newsticker list (clock, headline link, lead) in one list per day, headed "Heute"
    for the fetch's day and by the bare weekday for a day before, a day without items
    between: only the heading, read against the fetch's day, dates the older items."""
    out: list[str] = []
    shown: date | None = None
    for i in its:
        if i.at.date() != shown:
            shown = i.at.date()
            today = (i.at + timedelta(minutes=i.minutes_ago)).date()
            out.append(f"{'</ul>' if out else ''}<h2>{_named_day(lang, shown, today)}</h2><ul>")
        out.append(
            f'<li><span class="t">{i.at:%H:%M}</span> '
            f'<a href="/news/{i.at:%d-%H%M}.html">{html.escape(i.headline or "")}</a>'
            f"<p>{html.escape(i.text)}</p></li>"
        )
    return page_html(lang, f'<div class="nt">{"".join(out)}</ul></div>')


HEAD_FAMILIES: dict[str, Writer] = {
    "time-line-title": time_line_title,
    "printed-time-line": printed_time_line,
    "ruled-runs": ruled_runs,
    "head-row": head_row,
    "pinned-copy": pinned_copy,
    "day-headed-blocks": day_headed_blocks,
    "day-headed-runs": day_headed_runs,
    "day-sections": day_sections,
    "newsticker-named-days": newsticker_named_days,
}
# Families whose later items lie two days before the first three.
DAY_GAP = {"day-headed-blocks", "day-headed-runs", "day-sections", "newsticker-named-days"}
