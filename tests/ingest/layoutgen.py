"""A generator of live-ticker pages in many markup families, shapes and languages.

Each :class:`Variant` writes one page from a list of :class:`Item` (what the ticker
says) and knows what a correct reader returns: the items, newest first, with their
local time, headline and text. The families are those real tickers use — blocks with
``<time datetime>``, ``data-*`` epoch attributes beside relative labels, full dates in
``title`` attributes, definition lists, table rows, label-led sibling runs, date-only
attributes beside printed clocks, bold lead-in headlines, badge words, long lists —
written with neutral, varying class names so that no reader can key on them.
Pages are fetched in summer time (:data:`OBSERVED`) or, for ``winter`` variants, in
standard time (:data:`OBSERVED_WINTER`).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

OBSERVED = datetime(2026, 4, 23, 14, 30, tzinfo=ZoneInfo("UTC"))
OBSERVED_WINTER = datetime(2026, 1, 20, 15, 10, tzinfo=ZoneInfo("UTC"))


@dataclass(frozen=True)
class Item:
    at: datetime  # aware, in the page's zone
    headline: str | None
    text: str
    minutes_ago: int = 0  # before the fetch: what a relative label prints


@dataclass(frozen=True)
class Language:
    code: str
    zone: str
    domain: str
    clock: Callable[[datetime], str]  # how the page prints a time of day
    relative: Callable[[int], str]  # how it prints "N minutes ago"
    full: Callable[[datetime], str]  # a full date and time (title attributes)
    sentences: tuple[str, ...]
    headlines: tuple[str, ...]


def _ampm(t: datetime) -> str:
    hour = t.hour % 12 or 12
    return f"{hour}.{t.minute:02d}{'am' if t.hour < 12 else 'pm'}"


LANGUAGES: dict[str, Language] = {
    "de": Language(
        "de",
        "Europe/Berlin",
        "example.de",
        lambda t: f"{t.hour}.{t.minute:02d} Uhr",
        lambda n: f"vor {n} Min.",
        lambda t: f"{t:%d.%m.%Y}, {t:%H:%M} Uhr",
        (
            "Die Feuerwehr ist mit mehreren Fahrzeugen vor Ort.",
            "Der Bürgermeister hat eine Pressekonferenz angekündigt.",
            "Die Polizei bittet Anwohner, Fenster und Türen geschlossen zu halten.",
            "Nach Angaben der Bahn fallen mehrere Regionalzüge aus.",
            "Die Ursache des Feuers ist weiterhin unklar.",
            "Ein Sprecher der Stadt bestätigte die Zahl der Verletzten.",
            "Der Verkehr wird großräumig umgeleitet.",
            "Meteorologen erwarten am Abend Regen.",
        ),
        ("Großbrand in der Innenstadt", "Straßen gesperrt", "Bahn meldet Ausfälle"),
    ),
    "en": Language(
        "en",
        "Europe/London",
        "example.co.uk",
        _ampm,
        lambda n: f"{n} mins ago",
        lambda t: f"{t:%A} {t.day} {t:%B %Y} {t:%H:%M}",
        (
            "Firefighters remain at the scene this afternoon.",
            "The mayor has called a press conference for later today.",
            "Residents have been told to keep windows and doors closed.",
            "Several regional trains have been cancelled, the operator says.",
            "The cause of the fire is still not known.",
            "A council spokesperson confirmed the number of injured.",
            "Traffic is being diverted around the area.",
            "Forecasters expect rain to arrive this evening.",
        ),
        ("Large fire in city centre", "Roads closed", "Rail disruption"),
    ),
    "fr": Language(
        "fr",
        "Europe/Paris",
        "exemple.fr",
        lambda t: f"{t.hour}h{t.minute:02d}",
        lambda n: f"il y a {n} min",
        lambda t: f"{t.day:02d}/{t.month:02d}/{t.year} {t:%H:%M}",
        (
            "Les pompiers sont toujours sur place cet après-midi.",
            "Le maire a annoncé une conférence de presse.",
            "Les habitants doivent garder portes et fenêtres fermées.",
            "Plusieurs trains régionaux sont supprimés, indique la SNCF.",
            "L'origine de l'incendie reste inconnue.",
            "Un porte-parole de la mairie a confirmé le nombre de blessés.",
            "La circulation est déviée autour du quartier.",
            "Les prévisionnistes attendent de la pluie ce soir.",
        ),
        ("Incendie en centre-ville", "Routes fermées", "Trafic perturbé"),
    ),
}


def items(
    language: Language,
    count: int,
    *,
    every: int = 7,
    headlines: str = "even",
    observed: datetime = OBSERVED,
) -> list[Item]:
    """``count`` items, newest first, the newest a few minutes before the fetch at
    ``observed``; ``headlines`` "even" gives every other item a headline, "all" every item."""
    zone = ZoneInfo(language.zone)
    newest = (observed - timedelta(minutes=4)).astimezone(zone).replace(second=0)
    out = []
    for i in range(count):
        at = newest - timedelta(minutes=every * i + (i % 3))
        text = " ".join(
            language.sentences[(i + k) % len(language.sentences)] for k in range(1 + i % 2)
        )
        headline = (
            f"{language.headlines[i % len(language.headlines)]} {count - i}"
            if headlines == "all" or i % 2 == 0
            else None
        )
        ago = int((observed - at).total_seconds() // 60)
        out.append(Item(at, headline, f"{text} [{count - i}]", ago))
    return out


def _page(language: Language, inner: str, head: str = "") -> str:
    return (
        f'<!doctype html><html lang="{language.code}"><head><meta charset="utf-8">'
        f"<title>Live</title>{head}</head><body><header><nav><a href='/'>Home</a></nav></header>"
        f"<main><h1>Live</h1>{inner}</main><footer><p>© Example</p></footer></body></html>"
    )


def _h(item: Item, tag: str = "h3", cls: str = "hl") -> str:
    return f'<{tag} class="{cls}">{html.escape(item.headline)}</{tag}>' if item.headline else ""


def _p(item: Item) -> str:
    return f"<p>{html.escape(item.text)}</p>"


def _iso(item: Item) -> str:
    return item.at.isoformat()


def _rel(language: Language, item: Item) -> str:
    return language.relative(item.minutes_ago)


# Each family: (name, writer(language, items) -> page). Class names vary by family.
Writer = Callable[[Language, list[Item]], str]


def article_time_iso(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<article class="u-post"><time datetime="{_iso(i)}">{lang.clock(i.at)}</time>'
        f"{_h(i, 'h2')}{_p(i)}</article>"
        for i in its
    )
    return _page(lang, f'<section class="stream">{body}</section>')


def div_epoch_relative_title(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<div class="x7f" data-ts="{int(i.at.timestamp())}">'
        f'<span class="m" title="{lang.full(i.at)}">{_rel(lang, i)}</span>'
        f"{_h(i, 'div', 'x7f-h')}<div class='x7f-b'>{_p(i)}</div></div>"
        for i in its
    )
    return _page(lang, f'<div id="feed">{body}</div>')


def div_epoch_millis(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<div class="card" data-published="{int(i.at.timestamp() * 1000)}" data-id="c{n}">'
        f"{_h(i, 'h4')}{_p(i)}<span class='ago'>{_rel(lang, i)}</span></div>"
        for n, i in enumerate(its)
    )
    return _page(lang, f'<div class="cards">{body}</div>')


def title_date_only(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<li class="e"><abbr title="{lang.full(i.at)}">{_rel(lang, i)}</abbr>'
        f"{_h(i, 'strong', 'e-t')}{_p(i)}</li>"
        for i in its
    )
    return _page(lang, f'<ul class="entries">{body}</ul>')


def li_clock_span(lang: Language, its: list[Item]) -> str:
    body = "".join(f'<li><span class="t">{lang.clock(i.at)}</span>{_h(i)}{_p(i)}</li>' for i in its)
    return _page(lang, f"<ol>{body}</ol>")


def definition_list(lang: Language, its: list[Item]) -> str:
    body = "".join(f"<dt>{lang.clock(i.at)}</dt><dd>{_h(i, 'b', 'x')}{_p(i)}</dd>" for i in its)
    return _page(lang, f'<dl class="ticker">{body}</dl>')


def table_rows(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f"<tr><td class='c1'>{lang.clock(i.at)}</td><td>{_h(i, 'h3')}{_p(i)}</td></tr>" for i in its
    )
    return _page(lang, f"<table><tbody>{body}</tbody></table>")


def label_runs(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<div class="stamp">{lang.clock(i.at)}</div><div class="txt">{_h(i, "h3")}{_p(i)}</div>'
        for i in its
    )
    return _page(lang, f'<div class="wrap">{body}</div>')


def date_only_attribute(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<article class="p"><time datetime="{i.at.date().isoformat()}">{lang.clock(i.at)}</time>'
        f"{_h(i, 'h2')}{_p(i)}</article>"
        for i in its
    )
    return _page(lang, f"<div>{body}</div>")


def bold_lead_in(lang: Language, its: list[Item]) -> str:
    def entry(i: Item) -> str:
        lead = f"<strong>{html.escape(i.headline)}</strong> " if i.headline else ""
        return (
            f'<div class="post"><time datetime="{_iso(i)}">{lang.clock(i.at)}</time>'
            f"<p>{lead}{html.escape(i.text)}</p></div>"
        )

    return _page(lang, f'<div class="posts">{"".join(entry(i) for i in its)}</div>')


def badge_words(lang: Language, its: list[Item]) -> str:
    def entry(n: int, i: Item) -> str:
        badge = '<span class="flag">Pinned</span>' if n == 0 else ""
        badge += '<span class="flag">Breaking</span>' if n == 2 else ""
        return (
            f'<article class="entry" id="e{n}">{badge}<time datetime="{_iso(i)}">'
            f"{lang.clock(i.at)}</time>{_h(i, 'h2')}{_p(i)}</article>"
        )

    return _page(lang, "".join(entry(n, i) for n, i in enumerate(its)))


def hashed_classes(lang: Language, its: list[Item]) -> str:
    body = "".join(
        f'<div class="sc-1qk3 eXbQlz"><div class="sc-9a1 bTtZpw"><span class="sc-77 kQ">'
        f"{lang.clock(i.at)}</span></div><div class='sc-2b jNmW'>{_h(i, 'h3', 'sc-3c')}"
        f"{_p(i)}</div></div>"
        for i in its
    )
    return _page(lang, f'<div class="sc-0 aAa">{body}</div>')


def time_line_title(lang: Language, its: list[Item]) -> str:
    """The time on a line of its own above the headline, linked to the entry (the
    Guardian's 2014–19 blocks): the time's paragraph is no body, the heading the headline."""
    body = "".join(
        f'<article class="blk" id="blk-{n}"><p class="blk-when"><a href="#blk-{n}">'
        f'<time datetime="{_iso(i)}">{lang.clock(i.at)}</time></a></p>'
        f"{_h(i, 'h2', 'blk-title')}<div class='blk-els'>{_p(i)}</div></article>"
        for n, i in enumerate(its)
    )
    return _page(lang, f'<div id="stream-body">{body}</div>')


def printed_time_line(lang: Language, its: list[Item]) -> str:
    """As :func:`time_line_title`, the time printed only (no machine value)."""
    body = "".join(
        f'<article class="b" id="b-{n}"><p class="b-when"><span>{lang.clock(i.at)}</span></p>'
        f"{_h(i, 'h2', '')}<div class='b-els'>{_p(i)}</div></article>"
        for n, i in enumerate(its)
    )
    return _page(lang, f'<div class="b-list">{body}</div>')


def ruled_runs(lang: Language, its: list[Item]) -> str:
    """No element per entry: a bold time paragraph, a headline, the body, a rule."""
    body = "".join(f"<p><strong>{lang.clock(i.at)}</strong></p>{_h(i)}{_p(i)}<hr>" for i in its)
    return _page(lang, f'<div class="copy">{body}</div>')


def head_row(lang: Language, its: list[Item]) -> str:
    """A header row holding the time and the heading, BEM-classed ("…__head"): the row
    is no headline, the heading inside it is."""
    body = "".join(
        f'<article class="lb-entry" id="lb-{n}"><div class="lb-entry__head">'
        f'<time datetime="{_iso(i)}">{lang.clock(i.at)}</time>{_h(i, "h2", "")}</div>'
        f"{_p(i)}</article>"
        for n, i in enumerate(its)
    )
    return _page(lang, f'<div class="lb">{body}</div>')


def pinned_copy(lang: Language, its: list[Item]) -> str:
    """A copy of the third entry pinned above the stream, times printed only: time-led
    paragraphs read one entry more than the blocks (the copy), the blocks carry ids."""

    def entry(n: int, i: Item, badge: str = "") -> str:
        return (
            f'<article class="u" id="u-{n}">{badge}<p class="u-when"><span>{lang.clock(i.at)}'
            f"</span></p>{_h(i, 'h2', '')}<div class='u-els'>{_p(i)}</div></article>"
        )

    pinned = entry(2, its[2], '<span class="u-flag">Pinned</span>')
    stream = "".join(entry(n, i) for n, i in enumerate(its))
    return _page(lang, f'<div class="top">{pinned}</div><div class="flow">{stream}</div>')


def newsticker_list(lang: Language, its: list[Item]) -> str:
    """A running list of time + headline link + lead: identity is the link."""
    body = "".join(
        f'<li class="n"><time datetime="{_iso(i)}">{i.at:%H:%M}</time>'
        f'<a href="/news/{i.at:%H%M}-item.html">{html.escape(i.headline or "")}</a>'
        f"<p>{html.escape(i.text)}</p></li>"
        for i in its
    )
    return _page(lang, f'<ul class="list">{body}</ul>')


def next_data(lang: Language, its: list[Item]) -> str:
    """App state holds every update; the DOM renders the first three."""
    state = {
        "props": {
            "pageProps": {
                "liveblog": {
                    "updates": [
                        {
                            "id": f"u{n}",
                            "publishedAt": _iso(i),
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
        f'<article><time datetime="{_iso(i)}">{lang.clock(i.at)}</time>{_h(i, "h2")}{_p(i)}'
        "</article>"
        for i in its[:3]
    )
    script = (
        '<script id="__NEXT_DATA__" type="application/json">'
        f"{json.dumps(state, ensure_ascii=False)}</script>"
    )
    return _page(lang, f'<div id="__next">{shown}</div>{script}')


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
    "badge-words": badge_words,
    "hashed-classes": hashed_classes,
    "newsticker-list": newsticker_list,
    "next-data": next_data,
    "time-line-title": time_line_title,
    "printed-time-line": printed_time_line,
    "ruled-runs": ruled_runs,
    "head-row": head_row,
    "pinned-copy": pinned_copy,
}
# Families also generated as fetched in winter (standard time).
_BOTH_SEASONS = ("time-line-title", "printed-time-line", "ruled-runs", "head-row", "pinned-copy")
# Families whose every item carries a headline (a newsticker item is one).
_ALL_HEADLINES = {"newsticker-list"}


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
