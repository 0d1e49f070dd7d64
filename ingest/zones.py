"""Choosing the time zone a ticker's clock labels are written in.

Order of evidence: the zone configured for the ticker; then the page's own
``lang`` and domain; then the language of its labels ("Uhr" is German, "14h01"
French). Offsets printed on the page win over all of these, entry by entry,
because they travel with each time stamp (see :mod:`ingest.dating`).
"""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

_BY_TLD = {
    "de": "Europe/Berlin",
    "at": "Europe/Vienna",
    "ch": "Europe/Zurich",
    "uk": "Europe/London",
    "ie": "Europe/Dublin",
    "fr": "Europe/Paris",
    "be": "Europe/Brussels",
    "lu": "Europe/Luxembourg",
    "it": "Europe/Rome",
    "es": "Europe/Madrid",
    "nl": "Europe/Amsterdam",
    "pl": "Europe/Warsaw",
    "in": "Asia/Kolkata",
    "au": "Australia/Sydney",
}
_BY_LANG = {
    "de": "Europe/Berlin",
    "de-de": "Europe/Berlin",
    "de-at": "Europe/Vienna",
    "de-ch": "Europe/Zurich",
    "en-gb": "Europe/London",
    "en-ie": "Europe/Dublin",
    "en-in": "Asia/Kolkata",
    "en-us": "America/New_York",
    "fr": "Europe/Paris",
    "fr-fr": "Europe/Paris",
    "fr-ch": "Europe/Zurich",
    "it": "Europe/Rome",
    "pl": "Europe/Warsaw",
    "es": "Europe/Madrid",
    "nl": "Europe/Amsterdam",
}
# Hosts under generic TLDs whose readers live in one zone.
_BY_HOST_SUFFIX = {
    "bbc.com": "Europe/London",
    "theguardian.com": "Europe/London",
    "indiatimes.com": "Asia/Kolkata",
    "ndtv.com": "Asia/Kolkata",
}


def guess_zone(url: str, lang: str | None, label_language: str | None = None) -> ZoneInfo | None:
    """The most likely zone of a page's clock labels, or None when nothing hints at one."""
    host = (urlsplit(url).hostname or "").lower()
    for suffix, name in _BY_HOST_SUFFIX.items():
        if host == suffix or host.endswith("." + suffix):
            return ZoneInfo(name)
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if tld in _BY_TLD:
        return ZoneInfo(_BY_TLD[tld])
    if lang:
        code = lang.strip().lower().replace("_", "-")
        by_lang = _BY_LANG.get(code) or _BY_LANG.get(code.split("-")[0])
        if by_lang:
            return ZoneInfo(by_lang)
    if label_language and label_language in _BY_LANG:
        return ZoneInfo(_BY_LANG[label_language])
    return None
