"""Generated families whose time stands in the running text: the body right beside the
time, a paragraph opening with it, Merkur/FR style "Update vom Dienstag, 27. August,
14.01 Uhr:" paragraphs (the oldest "Erstmeldung vom …"), n-tv/t-online "+++ 22:47
Headline +++" runs. Registered in tests/ingest/layoutgen.py."""

from __future__ import annotations

import html
from datetime import datetime

from tests.ingest.layoutpages import (
    Item,
    Language,
    Writer,
    body_html,
    headline_html,
    iso,
    page_html,
)


def loose_text(lang: Language, its: list[Item]) -> str:
    """The body stands directly in the block, beside the time and the headline."""
    body = "".join(
        f'<div class="evt"><span class="when">{lang.clock(i.at)}</span>{headline_html(i, "h3")}'
        f"{html.escape(i.text)}</div>"
        for i in its
    )
    return page_html(lang, f'<div class="events">{body}</div>')


def time_then_text(lang: Language, its: list[Item]) -> str:
    """A list item: the time, a bold headline where there is one, then the body."""

    def entry(i: Item) -> str:
        lead = f"<b>{html.escape(i.headline)}</b> " if i.headline else ""
        return (
            f'<li class="tick"><time datetime="{iso(i)}">{lang.clock(i.at)}</time> '
            f"{lead}{html.escape(i.text)}</li>"
        )

    return page_html(lang, f'<ul class="ticks">{"".join(entry(i) for i in its)}</ul>')


def label_in_paragraph(lang: Language, its: list[Item]) -> str:
    """A block whose paragraph opens with its time."""
    body = "".join(
        f'<div class="post" id="p{n}">{headline_html(i, "h3")}<p><time datetime="{iso(i)}">'
        f"{lang.clock(i.at)}</time> {html.escape(i.text)}</p></div>"
        for n, i in enumerate(its)
    )
    return page_html(lang, f'<div class="posts">{body}</div>')


# How each language's classic ticker words an update label (a date beside the clock
# where the page prints one, the weekday before it) and, in German, the first report.
_WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}
_MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


def _update_label(lang: Language, at: datetime, first: bool) -> str:
    if lang.code == "de":
        day = f"{_WEEKDAYS['de'][at.weekday()]}, {at.day}. {_MONTHS['de'].split()[at.month - 1]}"
        return f"{'Erstmeldung' if first else 'Update'} vom {day}, {lang.clock(at)}:"
    if lang.code == "fr":
        day = f"{_WEEKDAYS['fr'][at.weekday()]} {at.day} {_MONTHS['fr'].split()[at.month - 1]}"
        return f"Mise à jour du {day}, {lang.clock(at)} :"
    return f"Update, {lang.clock(at)}:"


def update_labels(lang: Language, its: list[Item]) -> str:
    """Merkur/FR style: a headline above some entries, each paragraph led by a bold
    "Update vom Dienstag, 27. August, 14.01 Uhr:", the oldest by "Erstmeldung vom …"."""
    body = "".join(
        f"{headline_html(i, 'h2', 'id-h')}<p><strong>{_update_label(lang, i.at, n == len(its) - 1)}"
        f"</strong> {html.escape(i.text)}</p>"
        for n, i in enumerate(its)
    )
    return page_html(lang, f'<div class="story">{body}</div>')


def plus_runs(lang: Language, its: list[Item]) -> str:
    """n-tv and t-online style: "+++ 22:47 Headline +++" headings above the body, or a
    paragraph wrapped in pluses, "+++ 22.47 Uhr: Text +++", where there is no headline."""

    def entry(i: Item) -> str:
        if i.headline:
            return f"<h2>+++ {i.at:%H:%M} {html.escape(i.headline)} +++</h2>{body_html(i)}"
        return f"<p>+++ {lang.clock(i.at)}: {html.escape(i.text)} +++</p>"

    return page_html(lang, f'<div class="article-text">{"".join(entry(i) for i in its)}</div>')


def clock_headline_heading(lang: Language, its: list[Item]) -> str:
    """A heading that prints the time and, after a bar, the headline ("<h3>14.05 Uhr |
    Straßen gesperrt</h3>"); the time alone where the entry has no headline."""
    body = "".join(
        f'<div class="tk2"><h3 class="tk2-h">{lang.clock(i.at)}'
        f"{' | ' + html.escape(i.headline) if i.headline else ''}</h3>{body_html(i)}</div>"
        for i in its
    )
    return page_html(lang, f'<div class="tk2-list">{body}</div>')


def clock_headline_bold(lang: Language, its: list[Item]) -> str:
    """Runs of paragraphs, each entry led by a bold line of the time, a dash and the
    headline ("<p><strong>2.05pm – Roads closed</strong></p>"), no block around them."""
    body = "".join(
        f"<p><strong>{lang.clock(i.at)}{' – ' + html.escape(i.headline) if i.headline else ''}"
        f"</strong></p>{body_html(i)}"
        for i in its
    )
    return page_html(lang, f'<div class="prose">{body}</div>')


LABEL_FAMILIES: dict[str, Writer] = {
    "loose-text": loose_text,
    "time-then-text": time_then_text,
    "label-in-paragraph": label_in_paragraph,
    "update-labels": update_labels,
    "plus-runs": plus_runs,
    "clock-headline-heading": clock_headline_heading,
    "clock-headline-bold": clock_headline_bold,
}
