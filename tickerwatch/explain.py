"""``tickerwatch parse --explain``: why a page was read the way it was, in plain text.

Pure: a :class:`~ingest.model.ParsedPage` in, lines out. It shows the structures the
readers considered (``ParsedPage.candidates``) with their scores and why each lost,
the rule that placed the entries' times, and the selectors of the chosen structure as
``--entry-selector '…'`` options ready to copy into ``tickerwatch add``/``edit`` and adjust.
"""

from __future__ import annotations

from ingest.model import Candidate, EntrySelectors, ParsedPage
from tickerwatch.commands.selector_args import as_options

_HEADER = ("layout", "entries", "timed", "score", "verdict")


def _table(candidates: tuple[Candidate, ...]) -> list[str]:
    rows = [
        (c.layout, str(c.entries), str(c.timed), f"{c.score:.2f}", c.verdict) for c in candidates
    ]
    widths = [max(len(r[i]) for r in (_HEADER, *rows)) for i in range(len(_HEADER) - 1)]

    def line(row: tuple[str, ...]) -> str:
        name, *numbers, verdict = row
        cells = [name.ljust(widths[0])]
        cells += [n.rjust(w) for n, w in zip(numbers, widths[1:], strict=True)]
        return "  " + "  ".join([*cells, verdict])

    return [line(_HEADER), *(line(r) for r in rows)]


def chosen_candidate(page: ParsedPage) -> Candidate | None:
    """The candidate whose verdict says it was chosen, else the one of the page's layout."""
    return next((c for c in page.candidates if c.verdict == "chosen"), None) or next(
        (c for c in page.candidates if c.layout == page.layout), None
    )


def explain_lines(page: ParsedPage, selectors: EntrySelectors | None = None) -> list[str]:
    """The explanation of ``page``; ``selectors`` are the ones it was parsed with, if any."""
    lines: list[str] = [page.headline or "(no headline)"]
    if page.not_a_ticker is not None:
        lines.append(f"not a ticker: {page.not_a_ticker}")
    else:
        read = len(page.entries)
        lines.append(f"read {read} entr{'y' if read == 1 else 'ies'} with layout {page.layout}")
    if page.candidates:
        lines.append(f"candidates ({len(page.candidates)}):")
        lines += _table(page.candidates)
    elif page.layout == "selectors":
        lines.append("candidates: none compared (the ticker's own selectors read the page)")
    else:
        lines.append("candidates: no structure on the page was recorded as a candidate")
    lines.append(f"time rule: {page.time_rule or '(not recorded)'}")
    if page.zone:
        lines.append(f"zone: {page.zone}")
    chosen = chosen_candidate(page)
    if page.layout == "selectors" and selectors is not None:
        lines.append("selectors used:")
        lines.append(f"  {as_options(selectors)}")
    elif chosen is not None and chosen.selector:
        lines.append(f"selectors of the chosen {chosen.layout} structure, to copy and adjust:")
        lines.append(f"  {as_options(EntrySelectors(entry=chosen.selector))}")
    elif chosen is not None:
        lines.append(f"the chosen {chosen.layout} structure has no CSS selector")
    elif page.candidates:
        best = max(page.candidates, key=lambda c: c.score)
        if best.selector:
            lines.append(f"the best-scoring structure ({best.layout}), to try as selectors:")
            lines.append(f"  {as_options(EntrySelectors(entry=best.selector))}")
    for warning in page.warnings:
        lines.append(f"warning: {warning}")
    return lines
