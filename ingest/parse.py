"""``parse_page``: one fetched page in, one :class:`ParsedPage` out. Pure.

Every layout reader in :data:`LAYOUTS` reads the page; dates are filled in the
same way for each reading (:mod:`ingest.dating`); :func:`choose` picks the best.
A page no reader understands comes back flagged ``not_a_ticker`` with a reason —
never an exception, never silently zero entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from ingest import completeness, document, pagetime
from ingest.choosing import choose, newest_kept, report
from ingest.copies import drop_copies
from ingest.dating import detect_order, evidence_of, resolve_times
from ingest.htmltext import sanitized_html
from ingest.layouts import (
    blocks,
    embedded,
    jsonld,
    microdata,
    newsticker,
    paragraphs,
    plaintext,
    profiles,
)
from ingest.layouts import selectors as entry_selectors
from ingest.layouts.base import PageInput, Reading
from ingest.model import (
    Entry,
    EntrySelectors,
    Order,
    PageMeta,
    ParsedPage,
    TimeEvidence,
)
from ingest.noise import strip_noise
from ingest.text import clean_inline
from ingest.timestamps import ClockLabel
from ingest.zones import ZoneChoice, decide_zone, guess_zone

Reader = Callable[[PageInput], Reading | None]

# The generic readers, most structured first. Site profiles come before all of them.
LAYOUTS: dict[str, Reader] = {
    "jsonld": jsonld.read,
    "embedded": embedded.read,
    "microdata": microdata.read,
    "blocks": blocks.read,
    "newsticker": newsticker.read,
    "paragraphs": paragraphs.read,
    "text": plaintext.read,
}

DEFAULT_MAX_BYTES = 15 * 1024 * 1024
# More entries than this are a whole archive on one page: the newest are kept.
DEFAULT_MAX_ENTRIES = 2000

_NOT_TICKER_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "consent wall",
        re.compile(
            r"\b(?:cookies?|consent|zustimmung|einwilligung|datenschutzeinstellungen|"
            r"consentement|accept all|alle akzeptieren|akzeptieren)\b",
            re.I,
        ),
    ),
    (
        "paywall",
        re.compile(
            r"\b(?:paywall|abonnieren|jetzt abonnieren|subscribe to continue|abonnez-vous)\b", re.I
        ),
    ),
    (
        "error page",
        re.compile(
            r"\b(?:404|410|500|502|503|not found|nicht gefunden|page introuvable|"
            r"service unavailable|internal server error|fehler)\b",
            re.I,
        ),
    ),
)


def _page_input(
    body: bytes,
    url: str,
    content_type: str | None,
    observed_at: datetime,
    zone: ZoneInfo | None,
    default_zone: ZoneInfo | None = None,
) -> tuple[PageInput | None, str | None, tuple[str, ...]]:
    """The decoded page, or None with the reason it cannot be read.

    Its ``zone`` is provisional (the ticker's, the page's language, the default, UTC):
    it reads machine values printed without an offset; :func:`_zone_of` decides the
    zone the entries are placed in."""
    mime = (content_type or "").split(";")[0].strip().lower()
    decoded = document.decode_body(body, content_type)
    warnings = decoded.warnings
    text = decoded.text
    looks_like_markup = bool(re.search(r"<(?:html|body|div|p|article|head)\b", text[:20000], re.I))
    if (
        mime
        and mime not in ("text/html", "application/xhtml+xml", "text/plain")
        and not (
            looks_like_markup
            and mime in ("application/octet-stream", "text/xml", "application/xml")
        )
    ):
        return None, f"not HTML ({mime})", warnings
    is_text = mime == "text/plain" or (not mime and not looks_like_markup)
    if is_text:
        year_month = document.date_line(text)
        label_lang = pagetime.label_language(text)
        page_zone = zone or guess_zone(url, None, label_lang) or default_zone or ZoneInfo("UTC")
        meta = PageMeta(date_line=year_month)
        return (
            PageInput(url, text, None, observed_at, page_zone, meta, label_lang=label_lang),
            None,
            warnings,
        )
    raw_root = document.build_tree(text)
    if raw_root is None:
        return None, "no readable HTML", warnings
    # Held while the metadata is read and the noise removed: see PageInput.elements.
    walked = [e for e in raw_root.iter() if isinstance(e.tag, str)]
    json_ld = tuple(document.json_ld_objects(raw_root))
    lang = raw_root.get("lang")
    label_lang = pagetime.label_language(text)
    guessed = zone or guess_zone(url, lang, label_lang) or default_zone
    provisional: tzinfo = guessed or ZoneInfo("UTC")
    meta = document.read_meta(raw_root, provisional)
    if meta.modified is None or meta.published is None:
        published, modified = document.json_ld_dates(json_ld, provisional)
        meta = replace(
            meta, published=meta.published or published, modified=meta.modified or modified
        )
    if guessed is None and meta.modified is not None and meta.modified.utcoffset() is not None:
        warnings = (*warnings, "zone unknown; using the offset of the page's modified time")
    page_zone = guessed or ZoneInfo("UTC")
    strip_noise(raw_root)
    elements = tuple(e for e in raw_root.iter() if isinstance(e.tag, str))
    del walked  # the elements noise removal kept are held by the page from here on
    return (
        PageInput(url, text, raw_root, observed_at, page_zone, meta, json_ld, elements, label_lang),
        None,
        warnings,
    )


def _zone_of(
    page: PageInput,
    newest: ClockLabel | None,
    ticker_zone: ZoneInfo | None,
    default_zone: ZoneInfo | None,
    remembered_zone: tuple[timedelta, datetime] | None = None,
) -> ZoneChoice:
    """The zone the page's labels are read in, and the rule that decided it
    (:func:`ingest.zones.decide_zone`)."""
    return decide_zone(
        observed_at=page.observed_at,
        ticker=ticker_zone,
        printed=pagetime.printed_beside_stated(page),
        page_dates=[d for d in (page.meta.modified, page.meta.published) if d is not None],
        newest=newest,
        locale=guess_zone(page.url, page.meta.lang, page.label_lang),
        default=default_zone,
        remembered=remembered_zone,
    )


def _entries(
    reading: Reading,
    page: PageInput,
    max_entries: int,
    ticker_zone: ZoneInfo | None = None,
    default_zone: ZoneInfo | None = None,
    date_from_page: bool = False,
    remembered_zone: tuple[timedelta, datetime] | None = None,
) -> tuple[tuple[Entry, ...], Order, ZoneChoice, int]:
    """The reading's entries with their times resolved, the page order, the zone
    choice, and how many of the oldest the cap dropped."""
    raw = drop_copies(reading.entries)
    dropped = 0
    if len(raw) > max_entries:
        kept = newest_kept(raw, max_entries)
        dropped = len(raw) - len(kept)
        raw = [raw[i] for i in kept]
    stamps = [e.stamp for e in raw]
    order = detect_order(stamps)
    placed = order if order is not Order.UNKNOWN else Order.NEWEST_FIRST
    # Freshness needs a real fetch time: a saved page read later has none.
    newest = (
        None if date_from_page else pagetime.newest_label(stamps, [e.pinned for e in raw], placed)
    )
    choice = _zone_of(page, newest, ticker_zone, default_zone, remembered_zone)
    modified = page.meta.modified
    if date_from_page and modified is None:
        modified = pagetime.page_day(page, stamps, choice.zone)
    times = resolve_times(
        stamps,
        order=placed,
        zone=choice.zone,
        observed_at=page.observed_at,
        modified=modified,
        year_month=page.meta.date_line,
    )
    entries = tuple(
        Entry(
            position=i,
            text=e.text,
            html=sanitized_html(e.html_parts),
            headline=e.headline,
            time=t,
            time_label=e.time_label,
            time_source=e.time_source,
            native_id=e.native_id,
            pinned=e.pinned,
            time_evidence=evidence_of(e.stamp, choice.evidence) if t else TimeEvidence.NONE,
        )
        for i, (e, t) in enumerate(zip(raw, times, strict=True))
    )
    return entries, order, choice, dropped


def _not_a_ticker_reason(page: PageInput) -> str:
    # Read the page as it was before noise removal: a consent wall *is* the noise.
    text = page.text
    if page.root is not None:
        original = document.build_tree(page.text)
        if original is not None:
            for element in original.xpath("//script | //style | //noscript | //template"):
                element.drop_tree()
            text = original.text_content()
    sample = clean_inline(text)[:5000]
    for reason, pattern in _NOT_TICKER_HINTS:
        if pattern.search(sample) and len(sample) < 3000:
            return reason
    if not sample:
        return "empty page"
    return "no time-stamped updates found (an ordinary article or an unknown layout)"


def parse_page(
    body: bytes,
    *,
    url: str,
    observed_at: datetime,
    content_type: str | None = None,
    zone: ZoneInfo | None = None,
    profile: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    previous_layout: str | None = None,
    selectors: EntrySelectors | None = None,
    default_zone: ZoneInfo | None = None,
    date_from_page: bool = False,
    remembered_zone: tuple[timedelta, datetime] | None = None,
) -> ParsedPage:
    """Read a fetched page into its ticker entries.

    ``observed_at`` is when the page was fetched (aware); it dates labels that
    print no date. ``zone`` is the ticker's configured zone, if any; otherwise it
    is found from the page (:mod:`ingest.zones`), ``default_zone`` being the last
    resort before UTC. ``profile`` names a site profile to force one.
    ``date_from_page`` says that ``observed_at`` is not a real fetch time (a saved
    file): labels without a date are then dated from the page's own latest date.
    ``time_rule`` of the result names the zone rule that decided.
    ``remembered_zone`` is the zone freshness placed the ticker's entries in on earlier
    polls (:func:`diffing.timing.confirmed_freshness_offset`).
    ``max_entries`` caps the entries kept (the newest; ``truncated`` says how many
    went); ``previous_layout`` is the layout the ticker's last poll was read with.
    ``selectors`` are the ticker's own: when they read entries, that reading wins
    outright; when they read none, the page is read as without them, with a warning.
    A page whose markup shows it was cut short is read all the same, ``incomplete``
    saying why (:mod:`ingest.completeness`): the caller decides what a cut page is worth.
    """
    if observed_at.utcoffset() is None:
        raise ValueError("observed_at must be timezone-aware")

    def flagged(reason: str, layout: str = "none", warnings: tuple[str, ...] = ()) -> ParsedPage:
        return ParsedPage(
            url=url, observed_at=observed_at, layout=layout, not_a_ticker=reason, warnings=warnings
        )

    if not body.strip():
        return flagged("empty body")
    if len(body) > max_bytes:
        return flagged(f"body too large: {len(body)} bytes exceed the {max_bytes}-byte cap")
    page, refusal, warnings = _page_input(body, url, content_type, observed_at, zone, default_zone)
    if page is None:
        return flagged(refusal or "unreadable", warnings=warnings)
    # Plain text has no markup that could show a cut.
    incomplete = completeness.incomplete_reason(page.text) if page.root is not None else None
    if incomplete is not None:
        warnings = (*warnings, f"page incomplete: {incomplete}")
    readings: list[Reading] = []
    if selectors is not None:
        own = entry_selectors.read_with(selectors, page)
        if own is not None and own.entries:
            readings.append(own)
        elif own is not None:
            warnings = (*warnings, *own.warnings)
    site = profiles.profile_for(url, profile)
    if site is not None and not readings:
        reading = profiles.read_with(site, page)
        if reading is not None:
            readings.append(reading)
    if not readings:
        for read in LAYOUTS.values():
            reading = read(page)
            if reading is not None:
                readings.append(reading)
    if not any(r.entries for r in readings):
        return ParsedPage(
            url=url,
            observed_at=observed_at,
            layout="none",
            headline=page.meta.headline,
            not_a_ticker=_not_a_ticker_reason(page),
            warnings=warnings,
            lang=page.meta.lang,
            candidates=report(readings, Reading(layout="none", entries=())),
            incomplete=incomplete,
        )
    best, why = choose(readings, previous_layout)
    entries, order, timing, dropped = _entries(
        best, page, max_entries, zone, default_zone, date_from_page, remembered_zone
    )
    if dropped:
        why = (*why, f"{dropped} oldest entries beyond the {max_entries}-entry cap dropped")
    return ParsedPage(
        url=url,
        observed_at=observed_at,
        layout=best.layout,
        headline=best.headline or page.meta.headline,
        teaser=best.teaser or page.meta.teaser,
        entries=entries,
        order=order,
        warnings=(*warnings, *best.warnings, *why),
        zone=str(timing.zone),
        time_rule=timing.rule,
        published=page.meta.published,
        modified=page.meta.modified,
        coverage_end=best.coverage_end,
        paginated=page.meta.paginated,
        lang=page.meta.lang,
        candidates=report(readings, best),
        truncated=dropped,
        incomplete=incomplete,
    )
