"""What generated ticker pages are made of: the items a ticker says, the languages it
says them in, and the page pieces every markup family (tests/ingest/layoutgen.py) shares.

Pages are fetched in summer time (:data:`OBSERVED`) or, for ``winter`` variants, in
standard time (:data:`OBSERVED_WINTER`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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
    days_skipped_after: int | None = None,
) -> list[Item]:
    """``count`` items, newest first, the newest a few minutes before the fetch at
    ``observed``; ``headlines`` "even" gives every other item a headline, "all" every item.
    ``days_skipped_after`` N puts the items after the first N two days earlier, with a
    day without items between: only a day heading can date them."""
    zone = ZoneInfo(language.zone)
    newest = (observed - timedelta(minutes=4)).astimezone(zone).replace(second=0)
    out = []
    for i in range(count):
        at = newest - timedelta(minutes=every * i + (i % 3))
        if days_skipped_after is not None and i >= days_skipped_after:
            at = (at - timedelta(days=2)).astimezone(zone)
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


_DAY_NAMES = {
    "de": (
        "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
        "{weekday}, {day}. {month}",
    ),
    "en": (
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
        "January February March April May June July August September October November December",
        "{weekday} {day} {month}",
    ),
    "fr": (
        "lundi mardi mercredi jeudi vendredi samedi dimanche",
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "{weekday} {day} {month}",
    ),
}


def day_heading(language: Language, day: date) -> str:
    """How a ticker in ``language`` heads a day's entries: "Dienstag, 21. April"."""
    weekdays, months, pattern = _DAY_NAMES[language.code]
    return pattern.format(
        weekday=weekdays.split()[day.weekday()], day=day.day, month=months.split()[day.month - 1]
    )


def page_html(language: Language, inner: str, head: str = "") -> str:
    return (
        f'<!doctype html><html lang="{language.code}"><head><meta charset="utf-8">'
        f"<title>Live</title>{head}</head><body><header><nav><a href='/'>Home</a></nav></header>"
        f"<main><h1>Live</h1>{inner}</main><footer><p>© Example</p></footer></body></html>"
    )


def headline_html(item: Item, tag: str = "h3", cls: str = "hl") -> str:
    return f'<{tag} class="{cls}">{html.escape(item.headline)}</{tag}>' if item.headline else ""


def body_html(item: Item) -> str:
    return f"<p>{html.escape(item.text)}</p>"


def iso(item: Item) -> str:
    return item.at.isoformat()


def relative_label(language: Language, item: Item) -> str:
    return language.relative(item.minutes_ago)


# Each family: (name, writer(language, items) -> page). Class names vary by family.
Writer = Callable[[Language, list[Item]], str]
