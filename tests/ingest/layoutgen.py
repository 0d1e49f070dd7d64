"""A generator of live-ticker pages in many markup families, shapes and languages.

Each :class:`Variant` writes one page from a list of :class:`Item` (what the ticker
says) and knows what a correct reader returns: the items, newest first, with their
local time, headline and text. The families are those real tickers use — blocks with
``<time datetime>``, ``data-*`` epoch attributes beside relative labels, full dates in
``title`` attributes, definition lists, table rows, label-led sibling runs, date-only
attributes beside printed clocks, bold lead-in headlines, badge words, long lists, and
what stands around an entry's time (tests/ingest/layoutheads.py) — written with
neutral, varying class names so that no reader can key on them. Languages, items and
page pieces: tests/ingest/layoutpages.py.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime

from tests.ingest.layoutheads import DAY_GAP, HEAD_FAMILIES
from tests.ingest.layoutlabels import LABEL_FAMILIES
from tests.ingest.layoutpages import (
    LANGUAGES,
    OBSERVED,
    OBSERVED_WINTER,
    Item,
    Language,
    Writer,
    body_html,
    headline_html,
    iso,
    items,
    page_html,
    relative_label,
)

__all__ = ["FAMILIES", "OBSERVED", "OBSERVED_WINTER", "Item", "Variant", "variants"]


def article_time_iso(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<article class="u-post"><time datetime="{iso(i)}">{lang.clock(i.at)}</time>'
        f"{headline_html(i, 'h2')}{body_html(i)}</article>"
        for i in its
    )
    return page_html(lang, f'<section class="stream">{body}</section>')


def div_epoch_relative_title(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<div class="x7f" data-ts="{int(i.at.timestamp())}">'
        f'<span class="m" title="{lang.full(i.at)}">{relative_label(lang, i)}</span>'
        f"{headline_html(i, 'div', 'x7f-h')}<div class='x7f-b'>{body_html(i)}</div></div>"
        for i in its
    )
    return page_html(lang, f'<div id="feed">{body}</div>')


def div_epoch_millis(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<div class="card" data-published="{int(i.at.timestamp() * 1000)}" data-id="c{n}">'
        f"{headline_html(i, 'h4')}{body_html(i)}<span class='ago'>{relative_label(lang, i)}</span></div>"
        for n, i in enumerate(its)
    )
    return page_html(lang, f'<div class="cards">{body}</div>')


def title_date_only(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<li class="e"><abbr title="{lang.full(i.at)}">{relative_label(lang, i)}</abbr>'
        f"{headline_html(i, 'strong', 'e-t')}{body_html(i)}</li>"
        for i in its
    )
    return page_html(lang, f'<ul class="entries">{body}</ul>')


def li_clock_span(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<li><span class="t">{lang.clock(i.at)}</span>{headline_html(i)}{body_html(i)}</li>'
        for i in its
    )
    return page_html(lang, f"<ol>{body}</ol>")


def definition_list(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f"<dt>{lang.clock(i.at)}</dt><dd>{headline_html(i, 'b', 'x')}{body_html(i)}</dd>"
        for i in its
    )
    return page_html(lang, f'<dl class="ticker">{body}</dl>')


def table_rows(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f"<tr><td class='c1'>{lang.clock(i.at)}</td><td>{headline_html(i, 'h3')}{body_html(i)}</td></tr>"
        for i in its
    )
    return page_html(lang, f"<table><tbody>{body}</tbody></table>")


def label_runs(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<div class="stamp">{lang.clock(i.at)}</div><div class="txt">{headline_html(i, "h3")}{body_html(i)}</div>'
        for i in its
    )
    return page_html(lang, f'<div class="wrap">{body}</div>')


def date_only_attribute(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<article class="p"><time datetime="{i.at.date().isoformat()}">{lang.clock(i.at)}</time>'
        f"{headline_html(i, 'h2')}{body_html(i)}</article>"
        for i in its
    )
    return page_html(lang, f"<div>{body}</div>")


def bold_lead_in(lang: Language, its: list[Item]) -> str:
    def entry(i: Item) -> str:
        lead = f"<strong>{html.escape(i.headline)}</strong> " if i.headline else ""
        return (
            f'<div class="post"><time datetime="{iso(i)}">{lang.clock(i.at)}</time>'
            f"<p>{lead}{html.escape(i.text)}</p></div>"
        )

    return page_html(lang, f'<div class="posts">{"".join(entry(i) for i in its)}</div>')


def clock_bold_lead_in(lang: Language, its: list[Item]) -> str:
    # The time and the headline share one bold; the body follows outside it.
    def entry(i: Item) -> str:
        lead = f" {html.escape(i.headline)}" if i.headline else ""
        return f"<p><strong>{lang.clock(i.at)}:{lead}</strong> {html.escape(i.text)}</p>"

    return page_html(lang, f'<div class="article-body">{"".join(entry(i) for i in its)}</div>')


_UPDATED = {"de": "Aktualisiert um", "en": "Updated", "fr": "Mis à jour le"}


def updated_note(lang: Language, its: list[Item]) -> str:
    # A post's only time is the note of when it was last changed.
    body = "".join(
        f'<article class="post">{headline_html(i, "h2")}'
        f'<p class="meta">{_UPDATED[lang.code]} {lang.clock(i.at)}</p>{body_html(i)}</article>'
        for i in its
    )
    return page_html(lang, f'<div class="live-feed">{body}</div>')


def badge_words(lang: Language, its: list[Item]) -> str:
    def entry(n: int, i: Item) -> str:
        badge = '<span class="flag">Pinned</span>' if n == 0 else ""
        badge += '<span class="flag">Breaking</span>' if n == 2 else ""
        return (
            f'<article class="entry" id="e{n}">{badge}<time datetime="{iso(i)}">'
            f"{lang.clock(i.at)}</time>{headline_html(i, 'h2')}{body_html(i)}</article>"
        )

    return page_html(lang, "".join(entry(n, i) for n, i in enumerate(its)))


def hashed_classes(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<div class="sc-1qk3 eXbQlz"><div class="sc-9a1 bTtZpw"><span class="sc-77 kQ">'
        f"{lang.clock(i.at)}</span></div><div class='sc-2b jNmW'>{headline_html(i, 'h3', 'sc-3c')}"
        f"{body_html(i)}</div></div>"
        for i in its
    )
    return page_html(lang, f'<div class="sc-0 aAa">{body}</div>')


def newsticker_list(lang: Language, its: list[Item]) -> str:
    """A running list of time + headline link + lead: identity is the link."""
    body = "".join(
        f'<li class="n"><time datetime="{iso(i)}">{i.at:%H:%M}</time>'
        f'<a href="/news/{i.at:%H%M}-item.html">{html.escape(i.headline or "")}</a>'
        f"<p>{html.escape(i.text)}</p></li>"
        for i in its
    )
    return page_html(lang, f'<ul class="list">{body}</ul>')


def newsticker_promo_cards(lang: Language, its: list[Item]) -> str:
    """Teaser cards a site names "promo" (AP's "PagePromo"), the printed time after the
    headline: a class word that marks ads elsewhere, here on the page's whole content."""
    body = "".join(
        f'<div class="PagePromo"><h3 class="PagePromo-title">'
        f'<a href="/article/{i.at:%H%M}-a1">{html.escape(i.headline or "")}</a></h3>'
        f'<p class="PagePromo-description">{html.escape(i.text)}</p>'
        f'<div class="PagePromo-date"><span>{lang.clock(i.at)}</span></div></div>'
        for i in its
    )
    return page_html(lang, f'<div class="PageList-items">{body}</div>')


def newsticker_dl_pairs(lang: Language, its: list[Item]) -> str:
    """No element per item: the time in a ``<dt>``, the headline link and the lead in
    the ``<dd>`` elements after it."""
    body = "".join(
        f"<dt>{lang.clock(i.at)}</dt>"
        f'<dd><a href="/news/{i.at:%H%M}.html">{html.escape(i.headline or "")}</a></dd>'
        f"<dd>{html.escape(i.text)}</dd>"
        for i in its
    )
    return page_html(lang, f"<dl>{body}</dl>")


def next_data(lang: Language, its: list[Item]) -> str:
    """App state holds every update; the DOM renders the first three."""
    state = {
        "props": {
            "pageProps": {
                "liveblog": {
                    "updates": [
                        {
                            "id": f"u{n}",
                            "publishedAt": iso(i),
                            "title": i.headline,
                            "body": f"<p>{html.escape(i.text)}</p>",
                        }
                        for n, i in enumerate(its)
                    ]
                }
            }
        }
    }
    shown = "".join(
        f'<article><time datetime="{iso(i)}">{lang.clock(i.at)}</time>{headline_html(i, "h2")}{body_html(i)}'
        "</article>"
        for i in its[:3]
    )
    script = (
        '<script id="__NEXT_DATA__" type="application/json">'
        f"{json.dumps(state, ensure_ascii=False)}</script>"
    )
    return page_html(lang, f'<div id="__next">{shown}</div>{script}')


FAMILIES: dict[str, Writer] = {
    "article-time-iso": article_time_iso,
    "div-epoch-relative-title": div_epoch_relative_title,
    "div-epoch-millis": div_epoch_millis,
    "title-date-relative": title_date_only,
    "li-clock-span": li_clock_span,
    "definition-list": definition_list,
    "table-rows": table_rows,
    "label-runs": label_runs,
    "date-only-attribute": date_only_attribute,
    "bold-lead-in": bold_lead_in,
    "clock-bold-lead-in": clock_bold_lead_in,
    "badge-words": badge_words,
    "updated-note": updated_note,
    "hashed-classes": hashed_classes,
    "newsticker-list": newsticker_list,
    "newsticker-promo-cards": newsticker_promo_cards,
    "newsticker-dl-pairs": newsticker_dl_pairs,
    "next-data": next_data,
    **HEAD_FAMILIES,
    **LABEL_FAMILIES,
}
# Families also generated as fetched in winter (standard time).
_BOTH_SEASONS = set(HEAD_FAMILIES) | set(LABEL_FAMILIES)
_BOTH_SEASONS |= {"newsticker-promo-cards", "newsticker-dl-pairs", "updated-note"}
# Families whose every item carries a headline (a newsticker item is one).
_ALL_HEADLINES = {
    "newsticker-list",
    "clock-headline-bold",
    "newsticker-named-days",
    "newsticker-promo-cards",
    "newsticker-dl-pairs",
}


@dataclass(frozen=True)
class Variant:
    family: str
    language: str
    count: int
    oldest_first: bool = False
    winter: bool = False

    @property
    def name(self) -> str:
        order = "-oldest-first" if self.oldest_first else ""
        season = "-winter" if self.winter else ""
        return f"{self.family}-{self.language}-{self.count}{order}{season}"

    @property
    def observed(self) -> datetime:
        """When the page is fetched: the clock a reader dates its labels by."""
        return OBSERVED_WINTER if self.winter else OBSERVED

    def build(self) -> tuple[str, str, list[Item]]:
        """(url, page html, the items a reader must return in page order)."""
        lang = LANGUAGES[self.language]
        its = items(
            lang,
            self.count,
            headlines="all" if self.family in _ALL_HEADLINES else "even",
            observed=self.observed,
            days_skipped_after=3 if self.family in DAY_GAP else None,
        )
        shown = list(reversed(its)) if self.oldest_first else its
        page = FAMILIES[self.family](lang, shown)
        return f"https://www.{lang.domain}/live/{self.family}", page, shown


def variants() -> list[Variant]:
    out = []
    for family in FAMILIES:
        for language in LANGUAGES:
            out.append(Variant(family, language, 6))
            if family in _BOTH_SEASONS:
                out.append(Variant(family, language, 6, winter=True))
    out.append(Variant("li-clock-span", "de", 128))
    out.append(Variant("article-time-iso", "en", 40, oldest_first=True))
    out.append(Variant("table-rows", "fr", 12, oldest_first=True))
    out.append(Variant("next-data", "en", 30))
    out.append(Variant("newsticker-list", "de", 128))
    return out
