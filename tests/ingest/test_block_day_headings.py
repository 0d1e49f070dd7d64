"""A day heading between runs of blocks dates the clock times below it, in every language
the day headings of time-led paragraphs are read in: a day without entries between two
runs does not put the older run a day late."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from lxml.html import fragment_fromstring

from ingest.layouts.dayheads import day_heading
from ingest.parse import parse_page

# Monday 3 March 2025, 10:00 UTC: the newest run is this morning's, the older Saturday's.
OBSERVED = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)

CASES = {
    # language: (domain, Monday heading, Saturday heading, clock format)
    "es": ("ejemplo.es", "lunes, 3 de marzo", "sábado, 1 de marzo", "{h}:{m:02d} h"),
    "it": ("esempio.it", "lunedì 3 marzo", "sabato 1 marzo", "ore {h}.{m:02d}"),
    "nl": ("voorbeeld.nl", "maandag 3 maart", "zaterdag 1 maart", "{h}.{m:02d} uur"),
    "pl": ("przyklad.pl", "poniedziałek, 3 marca", "sobota, 1 marca", "{h}:{m:02d}"),
    "de": ("beispiel.de", "Montag, 3. März", "Samstag, 1. März", "{h}.{m:02d} Uhr"),
}
# (day of March, hour, minute) in local time, newest first.
TIMES = [(3, 9, 15), (3, 8, 30), (3, 6, 45), (1, 18, 0), (1, 12, 10), (1, 10, 5)]


def _page(lang: str) -> tuple[str, str]:
    domain, monday, saturday, clock = CASES[lang]
    blocks = []
    for n, (day, hour, minute) in enumerate(TIMES):
        if n == 0 or TIMES[n - 1][0] != day:
            blocks.append(f'<h2 class="ticker-day">{monday if day == 3 else saturday}</h2>')
        blocks.append(
            f'<div class="ticker-item"><span class="ticker-item__time">'
            f"{clock.format(h=hour, m=minute)}</span><p>Entry number {n} of the ticker, "
            f"with enough words to be a body.</p></div>"
        )
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Live</title>'
        f'</head><body><main><h1>Live</h1><div class="ticker">{"".join(blocks)}</div></main>'
        "</body></html>"
    )
    return f"https://www.{domain}/live", html


@pytest.mark.parametrize("lang", sorted(CASES))
def test_a_day_heading_dates_the_blocks_below_it(lang: str) -> None:
    url, html = _page(lang)
    page = parse_page(html.encode(), url=url, observed_at=OBSERVED, content_type="text/html")
    assert page.layout == "blocks"
    zone = ZoneInfo(page.zone or "UTC")
    local = [e.time.astimezone(zone) for e in page.entries if e.time is not None]
    assert [(t.day, t.hour, t.minute) for t in local] == TIMES


def test_only_a_short_line_or_a_heading_names_a_day() -> None:
    assert day_heading(fragment_fromstring("<h3>Samstag, 1. März</h3>")) == (None, 3, 1)
    assert day_heading(fragment_fromstring("<div>Saturday 1 March 2025</div>")) == (2025, 3, 1)
    sentence = "<p>Saturday 1 March was the day the strike was first announced by the union</p>"
    assert day_heading(fragment_fromstring(sentence)) is None
    assert day_heading(fragment_fromstring("<h3>Saturday 1 March, 14:05</h3>")) is None


def test_a_day_section_of_one_block_is_read_with_the_others() -> None:
    """Each day in a section of its own, its heading above it: this morning's section
    holds a single block, yet it is part of the stream, and Saturday's blocks are dated
    by their heading, not by the Monday block above them."""
    domain, monday, saturday, clock = CASES["de"]
    sections = []
    for day, heading in ((3, monday), (1, saturday)):
        posts = "".join(
            f'<div class="post"><span class="post-time">{clock.format(h=h, m=m)}</span>'
            f"<p>Entry at {h}:{m:02d} of the ticker, with enough words to be a body.</p></div>"
            for d, h, m in TIMES[2:]
            if d == day
        )
        sections.append(
            f'<h2 class="day">{heading}</h2><section class="day-posts">{posts}</section>'
        )
    html = (
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Live</title>'
        f'</head><body><main><h1>Live</h1><div class="ticker">{"".join(sections)}</div></main>'
        "</body></html>"
    )
    page = parse_page(
        html.encode(),
        url=f"https://www.{domain}/live",
        observed_at=OBSERVED,
        content_type="text/html",
    )
    zone = ZoneInfo(page.zone or "UTC")
    local = [e.time.astimezone(zone) for e in page.entries if e.time is not None]
    assert [(t.day, t.hour, t.minute) for t in local] == TIMES[2:]
