"""Canonical links: the identity of an item that is a link to an article.

Newsticker items are links; the same article is linked as ``/news/a.html``,
``https://www.site.de/news/a.html#comments`` or with a campaign tag another day.
:func:`canonical_link` reduces an ``href`` to one absolute form: resolved against the
page (or its ``<base href>``), the fragment dropped, the scheme and host lower-cased
and the query parameters that only track where a click came from removed. Pure.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that say where a click came from, not which page it opens:
# Google Analytics (utm_*), Webtrekk/Mapp (wt_*), AT Internet (at_*), ad click ids
# (Facebook, Google, Microsoft), Mailchimp, Instagram and Matomo/Piwik campaigns.
_TRACKING_PARAM = re.compile(
    r"^(?:utm_\w+|wt_\w+|wtmc|at_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|"
    r"mc_cid|mc_eid|igshid|_ga|_gl|pk_\w+|mtm_\w+|piwik_\w+|ocid|cmpid|icid)$",
    re.IGNORECASE,
)
_NOT_A_PAGE = re.compile(r"^\s*(?:#|javascript:|mailto:|tel:|data:)", re.IGNORECASE)


@lru_cache(maxsize=4096)  # pages link one article several times; polls repeat them
def canonical_link(href: str | None, base: str) -> str | None:
    """The absolute, fragment- and tracking-free form of ``href`` on a page at ``base``.

    None for what opens no other page: empty links, in-page anchors (``#top``),
    ``javascript:``, ``mailto:`` and ``tel:`` links, and schemes other than http(s).
    """
    if not href or _NOT_A_PAGE.match(href):
        return None
    try:
        absolute = urljoin(base, href.strip())
        parts = urlsplit(absolute)
    except ValueError:  # a malformed IPv6 host or port
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        return None
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAM.match(key)
    ]
    return urlunsplit(
        (scheme, parts.netloc.lower(), parts.path or "/", urlencode(query, doseq=True), "")
    )


def same_page(link: str, page_url: str) -> bool:
    """Whether ``link`` opens the page at ``page_url`` itself (a permalink to a post on
    it, a "back to top" link), compared in canonical form."""
    return canonical_link(page_url, page_url) == link
