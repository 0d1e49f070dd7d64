"""The site profiles themselves, as data: :class:`SiteProfile` and :data:`PROFILES`.

Apart from the reader (:mod:`ingest.layouts.profiles`) so that the command line can
name the profiles without loading lxml.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """Selectors (XPath, relative to the block for all but ``block``) for one site."""

    name: str
    domains: tuple[str, ...]
    block: str
    time: str | None = None
    headline: str | None = None
    body: str | None = None
    native_id: str | None = None  # an attribute name on the block, or an XPath returning a string
    # How to read the time element's text when it is not a clock (sports match minutes).
    time_is_match_minute: bool = False

    def matches(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)


# Empty: every real page in tests/data/corpus reads right without one. A profile is
# added only with the real page that the generic readers cannot read as its test.
PROFILES: dict[str, SiteProfile] = {}
