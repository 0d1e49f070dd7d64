"""The words tickers use around time stamps, as data: month and weekday names, zone
abbreviations.

Languages: German, English, French, Spanish, Italian, Polish (nominative and the
genitive a date uses: "30 maja"), Dutch and Portuguese. :func:`alternation` turns
a word list into one regex that branches letter by letter, so that a pattern
naming some 200 month words costs one character test per position on text that
holds none of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import TypeAlias

_MONTH_WORDS = [
    # de, en, fr, it, es, pt, nl, pl (nominative, genitive), abbreviations
    "januar january janvier jan jänner janv gennaio gen enero ene janeiro januari "
    "styczeń styczen stycznia sty",
    "februar february février fevrier feb fév fevr févr febbraio febrero fevereiro fev "
    "februari luty lutego lut",
    "märz maerz march mars mar mär marzo março marco maart mrt marzec marca",
    "april avril apr avr aprile abril abr kwiecień kwiecien kwietnia kwi",
    "mai may maggio mayo maio mei maj maja",
    "juni june juin jun giugno junio junho czerwiec czerwca cze",
    "juli july juillet jul juil luglio lug julio julho lipiec lipca lip",
    "august août aout aug agosto ago augustus sierpień sierpien sierpnia sie",
    "september septembre sep sept settembre septiembre setiembre setembro set "
    "wrzesień wrzesien września wrzesnia wrz",
    "oktober october octobre oct okt ottobre ott octubre outubro out "
    "październik pazdziernik października pazdziernika paź",
    "november novembre nov noviembre novembro listopad listopada lis",
    "dezember december décembre decembre dec dez dicembre dic diciembre dezembro "
    "grudzień grudzien grudnia gru",
]
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_MONTH_WORDS, start=1) for name in names.split()
}
# Weekday names that may stand before a date in a label ("Update vom Dienstag, 27.
# August"): full names only, as tickers print them; "So"/"Mi" alone are words too.
# One line per day, Monday first, so that a name gives its ``date.weekday()``.
_WEEKDAY_WORDS = (
    "montag monday lundi lunedì lunedi lunes poniedziałek poniedzialek maandag segunda-feira",
    "dienstag tuesday mardi martedì martedi martes wtorek dinsdag terça-feira terca-feira",
    "mittwoch wednesday mercredi mercoledì mercoledi miércoles miercoles środa sroda woensdag "
    "quarta-feira",
    "donnerstag thursday jeudi giovedì giovedi jueves czwartek donderdag quinta-feira",
    "freitag friday vendredi venerdì venerdi viernes piątek piatek vrijdag sexta-feira",
    "samstag sonnabend saturday samedi sabato sábado sabado sobota zaterdag",
    "sonntag sunday dimanche domenica domingo niedziela zondag",
)
WEEKDAY_NUMBERS: dict[str, int] = {
    name: number for number, names in enumerate(_WEEKDAY_WORDS) for name in names.split()
}
WEEKDAYS = frozenset(WEEKDAY_NUMBERS)
# Words that name a day by its distance from today, as list headings print them
# ("Heute", "Gestern", "Hier", "Ayer"): how many days back each one is.
_NEAR_DAY_WORDS = (
    "heute today aujourd'hui aujourd’hui hoy oggi hoje vandaag dzisiaj dziś dzis",
    "gestern yesterday hier ayer ieri ontem gisteren wczoraj",
    "vorgestern avant-hier anteayer anteontem eergisteren przedwczoraj",
)
DAYS_BACK: dict[str, int] = {
    name: back for back, names in enumerate(_NEAR_DAY_WORDS) for name in names.split()
}
# Month words that are also common words in another language ("set", "out",
# "lis", "sie", "gen"): accepted after a day number ("30 set 2020") but never
# opening a "month day" date, where "out 5" would be English running text.
AMBIGUOUS_MONTHS = frozenset({"set", "out", "lis", "sie", "gen", "lip", "gru", "ago", "dic"})

# Zone abbreviations tickers print after a clock time. Ambiguous ones resolve to
# the reading a news site in that language means (IST: India, as used by NDTV and
# the Times of India; Irish sites print "IST" rarely and mean +01:00 then).
ZONE_ABBREVIATIONS: dict[str, timedelta] = {
    "UTC": timedelta(0),
    "GMT": timedelta(0),
    "BST": timedelta(hours=1),
    "WET": timedelta(0),
    "WEST": timedelta(hours=1),
    "CET": timedelta(hours=1),
    "MEZ": timedelta(hours=1),
    "CEST": timedelta(hours=2),
    "MESZ": timedelta(hours=2),
    "EET": timedelta(hours=2),
    "EEST": timedelta(hours=3),
    "IST": timedelta(hours=5, minutes=30),
    "EST": timedelta(hours=-5),
    "EDT": timedelta(hours=-4),
    "CST": timedelta(hours=-6),
    "CDT": timedelta(hours=-5),
    "MST": timedelta(hours=-7),
    "MDT": timedelta(hours=-6),
    "PST": timedelta(hours=-8),
    "PDT": timedelta(hours=-7),
    "AEST": timedelta(hours=10),
    "AEDT": timedelta(hours=11),
}
# US sites print the zone without saying whether daylight saving applies ("2:15
# p.m. ET"): the offset depends on the date, so these name a zone, not an offset.
ZONE_NAMES: dict[str, str] = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}


_Trie: TypeAlias = dict[str, "_Trie"]


def alternation(words: Iterable[str]) -> str:
    """A regex matching exactly one of ``words`` (longest first), built as a letter trie."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: _Trie) -> str:
    branches = [
        re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Optional tail: the trie is greedy, so "mar" is tried as "marzo" first.
    return f"(?:{body})?" if "" in node else body
