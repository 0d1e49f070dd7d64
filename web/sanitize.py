"""Stored entry HTML made safe to show, once more, on the way out.

Ingest sanitizes an entry's HTML when it reads a page; this module does it again for
every page it renders (defence in depth: a row written by an older version, a bug or a
hand-edited database must not turn into markup). nh3 (Rust ammonia) keeps a small set
of text tags; links keep only http(s) and mailto targets and get
``rel="noopener noreferrer nofollow"``. Images are dropped: loading them would tell the
publisher who reads the archive, and the pages' CSP would block them anyway.
"""

from __future__ import annotations

import nh3
from markupsafe import Markup

from ingest.htmltext import ALLOWED_TAGS

# What ingest keeps in stored entry HTML, but no images (see above).
_TAGS = set(ALLOWED_TAGS - {"img"})
_ATTRIBUTES = {"a": {"href", "title"}}


def safe_html(fragment: str) -> Markup:
    """``fragment`` sanitized, as markup a template may insert unescaped."""
    if not fragment:
        return Markup("")
    cleaned: str = nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # The one place HTML is marked safe: the sanitizer's output, nothing else.
    return Markup(cleaned)
