"""From raw bytes to a decoded, de-noised HTML tree and the page's own metadata.

Decoding follows HTTP: the charset in the Content-Type header first, then the
page's ``<meta charset>``, then detection (BeautifulSoup's UnicodeDammit). A
declaration that does not fit the bytes is not trusted: the next one is tried,
and the page says so in a warning. A page declared UTF-8 that is not all UTF-8
(typically a Latin-1 snippet spliced in by a CMS) is read as UTF-8 with only
the stray bytes read as windows-1252: reading the whole page as windows-1252
turned every UTF-8 umlaut into mojibake and most entries into false edits.

The tree is lxml's: building it costs a tenth of a BeautifulSoup tree on large
pages, and every layout walks it several times.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timezone, tzinfo
from typing import Any

import lxml.html
from bs4.dammit import UnicodeDammit
from lxml import etree
from lxml.html import HtmlElement

from ingest.model import PageMeta
from ingest.text import clean_inline, strip_controls
from ingest.timestamps import find_clock, machine_date, parse_machine_time

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_DATE_LINE_RE = re.compile(r"(?:^|\s)date\s+(\d{4})-(\d{2})(?:\s|$)")
# ``surrogateescape`` turns a byte b that is not UTF-8 into U+DC00+b; this maps it
# to what windows-1252 means by b (WHATWG's windows-1252 reads its five undefined
# bytes as the C1 controls of Latin-1, as chr(b) does).
_STRAY_BYTE_RE = re.compile("[\udc80-\udcff]")
_STRAY_BYTES = {
    0xDC00 + b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)
}
# Numeric character references to what strip_controls drops (C0 controls but tab and
# line breaks, DEL, U+FFFE, U+FFFF); lxml turns "&#0;" and surrogates into U+FFFD itself.
_CONTROL_REFERENCE_RE = re.compile(
    r"&#(?:0*(?:[1-8]|1[124-9]|2\d|3[01]|127|6553[45])(?!\d)"
    r"|x0*(?:[1-8bcef]|1[\da-f]|7f|fff[ef])(?![\da-f]));?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return m.group(1).lower() if m else None


def decode_body(body: bytes, content_type: str | None) -> Decoded:
    """The page as text: header charset, then meta charset, then detection."""
    warnings: list[str] = []
    declared = header_charset(content_type)
    m = _CHARSET_RE.search(body[:4096])
    meta = m.group(1).decode("ascii", "replace").lower() if m else None
    for source, encoding in (("HTTP header", declared), ("meta tag", meta)):
        if not encoding:
            continue
        try:
            return Decoded(body.decode(encoding), encoding, tuple(warnings))
        except LookupError:
            warnings.append(f"unknown charset {encoding!r} in {source}")
        except UnicodeDecodeError:
            warnings.append(f"body is not {encoding} as the {source} says")
    if any(_is_utf8(encoding) for encoding in (declared, meta)):
        return _utf8_mended(body, warnings)
    if body.startswith(b"\xef\xbb\xbf"):
        return Decoded(body[3:].decode("utf-8", "replace"), "utf-8", tuple(warnings))
    try:
        return Decoded(body.decode("utf-8"), "utf-8", tuple(warnings))
    except UnicodeDecodeError:
        pass
    dammit = UnicodeDammit(body, is_html=True)
    if dammit.unicode_markup is not None and dammit.original_encoding:
        warnings.append(f"charset detected as {dammit.original_encoding}")
        return Decoded(dammit.unicode_markup, dammit.original_encoding, tuple(warnings))
    warnings.append("charset unknown; undecodable bytes replaced")
    return Decoded(body.decode("utf-8", "replace"), "utf-8", tuple(warnings))


def _is_utf8(encoding: str | None) -> bool:
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _utf8_mended(body: bytes, warnings: list[str]) -> Decoded:
    """``body`` as UTF-8, the bytes that are not UTF-8 read as windows-1252. Linear."""
    escaped = body.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")
    text, stray = _STRAY_BYTE_RE.subn(lambda m: _STRAY_BYTES[ord(m.group())], escaped)
    warnings.append(f"{stray} byte{'s' if stray != 1 else ''} not utf-8, read as windows-1252")
    return Decoded(text, "utf-8", tuple(warnings))


def build_tree(text: str) -> HtmlElement | None:
    """The HTML tree, or None when the text holds no markup lxml can read."""
    # lxml refuses control characters wherever text is set on a tree later (an embed's
    # fallback text, a dropped element's tail), so they go here, once, at the edge; with
    # them the character references that would make them in the tree ("&#1;").
    text = strip_controls(_XML_DECL_RE.sub("", text, count=1))
    if "&#" in text:
        text = _CONTROL_REFERENCE_RE.sub("", text)
    if not text.strip():
        return None
    parser = lxml.html.HTMLParser(recover=True, huge_tree=True, remove_comments=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return root


def json_ld_objects(root: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` members included; broken blocks skipped."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            # Some CMSs emit raw newlines inside strings; strict=False accepts them.
            try:
                data = json.loads(raw, strict=False)
            except (json.JSONDecodeError, RecursionError):
                continue
        except RecursionError:
            continue  # nested beyond the interpreter's limit: no structured data reads so
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(graph)


def _meta_content(root: HtmlElement, *names: str) -> str | None:
    for element in root.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        if key.lower() in names:
            value = element.get("content")
            if value and value.strip():
                return str(value).strip()
    return None


def _site_suffix_stripped(title: str) -> str:
    # "Headline | Site" / "Headline - Site": the site name is not the headline.
    parts = re.split(r"\s+[|–—]\s+|\s+-\s+(?=[^-]{2,40}$)", title)
    return parts[0].strip() if parts and parts[0].strip() else title.strip()


def _first_text(root: HtmlElement, xpath: str) -> str | None:
    for element in root.xpath(xpath):
        text = clean_inline(element.text_content())
        if text:
            return text
    return None


_TEASER_XPATH = (
    "//*[self::p or self::div][contains(translate(@class,'TEASRNDFIRL','teasrndfirl'),'teaser')"
    " or contains(@class,'standfirst') or contains(@class,'intro') or contains(@class,'lead')"
    " or contains(@class,'summary') or contains(@class,'description')]"
    "[not(.//a) or string-length(normalize-space(.)) > 80]"
)


def read_meta(root: HtmlElement, zone: tzinfo) -> PageMeta:
    """Headline, teaser, language, published/modified time and pagination of a page."""
    lang = root.get("lang") or _meta_content(root, "og:locale", "language")
    h1 = _first_text(root, "//h1")
    og_title = _meta_content(root, "og:title", "twitter:title")
    title_tag = _first_text(root, "//title")
    headline = h1 or og_title or (_site_suffix_stripped(title_tag) if title_tag else None)
    teaser = _first_text(root, _TEASER_XPATH) or _meta_content(
        root, "description", "og:description"
    )
    published = _machine(
        _meta_content(root, "article:published_time", "datepublished", "date", "pubdate"), zone
    )
    modified = _machine(
        _meta_content(
            root, "article:modified_time", "datemodified", "og:updated_time", "last-modified"
        ),
        zone,
    )
    if modified is None:
        modified = _dateline(root, zone)
    paginated = bool(
        root.xpath(
            "//link[@rel='next'] | //a[@rel='next']"
            " | //*[contains(@class,'pagination') or contains(@class,'pager')]//a"
        )
    )
    return PageMeta(
        headline=headline,
        teaser=teaser,
        lang=lang,
        published=published,
        modified=modified,
        paginated=paginated,
    )


def _machine(value: str | None, zone: tzinfo) -> datetime | None:
    if not value:
        return None
    day = machine_date(value)
    if day is not None:
        # A bare date says "that day": as an upper bound, its last minute.
        return datetime.combine(day, time(23, 59), tzinfo=zone)
    return parse_machine_time(value, zone)


_ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "LiveBlogPosting",
    "BlogPosting",
    "WebPage",
}


def json_ld_dates(
    objects: Iterable[dict[str, Any]], zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """(published, modified) of the page's main JSON-LD article object, if any."""
    for obj in objects:
        kinds = obj.get("@type")
        names = {str(k) for k in (kinds if isinstance(kinds, list) else [kinds])}
        if not names & _ARTICLE_TYPES:
            continue
        published, modified = obj.get("datePublished"), obj.get("dateModified")
        if isinstance(published, str) or isinstance(modified, str):
            return (
                _machine(published if isinstance(published, str) else None, zone),
                _machine(modified if isinstance(modified, str) else None, zone),
            )
    return None, None


def _dateline(root: HtmlElement, zone: tzinfo) -> datetime | None:
    """A visible "Aktualisiert: 23.04.2019, 09:15 Uhr" / "Updated 23 Apr 2026 11.17 BST" line."""
    for element in root.xpath(
        "//*[contains(translate(@class,'DTU','dtu'),'datetime') or contains(@class,'updated')"
        " or contains(@class,'dateline')][not(ancestor::article[position()>1])]"
    )[:5]:
        text = clean_inline(element.text_content())
        if len(text) > 80:
            continue
        label = find_clock(text)
        if label is None or not label.has_date or label.year is None:
            continue
        assert label.month is not None
        assert label.day is not None
        tz = timezone(label.offset) if label.offset is not None else zone
        try:
            return datetime(label.year, label.month, label.day, label.hour, label.minute, tzinfo=tz)
        except ValueError:
            continue
    return None


def date_line(text: str) -> tuple[int, int] | None:
    """The (year, month) of a "date 2019-04" line, as plain-text tickers carry it."""
    m = _DATE_LINE_RE.search(text[:2000])
    return (int(m.group(1)), int(m.group(2))) if m else None
