"""Time labels that go on with a headline: "<h3>14.05 Uhr | Großbrand</h3>",
"<p><strong>2.05pm – Farage in Clacton</strong></p>".

Such a line is both the entry's time stamp and its headline. The time is read from it
as from any label (:mod:`ingest.layouts.signals`); :func:`titled_label` splits off the
words after the clock and its separator, so that they are the headline and not part of
the printed time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml.html import HtmlElement

from ingest.htmltext import HEADING_TAGS
from ingest.text import clean_inline, word_count
from ingest.timestamps import is_relative_label, leading_label

# A short line that names its writer ("Von Anna Schmidt", "By Emma Jones"): a byline.
BYLINE_TEXT = re.compile(r"^(?:by|von|par|di|por|door|przez|from|aus)\s", re.I)


def titled_label(
    carriers: Sequence[HtmlElement], label: str | None, group: Sequence[HtmlElement]
) -> tuple[str, str] | None:
    """(clock label, headline) when the entry's time label is a heading or bold line
    that goes on after the clock ("<h3>14:05 Uhr | Abpfiff in München</h3>",
    "<p><strong>2.05pm – Sunak rules out tax rises</strong></p>"): the words after the
    clock and its separator are the entry's headline, not part of its time stamp.

    Only headings and bold text: a plain span's "14:05 – Berlin" is a dateline. In bold
    a single word after the clock is one too ("<b>14:05 – Berlin:</b> Die Polizei …");
    in a heading it is the headline ("<h3>21:00 | Anpfiff</h3>").
    """
    if not label:
        return None
    lines = ((c, clean_inline(c.text_content())) for c in carriers)
    carrier, line = next(((c, t) for c, t in lines if t.startswith(label)), (None, ""))
    emphasis = _emphasis(carrier, group) if carrier is not None else None
    if emphasis is None:
        return None
    lead = leading_label(line)
    if lead is None or lead.clock is None:
        return None
    rest = lead.rest.strip().rstrip(":").strip()
    words = word_count(rest)
    if words < (1 if emphasis in HEADING_TAGS else 2):
        return None
    if BYLINE_TEXT.match(rest) or is_relative_label(rest):
        return None
    return lead.raw, rest


def _emphasis(carrier: HtmlElement, group: Sequence[HtmlElement]) -> str | None:
    """The tag of the heading or bold element the carrier is or stands inside, within
    its entry; None when it is neither."""
    for element in (carrier, *carrier.iterancestors()):
        if element.tag in HEADING_TAGS or element.tag in ("strong", "b"):
            return str(element.tag)
        if element in group:
            return None
    return None
